import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refundCreditApplicationKey } from '../../../activities/refund-credit-applications.js';
import { findLedgerEntry, ledgerEntryId } from '../../../store/ledger.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import type { OrderRef } from '../../../workflows/shared-contract.js';
import {
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
  type ReturnToCreditMemoResult,
} from '../../../workflows/return-to-credit-memo-contract.js';
import type { RequestLogEntry } from '../../../sandbox/intacct/index.js';
import { runAttempt } from '../order-to-cash/intacct-writes-support.js';
import { startReturnsWorld, type ReturnsWorld } from './returns-world.js';

/** Seeded BigCommerce order 100 (Jane, paid): line 2 = 1 × MUG-CER-12OZ at 14.50. */
const orderId = '100';
const cents = (amount: string | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

/**
 * The refund's credit application (applyRefundCredit) against the Intacct sandbox: the credit
 * memo's AR credit pays the refund's AR posting exactly once, with the answer lost, on a repeat
 * and after the ledger forgot it.
 */
describe('applyRefundCredit against the Intacct sandbox', () => {
  let fixture: ReturnsWorld['fixture'];
  let world: ReturnsWorld | undefined;

  beforeAll(async () => {
    world = await startReturnsWorld();
    ({ fixture } = world);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  beforeEach(async () => {
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

  const records = async (object: string): Promise<Array<Record<string, string>>> =>
    ((await control(`${fixture.sandboxes.intacct.url}/__control/records/${object}`, 'GET')) as { records: Array<Record<string, string>> })
      .records;

  async function newTenant(): Promise<string> {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    const current = (await readSettings(fixture.database.db, tenantId))!;
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, returns: { ...current.settings.returns, enabled: true } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    return tenantId;
  }

  async function postOrder(tenantId: string): Promise<void> {
    const { activities } = world!;
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
    await runAttempt(1, activities.createSalesDocument, {
      ...ref,
      workflowId: `order-to-cash:${tenantId}:${orderId}`,
      settingsVersion,
      document,
    });
  }

  /** Refunds the mug of order 100 in the store; the refund id. */
  async function refundMug(): Promise<string> {
    const items = [{ item_type: 'PRODUCT', item_id: 2, quantity: 1 }];
    const call = async (path: string, body: unknown) => {
      const response = await fetch(`${fixture.sandboxes.bigcommerce.url}/stores/demostore/v3/orders/${orderId}/payment_actions/${path}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-auth-token': 'demo-bc-token' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return ((await response.json()) as { data: any }).data;
    };
    const quote = await call('refund_quotes', { items });
    const created = await call('refunds', {
      items,
      payments: [{ provider_id: 'custom', amount: quote.total_refund_amount, offline: true }],
    });
    return String(created.id);
  }

  async function run(tenantId: string, refundId: string): Promise<ReturnToCreditMemoResult> {
    const input: ReturnToCreditMemoInput = { tenantId, storefront: 'bigcommerce', orderId, refundId, trigger: 'operator' };
    const handle: WorkflowHandle = await world!.client.workflow.start(returnToCreditMemoWorkflowType, {
      workflowId: returnToCreditMemoWorkflowId(tenantId, refundId),
      taskQueue: fixture.config.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
    });
    return handle.result() as Promise<ReturnToCreditMemoResult>;
  }

  it('when Intacct records the application but the answer is lost, then the retry finds it by its reference, and a repeat (even with the ledger forgotten) applies nothing twice', async () => {
    const tenantId = await newTenant();
    await postOrder(tenantId);
    const refundId = await refundMug();
    await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'PUT', {
      seed: 7,
      rules: [{ kind: 'commitThenDrop', function: 'create', times: 1 }],
    });
    let result: ReturnToCreditMemoResult;
    try {
      result = await run(tenantId, refundId);
    } finally {
      await control(`${fixture.sandboxes.intacct.url}/__control/faults`, 'DELETE');
    }
    expect(result.outcome).toBe('credited');
    const { requests } = (await control(`${fixture.sandboxes.intacct.url}/__control/requests`, 'GET')) as { requests: RequestLogEntry[] };
    const applying = requests.filter((request) => request.functions.some((fn) => fn.controlId === `rf-apply:${tenantId}:${refundId}`));
    expect(applying.map((request) => request.fault)).toEqual(['commitThenDrop']);

    const applications = (await records('ARPYMT')).filter((payment) => payment.DOCNUMBER === `RA-${refundId}`);
    expect(applications).toHaveLength(1);
    const applicationKey = applications[0]!.RECORDNO!;
    expect(result.status.intacct.creditApplicationKey).toBe(applicationKey);
    const adjustments = await records('ARADJUSTMENT');
    const posting = adjustments.find((adjustment) => adjustment.RECORDID === `RF-${refundId}`)!;
    const memo = adjustments.find((adjustment) => adjustment.DOCID === result.status.intacct.creditMemoId)!;
    expect([memo.STATE, cents(memo.TOTALDUE), posting.STATE, cents(posting.TOTALDUE)]).toEqual(['Paid', 0, 'Paid', 0]);
    expect(cents(posting.TOTALPAID)).toBe(cents(posting.TOTALENTERED));
    expect(cents(memo.TOTALPAID)).toBe(-cents(posting.TOTALENTERED));

    const input = {
      tenantId,
      storefront: 'bigcommerce' as const,
      orderId,
      refundId,
      workflowId: returnToCreditMemoWorkflowId(tenantId, refundId),
      refund: (
        (await runAttempt(1, world!.activities.fetchStorefrontRefund, { tenantId, storefront: 'bigcommerce', orderId, refundId })) as any
      ).refund,
      customerId: posting.CUSTOMERID!,
      creditMemoId: result.status.intacct.creditMemoId!,
      refundPostingKey: posting.RECORDNO!,
    };
    // A repeat: the ledger entry answers.
    expect(await runAttempt(1, world!.activities.applyRefundCredit, input)).toEqual({
      applicationKey,
      amount: (cents(posting.TOTALENTERED) / 100).toFixed(2),
      created: false,
    });
    // The ledger forgot it: both items are closed, so nothing is applied and the application is found by its reference.
    await fixture.database.db.collection('sync_ledger').deleteOne({ _id: ledgerEntryId(refundCreditApplicationKey(input)) } as never);
    expect(await runAttempt(1, world!.activities.applyRefundCredit, input)).toMatchObject({ applicationKey, created: false });
    expect(await findLedgerEntry(fixture.database.db, refundCreditApplicationKey(input))).toMatchObject({
      state: 'synced',
      intacctKey: applicationKey,
    });
    expect((await records('ARPYMT')).filter((payment) => payment.DOCNUMBER === `RA-${refundId}`)).toHaveLength(1);
    expect((await records('ARPYMTDETAIL')).filter((detail) => detail.PAYMENTKEY === applicationKey)).toHaveLength(1);
  }, 90_000);
});
