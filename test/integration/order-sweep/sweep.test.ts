import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSweepCursor, saveSweepCursor } from '../../../store/sweep-cursors.js';
import type {
  OrderBackfillInput,
  OrderBackfillResult,
  OrderSweepInput,
  OrderSweepResult,
} from '../../../workflows/order-sweep-contract.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { uniqueId } from '../../support/harness.js';
import { startSweepWorld, type SweepWorld } from './support.js';

const minute = 60_000;

describe('order sweep and backfill workflows (dev server, FerretDB, sandboxes; OrderToCash stood in)', () => {
  let world: SweepWorld;

  beforeAll(async () => {
    world = await startSweepWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await world.resetSandboxes();
  });

  const sweep = (input: OrderSweepInput) =>
    world.client.workflow.execute<(input: OrderSweepInput) => Promise<OrderSweepResult>>('orderSweep', {
      workflowId: uniqueId('sweep'),
      taskQueue: world.taskQueue,
      args: [input],
    });
  const backfill = (input: OrderBackfillInput) =>
    world.client.workflow.execute<(input: OrderBackfillInput) => Promise<OrderBackfillResult>>('orderBackfill', {
      workflowId: uniqueId('backfill'),
      taskQueue: world.taskQueue,
      args: [input],
    });
  const orderIds = (tenantId: string, ids: string[]) => ids.map((id) => orderToCashWorkflowId(tenantId, id)).sort();

  it('when a tenant is swept for the first time then only orders changed within the lookback get an OrderToCash, and the cursor is set to when the sweep began', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    await world.touchBigCommerceOrder(101, 11);
    const before = Date.now();

    const result = await sweep({ tenantId });

    expect(result).toMatchObject({ tenantId, listed: 1, started: 1, alreadyRunning: 0 });
    expect(Date.parse(result.until)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(result.until)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(result.until) - Date.parse(result.since)).toBe(60 * minute);
    expect(await world.listOrderToCash(tenantId, 1)).toEqual(orderIds(tenantId, ['101']));
    const description = await world.describeOrder(tenantId, '101');
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('orderToCash');
    expect(description.taskQueue).toBe(world.taskQueue);
    expect(description.searchAttributes).toMatchObject({
      TenantId: [tenantId],
      Storefront: ['bigcommerce'],
      OrderNumber: ['101'],
      SyncState: ['pending'],
    });
    expect(await world.inputOf(orderToCashWorkflowId(tenantId, '101'))).toEqual({
      tenantId,
      storefront: 'bigcommerce',
      orderId: '101',
      trigger: 'sweep',
    });
    expect((await readSweepCursor(world.fixture.database.db, tenantId))?.lastSweptUntil.toISOString()).toBe(result.until);
  });

  it('when the cursor is older than the seed orders then every order changed since the cursor minus the lookback gets one OrderToCash, page by page, and the cursor advances', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    // Seed orders were modified Jan 6 (100), Jan 7 14:05 (101), Jan 8 (102), Jan 10 (103); a
    // cursor at Jan 7 14:30 with the 60-minute lookback reaches back to 13:30: 101 is in, 100 is not.
    await saveSweepCursor(world.fixture.database.db, tenantId, new Date('2026-01-07T14:30:00Z'));

    const result = await sweep({ tenantId });

    expect(result).toMatchObject({ tenantId, since: '2026-01-07T13:30:00.000Z', pages: 2, listed: 3, started: 3, alreadyRunning: 0 });
    expect(await world.listOrderToCash(tenantId, 3)).toEqual(orderIds(tenantId, ['101', '102', '103']));
    const cursor = await readSweepCursor(world.fixture.database.db, tenantId);
    expect(cursor?.lastSweptUntil.toISOString()).toBe(result.until);
    expect(Date.now() - Date.parse(result.until)).toBeLessThan(5 * minute);
  });

  it('when the sweep runs again while the orders are still being worked on then it starts nothing new', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    await saveSweepCursor(world.fixture.database.db, tenantId, new Date('2026-01-07T14:30:00Z'));
    const first = await sweep({ tenantId });
    expect(first).toMatchObject({ started: 3, alreadyRunning: 0 });
    const runIds = await Promise.all(['101', '102', '103'].map(async (orderId) => (await world.describeOrder(tenantId, orderId)).runId));

    // Their webhooks were lost too: the storefront changed them again after the first sweep.
    await world.touchBigCommerceOrder(102, 9);
    await world.touchBigCommerceOrder(103, 9);
    const second = await sweep({ tenantId });

    expect(second).toMatchObject({
      since: new Date(Date.parse(first.until) - 60 * minute).toISOString(),
      listed: 2,
      started: 0,
      alreadyRunning: 2,
    });
    expect(Date.parse(second.until)).toBeGreaterThan(Date.parse(first.until));
    expect(await Promise.all(['101', '102', '103'].map(async (orderId) => (await world.describeOrder(tenantId, orderId)).runId))).toEqual(
      runIds,
    );
    expect(await world.listOrderToCash(tenantId, 3)).toEqual(orderIds(tenantId, ['101', '102', '103']));
    expect((await readSweepCursor(world.fixture.database.db, tenantId))?.lastSweptUntil.toISOString()).toBe(second.until);
  });

  it('when an order whose OrderToCash already finished changes again then the sweep starts it again', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    await world.touchBigCommerceOrder(100, 9);
    expect(await sweep({ tenantId })).toMatchObject({ listed: 1, started: 1 });
    const firstRun = (await world.describeOrder(tenantId, '100')).runId;
    await world.finishOrder(tenantId, '100');

    await world.touchBigCommerceOrder(100, 10);
    const again = await sweep({ tenantId });

    expect(again).toMatchObject({ listed: 1, started: 1, alreadyRunning: 0 });
    const description = await world.describeOrder(tenantId, '100');
    expect(description.status.name).toBe('RUNNING');
    expect(description.runId).not.toBe(firstRun);
  });

  it('when a Clarity tenant is swept from an old cursor then every Clarity order changed since gets an OrderToCash, following the cursor across pages', async () => {
    const tenantId = await world.fixture.createTenant('clarity');
    await saveSweepCursor(world.fixture.database.db, tenantId, new Date('2026-11-01T00:00:00Z'));

    const result = await sweep({ tenantId });

    // RMA-3001 (refunded Nov 10) is in the window, but the tenant does not process returns.
    expect(result).toMatchObject({
      tenantId,
      since: '2026-10-31T23:00:00.000Z',
      pages: 3,
      listed: 5,
      started: 5,
      alreadyRunning: 0,
      refundsListed: 0,
      refundsStarted: 0,
    });
    const expected = ['CO-100001', 'CO-100002', 'CO-100003', 'CO-100004', 'CO-100005'];
    expect(await world.listOrderToCash(tenantId, 5)).toEqual(orderIds(tenantId, expected));
    expect(await world.inputOf(orderToCashWorkflowId(tenantId, 'CO-100004'))).toEqual({
      tenantId,
      storefront: 'clarity',
      orderId: 'CO-100004',
      trigger: 'sweep',
    });
    expect((await world.describeOrder(tenantId, 'CO-100004')).searchAttributes).toMatchObject({
      Storefront: ['clarity'],
      OrderNumber: ['CO-100004'],
    });
    expect((await readSweepCursor(world.fixture.database.db, tenantId))?.lastSweptUntil.toISOString()).toBe(result.until);
  });

  it('when a Clarity backfill window ends before the newest orders then it stops at the window end, though Clarity has no upper-bound filter', async () => {
    const tenantId = await world.fixture.createTenant('clarity');
    // CO-100001 Nov 2, CO-100002 Nov 3, CO-100003 Nov 5 16:05 (shipped); CO-100004 Nov 5 18:45 and CO-100005 Nov 6 are later.
    const result = await backfill({ tenantId, from: '2026-11-01T00:00:00.000Z', to: '2026-11-05T17:00:00.000Z' });

    expect(result).toEqual({
      tenantId,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-05T17:00:00.000Z',
      pages: 2,
      listed: 3,
      started: 3,
      alreadyRunning: 0,
      refundsListed: 0,
      refundsStarted: 0,
      refundsAlreadyRunning: 0,
    });
    expect(await world.listOrderToCash(tenantId, 3)).toEqual(orderIds(tenantId, ['CO-100001', 'CO-100002', 'CO-100003']));
    expect(await world.inputOf(orderToCashWorkflowId(tenantId, 'CO-100002'))).toEqual({
      tenantId,
      storefront: 'clarity',
      orderId: 'CO-100002',
      trigger: 'backfill',
    });
    expect(await readSweepCursor(world.fixture.database.db, tenantId)).toBeNull();
  });

  it('when a BigCommerce backfill window is given then only orders changed inside it get an OrderToCash, and the sweep cursor is left alone', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const result = await backfill({ tenantId, from: '2026-01-07T00:00:00.000Z', to: '2026-01-09T00:00:00.000Z' });

    expect(result).toMatchObject({ listed: 2, started: 2, alreadyRunning: 0 });
    expect(await world.listOrderToCash(tenantId, 2)).toEqual(orderIds(tenantId, ['101', '102']));
    expect(await world.inputOf(orderToCashWorkflowId(tenantId, '102'))).toEqual({
      tenantId,
      storefront: 'bigcommerce',
      orderId: '102',
      trigger: 'backfill',
    });
    expect(await readSweepCursor(world.fixture.database.db, tenantId)).toBeNull();
  });

  it('when a sweep has more pages than one run may read then it continues as new and still offers every order once', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    await saveSweepCursor(world.fixture.database.db, tenantId, new Date('2026-01-01T00:00:00Z'));
    const workflowId = uniqueId('sweep');

    const handle = await world.client.workflow.start<(input: OrderSweepInput) => Promise<OrderSweepResult>>('orderSweep', {
      workflowId,
      taskQueue: world.taskQueue,
      args: [{ tenantId, pagesPerRun: 1 }],
    });
    const result = await handle.result();

    // Pages of two: [100, 101], [102, 103], then the empty page that ends the listing; one page per run.
    expect(result).toMatchObject({ tenantId, since: '2025-12-31T23:00:00.000Z', pages: 3, listed: 4, started: 4, alreadyRunning: 0 });
    expect((await world.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    expect(await world.listOrderToCash(tenantId, 4)).toEqual(orderIds(tenantId, ['100', '101', '102', '103']));
    expect((await readSweepCursor(world.fixture.database.db, tenantId))?.lastSweptUntil.toISOString()).toBe(result.until);
  });

  /** Turns returns processing on, as an operator does in the tenant's settings. */
  async function enableReturns(tenantId: string) {
    const current = (await readSettings(world.fixture.database.db, tenantId))!;
    await writeSettings(
      world.fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
  }
  /** ReturnToCreditMemo has no stand-in in this bundle: started ones are ended here. */
  const endRefunds = (tenantId: string, refundIds: string[]) =>
    Promise.allSettled(
      refundIds.map((refundId) =>
        world.client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, refundId)).terminate('test finished'),
      ),
    );

  it('when a Clarity tenant processes returns then the sweep also starts one ReturnToCreditMemo per refunded return in the window, and finding it again leaves it running', async () => {
    const tenantId = await world.fixture.createTenant('clarity');
    await enableReturns(tenantId);
    // A return still requested has no money to credit: only refunded ones are offered.
    const requested = await fetch(`${world.fixture.sandboxes.clarity.url}/_sandbox/returns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'CO-100001', status: 'requested', lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 1 }] }),
    });
    expect(requested.status).toBe(201);
    await saveSweepCursor(world.fixture.database.db, tenantId, new Date('2026-11-01T00:00:00Z'));
    const workflowId = returnToCreditMemoWorkflowId(tenantId, 'RMA-3001');
    try {
      const first = await sweep({ tenantId });

      expect(first).toMatchObject({ listed: 5, started: 5, refundsListed: 1, refundsStarted: 1, refundsAlreadyRunning: 0 });
      expect(await world.inputOf(workflowId)).toEqual({
        tenantId,
        storefront: 'clarity',
        orderId: 'CO-100003',
        refundId: 'RMA-3001',
        trigger: 'sweep',
      });
      const description = await world.client.workflow.getHandle(workflowId).describe();
      expect(description.type).toBe('returnToCreditMemo');
      expect(description.searchAttributes).toMatchObject({ TenantId: [tenantId], Storefront: ['clarity'], OrderNumber: ['CO-100003'] });

      // The same refund found again (here by a backfill over the same window): the running workflow is left alone.
      const second = await backfill({ tenantId, from: first.since, to: first.until });
      expect(second).toMatchObject({ refundsListed: 1, refundsStarted: 0, refundsAlreadyRunning: 1 });
      expect((await world.client.workflow.getHandle(workflowId).describe()).runId).toBe(description.runId);
    } finally {
      await endRefunds(tenantId, ['RMA-3001']);
    }
  });

  it('when a BigCommerce backfill window holds refunds then each gets one ReturnToCreditMemo with its order, page by page and across runs', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    await enableReturns(tenantId);
    const from = new Date(Date.now() - 60_000).toISOString();
    const store = (path: string, body: unknown) =>
      fetch(`${world.fixture.sandboxes.bigcommerce.url}/stores/demostore${path}`, {
        method: 'POST',
        headers: { 'x-auth-token': 'demo-bc-token', 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    const refundIds: string[] = [];
    for (const orderId of [100, 103]) {
      const products = (await (
        await fetch(`${world.fixture.sandboxes.bigcommerce.url}/stores/demostore/v2/orders/${orderId}/products`, {
          headers: { 'x-auth-token': 'demo-bc-token', accept: 'application/json' },
        })
      ).json()) as Array<{ id: number; price_inc_tax: string }>;
      for (const product of products.slice(0, 2)) {
        const items = [{ item_type: 'PRODUCT', item_id: product.id, quantity: 1 }];
        const quote = (await (await store(`/v3/orders/${orderId}/payment_actions/refund_quotes`, { items })).json()) as {
          data: { total_refund_amount: number };
        };
        const refund = await store(`/v3/orders/${orderId}/payment_actions/refunds`, {
          items,
          payments: [{ provider_id: 'custom', amount: quote.data.total_refund_amount, offline: true }],
        });
        expect(refund.status).toBe(201);
        refundIds.push(String(((await refund.json()) as { data: { id: number } }).data.id));
      }
    }
    try {
      // One page per run: the backfill continues as new within the orders and within the refunds.
      const workflowId = uniqueId('backfill');
      const handle = await world.client.workflow.start<(input: OrderBackfillInput) => Promise<OrderBackfillResult>>('orderBackfill', {
        workflowId,
        taskQueue: world.taskQueue,
        args: [{ tenantId, from, to: new Date().toISOString(), pagesPerRun: 1 }],
      });
      const result = await handle.result();

      expect(result).toMatchObject({ refundsListed: refundIds.length, refundsStarted: refundIds.length, refundsAlreadyRunning: 0 });
      const runs = [];
      for await (const execution of world.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(execution.status.name);
      expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
      expect(refundIds.length).toBeGreaterThan(2);
      const inputs = await Promise.all(refundIds.map((refundId) => world.inputOf(returnToCreditMemoWorkflowId(tenantId, refundId))));
      expect(inputs.map((input) => (input as { orderId: string }).orderId).sort()).toEqual(
        refundIds.map((_, index) => (index < refundIds.length / 2 ? '100' : '103')).sort(),
      );
      expect(inputs.every((input) => (input as { trigger: string }).trigger === 'backfill')).toBe(true);
    } finally {
      await endRefunds(tenantId, refundIds);
      // The refunds moved the orders' status: they are in the window too and were offered to the stand-in.
      await world.listOrderToCash(tenantId, 2);
    }
  });

  it('when a sweep ends earlier than the stored cursor then the cursor does not move back', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const later = new Date(Date.now() + 10 * minute);
    await saveSweepCursor(world.fixture.database.db, tenantId, later);

    const result = await sweep({ tenantId });

    expect(Date.parse(result.until)).toBeLessThan(later.getTime());
    expect((await readSweepCursor(world.fixture.database.db, tenantId))?.lastSweptUntil.toISOString()).toBe(later.toISOString());
  });

  it('when the tenant has no settings then the sweep fails at once, naming the problem, and no cursor is written', async () => {
    const tenantId = uniqueId('t');
    await expect(sweep({ tenantId })).rejects.toMatchObject({ cause: { cause: { type: 'TenantNotConfigured' } } });
    expect(await readSweepCursor(world.fixture.database.db, tenantId)).toBeNull();
  });
});
