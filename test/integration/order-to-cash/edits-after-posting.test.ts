import { setTimeout as delay } from 'node:timers/promises';
import { janeDoeBillingAddress } from '../../support/builders.js';
import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import {
  deliverBigCommerceWebhook,
  useEndToEndTenant,
  type OrderToCashStack,
  mapJaneToIntacctCustomer,
} from '../../support/order-to-cash-stack.js';
import { eventually } from '../../support/eventually.js';
import '../../support/quiet-runtime.js';

interface StoreRequest {
  at: string;
  method: string;
  path: string;
}

/**
 * Orders edited in BigCommerce after their sales document exists, end to end: the store's own
 * webhooks (and copies of them) reach the product, which updates the Intacct sales order while
 * nothing is invoiced, parks the order with the differences once it is, and writes nothing for
 * an edit the books do not care about. Costs are read from the sandboxes' own request logs.
 */
describe('OrderToCash follows edits made in the store after posting', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: (started, tenant) => mapJaneToIntacctCustomer(started, tenant),
    },
    (started) => ({ stack, tenantId } = started),
  );

  const jane = janeDoeBillingAddress;
  const json = async (url: string) => (await (await fetch(url)).json()) as any;
  const storeRequests = async (orderId: string, since: number) =>
    ((await json(`${stack.sandboxes.bigcommerce.url}/_control/requests`)).requests as StoreRequest[])
      .filter((request) => Date.parse(request.at) >= since && new RegExp(`/v2/orders/${orderId}(/|$)`).test(request.path))
      .map((request) => `${request.method} ${request.path.replace(/^\/stores\/[^/]+/, '')}`);
  /** Intacct functions sent at or after `since`, sign-ins apart. */
  const intacctFunctionsSince = async (since: number) =>
    ((await stack.intacctControl('GET', '/requests')).requests as Array<{ at: string; functions: Array<{ name: string }> }>)
      .filter((request) => Date.parse(request.at) >= since)
      .flatMap((request) => request.functions.map((fn) => fn.name))
      .filter((name) => name !== 'getAPISession');
  const linesOf = async (documentId: string) =>
    (await stack.intacctRecords('SODOCUMENTENTRY'))
      .filter((entry) => entry.DOCHDRID === documentId)
      .sort((a, b) => Number(a.LINE_NO) - Number(b.LINE_NO))
      .map((entry) => ({ item: entry.ITEMID, quantity: Number(entry.QUANTITY), price: Number(entry.PRICE) }));
  const activitiesOf = async (workflowId: string, runId?: string) =>
    ((await stack.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? []).flatMap((event) =>
      event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes.activityType?.name ?? '?'] : [],
    );
  /** The order's runs, oldest first. */
  const runsOf = async (workflowId: string) => {
    const runs: Array<{ runId: string; startTime: Date; status: string }> = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push({ runId: execution.runId, startTime: execution.startTime, status: execution.status.name });
    return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  };
  /** Every webhook the store sent about the order was delivered. */
  const deliveriesDone = async (orderId: string) => {
    const { deliveries } = (await json(`${stack.sandboxes.bigcommerce.url}/_control/webhooks`)) as {
      deliveries: Array<{ state: string; data?: { id?: number; orderId?: number } }>;
    };
    return deliveries
      .filter((delivery) => delivery.data?.id === Number(orderId) || delivery.data?.orderId === Number(orderId))
      .every((delivery) => delivery.state === 'delivered');
  };
  /** The store's webhooks are delivered and the running workflow has nothing left to do but wait. */
  const waitUntilQuiet = (orderId: string) =>
    eventually(
      async () => {
        if (!(await deliveriesDone(orderId))) return false;
        const description = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).describe();
        if (description.status.name !== 'RUNNING') return true;
        return (description.raw.pendingActivities ?? []).length === 0 && !description.raw.pendingWorkflowTask;
      },
      { what: `order ${orderId} to be quiet`, timeoutMs: 60_000, intervalMs: 250 },
    );

  async function placeOrder(): Promise<{ orderId: string; salesDocumentId: string; products: Array<{ id: number; quantity: number }> }> {
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
    const orderId = String((created.body as { id: number }).id);
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number; quantity: number }>;
    await waitUntilQuiet(orderId);
    return { orderId, salesDocumentId: posted.intacct.salesDocumentId!, products };
  }

  it('when a quantity and a price change before invoicing, and the store webhook arrives three times, then the sales order is updated once to match', async () => {
    const { orderId, salesDocumentId, products } = await placeOrder();
    const before = await linesOf(salesDocumentId);
    expect(before.slice(0, 2).map((line) => line.quantity)).toEqual([2, 1]);

    await delay(2);
    const since = Date.now();
    const edited = await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, {
      products: [
        { id: products[0]!.id, quantity: 3 },
        { id: products[1]!.id, quantity: 1, price_ex_tax: '30.00' },
      ],
    });
    expect(edited.status).toBe(200);
    // The store's own delivery, and two more copies of it.
    for (let copy = 0; copy < 2; copy += 1)
      expect(await deliverBigCommerceWebhook(stack, tenantId, 'store/order/updated', { type: 'order', id: Number(orderId) })).toBe(200);

    await eventually(async () => (await linesOf(salesDocumentId))[0]?.quantity === 3, {
      what: 'the sales order to be updated',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await waitUntilQuiet(orderId);
    const order = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_ex_tax: string; total_tax: string };
    // The tax line follows the store's tax on the new amounts.
    const tax = before.at(-1)!;
    expect(tax.item).toBe('SALES-TAX');
    expect(await linesOf(salesDocumentId)).toEqual([
      { ...before[0]!, quantity: 3 },
      { ...before[1]!, price: 30 },
      ...before.slice(2, -1),
      { ...tax, price: Number(order.total_tax) },
    ]);
    const writes = (await intacctFunctionsSince(since)).filter((name) => !['readByQuery', 'readMore', 'read', 'query'].includes(name));
    expect(writes).toEqual(['update_sotransaction']);
    const document = (await stack.intacctRecords('SODOCUMENT')).find((record) => record.DOCID === salesDocumentId)!;
    expect(Number(document.TOTAL)).toBeCloseTo(Number(order.total_ex_tax) + Number(order.total_tax), 2);
    const status = await stack.waitForOrder(tenantId, orderId, () => true);
    expect(status).toMatchObject({ step: 'awaiting_fulfilment' });
    expect(status.attention).toBeUndefined();
    expect(
      (await activitiesOf(orderToCashWorkflowId(tenantId, orderId))).filter((name) => name === 'updateSalesOrderToMatch'),
    ).toHaveLength(1);
  });

  it('when only the staff notes change, then the change costs the store reads of one look and one fetch, and nothing is written anywhere', async () => {
    const { orderId, salesDocumentId } = await placeOrder();
    const before = await linesOf(salesDocumentId);
    const workflowId = orderToCashWorkflowId(tenantId, orderId);
    const activitiesBefore = (await activitiesOf(workflowId)).length;

    // The store stamps changes to the second: in the second of the product's own write-back, a
    // staff-notes edit would end at the look. In the next one it is fetched, and must end there.
    await delay(1005 - (Date.now() % 1000));
    const since = Date.now();
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { staff_notes: 'Customer asked for gift wrap' })).status).toBe(200);
    await waitUntilQuiet(orderId);
    await eventually(async () => (await activitiesOf(workflowId)).length > activitiesBefore, {
      what: 'the workflow to act on the change',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    await waitUntilQuiet(orderId);

    const after = (await activitiesOf(workflowId)).slice(activitiesBefore);
    expect(after).toEqual(['detectStorefrontOrderChange', 'fetchStorefrontOrder', 'checkOrder', 'readShipmentStatus']);
    expect((await storeRequests(orderId, since)).filter((request) => !request.startsWith('GET '))).toEqual([`PUT /v2/orders/${orderId}`]);
    expect(await intacctFunctionsSince(since)).not.toContain('update_sotransaction');
    expect(await linesOf(salesDocumentId)).toEqual(before);
    expect((await stack.waitForOrder(tenantId, orderId, () => true)).step).toBe('awaiting_fulfilment');
  });

  it('when a price changes after the order was shipped and invoiced, then the order parks as edited_after_invoicing with what the store says against what Intacct holds, nothing is updated, and a retry accepts the store order', async () => {
    const fulfilment = { invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 };
    await stack.updateOrderSync(tenantId, { fulfilment: { ...fulfilment, convertToInvoice: true } });
    try {
      const { orderId, salesDocumentId, products } = await placeOrder();
      const workflowId = orderToCashWorkflowId(tenantId, orderId);
      const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: products.map((product) => ({ order_product_id: product.id, quantity: product.quantity })),
        tracking_number: '1Z999AA10123456784',
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      const invoiced = (await stack.client.workflow.getHandle(workflowId).result()) as OrderToCashResult;
      expect(invoiced.status.intacct.invoiceDocumentId).toBeDefined();
      await waitUntilQuiet(orderId);
      const held = await linesOf(salesDocumentId);
      const runsBefore = (await runsOf(workflowId)).length;

      await delay(2);
      const since = Date.now();
      const edited = await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, {
        products: [{ id: products[1]!.id, quantity: 1, price_ex_tax: '30.00' }],
      });
      expect(edited.status).toBe(200);

      const parked = await eventually(
        async () => {
          const runs = await runsOf(workflowId);
          if (runs.length <= runsBefore) return undefined;
          return stack.waitForOrder(tenantId, orderId, () => true);
        },
        { until: (status) => status?.step === 'parked', what: 'the edited order to park', timeoutMs: 60_000, intervalMs: 250 },
      );
      const heldPrice = held[1]!.price.toFixed(2);
      expect(parked!.attention).toMatchObject({
        code: 'edited_after_invoicing',
        reason: expect.stringContaining(`item ${held[1]!.item} (line 2): the store says 1 × 30.00 USD, Intacct holds 1 × ${heldPrice}`),
      });
      expect(await intacctFunctionsSince(since)).not.toContain('update_sotransaction');
      expect(await linesOf(salesDocumentId)).toEqual(held);
      const attention = await stack.admin('GET', `/tenants/${tenantId}/attention?code=edited_after_invoicing`);
      expect((attention.body as { items: Array<{ externalId: string }> }).items.map((item) => item.externalId)).toContain(orderId);

      // A person credits the difference in Intacct by hand and retries: the store's order stands as it is now.
      expect((await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/retry`)).status).toBe(200);
      const accepted = (await stack.client.workflow.getHandle(workflowId).result()) as OrderToCashResult;
      expect(accepted.outcome).toBe('synced');
      expect(accepted.status.attention).toBeUndefined();
      const open = await stack.admin('GET', `/tenants/${tenantId}/attention?code=edited_after_invoicing`);
      expect((open.body as { items: Array<{ externalId: string }> }).items.map((item) => item.externalId)).not.toContain(orderId);
      expect(await intacctFunctionsSince(since)).not.toContain('update_sotransaction');
      expect(await linesOf(salesDocumentId)).toEqual(held);
    } finally {
      await stack.updateOrderSync(tenantId, { fulfilment: { ...fulfilment, convertToInvoice: false } });
    }
  });
});
