import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderRef } from '../../../workflows/shared-contract.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  refundChangedSignal,
  retryRefundUpdate,
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoStatusQuery,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
  type ReturnToCreditMemoResult,
} from '../../../workflows/return-to-credit-memo-contract.js';
import { eventually } from '../../support/eventually.js';
import { runAttempt } from '../order-to-cash/intacct-writes-support.js';
import { startReturnsWorld, type ReturnsWorld } from './returns-world.js';
import type { RequestLogEntry } from '../../../sandbox/intacct/index.js';

/** Seeded BigCommerce order 100 (Jane, paid): line 1 = 2 × TSHIRT-BLK-M at 24.00, line 2 = 1 × MUG-CER-12OZ at 14.50, shipping 8.00 on address 1. */
const orderId = '100';
type RefundItem =
  { item_type: 'PRODUCT'; item_id: number; quantity: number } | { item_type: 'SHIPPING' | 'ORDER'; item_id: number; amount: number };

const cents = (amount: string | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

describe('ReturnToCreditMemo on the dev server against the sandboxes', () => {
  let fixture: ReturnsWorld['fixture'];
  let client: ReturnsWorld['client'];
  let activities: ReturnsWorld['activities'];
  let world: ReturnsWorld | undefined;

  beforeAll(async () => {
    world = await startReturnsWorld();
    ({ fixture, client, activities } = world);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  beforeEach(async () => {
    // Each test refunds seeded order 100 afresh, and credit memo reference numbers (refund ids) restart with the store.
    await control(`${fixture.sandboxes.bigcommerce.url}/_control/reset`, 'POST');
    await control(`${fixture.sandboxes.intacct.url}/__control/reset`, 'POST', {});
  });

  async function control(url: string, method: string, body?: unknown): Promise<any> {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  async function bigCommerce(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${fixture.sandboxes.bigcommerce.url}/stores/demostore/v3${path}`, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-auth-token': 'demo-bc-token' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** Refunds order 100 in the BigCommerce sandbox as a merchant would (quote, then refund); the refund id and total in cents. */
  async function refund(items: RefundItem[]): Promise<{ refundId: string; totalCents: number }> {
    const quote = (await bigCommerce('POST', `/orders/${orderId}/payment_actions/refund_quotes`, { items })).data;
    const created = (
      await bigCommerce('POST', `/orders/${orderId}/payment_actions/refunds`, {
        items,
        payments: [{ provider_id: 'custom', amount: quote.total_refund_amount, offline: true }],
      })
    ).data;
    return { refundId: String(created.id), totalCents: Math.round(created.total_amount * 100) };
  }

  /** A BigCommerce tenant posting orders as Sales Invoices, returns enabled (or not) with further `returns` settings. */
  async function newTenant(returnsEnabled = true, returns: { restock?: boolean; restockWarehouseId?: string } = {}): Promise<string> {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: returnsEnabled, ...returns } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    return tenantId;
  }

  /** On-hand quantity of an item in a warehouse, as the Intacct sandbox holds it. */
  async function onHand(itemId: string, warehouseId: string): Promise<number> {
    const { records } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/ITEMWAREHOUSEINFO`, 'GET')) as {
      records: Array<Record<string, string>>;
    };
    return Number(records.find((record) => record.ITEMID === itemId && record.WAREHOUSEID === warehouseId)?.QONHAND ?? 'NaN');
  }

  /** Posts order 100's invoice as OrderToCash would: fetch, customer, items, build, create (the ledger records it). */
  async function postOrder(tenantId: string): Promise<string> {
    const ref: OrderRef = { tenantId, storefront: 'bigcommerce', orderId };
    const order = await runAttempt(1, activities.fetchStorefrontOrder, ref);
    const customer = await runAttempt(1, activities.resolveCustomer, { tenantId, order });
    const items = await runAttempt(1, activities.resolveItems, { tenantId, order });
    if (!customer.resolved || !items.resolved) throw new Error('order 100 did not resolve');
    const document = await runAttempt(1, activities.buildSalesDocument, {
      tenantId,
      order,
      customerId: customer.customerId,
      items: items.items,
    });
    const settingsVersion = (await readSettings(fixture.database.db, tenantId))!.version;
    const created = await runAttempt(1, activities.createSalesDocument, {
      ...ref,
      workflowId: `order-to-cash:${tenantId}:${orderId}`,
      settingsVersion,
      document,
    });
    return created.documentId;
  }

  function start(tenantId: string, refundId: string): Promise<WorkflowHandle> {
    const input: ReturnToCreditMemoInput = { tenantId, storefront: 'bigcommerce', orderId, refundId, trigger: 'operator' };
    return client.workflow.start(returnToCreditMemoWorkflowType, {
      workflowId: returnToCreditMemoWorkflowId(tenantId, refundId),
      taskQueue: fixture.config.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
    });
  }

  async function run(tenantId: string, refundId: string): Promise<ReturnToCreditMemoResult> {
    return (await start(tenantId, refundId)).result() as Promise<ReturnToCreditMemoResult>;
  }

  async function creditMemos(): Promise<Array<Record<string, string>>> {
    const { records } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/SODOCUMENT`, 'GET')) as {
      records: Array<Record<string, string>>;
    };
    return records.filter((record) => record.DOCPARID === 'Sales Credit Memo');
  }

  /** The Intacct requests carrying this function with this control id, with the fault injected into each (if any). */
  async function requestsFor(functionName: string, controlId: string): Promise<Array<string | undefined>> {
    const { requests } = (await control(`${fixture.sandboxes.intacct.url}/__control/requests`, 'GET')) as { requests: RequestLogEntry[] };
    return requests
      .filter((request) => request.functions.some((fn) => fn.name === functionName && fn.controlId === controlId))
      .map((request) => request.fault);
  }

  /**
   * Waits until the refund is parked and its park recorded: the status says `parked` a moment
   * before the park activity writes the attention item.
   */
  async function untilParked(handle: WorkflowHandle, tenantId: string, refundId: string): Promise<void> {
    await eventually(
      async () => (await handle.query(returnToCreditMemoStatusQuery)).step === 'parked' && (await openAttention(tenantId, refundId)),
      { what: `refund ${refundId} to be parked and its attention item recorded` },
    );
  }

  async function openAttention(tenantId: string, refundId: string): Promise<Record<string, unknown> | null> {
    return fixture.database.db.collection('attention_queue').findOne({ tenantId, entity: 'refund', externalId: refundId });
  }

  /** The AR adjustments that pay refunds out (`RF-{refundId}`), as [number, customer, cents]. */
  async function refundPostings(): Promise<Array<[string, string, number]>> {
    const { records } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/ARADJUSTMENT`, 'GET')) as {
      records: Array<Record<string, string>>;
    };
    return records
      .filter((record) => record.RECORDID?.startsWith('RF-'))
      .map((record) => [record.RECORDID!, record.CUSTOMERID!, cents(record.TOTALENTERED)]);
  }

  it('when an invoiced order is refunded in full, then one credit memo for its customer equals the refund to the cent', async () => {
    const tenantId = await newTenant();
    const invoiceId = await postOrder(tenantId);
    const { refundId, totalCents } = await refund([
      { item_type: 'PRODUCT', item_id: 1, quantity: 2 },
      { item_type: 'PRODUCT', item_id: 2, quantity: 1 },
      { item_type: 'SHIPPING', item_id: 1, amount: 8 },
    ]);
    const result = await run(tenantId, refundId);
    expect(result.outcome).toBe('credited');
    const memos = await creditMemos();
    expect(memos).toHaveLength(1);
    const [invoice] = (
      (await control(`${fixture.sandboxes.intacct.url}/__control/records/SODOCUMENT`, 'GET')) as { records: Array<Record<string, string>> }
    ).records.filter((record) => record.DOCID === invoiceId);
    expect(memos[0]).toMatchObject({ DOCID: result.status.intacct.creditMemoId, PONUMBER: refundId, CUSTVENDID: invoice!.CUSTVENDID });
    expect(memos[0]!.MESSAGE).toContain(invoiceId);
    expect(cents(memos[0]!.TOTAL)).toBe(totalCents);
    expect(cents(memos[0]!.TOTAL)).toBe(cents(invoice!.TOTAL));
    expect(await findLedgerEntry(fixture.database.db, { tenantId, entity: 'refund', externalId: refundId })).toMatchObject({
      state: 'synced',
      intacctDocumentId: result.status.intacct.creditMemoId,
      intacctKey: result.status.intacct.refundPostingKey,
    });
    // The credit memo credits AR by the refund; the money paid back debits it again against undeposited funds.
    expect(await refundPostings()).toEqual([[`RF-${refundId}`, invoice!.CUSTVENDID, totalCents]]);
    const { records: lines } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/ARADJUSTMENT`, 'GET')) as {
      records: Array<Record<string, string>>;
    };
    expect(
      lines.filter((record) => record.DOCID === result.status.intacct.creditMemoId).map((record) => cents(record.TOTALENTERED)),
    ).toEqual([-totalCents]);
  });

  it.each([
    ['a partial refund (one tee of two)', [{ item_type: 'PRODUCT', item_id: 1, quantity: 1 }]],
    ['a shipping-only refund', [{ item_type: 'SHIPPING', item_id: 1, amount: 8 }]],
  ] as const)('when %s is made, then one credit memo equals it to the cent', async (_name, items) => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const { refundId, totalCents } = await refund([...items]);
    expect((await run(tenantId, refundId)).outcome).toBe('credited');
    const memos = await creditMemos();
    expect(memos.map((memo) => [memo.PONUMBER, cents(memo.TOTAL)])).toEqual([[refundId, totalCents]]);
  });

  it('when one order is refunded twice, then each refund has its own credit memo and together they equal both refunds', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const first = await refund([{ item_type: 'PRODUCT', item_id: 1, quantity: 1 }]);
    const second = await refund([
      { item_type: 'PRODUCT', item_id: 1, quantity: 1 },
      { item_type: 'SHIPPING', item_id: 1, amount: 8 },
    ]);
    const results = await Promise.all([run(tenantId, first.refundId), run(tenantId, second.refundId)]);
    expect(results.map((result) => result.outcome)).toEqual(['credited', 'credited']);
    const memos = await creditMemos();
    expect(memos.map((memo) => [memo.PONUMBER, cents(memo.TOTAL)]).sort()).toEqual(
      [
        [first.refundId, first.totalCents],
        [second.refundId, second.totalCents],
      ].sort(),
    );
    expect((await refundPostings()).map(([number, , amount]) => [number, amount]).sort()).toEqual(
      [
        [`RF-${first.refundId}`, first.totalCents],
        [`RF-${second.refundId}`, second.totalCents],
      ].sort(),
    );
  });

  it('when the same refund runs twice, then the second run finds it in the ledger and there is still one credit memo', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const { refundId } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    const first = await run(tenantId, refundId);
    const second = await run(tenantId, refundId);
    expect(second.status.intacct).toMatchObject({
      creditMemoId: first.status.intacct.creditMemoId,
      refundPostingKey: first.status.intacct.refundPostingKey,
    });
    expect(await creditMemos()).toHaveLength(1);
    expect(await refundPostings()).toHaveLength(1);
    const { records } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/INVDOCUMENT`, 'GET')) as {
      records: Array<Record<string, string>>;
    };
    expect(records.filter((record) => record.PONUMBER === refundId)).toHaveLength(1);
  });

  it('when Intacct commits the credit memo but the answer is lost, then the retry finds it and there is one credit memo', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const { refundId, totalCents } = await refund([{ item_type: 'PRODUCT', item_id: 1, quantity: 2 }]);
    await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'PUT', {
      seed: 7,
      rules: [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }],
    });
    try {
      const result = await run(tenantId, refundId);
      expect(result.outcome).toBe('credited');
    } finally {
      await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'DELETE');
    }
    const memos = await creditMemos();
    expect(memos.map((memo) => [memo.PONUMBER, cents(memo.TOTAL)])).toEqual([[refundId, totalCents]]);
    // The only create was the one whose answer was lost: the retry found the memo by its reference number.
    expect(await requestsFor('create_sotransaction', `cm-create:${tenantId}:${refundId}`)).toEqual(['commitThenDrop']);
  }, 60_000);

  it('when Intacct records the refund posting but the answer is lost, then the retry finds it and there is one posting', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const { refundId, totalCents } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'PUT', {
      seed: 7,
      rules: [{ kind: 'commitThenDrop', function: 'create_aradjustment', times: 1 }],
    });
    try {
      expect((await run(tenantId, refundId)).outcome).toBe('credited');
    } finally {
      await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'DELETE');
    }
    expect((await refundPostings()).map(([number, , amount]) => [number, amount])).toEqual([[`RF-${refundId}`, totalCents]]);
    expect(await creditMemos()).toHaveLength(1);
    expect(await requestsFor('create_aradjustment', `rf-post:${tenantId}:${refundId}`)).toEqual(['commitThenDrop']);
  }, 60_000);

  it('when the refund arrives before its order has synced, then it waits and credits once the order lands', async () => {
    const tenantId = await newTenant();
    const { refundId, totalCents } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    const handle = await start(tenantId, refundId);
    await eventually(async () => (await handle.query(returnToCreditMemoStatusQuery)).step === 'waiting_for_order', {
      what: 'the refund to wait for its order',
    });
    expect(await creditMemos()).toHaveLength(0);
    await postOrder(tenantId);
    await handle.signal(refundChangedSignal, {
      deliveryId: 'order-synced',
      topic: 'test/order-synced',
      occurredAt: new Date().toISOString(),
    });
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result.outcome).toBe('credited');
    expect((await creditMemos()).map((memo) => [memo.PONUMBER, cents(memo.TOTAL)])).toEqual([[refundId, totalCents]]);
  }, 60_000);

  it('when Intacct refuses the credit memo, then the refund is parked with the vendor message and credited once an operator fixes the setting and retries', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, shippingRefundItemId: 'NO-SUCH-ITEM' } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const { refundId, totalCents } = await refund([{ item_type: 'SHIPPING', item_id: 1, amount: 8 }]);
    const handle = await start(tenantId, refundId);
    await untilParked(handle, tenantId, refundId);
    const parked = await handle.query(returnToCreditMemoStatusQuery);
    expect(parked.attention).toMatchObject({
      code: 'unknown_item',
      reason: expect.stringContaining('creating the credit memo failed: Intacct refused the Sales Credit Memo for refund'),
      fix: expect.stringContaining('returns.shippingRefundItemId'),
    });
    expect(await openAttention(tenantId, refundId)).toMatchObject({ state: 'open', code: 'unknown_item' });
    expect(await creditMemos()).toHaveLength(0);

    const fixed = (await readSettings(fixture.database.db, tenantId))!;
    const { shippingRefundItemId: _dropped, ...returns } = fixed.settings.returns;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...fixed.settings, returns },
      { expectedVersion: fixed.version, changedBy: 'test' },
    );
    await handle.executeUpdate(retryRefundUpdate);
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result.outcome).toBe('credited');
    expect(result.status.attention).toBeUndefined();
    expect((await creditMemos()).map((memo) => [memo.PONUMBER, cents(memo.TOTAL)])).toEqual([[refundId, totalCents]]);
    expect(await openAttention(tenantId, refundId)).toMatchObject({ state: 'resolved' });
  }, 60_000);

  it.each([
    ['restock is off', {}, 'WH01', 0, 1],
    ['restock is on', { restock: true }, 'WH01', 2, 0],
    ['restock is on to WH02', { restock: true, restockWarehouseId: 'WH02' }, 'WH02', 2, 0],
  ] as const)(
    'when %s and two tees are refunded, then stock moves as the policy says and the money is credited either way',
    async (_name, returns, restockWarehouse, restocked, offsets) => {
      const tenantId = await newTenant(true, returns);
      await postOrder(tenantId);
      const before = { WH01: await onHand('TSHIRT-BLK-M', 'WH01'), WH02: await onHand('TSHIRT-BLK-M', 'WH02') };
      const { refundId, totalCents } = await refund([{ item_type: 'PRODUCT', item_id: 1, quantity: 2 }]);
      const result = await run(tenantId, refundId);
      expect(result.outcome).toBe('credited');
      expect((await creditMemos()).map((memo) => [memo.PONUMBER, cents(memo.TOTAL)])).toEqual([[refundId, totalCents]]);
      expect((await onHand('TSHIRT-BLK-M', restockWarehouse)) - before[restockWarehouse]).toBe(restocked);
      const otherWarehouse = restockWarehouse === 'WH01' ? 'WH02' : 'WH01';
      expect((await onHand('TSHIRT-BLK-M', otherWarehouse)) - before[otherWarehouse]).toBe(0);
      const { records } = (await control(`${fixture.sandboxes.intacct.url}/__control/records/INVDOCUMENT`, 'GET')) as {
        records: Array<Record<string, string>>;
      };
      expect(records.filter((record) => record.DOCPARID === 'Adjustment Decrease' && record.PONUMBER === refundId)).toHaveLength(offsets);
      expect(result.status.intacct.stockOffsetId !== undefined).toBe(offsets === 1);
    },
    60_000,
  );

  it('when the tenant parks refunds before invoicing, then a refund of a sales order is parked untouched, and once the setting allows it a retry reduces the order', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true, beforeInvoice: 'park' } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const salesOrderId = await postOrder(tenantId);
    const salesOrder = async () =>
      (await control(`${fixture.sandboxes.intacct.url}/__control/records/SODOCUMENT`, 'GET')).records.find(
        (record: Record<string, string>) => record.DOCID === salesOrderId,
      ) as Record<string, string>;
    const totalBefore = cents((await salesOrder()).TOTAL);
    const { refundId, totalCents } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    const handle = await start(tenantId, refundId);
    await untilParked(handle, tenantId, refundId);
    expect((await handle.query(returnToCreditMemoStatusQuery)).attention).toMatchObject({
      code: 'refund_before_invoice',
      fix: expect.stringContaining('returns.beforeInvoice'),
    });
    expect(await openAttention(tenantId, refundId)).toMatchObject({ state: 'open', code: 'refund_before_invoice' });
    expect(cents((await salesOrder()).TOTAL)).toBe(totalBefore);

    const parked = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...parked.settings, returns: { ...parked.settings.returns, beforeInvoice: 'reduceOrder' } },
      { expectedVersion: parked.version, changedBy: 'test' },
    );
    await handle.executeUpdate(retryRefundUpdate);
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result.outcome).toBe('reduced');
    expect(cents((await salesOrder()).TOTAL)).toBe(totalBefore - totalCents);
    expect(await creditMemos()).toHaveLength(0);
  }, 90_000);

  it('when the tenant posts tax as line tax detail, then a refund of a sales order not invoiced yet is parked untouched for the credit memo after invoicing', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    const salesOrderId = await postOrder(tenantId);
    const current = (await readSettings(fixture.database.db, tenantId))!;
    const { orderSync } = current.settings;
    await writeSettings(
      fixture.database.db,
      tenantId,
      {
        ...current.settings,
        orderSync: {
          ...orderSync,
          adjustments: { ...orderSync.adjustments, tax: 'perLine' },
          tax: { ...orderSync.tax, solutionId: 'Standard Tax' },
        },
        returns: { ...current.settings.returns, enabled: true },
      },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const salesOrder = async () =>
      (await control(`${fixture.sandboxes.intacct.url}/__control/records/SODOCUMENT`, 'GET')).records.find(
        (record: Record<string, string>) => record.DOCID === salesOrderId,
      ) as Record<string, string>;
    const totalBefore = cents((await salesOrder()).TOTAL);
    const { refundId } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    const handle = await start(tenantId, refundId);
    await untilParked(handle, tenantId, refundId);
    expect((await handle.query(returnToCreditMemoStatusQuery)).attention).toMatchObject({
      code: 'refund_before_invoice',
      reason: expect.stringContaining('line tax detail (perLine)'),
    });
    expect(cents((await salesOrder()).TOTAL)).toBe(totalBefore);
    expect(await creditMemos()).toHaveLength(0);
    await handle.terminate('test done');
  }, 90_000);

  it('when the tenant has not enabled returns, then the refund is recorded skipped with the reason and nothing reaches Intacct', async () => {
    const tenantId = await newTenant(false);
    await postOrder(tenantId);
    const { refundId } = await refund([{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }]);
    const result = await run(tenantId, refundId);
    expect(result).toMatchObject({
      outcome: 'skipped',
      status: { step: 'skipped', note: expect.stringContaining('returns processing is off') },
    });
    expect(await creditMemos()).toHaveLength(0);
    expect(await findLedgerEntry(fixture.database.db, { tenantId, entity: 'refund', externalId: refundId })).toMatchObject({
      state: 'skipped',
      lastError: { code: 'returns_disabled' },
    });
  });
});
