/* eslint-disable @typescript-eslint/require-await -- the stand-in activities answer at once, but must be async like the real ones */
import { createRequire } from 'node:module';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  FetchedRefund,
  OriginalOrder,
  ReducedSalesOrder,
  ReturnToCreditMemoActivities,
} from '../../../workflows/return-to-credit-memo-contract.js';
import {
  retryRefundUpdate,
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoStatusQuery,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
  type ReturnToCreditMemoResult,
} from '../../../workflows/return-to-credit-memo-contract.js';
import { IntacctDocument, SyncState } from '../../../workflows/search-attributes.js';
import { aCanonicalOrder, aCanonicalRefund } from '../../support/builders.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { delegatingActivities, startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

/**
 * ReturnToCreditMemo's own logic with stand-in activities, on the dev server (the time-skipping
 * server has no custom search attributes): the order of steps, skipping, parking and retry.
 */
const require = createRequire(import.meta.url);

const order = aCanonicalOrder({ customer: { kind: 'guest' } });

const refund = aCanonicalRefund();

/** What the stand-in activities answer, and what was called. */
class World {
  calls: string[] = [];
  original: OriginalOrder = {
    state: 'invoiced',
    credited: { documentId: 'Sales Invoice-INV-0001', customerId: 'C-1001' },
    settingsVersion: 1,
    creditMemoDefinition: 'Sales Credit Memo',
  };
  fetched: FetchedRefund = { issued: true, refund, order };
  refundNotFound = false;
  /** What reduceSalesOrder answers, one per call (the last one repeats). */
  reductions: ReducedSalesOrder[] = [{ state: 'reduced', salesDocumentId: 'Sales Order-SO-0001', changed: true }];
  /** What findOriginalOrder answers after the first call, when set. */
  thenOriginal: OriginalOrder | undefined;
  postingRefused = false;
  applicationRefused = false;
  posted: unknown[] = [];
  applied: unknown[] = [];

  activities(): ReturnToCreditMemoActivities {
    return {
      fetchStorefrontRefund: async () => {
        this.calls.push('fetchStorefrontRefund');
        if (this.refundNotFound)
          throw ApplicationFailure.create({
            type: 'RefundNotFound',
            message: 'bigcommerce has no refund r',
            nonRetryable: true,
            details: [{ failureClass: 'input' }],
          });
        return this.fetched;
      },
      findOriginalOrder: async () => {
        this.calls.push(`findOriginalOrder:${this.original.state}`);
        const answer = this.original;
        if (this.thenOriginal !== undefined) this.original = this.thenOriginal;
        return answer;
      },
      reduceSalesOrder: async () => {
        const reduced = this.reductions.length > 1 ? this.reductions.shift()! : this.reductions[0]!;
        this.calls.push(`reduceSalesOrder:${reduced.state}`);
        return reduced;
      },
      resolveItems: async () => {
        this.calls.push('resolveItems');
        return { resolved: true, items: { '1': { itemId: 'MUG-CER-12OZ' } } };
      },
      createCreditMemo: async () => {
        this.calls.push('createCreditMemo');
        return { creditMemoId: 'Sales Credit Memo-CM-0001', created: true };
      },
      offsetUnrestockedStock: async () => {
        this.calls.push('offsetUnrestockedStock');
        return { created: false };
      },
      recordRefundPosting: async (input) => {
        this.calls.push('recordRefundPosting');
        this.posted.push(input);
        if (this.postingRefused) {
          throw ApplicationFailure.create({
            type: 'RefundPostingRefused',
            message: 'Intacct refused the AR posting paying refund r out: Invalid GL Account 1050 specified.',
            nonRetryable: true,
            details: [{ failureClass: 'input' }],
          });
        }
        return { adjustmentKey: '42', created: true };
      },
      applyRefundCredit: async (input) => {
        this.calls.push('applyRefundCredit');
        this.applied.push(input);
        if (this.applicationRefused) {
          throw ApplicationFailure.create({
            type: 'RefundCreditApplicationRefused',
            message: 'Intacct refused applying the credit memo: The amount applied exceeds its amount due.',
            nonRetryable: true,
            details: [{ failureClass: 'input' }],
          });
        }
        return { applicationKey: '77', amount: '10.00', created: true };
      },
      parkRefund: async (input) => void this.calls.push(`park:${input.attention.code}`),
      clearRefundAttention: async () => void this.calls.push('clearRefundAttention'),
      recordRefundSkipped: async (input) => void this.calls.push(`skipped:${input.code}`),
    };
  }
}

