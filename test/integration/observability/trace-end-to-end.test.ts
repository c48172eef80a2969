import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { createProductApp } from '../../../api/product-app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { createLogger } from '../../../config/logger.js';
import { productDataConverter } from '../../../config/payload-encryption.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { startTracing, type ProcessTracing } from '../../../observability/tracing.js';
import { connectWorkerToTemporal, createProductWorker } from '../../../workers/worker.js';
import { orderToCashStatusQuery, orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver.js';
import { runInBackground, type RunningTestWorker } from '../../support/test-worker.js';
import { guestBuyer } from '../returns/refund-e2e-support.js';
import '../../support/quiet-runtime.js';

const adminKey = 'trace-bootstrap-key-0123456789abcdef';

/**
 * The product as `api/main.ts` and `workers/main.ts` build it with OTEL_EXPORTER_OTLP_ENDPOINT set,
 * in one process, exporting to a local OTLP/HTTP collector: a BigCommerce sandbox webhook into the
 * API, OrderToCash on the dev server, its activities against the Intacct sandbox.
 */
describe('Traces end to end: one trace runs from the webhook receipt through the workflow and its activities to the Intacct request', () => {
  let fixture: OrderSyncFixture;
  let receiver: OtlpReceiver;
  let tracing: ProcessTracing;
  let api: RunningServer;
  let connection: Connection;
  let client: Client;
  let worker: RunningTestWorker;
  const logLines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    tracing = startTracing(fixture.config.tracing, 'storefront-sync-test')!;
    const logger = createLogger({ logLevel: 'info' }, 'api', { write: (line: string) => void logLines.push(JSON.parse(line)) });
    connection = await Connection.connect({ address: fixture.config.temporal.address! });
    client = new Client({
      connection,
      namespace: fixture.config.temporal.namespace,
      dataConverter: productDataConverter(fixture.config),
      interceptors: tracing.clientInterceptors,
    });
    const temporal = { client, taskQueue: fixture.config.temporal.taskQueue };
    api = await listen(
      createProductApp({
        logger,
        db: fixture.database.db,
        cipher: fixture.cipher,
        connectors: new ConnectorClients({ endpoints: fixture.endpoints }),
        temporal,
        bootstrapApiKey: adminKey,
        tracer: tracing.tracer,
      }),
      0,
      '127.0.0.1',
    );
    const workerConnection = await connectWorkerToTemporal(fixture.config);
    worker = runInBackground(
      await createProductWorker({
        config: fixture.config,
        connection: workerConnection,
        activities: createActivities({ db: fixture.database.db, connections: fixture.connections, temporal }),
        tracing,
        overrides: { shutdownGraceTime: '1 second' },
      }),
      () => workerConnection.close(),
    );
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await connection?.close();
    await tracing?.shutdown();
    await fixture?.close();
    await receiver?.close();
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set, then spans go to its /v1/traces', () => {
    expect(fixture.config.tracing.tracesUrl).toBe(`${receiver.url}/v1/traces`);
  });

  it('when a BigCommerce order posts, then the receipt, the workflow start, the activity and its Intacct request share one trace, each the child of the one before, with no private data', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    const registered = await fetch(`${api.url}/api/v1/tenants/${tenantId}/webhooks/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicBaseUrl: api.url }),
    });
    expect(registered.status).toBe(200);
    const created = await fetch(`${fixture.sandboxes.bigcommerce.url}/stores/demostore/v2/orders`, {
      method: 'POST',
      headers: { 'x-auth-token': 'demo-bc-token', 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ customer_id: 0, status_id: 11, billing_address: guestBuyer, products: [{ product_id: 112, quantity: 1 }] }),
    });
    expect(created.status).toBe(201);
    const orderId = String(((await created.json()) as { id: number }).id);
    const workflowId = orderToCashWorkflowId(tenantId, orderId);
    const handle = client.workflow.getHandle(workflowId);
    await eventually(() => handle.query(orderToCashStatusQuery), {
      until: (status) => status.step === 'awaiting_fulfilment',
      what: `order ${orderId} to post`,
      timeoutMs: 90_000,
      intervalMs: 250,
    });

    const isSalesDocumentRequest = (span: ReceivedSpan) =>
      span.attributes['vendor.system'] === 'intacct' && String(span.attributes['vendor.operation']).includes('create_sotransaction');
    // The processes export in batches of their own: wait until the whole chain, from the receipt to
    // the workflow's handling of its signal, has reached the collector, not only the Intacct request.
    const handledSignalIn = (received: ReceivedSpan[]) => {
      const request = received.find(isSalesDocumentRequest);
      const root = request && received.find((span) => span.traceId === request.traceId && span.parentSpanId === '');
      const start = root && received.find((span) => span.parentSpanId === root.spanId);
      return start && received.find((span) => span.parentSpanId === start.spanId);
    };
    const spans = await eventually(
      async () => {
        await tracing.flush();
        return receiver.spans;
      },
      {
        until: (received) => handledSignalIn(received) !== undefined,
        what: 'the spans from the receipt to the Intacct request at the collector',
        timeoutMs: 60_000,
      },
    );
    const byId = (spanId: string) => spans.find((span) => span.spanId === spanId);

    const intacctRequest = spans.find(isSalesDocumentRequest)!;
    const trace = intacctRequest.traceId;
    const runActivity = byId(intacctRequest.parentSpanId)!;
    expect(runActivity.name).toBe('RunActivity:createSalesDocument');
    expect(runActivity.attributes).toMatchObject({ temporalWorkflowId: workflowId });
    const startActivity = byId(runActivity.parentSpanId)!;
    expect(startActivity.name).toBe('StartActivity:createSalesDocument');
    // Started in the workflow sandbox and handed over by the worker's sink, with the run's ids only.
    expect(startActivity.attributes).toMatchObject({ workflowId, workflowType: 'orderToCash' });
    expect(startActivity.attributes).not.toHaveProperty('memo');

    const receipt = spans.find((span) => span.traceId === trace && span.parentSpanId === '')!;
    expect(receipt.name).toBe('POST /webhooks/bigcommerce/:tenantId');
    expect(receipt.attributes).toMatchObject({ 'http.route': '/webhooks/bigcommerce/:tenantId', 'http.response.status_code': 200 });
    const signalWithStart = spans.find((span) => span.parentSpanId === receipt.spanId)!;
    expect(signalWithStart.name).toBe('SignalWithStartWorkflow:orderToCash');
    expect(signalWithStart.attributes).toMatchObject({ temporalWorkflowId: workflowId });
    // The workflow's signal handler ran as the child of that start; the workflow's own span (the parent of its
    // activity starts) is exported when the run ends, after the fulfilment watch.
    const handledSignal = spans.find((span) => span.parentSpanId === signalWithStart.spanId)!;
    expect(handledSignal.name).toMatch(/^HandleSignal:/);
    const workflowRun = startActivity.parentSpanId;
    expect(
      spans.filter((span) => span.name.startsWith('StartActivity:') && span.traceId === trace).map((span) => span.parentSpanId),
    ).toEqual(expect.arrayContaining([workflowRun]));
    for (const span of [receipt, signalWithStart, handledSignal, startActivity, runActivity, intacctRequest])
      expect(span.traceId).toBe(trace);
    // Earlier activities of the same run are in the same trace too: the storefront fetch and its BigCommerce request.
    const storefrontRequest = spans.find((span) => span.traceId === trace && span.attributes['vendor.system'] === 'bigcommerce');
    expect(byId(storefrontRequest!.parentSpanId)?.name).toMatch(/^RunActivity:/);

    // The API's log line for the receipt names its trace and span.
    const receiptLine = logLines.find((line) => line.msg === 'request' && line.path === `/webhooks/bigcommerce/${tenantId}`);
    expect(receiptLine).toMatchObject({ trace_id: trace, span_id: receipt.spanId });

    // What left the process: ids and names, never the shopper's data or a credential.
    const exported = receiver.bodies.join('\n');
    for (const secret of [
      guestBuyer.email,
      guestBuyer.street_1,
      `${guestBuyer.first_name} ${guestBuyer.last_name}`,
      'demo-bc-token',
      'demo-user-pw',
      'demo-sender-pw',
    ])
      expect(exported).not.toContain(secret);
  });
});
