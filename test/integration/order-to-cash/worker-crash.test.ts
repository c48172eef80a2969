import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { cents, startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { eventually } from '../../support/eventually.js';
import '../../support/quiet-runtime.js';
import { spawnWorkerProcess } from '../../support/test-worker.js';

/**
 * The worker process dies with SIGKILL while Intacct is committing the order's document (its
 * answer delayed by the sandbox), then another worker takes over. Temporal retries the lost
 * call once its timeout passes; the retry finds the committed document by reference number
 * instead of creating a second one.
 */
describe('OrderToCash when the worker is killed mid-order', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
    await stack.stopWorker();
    tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.close();
  });

  it('when SIGKILL hits while the sales document is being created, then a restarted worker completes the order with exactly one document', async () => {
    child = spawnWorkerProcess(stack.config, stack.sandboxes);
    // Intacct commits the document, then takes 8 s to answer: the worker dies in between.
    await stack.intacctControl('PUT', '/faults', {
      seed: 3,
      rules: [{ kind: 'latency', function: 'create_sotransaction', latencyMs: 8_000, times: 1 }],
    });
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: {
        first_name: 'Kim',
        last_name: 'Park',
        street_1: '1 Elm St',
        city: 'Austin',
        state: 'Texas',
        zip: '78701',
        country: 'United States',
        country_iso2: 'US',
        email: 'kim.park@example.com',
      },
      products: [{ product_id: 112, quantity: 2 }],
      shipping_cost_ex_tax: '8.00',
    });
    const orderId = String((created.body as { id: number }).id);

    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'creating_sales_document', 60_000);
    await eventually(async () => (await stack.intacctRecords('SODOCUMENT')).some((document) => document.PONUMBER === orderId), {
      what: `the sales document of order ${orderId}`,
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;

    stack.startWorker();
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 120_000);
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.DOCID).toBe(status.intacct.salesDocumentId);
    const order = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string };
    expect(cents(documents[0]!.TOTAL)).toBe(cents(order.total_inc_tax));

    // The history shows the create retried after the lost attempt.
    const history = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory();
    const createAttempts = history.events!.filter(
      (event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt! > 1,
    );
    expect(createAttempts.length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