describe('ReturnToCreditMemo workflow logic (dev server, stand-in activities)', () => {
  const config = testConfig();
  let client: Client & { close(): Promise<void> };
  let worker: RunningTestWorker;
  let world = new World();

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/returns.ts'),
      activities: delegatingActivities(() => world.activities()),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  async function start(scripted: World) {
    world = scripted;
    const input: ReturnToCreditMemoInput = {
      tenantId: 'acme',
      storefront: 'bigcommerce',
      orderId: '500',
      refundId: uniqueId('r'),
      trigger: 'webhook',
    };
    return client.workflow.start(returnToCreditMemoWorkflowType, {
      workflowId: returnToCreditMemoWorkflowId(input.tenantId, input.refundId),
      taskQueue: config.temporal.taskQueue,
      args: [input],
      typedSearchAttributes: returnToCreditMemoSearchAttributes(input),
    });
  }

  /** Waits until the refund's workflow reports `step`. */
  async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
    await eventually(async () => (await handle.query(returnToCreditMemoStatusQuery)).step === step, {
      what: `the refund to reach ${step}`,
      timeoutMs: 20_000,
    });
  }

  it('when the order is invoiced, then the steps run in the order of the story and the search attributes show the credit memo', async () => {
    const scripted = new World();
    const handle = await start(scripted);
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result).toMatchObject({
      outcome: 'credited',
      status: {
        step: 'done',
        refundTotal: 1000,
        currency: 'USD',
        intacct: {
          orderDocumentId: 'Sales Invoice-INV-0001',
          creditMemoId: 'Sales Credit Memo-CM-0001',
          refundPostingKey: '42',
          creditApplicationKey: '77',
        },
      },
    });
    expect(scripted.calls).toEqual([
      'fetchStorefrontRefund',
      'findOriginalOrder:invoiced',
      'resolveItems',
      'createCreditMemo',
      'offsetUnrestockedStock',
      'recordRefundPosting',
      'applyRefundCredit',
    ]);
    expect(scripted.applied).toEqual([
      expect.objectContaining({ customerId: 'C-1001', creditMemoId: 'Sales Credit Memo-CM-0001', refundPostingKey: '42' }),
    ]);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(SyncState)).toBe('synced');
    expect(attributes.get(IntacctDocument)).toBe('Sales Credit Memo-CM-0001');
  });

  it('when the order was skipped, then the refund is recorded skipped with the reason and nothing is written', async () => {
    const scripted = new World();
    scripted.original = { state: 'not_synced', code: 'order_skipped', reason: 'order 500 was skipped (guest orders are off)' };
    const result = (await (await start(scripted)).result()) as ReturnToCreditMemoResult;
    expect(result).toMatchObject({ outcome: 'skipped', status: { step: 'skipped', note: 'order 500 was skipped (guest orders are off)' } });
    expect(scripted.calls).toEqual(['fetchStorefrontRefund', 'findOriginalOrder:not_synced', 'skipped:order_skipped']);
  });

  it('when the order is a sales order not yet invoiced, then its lines are reduced and the money paid out against it, with no credit memo', async () => {
    const scripted = new World();
    scripted.original = { state: 'not_invoiced', salesDocumentId: 'Sales Order-SO-0001', customerId: 'C-1001' };
    const handle = await start(scripted);
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result).toMatchObject({
      outcome: 'reduced',
      status: { step: 'done', intacct: { orderDocumentId: 'Sales Order-SO-0001', salesOrderChange: 'reduced', refundPostingKey: '42' } },
    });
    expect(result.status.intacct.creditMemoId).toBeUndefined();
    expect(scripted.calls).toEqual([
      'fetchStorefrontRefund',
      'findOriginalOrder:not_invoiced',
      'resolveItems',
      'reduceSalesOrder:reduced',
      'recordRefundPosting',
    ]);
    expect(scripted.posted).toEqual([expect.objectContaining({ customerId: 'C-1001', documentId: 'Sales Order-SO-0001' })]);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(SyncState)).toBe('synced');
    expect(attributes.get(IntacctDocument)).toBe('Sales Order-SO-0001');
  });

  it('when the sales order is invoiced between the look at the ledger and the reduction, then the refund looks again and credits the invoice', async () => {
    const scripted = new World();
    scripted.original = { state: 'not_invoiced', salesDocumentId: 'Sales Order-SO-0001', customerId: 'C-1001' };
    scripted.thenOriginal = new World().original;
    scripted.reductions = [{ state: 'invoiced' }];
    const result = (await (await start(scripted)).result()) as ReturnToCreditMemoResult;
    expect(result.outcome).toBe('credited');
    expect(scripted.calls).toEqual([
      'fetchStorefrontRefund',
      'findOriginalOrder:not_invoiced',
      'resolveItems',
      'reduceSalesOrder:invoiced',
      'findOriginalOrder:invoiced',
      'resolveItems',
      'createCreditMemo',
      'offsetUnrestockedStock',
      'recordRefundPosting',
      'applyRefundCredit',
    ]);
  });

  it('when the sales order shows converted but the ledger has no invoice yet, then the refund waits instead of looping, and a retry credits the invoice', async () => {
    const scripted = new World();
    scripted.original = { state: 'not_invoiced', salesDocumentId: 'Sales Order-SO-0001', customerId: 'C-1001' };
    scripted.reductions = [{ state: 'invoiced' }];
    const handle = await start(scripted);
    await untilStep(handle, 'waiting_for_order');
    expect((await handle.query(returnToCreditMemoStatusQuery)).note).toBe(
      'Sales Order-SO-0001 was converted to an invoice that is not recorded yet',
    );
    scripted.original = new World().original;
    await handle.executeUpdate(retryRefundUpdate);
    expect(((await handle.result()) as ReturnToCreditMemoResult).outcome).toBe('credited');
    expect(scripted.calls.filter((call) => call.startsWith('reduceSalesOrder'))).toEqual(['reduceSalesOrder:invoiced']);
  });

  it('when the refund is given as store credit, then the credit memo is created and nothing is paid out in AR', async () => {
    const scripted = new World();
    scripted.fetched = { issued: true, refund: { ...refund, storeCredit: 1000 }, order };
    const result = (await (await start(scripted)).result()) as ReturnToCreditMemoResult;
    expect(result).toMatchObject({ outcome: 'credited', status: { note: expect.stringContaining('store credit') } });
    expect(result.status.intacct.refundPostingKey).toBeUndefined();
    expect(scripted.calls).not.toContain('recordRefundPosting');
    expect(scripted.calls).not.toContain('applyRefundCredit');
  });

  it("when Intacct refuses applying the credit memo to the refund's posting, then the refund parks with refund_credit_application_refused (running, not failed) and a retry applies it", async () => {
    const scripted = new World();
    scripted.applicationRefused = true;
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    const parked = await handle.query(returnToCreditMemoStatusQuery);
    expect(parked.attention).toMatchObject({ code: 'refund_credit_application_refused', reason: expect.stringContaining('exceeds') });
    expect(parked.intacct.refundPostingKey).toBe('42');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(scripted.calls).toContain('park:refund_credit_application_refused');
    scripted.applicationRefused = false;
    await handle.executeUpdate(retryRefundUpdate);
    const result = (await handle.result()) as ReturnToCreditMemoResult;
    expect(result.status.intacct.creditApplicationKey).toBe('77');
    expect(scripted.calls.filter((call) => call === 'applyRefundCredit')).toHaveLength(2);
  });

  it('when Intacct refuses the AR posting after the credit memo, then the refund parks with refund_posting_refused, the credit memo stays, and a retry pays it out without a second credit memo', async () => {
    const scripted = new World();
    scripted.postingRefused = true;
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    const parked = await handle.query(returnToCreditMemoStatusQuery);
    expect(parked.attention).toMatchObject({
      code: 'refund_posting_refused',
      reason: expect.stringContaining('Invalid GL Account 1050'),
      fix: expect.stringContaining('credit memo'),
    });
    expect(parked.intacct.creditMemoId).toBe('Sales Credit Memo-CM-0001');
    expect(scripted.calls).toContain('park:refund_posting_refused');
    scripted.postingRefused = false;
    await handle.executeUpdate(retryRefundUpdate);
    expect(((await handle.result()) as ReturnToCreditMemoResult).outcome).toBe('credited');
    expect(scripted.calls.filter((call) => call === 'createCreditMemo')).toHaveLength(2);
    expect(scripted.calls.at(-1)).toBe('clearRefundAttention');
  });

  it('when the storefront has no such refund, then it is parked with the vendor message, a retry credits it, and a retry of the finished refund is refused', async () => {
    const scripted = new World();
    scripted.refundNotFound = true;
    const handle = await start(scripted);
    await untilStep(handle, 'parked');
    expect((await handle.query(returnToCreditMemoStatusQuery)).attention).toMatchObject({
      code: 'refund_not_found',
      reason: expect.stringContaining('bigcommerce has no refund r'),
    });
    scripted.refundNotFound = false;
    await handle.executeUpdate(retryRefundUpdate);
    expect(((await handle.result()) as ReturnToCreditMemoResult).outcome).toBe('credited');
    await expect(handle.executeUpdate(retryRefundUpdate)).rejects.toThrow();
  });

  it('when the order has not landed, then the refund waits and a retry looks again at once', async () => {
    const scripted = new World();
    scripted.original = { state: 'waiting', reason: 'order 500 has not been posted to Intacct yet' };
    const handle = await start(scripted);
    await untilStep(handle, 'waiting_for_order');
    expect((await handle.query(returnToCreditMemoStatusQuery)).note).toBe('order 500 has not been posted to Intacct yet');
    expect((await handle.describe()).typedSearchAttributes.get(SyncState)).toBe('waiting');
    scripted.original = new World().original;
    await handle.executeUpdate(retryRefundUpdate);
    expect(((await handle.result()) as ReturnToCreditMemoResult).outcome).toBe('credited');
    expect(scripted.calls.filter((call) => call.startsWith('findOriginalOrder'))).toEqual([
      'findOriginalOrder:waiting',
      'findOriginalOrder:invoiced',
    ]);
  });
});
