import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRef } from '../../../activities/order-to-cash-types.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
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

const cents = (amount: string | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

describe('ReturnToCreditMemo for Clarity returns', () => {
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

  async function json(url: string, method: string, body?: unknown): Promise<any> {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }
  const clarity = (method: string, path: string, body?: unknown) => json(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, body);
  const intacctRecords = async (object: string): Promise<Array<Record<string, string>>> =>
    (await json(`${fixture.sandboxes.intacct.url}/__control/records/${object}`, 'GET')).records;

  /** A Clarity tenant posting Sales Invoices, returns on and restocking what comes back. */
  async function newTenant(): Promise<string> {
    const tenantId = await fixture.createTenant('clarity', { transactionDefinition: 'Sales Invoice' });
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true, restock: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    return tenantId;
  }

  /** A paid checkout of 2 tees and a cap, posted to Intacct as OrderToCash would. */
  async function postedOrder(tenantId: string): Promise<string> {
    const order = await clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'CAP-NVY-OS', quantity: 1 },
      ],
    });
    const ref: OrderRef = { tenantId, storefront: 'clarity', orderId: order.orderId };
    const canonical = await runAttempt(1, activities.fetchStorefrontOrder, ref);
    const customer = await runAttempt(1, activities.resolveCustomer, { tenantId, order: canonical });
    const items = await runAttempt(1, activities.resolveItems, { tenantId, order: canonical });
    if (!customer.resolved || !items.resolved) throw new Error('the Clarity order did not resolve');
    const document = await runAttempt(1, activities.buildSalesDocument, {
      tenantId,
      order: canonical,
      customerId: customer.customerId,
      items: items.items,
    });
    await runAttempt(1, activities.createSalesDocument, {
      ...ref,
      workflowId: `order-to-cash:${tenantId}:${ref.orderId}`,
      settingsVersion: (await readSettings(fixture.database.db, tenantId))!.version,
      document,
    });
    return order.orderId;
  }

  function start(tenantId: string, orderId: string, refundId: string): Promise<WorkflowHandle> {
    const input: ReturnToCreditMemoInput = { tenantId, storefront: 'clarity', orderId, refundId, trigger: 'operator' };
    return client.workflow.start(returnToCreditMemoWorkflowType, {
      workflowId: returnToCreditMemoWorkflowId(tenantId, refundId),
      taskQueue: fixture.config.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
    });
  }

  it('when a refunded return brings one tee back and keeps the cap, then one credit memo equals the refund and only the cap leaves stock again', async () => {
    const tenantId = await newTenant();
    const orderId = await postedOrder(tenantId);
    const stockOf = async (itemId: string) =>
      Number(
        (await intacctRecords('ITEMWAREHOUSEINFO')).find((row) => row.ITEMID === itemId && row.WAREHOUSEID === 'WH01')?.QONHAND ?? 'NaN',
      );
    const before = { tee: await stockOf('TSHIRT-BLK-M'), cap: await stockOf('CAP-NVY-OS') };
    const returned = await clarity('POST', '/returns', {
      orderId,
      status: 'refunded',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 1, reason: 'too small', restock: true },
        { sku: 'CAP-NVY-OS', quantity: 1, reason: 'damaged', restock: false },
      ],
    });
    const result = (await (await start(tenantId, orderId, returned.returnId)).result()) as ReturnToCreditMemoResult;
    expect(result.outcome).toBe('credited');
    const memos = (await intacctRecords('SODOCUMENT')).filter(
      (row) => row.DOCPARID === 'Sales Credit Memo' && row.PONUMBER === returned.returnId,
    );
    expect(memos.map((memo) => cents(memo.TOTAL))).toEqual([cents(returned.refund.amount)]);
    expect(result.status.refundTotal).toBe(cents(returned.refund.amount));
    expect({ tee: (await stockOf('TSHIRT-BLK-M')) - before.tee, cap: (await stockOf('CAP-NVY-OS')) - before.cap }).toEqual({
      tee: 1,
      cap: 0,
    });
  }, 60_000);

  it('when the return is only requested, then the refund waits for its money and writes nothing', async () => {
    const tenantId = await newTenant();
    const orderId = await postedOrder(tenantId);
    const returned = await clarity('POST', '/returns', { orderId, status: 'requested', lineItems: [{ sku: 'TSHIRT-BLK-M', quantity: 1 }] });
    const handle = await start(tenantId, orderId, returned.returnId);
    const status = await eventually(
      async () => {
        const current = await handle.query(returnToCreditMemoStatusQuery);
        return current.step === 'waiting_for_refund' && current;
      },
      { what: 'the refund to wait for its money', intervalMs: 200 },
    );
    expect(status).toMatchObject({ step: 'waiting_for_refund', note: expect.stringContaining('has not been refunded yet') });
    expect((await intacctRecords('SODOCUMENT')).filter((row) => row.PONUMBER === returned.returnId)).toHaveLength(0);
    await handle.terminate('test over');
  }, 60_000);
});
