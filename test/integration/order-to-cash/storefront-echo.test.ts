import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import {
  deliverBigCommerceWebhook,
  deliverSignedClarityWebhook,
  startOrderToCashStack,
  type OrderToCashStack,
  mapJaneToIntacctCustomer,
  janeAtAcmeBillingAddress,
} from '../../support/order-to-cash-stack.js';
import { eventually } from '../../support/eventually.js';
import '../../support/quiet-runtime.js';

interface StoreRequest {
  at: string;
  method: string;
  path: string;
  include?: string;
}

interface IntacctRequest {
  at: string;
  functions: Array<{ name: string }>;
}

/** One run's history as these tests read it: the activities it scheduled, and whether it has caught up with every signal. */
interface RunFacts {
  activities: string[];
  signals: number;
  /** Every signal handled by a completed workflow task, no activity or workflow task open. */
  settled: boolean;
  closed: boolean;
}

/**
 * The storefront's stamp on the order, end to end: the store's echo of the product's own
 * write-back, real changes after it, and webhooks that arrive after the workflow closed. Costs
 * are read from the sandboxes' own request logs (the BigCommerce store's, the Intacct
 * gateway's), everything else from the systems' state and the workflows' histories.
 */
describe('OrderToCash spends one store read on an order that has not changed', () => {
  let stack: OrderToCashStack;
  let bigCommerceTenant: string;
  let clarityTenant: string;

  const jane = janeAtAcmeBillingAddress;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    bigCommerceTenant = await stack.createTenant('bigcommerce');
    clarityTenant = await stack.createTenant('clarity');
    await stack.registerWebhooks(bigCommerceTenant);
    await stack.registerWebhooks(clarityTenant);
    await mapJaneToIntacctCustomer(stack, bigCommerceTenant);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const json = async (url: string, init: RequestInit = {}) => (await (await fetch(url, init)).json()) as any;
  const storeRequests = async (): Promise<StoreRequest[]> => (await json(`${stack.sandboxes.bigcommerce.url}/_control/requests`)).requests;
  const clarityRequests = async (): Promise<StoreRequest[]> => (await json(`${stack.sandboxes.clarity.url}/_sandbox/requests`)).data;
  const intacctRequests = async (): Promise<IntacctRequest[]> => (await stack.intacctControl('GET', '/requests')).requests;
  /** Billed Intacct transactions (`getAPISession` sign-ins apart) sent at or after `since`. */
  const intacctTransactionsSince = async (since: number) =>
    (await intacctRequests())
      .filter((request) => Date.parse(request.at) >= since)
      .flatMap((request) => request.functions.map((fn) => fn.name))
      .filter((name) => name !== 'getAPISession');
  const bigCommerceOrderRequests = (log: StoreRequest[], orderId: string, since: number) =>
    log
      .filter((request) => Date.parse(request.at) >= since && new RegExp(`/v2/orders/${orderId}(/|$)`).test(request.path))
      .map((request) => `${request.method} ${request.path.replace(/^\/stores\/[^/]+/, '')}`);
  const clarityOrderRequests = (log: StoreRequest[], orderId: string, since: number) =>
    log
      .filter((request) => Date.parse(request.at) >= since && request.path.startsWith(`/api/v1/orders/${orderId}`))
      .map((request) => `${request.method} ${request.path}`);

  async function runFacts(workflowId: string, runId?: string): Promise<RunFacts> {
    const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const facts: RunFacts = { activities: [], signals: 0, settled: false, closed: false };
    const open = new Set<string>();
    let lastSignal = -1;
    let lastTaskCompleted = -1;
    let lastTaskScheduled = -1;
    (history.events ?? []).forEach((event, index) => {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        facts.activities.push(scheduled.activityType?.name ?? '?');
        open.add(String(event.eventId));
      }
      for (const closed of [
        event.activityTaskCompletedEventAttributes,
        event.activityTaskFailedEventAttributes,
        event.activityTaskTimedOutEventAttributes,
        event.activityTaskCanceledEventAttributes,
      ]) {
        if (closed) open.delete(String(closed.scheduledEventId));
      }
      if (event.workflowExecutionSignaledEventAttributes) {
        facts.signals += 1;
        lastSignal = index;
      }
      if (event.workflowTaskScheduledEventAttributes) lastTaskScheduled = index;
      if (event.workflowTaskCompletedEventAttributes) lastTaskCompleted = index;
      if (
        event.workflowExecutionCompletedEventAttributes ||
        event.workflowExecutionFailedEventAttributes ||
        event.workflowExecutionTerminatedEventAttributes
      )
        facts.closed = true;
    });
    facts.settled = facts.closed || (open.size === 0 && lastTaskCompleted > lastSignal && lastTaskCompleted > lastTaskScheduled);
    return facts;
  }

  /** Every run of the order's workflow, oldest first. */
  async function runsOf(workflowId: string): Promise<Array<{ runId: string; status: string }>> {
    const runs: Array<{ runId: string; status: string; startTime: Date }> = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push({ runId: execution.runId, status: execution.status.name, startTime: execution.startTime });
    return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  }

  /** The store delivered every webhook about the order, and every run has acted on what it was sent. */
  async function waitUntilQuiet(workflowId: string, deliveriesDone: () => Promise<boolean>): Promise<void> {
    await eventually(
      async () => {
        if (!(await deliveriesDone())) return false;
        for (const run of await runsOf(workflowId)) if (!(await runFacts(workflowId, run.runId)).settled) return false;
        return true;
      },
      { what: `the webhooks and runs of ${workflowId} to be done`, timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  const bigCommerceDeliveriesDone = (orderId: string) => async () => {
    const { deliveries } = (await json(`${stack.sandboxes.bigcommerce.url}/_control/webhooks`)) as {
      deliveries: Array<{ state: string; data?: { id?: number; orderId?: number } }>;
    };
    return deliveries
      .filter((delivery) => delivery.data?.id === Number(orderId) || delivery.data?.orderId === Number(orderId))
      .every((delivery) => delivery.state === 'delivered');
  };
  const clarityDeliveriesDone = (orderId: string) => async () => {
    const { data } = (await json(`${stack.sandboxes.clarity.url}/_sandbox/webhook-deliveries`)) as {
      data: Array<{ state: string; body: string }>;
    };
    return data.filter((delivery) => delivery.body.includes(`"${orderId}"`)).every((delivery) => delivery.state === 'delivered');
  };

  async function placeBigCommerceOrder(): Promise<string> {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: jane,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    return String((created.body as { id: number }).id);
  }

  /** A webhook about the order that the store sends late (its own delivery, signed as the store signs). */
  async function deliverLateBigCommerceWebhook(orderId: string): Promise<void> {
    expect(await deliverBigCommerceWebhook(stack, bigCommerceTenant, 'store/order/updated', { type: 'order', id: Number(orderId) })).toBe(
      200,
    );
  }

  async function deliverLateClarityWebhook(orderId: string, status: string): Promise<void> {
    expect(await deliverSignedClarityWebhook(stack, clarityTenant, 'order.updated', { orderId, status })).toBe(200);
  }

  /** Waits for the run a late webhook started after the `known` ones, and returns its result and history. */
  async function lateRun(workflowId: string, known: number): Promise<{ result: OrderToCashResult; facts: RunFacts }> {
    let runId = '';
    await eventually(
      async () => {
        const runs = await runsOf(workflowId);
        runId = runs[known]?.runId ?? '';
        return runId !== '';
      },
      { what: 'a new run to start', timeoutMs: 60_000, intervalMs: 200 },
    );
    const result = (await stack.client.workflow.getHandle(workflowId, runId).result()) as OrderToCashResult;
    return { result, facts: await runFacts(workflowId, runId) };
  }

  it('when the product writes the document number back to BigCommerce, then the store echo of that write costs one store read and no Intacct transaction', async () => {
    const orderId = await placeBigCommerceOrder();
    const workflowId = orderToCashWorkflowId(bigCommerceTenant, orderId);
    await stack.waitForOrder(bigCommerceTenant, orderId, (status) => status.step === 'awaiting_fulfilment');
    await waitUntilQuiet(workflowId, bigCommerceDeliveriesDone(orderId));

    const log = await storeRequests();
    const writeBack = log.find((request) => request.method === 'PUT' && request.path.endsWith(`/v2/orders/${orderId}`));
    expect(writeBack).toBeDefined();
    const writtenAt = Date.parse(writeBack!.at);
    expect(bigCommerceOrderRequests(log, orderId, writtenAt)).toEqual([`PUT /v2/orders/${orderId}`, `GET /v2/orders/${orderId}`]);
    expect(await intacctTransactionsSince(writtenAt)).toEqual([]);

    const facts = await runFacts(workflowId);
    expect(facts.signals).toBeGreaterThanOrEqual(2);
    expect(facts.activities.slice(facts.activities.indexOf('writeBackToStorefront') + 1)).toEqual(['detectStorefrontOrderChange']);
    expect((await stack.waitForOrder(bigCommerceTenant, orderId, () => true)).step).toBe('awaiting_fulfilment');
  });

  it('when a BigCommerce order is posted then the store answers five requests about it: the order with its consignments, coupons, transactions, the write-back and the echo look', async () => {
    const since = Date.now();
    const orderId = await placeBigCommerceOrder();
    const workflowId = orderToCashWorkflowId(bigCommerceTenant, orderId);
    await stack.waitForOrder(bigCommerceTenant, orderId, (status) => status.step === 'awaiting_fulfilment');
    await waitUntilQuiet(workflowId, bigCommerceDeliveriesDone(orderId));

    const about = (await storeRequests())
      .filter((request) => Date.parse(request.at) >= since && new RegExp(`/v[23]/orders/${orderId}(/|$)`).test(request.path))
      .map(
        (request) =>
          `${request.method} ${request.path.replace(/^\/stores\/[^/]+/, '')}${request.include ? `?include=${request.include}` : ''}`,
      );
    expect(about.slice(0, 3).sort()).toEqual([
      `GET /v2/orders/${orderId}/coupons`,
      `GET /v2/orders/${orderId}?include=consignments.line_items`,
      `GET /v3/orders/${orderId}/transactions`,
    ]);
    // The write-back takes the header the fetch read: no read of its own before the PUT.
    expect(about.slice(3)).toEqual([`PUT /v2/orders/${orderId}`, `GET /v2/orders/${orderId}`]);
    const posted = await stack.waitForOrder(bigCommerceTenant, orderId, () => true);
    expect(posted.intacct.salesDocumentId).toBeDefined();
    const order = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { staff_notes: string };
    expect(order.staff_notes).toContain(posted.intacct.salesDocumentId!);
  });

  it('when the merchant cancels a synced BigCommerce order right after the write-back, then it is cancelled in Intacct, and a late webhook afterwards ends after one store read, writing nothing', async () => {
    const orderId = await placeBigCommerceOrder();
    const workflowId = orderToCashWorkflowId(bigCommerceTenant, orderId);
    const posted = await stack.waitForOrder(bigCommerceTenant, orderId, (status) => status.step === 'awaiting_fulfilment');
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 5 })).status).toBe(200);

    const result = (await stack.client.workflow.getHandle(workflowId).result()) as OrderToCashResult;
    expect(result.outcome).toBe('cancelled');
    expect((await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId)).toHaveLength(0);
    expect((await stack.intacctRecords('ARPYMT')).find((payment) => payment.RECORDNO === posted.intacct.paymentKey)).toMatchObject({
      STATE: 'Reversed',
    });
    await waitUntilQuiet(workflowId, bigCommerceDeliveriesDone(orderId));
    const ledger = await stack.ledger(bigCommerceTenant, 'order', orderId);
    expect(ledger).toMatchObject({ state: 'cancelled', storefrontModifiedAt: expect.stringContaining('(status 5,') });
    const runsBefore = (await runsOf(workflowId)).length;
    const staffNotes = ((await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { staff_notes: string }).staff_notes;

    // The store logs a request at the millisecond it started, so the read above can share a millisecond with `since`: step past it.
    await delay(2);
    const since = Date.now();
    await deliverLateBigCommerceWebhook(orderId);
    const late = await lateRun(workflowId, runsBefore);
    expect(late.result).toMatchObject({ outcome: 'cancelled', status: { note: expect.stringContaining('nothing changed') } });
    expect(late.facts.activities).toEqual(['loadTenantSettings', 'detectStorefrontOrderChange']);
    expect(bigCommerceOrderRequests(await storeRequests(), orderId, since)).toEqual([`GET /v2/orders/${orderId}`]);
    expect(await intacctTransactionsSince(since)).toEqual([]);
    expect(await stack.ledger(bigCommerceTenant, 'order', orderId)).toEqual(ledger);
    expect(((await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { staff_notes: string }).staff_notes).toBe(staffNotes);
  });

  it('when a BigCommerce workflow has closed after posting and a late webhook arrives, then the new run ends synced after one store read; a real change afterwards is acted on', async () => {
    const watching = { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60 };
    let orderId: string;
    let workflowId: string;
    // A tenant that does not watch for fulfilment: the workflow closes once the order is posted.
    await stack.updateOrderSync(bigCommerceTenant, { fulfilment: { ...watching, watchDays: 0 } });
    try {
      orderId = await placeBigCommerceOrder();
      workflowId = orderToCashWorkflowId(bigCommerceTenant, orderId);
      await eventually(async () => (await stack.ledger(bigCommerceTenant, 'order', orderId))?.storefrontModifiedAt !== undefined, {
        what: 'the order to be posted',
        timeoutMs: 60_000,
        intervalMs: 200,
      });
      await waitUntilQuiet(workflowId, bigCommerceDeliveriesDone(orderId));
      // The store's echo of the write-back may itself have come after the close: such a run is a late webhook too.
      const runs = await runsOf(workflowId);
      for (const run of runs.slice(1))
        expect((await runFacts(workflowId, run.runId)).activities).toEqual(['loadTenantSettings', 'detectStorefrontOrderChange']);
      const ledger = await stack.ledger(bigCommerceTenant, 'order', orderId);
      expect(ledger).toMatchObject({ state: 'synced' });

      const since = Date.now();
      await deliverLateBigCommerceWebhook(orderId);
      const late = await lateRun(workflowId, runs.length);
      expect(late.result.outcome).toBe('synced');
      expect(late.facts.activities).toEqual(['loadTenantSettings', 'detectStorefrontOrderChange']);
      expect(bigCommerceOrderRequests(await storeRequests(), orderId, since)).toEqual([`GET /v2/orders/${orderId}`]);
      expect(await intacctTransactionsSince(since)).toEqual([]);
      expect(await stack.ledger(bigCommerceTenant, 'order', orderId)).toEqual(ledger);
    } finally {
      await stack.updateOrderSync(bigCommerceTenant, { fulfilment: { ...watching, watchDays: 30 } });
    }

    // The merchant cancels: the store's own webhook starts a run that sees the stamp moved and unwinds the order.
    const runsBeforeCancel = (await runsOf(workflowId)).length;
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 5 })).status).toBe(200);
    const cancelled = await lateRun(workflowId, runsBeforeCancel);
    expect(cancelled.result.outcome).toBe('cancelled');
    expect(cancelled.facts.activities).toEqual(
      expect.arrayContaining(['detectStorefrontOrderChange', 'fetchStorefrontOrder', 'cancelSalesDocument', 'recordOrderCancelled']),
    );
    expect((await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId)).toHaveLength(0);
  });

  it('when a Clarity order is cancelled after it synced, then the change is acted on, and a late copy of the webhook afterwards ends after one read of the order', async () => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 2 }],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const orderId = (created.body as { orderId: string }).orderId;
    const workflowId = orderToCashWorkflowId(clarityTenant, orderId);
    await stack.waitForOrder(clarityTenant, orderId, (status) => status.step === 'awaiting_fulfilment');
    expect((await stack.clarity('POST', `/orders/${orderId}/status`, { status: 'cancelled' })).status).toBe(200);

    const result = (await stack.client.workflow.getHandle(workflowId).result()) as OrderToCashResult;
    expect(result.outcome).toBe('cancelled');
    await waitUntilQuiet(workflowId, clarityDeliveriesDone(orderId));
    const ledger = await stack.ledger(clarityTenant, 'order', orderId);
    expect(ledger).toMatchObject({ state: 'cancelled', storefrontModifiedAt: expect.stringContaining('(status cancelled,') });
    const runsBefore = (await runsOf(workflowId)).length;

    const since = Date.now();
    await deliverLateClarityWebhook(orderId, 'processing');
    const late = await lateRun(workflowId, runsBefore);
    expect(late.result.outcome).toBe('cancelled');
    expect(late.facts.activities).toEqual(['loadTenantSettings', 'detectStorefrontOrderChange']);
    expect(clarityOrderRequests(await clarityRequests(), orderId, since)).toEqual([`GET /api/v1/orders/${orderId}`]);
    expect(await intacctTransactionsSince(since)).toEqual([]);
    expect(await stack.ledger(clarityTenant, 'order', orderId)).toEqual(ledger);
  });
});
