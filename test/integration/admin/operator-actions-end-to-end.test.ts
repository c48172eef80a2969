import { describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../../store/settings.js';
import type { TenantSettings } from '../../../store/schemas/settings.js';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId, type ReturnToCreditMemoResult } from '../../../workflows/return-to-credit-memo-contract.js';
import { eventually } from '../../support/eventually.js';
import { cents, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { guestBuyer, orderLines, refundInBigCommerce, waitForRefund } from '../returns/refund-e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * The operator's calls that act on orders and refunds whose way stopped: resync of an order
 * whose workflow closed, retry of a parked refund, and bulk retry of parked items by filter.
 * End to end: BigCommerce sandbox webhooks, the dev server, FerretDB, the Intacct sandbox, and
 * the admin API over HTTP; outcomes read from Intacct's records, the ledger and the audit log.
 *
 * Refunds are parked the way a tenant parks them: `returns.beforeInvoice: park` holds every
 * refund of a sales order not invoiced yet, and switching it to `reduceOrder` is the fix.
 */
describe('Operator actions end to end: resync, refund retry, bulk retry', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      orderSync: { transactionDefinition: 'Sales Order' },
      returns: { beforeInvoice: 'park' },
    },
    (started) => ({ stack, tenantId } = started),
  );

  async function setBeforeInvoice(beforeInvoice: TenantSettings['returns']['beforeInvoice']): Promise<void> {
    const current = (await readSettings(stack.database.db, tenantId))!;
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, beforeInvoice } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
  }

  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const intacctCreates = () =>
    Object.entries(stack.intacctTransactions.byFunction(tenantId))
      .filter(([name]) => name.startsWith('create'))
      .reduce((sum, [, count]) => sum + count, 0);
  const auditActions = async () =>
    ((await stack.admin('GET', `/tenants/${tenantId}/audit?limit=500`)).body.entries as Array<{ action: string; target: string }>).map(
      (entry) => `${entry.action} ${entry.target}`,
    );

  /** A guest order placed paid in the store and posted as a sales order by its webhook. */
  async function postedOrder(): Promise<{ orderId: string; salesDocumentId: string; paymentKey: string }> {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: guestBuyer,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    return { orderId, salesDocumentId: status.intacct.salesDocumentId!, paymentKey: status.intacct.paymentKey! };
  }

  /** A refund of one mug of the order in the store; its webhook starts the refund's workflow, which parks it (before invoicing). */
  async function parkedRefund(orderId: string): Promise<string> {
    const lines = await orderLines(stack, orderId);
    const refund = await refundInBigCommerce(stack, orderId, [{ item_type: 'PRODUCT', item_id: lines.products.get(112)!.id, quantity: 1 }]);
    await waitForRefund(stack, tenantId, refund.refundId, (current) => current.step === 'parked');
    await eventually(
      async () => {
        const queue = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=refund&code=refund_before_invoice`);
        return (queue.body.items as Array<{ externalId: string }>).some((item) => item.externalId === refund.refundId);
      },
      { until: Boolean, what: `refund ${refund.refundId} in the attention queue` },
    );
    return refund.refundId;
  }

  const refundHandle = (refundId: string) => stack.client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, refundId));

  it('when the OpenAPI document is read, then it describes the new calls with the operator role, and the bulk retry body takes no unknown field', async () => {
    const { paths } = (await stack.admin('GET', '/openapi.json')).body as { paths: Record<string, Record<string, any>> };
    for (const path of [
      '/tenants/{tenantId}/orders/{orderId}/resync',
      '/tenants/{tenantId}/refunds/{refundId}/retry',
      '/tenants/{tenantId}/attention/retry',
    ])
      expect(paths[`/api/v1${path}`]?.post?.description).toBe('Needs the operator role.');
    const bulk = paths['/api/v1/tenants/{tenantId}/attention/retry']!.post.requestBody.content['application/json'].schema;
    expect(bulk).toMatchObject({ additionalProperties: false, properties: { dryRun: { type: 'boolean' }, limit: { maximum: 100 } } });
  });

  describe('resync of one order', () => {
    it('when a posted, shipped order whose workflow has closed is resynced, then a fresh run ends synced and Intacct gets no new document or payment', async () => {
      const { orderId, salesDocumentId, paymentKey } = await postedOrder();
      const lines = await orderLines(stack, orderId);
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: lines.addressId,
        items: [...lines.products.values()].map((product) => ({ order_product_id: product.id, quantity: product.quantity })),
        tracking_number: '1Z999AA10123456784',
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      expect(((await handle.result()) as OrderToCashResult).outcome).toBe('synced');
      const payments = (await stack.intacctRecords('ARPYMT')).length;
      const createsBefore = intacctCreates();

      const resynced = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/resync`);
      expect(resynced.status).toBe(202);
      expect(resynced.body).toEqual({ workflowId: orderToCashWorkflowId(tenantId, orderId), runId: expect.any(String) });
      const fresh = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId), resynced.body.runId);
      const result = (await fresh.result()) as OrderToCashResult;
      expect(result).toMatchObject({ outcome: 'synced', status: { step: 'done', intacct: { salesDocumentId, paymentKey } } });
      // The shipment changed the order since it was posted, so the run did not end at the stamp
      // check: it took the ledger's document and payment as posted and, signalled, looked at the
      // shipment at once (with the tenant's hourly Intacct poll it would still be waiting).
      expect(result.status.note).toBeUndefined();

      expect((await documentsOf(orderId)).map((document) => document.DOCID)).toEqual([salesDocumentId]);
      expect((await stack.intacctRecords('ARPYMT')).length).toBe(payments);
      expect(intacctCreates()).toBe(createsBefore);
      expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'synced', intacctDocumentId: salesDocumentId });
      expect(await auditActions()).toContain(`order.resync ${orderId}`);
    });

    it('when the order’s workflow is still running, then resync answers 409 naming its step and starts nothing', async () => {
      const { orderId } = await postedOrder();
      const handle = stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      const runBefore = (await handle.describe()).runId;

      const resynced = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/resync`);
      expect(resynced.status).toBe(409);
      expect(resynced.body.error).toMatchObject({ code: 'order_workflow_open', message: expect.stringContaining('awaiting fulfilment') });
      expect((await handle.describe()).runId).toBe(runBefore);
      await handle.terminate('test over');
    });

    it('when the order is unknown to the ledger and to Temporal, then resync answers 404 and starts nothing', async () => {
      const resynced = await stack.admin('POST', `/tenants/${tenantId}/orders/990001/resync`);
      expect(resynced.status).toBe(404);
      expect(resynced.body.error.message).toContain('order 990001 not found');
      await expect(stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, '990001')).describe()).rejects.toThrow();
    });

    it('when a viewer key asks for a resync, then it is refused 403 and nothing starts', async () => {
      const created = await stack.admin('POST', '/api-keys', { name: 'viewer', role: 'viewer', tenantId });
      expect(created.status).toBe(201);
      const answer = await fetch(`${stack.api.url}/api/v1/tenants/${tenantId}/orders/990002/resync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.body.token as string}` },
      });
      expect(answer.status).toBe(403);
    });
  });

  describe('retry of one refund', () => {
    it('when a parked refund is retried after the fix, then it is posted once and its attention item is resolved; a second retry answers 409 as the workflow has ended', async () => {
      await setBeforeInvoice('park');
      const { orderId, salesDocumentId } = await postedOrder();
      const totalBefore = cents((await documentsOf(orderId))[0]!.TOTAL);
      const refundId = await parkedRefund(orderId);
      expect(cents((await documentsOf(orderId))[0]!.TOTAL)).toBe(totalBefore);

      await setBeforeInvoice('reduceOrder');
      const retried = await stack.admin('POST', `/tenants/${tenantId}/refunds/${refundId}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body.workflowId).toBe(returnToCreditMemoWorkflowId(tenantId, refundId));
      const result = (await refundHandle(refundId).result()) as ReturnToCreditMemoResult;
      expect(result).toMatchObject({ outcome: 'reduced', status: { intacct: { orderDocumentId: salesDocumentId } } });
      expect(cents((await documentsOf(orderId))[0]!.TOTAL)).toBeLessThan(totalBefore);
      const resolved = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=refund&state=resolved`);
      expect(resolved.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ externalId: refundId, state: 'resolved' })]));
      expect(await auditActions()).toContain(`refund.retry ${refundId}`);

      const again = await stack.admin('POST', `/tenants/${tenantId}/refunds/${refundId}/retry`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'refund_workflow_closed', message: expect.stringContaining('has ended (completed)') });
    });

    it('when the refund is unknown, then retry answers 404', async () => {
      const retried = await stack.admin('POST', `/tenants/${tenantId}/refunds/990003/retry`);
      expect(retried.status).toBe(404);
      expect(retried.body.error.message).toContain('refund 990003');
    });
  });

  describe('bulk retry by filter', () => {
    it('when two refunds are parked, then a dry run counts them without touching them, the retry posts each once, and a repeat retries nothing', async () => {
      await setBeforeInvoice('park');
      const since = new Date().toISOString();
      const { orderId } = await postedOrder();
      const totalBefore = cents((await documentsOf(orderId))[0]!.TOTAL);
      const first = await parkedRefund(orderId);
      const second = await parkedRefund(orderId);
      const filter = { entity: 'refund', code: 'refund_before_invoice', since };

      const counted = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { ...filter, dryRun: true });
      expect(counted).toMatchObject({ status: 200, body: { matched: 2 } });
      expect(
        (await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { ...filter, code: 'unknown_sku', dryRun: true })).body,
      ).toEqual({
        matched: 0,
      });
      for (const refundId of [first, second]) {
        expect((await stack.admin('GET', `/tenants/${tenantId}/refunds/${refundId}`)).body.status.step).toBe('parked');
      }

      await setBeforeInvoice('reduceOrder');
      const retried = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, filter);
      expect(retried).toMatchObject({ status: 200, body: { matched: 2, retried: 2, notParked: 0, failed: 0, failures: [] } });
      const repeated = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, filter);
      expect(repeated.status).toBe(200);
      expect(repeated.body.retried).toBe(0);

      const results = await Promise.all(
        [first, second].map(async (refundId) => (await refundHandle(refundId).result()) as ReturnToCreditMemoResult),
      );
      expect(results.map((result) => result.outcome)).toEqual(['reduced', 'reduced']);
      const refunded = results.reduce((sum, result) => sum + result.status.refundTotal!, 0);
      expect(cents((await documentsOf(orderId))[0]!.TOTAL)).toBe(totalBefore - refunded);
      expect((await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { ...filter, dryRun: true })).body).toEqual({ matched: 0 });
      expect(await auditActions()).toContain('attention.retry refund:refund_before_invoice');
    });

    it('when orders are parked on a wrong item mapping row, then once the row is fixed a bulk retry of orders posts each once', async () => {
      const since = new Date().toISOString();
      const wrongRow = await stack.admin('PUT', `/tenants/${tenantId}/mappings/items/rows/HOODIE-GRY-L`, {
        storefrontSku: 'HOODIE-GRY-L',
        intacctItemId: 'NO-SUCH-ITEM',
      });
      expect([200, 201]).toContain(wrongRow.status);
      const orderIds = [];
      for (let index = 0; index < 2; index++) {
        const created = await stack.bigCommerce('POST', '/v2/orders', {
          customer_id: 0,
          status_id: 11,
          billing_address: guestBuyer,
          products: [{ product_id: 113, quantity: 1 }],
        });
        orderIds.push(String((created.body as { id: number }).id));
      }
      const parked = await Promise.all(
        orderIds.map((orderId) => stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked')),
      );
      const code = parked[0]!.attention!.code;
      const filter = { entity: 'order', code, since };
      await eventually(async () => (await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { ...filter, dryRun: true })).body, {
        until: (answer) => answer.matched === 2,
        what: 'both orders in the attention queue',
      });

      expect((await stack.admin('DELETE', `/tenants/${tenantId}/mappings/items/rows/HOODIE-GRY-L`)).status).toBe(204);
      const retried = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, filter);
      expect(retried).toMatchObject({ status: 200, body: { matched: 2, retried: 2, failed: 0 } });
      for (const orderId of orderIds) {
        const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
        expect((await documentsOf(orderId)).map((document) => document.DOCID)).toEqual([posted.intacct.salesDocumentId]);
        await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).terminate('test over');
      }
    });

    it('when a parked refund’s workflow was terminated, then the bulk retry reports it failed with what restarts it, and retries nothing', async () => {
      await setBeforeInvoice('park');
      const since = new Date().toISOString();
      const { orderId } = await postedOrder();
      const refundId = await parkedRefund(orderId);
      await refundHandle(refundId).terminate('an engineer ended it in Temporal UI');

      const retried = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { since });
      expect(retried).toMatchObject({ status: 200, body: { matched: 1, retried: 0, notParked: 0, failed: 1 } });
      expect(retried.body.failures).toEqual([
        { entity: 'refund', externalId: refundId, code: 'refund_workflow_closed', message: expect.stringContaining('backfill') },
      ]);
      expect((await stack.admin('POST', `/tenants/${tenantId}/attention/refund/${refundId}/resolve`)).status).toBe(200);
    });

    it.each([
      ['an entity without a retry', { entity: 'inventory', dryRun: true }],
      ['a misspelt field (it would not be a dry run)', { dryrun: true }],
      ['a since without a time zone', { since: '2026-01-31T00:00:00', dryRun: true }],
      ['a batch above the bound', { limit: 1_000 }],
      ['a dryRun that is not a boolean', { dryRun: 'yes' }],
    ])('when the filter has %s, then it answers 400 saying what is wrong', async (_name, body) => {
      const answer = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ message: expect.any(String) })],
      });
    });
  });
});
