import {
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { FetchedRefund, RefundRef, ReturnToCreditMemoActivities } from './return-to-credit-memo-contract.js';
import type { CreditedDocument } from '../mappers/to-intacct-credit-memo.js';
import { refundedOrderTax } from '../mappers/refund-tax.js';
import { bookkeepingOptions, vendorCallOptions } from './activity-options.js';
import {
  refundChangedSignal,
  retryRefundUpdate,
  returnToCreditMemoStatusQuery,
  type RefundChangedSignal,
  type ReturnToCreditMemoInput,
  type ReturnToCreditMemoResult,
  type ReturnToCreditMemoStatus,
  type ReturnToCreditMemoStep,
} from './return-to-credit-memo-contract.js';
import { IntacctDocument, SyncState } from './search-attributes.js';
import { ItemParked, ItemRequests, parkUntilRetried, runStep, untilDone, type ParkingPlace, type StepText } from './shared/parking.js';

const vendorCall = proxyActivities<ReturnToCreditMemoActivities>(vendorCallOptions);
const bookkeeping = proxyActivities<ReturnToCreditMemoActivities>(bookkeepingOptions);

/** How often a refund whose order has not landed looks at the ledger again (a signal or retry looks at once). */
const orderRecheckInterval = '5 minutes';
/** How long a refund waits for its order (or its money) before it is parked for a person; bounds the history too. */
const waitLimitMs = 7 * 24 * 3_600_000;
/** Marks histories that apply the credit memo to the refund's AR posting (step 7); older ones replay without it. */
const refundCreditAppliedPatch = 'refund-credit-applied';

/** A field of an issued refund as fetched. */
type FetchedRefundOf<K extends 'refund' | 'order'> = Extract<FetchedRefund, { issued: true }>[K];

/**
 * Each step of a refund: the status it shows, its line in Temporal's UI, its failure in words
 * and its activity's summary (the reads have none).
 */
const refundStep = {
  fetchRefund: { step: 'loading', label: 'Fetch the refund', failure: 'fetching the refund from the storefront' },
  findOrder: { step: 'loading', label: 'Find the order in the ledger', failure: 'finding the order in Intacct' },
  resolveItems: { step: 'resolving_items', label: 'Resolve the Intacct items', failure: 'resolving the items' },
  reduceSalesOrder: (ref: RefundRef, salesDocumentId: string): StepText<ReturnToCreditMemoStep> => ({
    step: 'reducing_sales_order',
    label: `Reduce ${salesDocumentId}`,
    failure: 'reducing the sales order',
    summary: `Reduce ${salesDocumentId} by refund ${ref.refundId} of order ${ref.orderId}`,
  }),
  createCreditMemo: (ref: RefundRef, creditMemoDefinition: string): StepText<ReturnToCreditMemoStep> => ({
    step: 'creating_credit_memo',
    label: `Create the ${creditMemoDefinition}`,
    failure: 'creating the credit memo',
    summary: `Create a ${creditMemoDefinition} for refund ${ref.refundId} of order ${ref.orderId}`,
  }),
  offsetStock: (ref: RefundRef): StepText<ReturnToCreditMemoStep> => ({
    step: 'offsetting_stock',
    label: 'Take unrestocked units out of stock',
    failure: 'taking unrestocked units out of stock',
    summary: `Offset stock not restocked by refund ${ref.refundId}`,
  }),
  recordRefundPosting: (ref: RefundRef, paymentMethod: string | undefined): StepText<ReturnToCreditMemoStep> => ({
    step: 'recording_refund_posting',
    label: 'Record the refund paid out',
    failure: 'recording the refund in AR',
    summary: `Record refund ${ref.refundId} paid out (${paymentMethod ?? 'storefront payment'})`,
  }),
  applyRefundCredit: (ref: RefundRef, creditMemoId: string): StepText<ReturnToCreditMemoStep> => ({
    step: 'applying_refund_credit',
    label: `Apply ${creditMemoId} to the refund paid out`,
    failure: "applying the credit memo to the refund's AR posting",
    summary: `Apply ${creditMemoId} to refund ${ref.refundId} paid out`,
  }),
} satisfies Record<string, StepText<ReturnToCreditMemoStep> | ((...args: never[]) => StepText<ReturnToCreditMemoStep>)>;

/**
 * ReturnToCreditMemo: one storefront refund (or Clarity return) becomes exactly one Intacct
 * credit memo. One workflow per refund (`return-to-credit-memo:{tenantId}:{refundId}`). Steps:
 *
 *  1. read the refund (and its order) from the storefront as canonical records
 *  2. find the order's Intacct documents in the ledger; wait while the order has not landed
 *     (never an orphan credit memo), skip when it never will
 *  3. resolve the refunded lines' items as the order's were
 *  4. before invoicing: reduce the sales order's lines by the refund (close it when nothing is
 *     left), exactly once; after invoicing: create the credit memo of the tenant's definition,
 *     exactly once
 *  5. take back out of stock what the credit memo returned but was not restocked
 *  6. record the money paid back (not store credit) as an AR posting on the payment method's
 *     account, exactly once
 *  7. after invoicing, apply the credit memo's AR credit to that posting, exactly once, so AR
 *     is not left with two offsetting open items
 *
 * Whatever cannot be posted is parked in the attention queue until an operator's `retry`
 * (`shared/parking.ts`).
 */
export async function returnToCreditMemo(input: ReturnToCreditMemoInput): Promise<ReturnToCreditMemoResult> {
  const { workflowId } = workflowInfo();
  const ref: RefundRef = { tenantId: input.tenantId, storefront: input.storefront, orderId: input.orderId, refundId: input.refundId };
  const status: ReturnToCreditMemoStatus = { step: 'loading', intacct: {} };
  const requests = new ItemRequests<RefundChangedSignal>();
  /** What the refund has been waiting for, and since when (a park and retry starts the clock again). */
  let waiting: { step: 'waiting_for_refund' | 'waiting_for_order'; since: number } | undefined;

  setHandler(returnToCreditMemoStatusQuery, () => status);
  setHandler(refundChangedSignal, (change) => void requests.changes.push(change));
  setHandler(
    retryRefundUpdate,
    () => {
      requests.retryRequested = true;
      return status;
    },
    {
      validator: () => {
        if (status.step !== 'parked' && status.step !== 'waiting_for_order' && status.step !== 'waiting_for_refund')
          throw new Error(`cannot retry a refund that is ${status.step.replaceAll('_', ' ')}`);
      },
    },
  );

  /** A parked refund is recorded in the attention queue and waits for an operator's retry or a storefront event. */
  const parking: ParkingPlace = {
    status,
    requests,
    async recordPark({ attention }) {
      await bookkeeping.parkRefund({ ...ref, workflowId, attention });
    },
    woken: () => requests.retryRequested || requests.changes.length > 0,
    worthRetrying: () => Promise.resolve(true),
  };

  const outcome = await untilDone(post, (parked) => {
    waiting = undefined;
    return parkUntilRetried(parking, parked);
  });
  if (status.attention !== undefined) {
    await bookkeeping.clearRefundAttention({ ...ref, workflowId });
    delete status.attention;
  }
  status.step = outcome === 'skipped' ? 'skipped' : 'done';
  upsertSearchAttributes([{ key: SyncState, value: outcome === 'skipped' ? 'skipped' : 'synced' }]);
  setCurrentDetails('');
  return { outcome, status };

  async function post(): Promise<ReturnToCreditMemoResult['outcome']> {
    // 1. The refund as the storefront has it; a Clarity return not refunded yet waits for its refund event.
    requests.changes.length = 0;
    const fetchRefund = () => runStep(status, refundStep.fetchRefund, () => vendorCall.fetchStorefrontRefund(ref));
    let fetched = await fetchRefund();
    while (!fetched.issued) {
      await waitFor('waiting_for_refund', fetched.reason);
      fetched = await fetchRefund();
    }
    const { refund, order } = fetched;
    // What reversing tax posted per line needs of the order: the refunded lines' tax, no more.
    const orderTax = refundedOrderTax(order, refund);
    status.refundTotal = refund.total;
    status.currency = refund.currency;

    /** The sales order turned out converted while the ledger had no invoice for it yet. */
    let invoicedMeanwhile: string | undefined;
    for (;;) {
      // 2. The order's documents; the refund never goes to Intacct ahead of its order.
      const findOrder = () => runStep(status, refundStep.findOrder, () => bookkeeping.findOriginalOrder(ref));
      let original = await findOrder();
      while (original.state === 'waiting' || (original.state === 'not_invoiced' && original.salesDocumentId === invoicedMeanwhile)) {
        await waitFor(
          'waiting_for_order',
          original.state === 'waiting' ? original.reason : `${invoicedMeanwhile} was converted to an invoice that is not recorded yet`,
        );
        original = await findOrder();
      }
      if (original.state === 'not_synced') {
        await bookkeeping.recordRefundSkipped({ ...ref, workflowId, code: original.code, reason: original.reason });
        status.note = original.reason;
        return 'skipped';
      }

      // 3. The order's items, resolved as when it was posted.
      const items = await runStep(status, refundStep.resolveItems, () => vendorCall.resolveItems({ tenantId: ref.tenantId, order }));
      if (!items.resolved) throw new ItemParked(items.attention, false);

      if (original.state === 'not_invoiced') {
        // 4a. Before invoicing: the sales order comes down by the refund, exactly once; it may have been invoiced meanwhile.
        const salesDocumentId = original.salesDocumentId;
        status.intacct.orderDocumentId = salesDocumentId;
        const reduced = await runStep(status, refundStep.reduceSalesOrder(ref, salesDocumentId), (options) =>
          vendorCall.reduceSalesOrder.executeWithOptions(options, [
            { ...ref, workflowId, refund, salesDocumentId, items: items.items, orderTax },
          ]),
        );
        if (reduced.state === 'invoiced') {
          invoicedMeanwhile = salesDocumentId;
          continue;
        }
        status.intacct.salesOrderChange = reduced.state;
        upsertSearchAttributes([{ key: IntacctDocument, value: reduced.salesDocumentId }]);

        // 6. The money going back, out of the payment the order's customer made.
        await payOut(refund, original.customerId, reduced.salesDocumentId);
        return 'reduced';
      }

      const credited: CreditedDocument = original.credited;
      status.intacct.orderDocumentId = credited.documentId;

      // 4b. After invoicing: the credit memo, exactly once.
      const created = await runStep(status, refundStep.createCreditMemo(ref, original.creditMemoDefinition), (options) =>
        vendorCall.createCreditMemo.executeWithOptions(options, [{ ...ref, workflowId, refund, credited, items: items.items, orderTax }]),
      );
      status.intacct.creditMemoId = created.creditMemoId;
      upsertSearchAttributes([{ key: IntacctDocument, value: created.creditMemoId }]);

      // 5. Stock: the credit memo returns every line to stock; what did not come back (or is not restocked) goes out again.
      const offset = await runStep(status, refundStep.offsetStock(ref), (options) =>
        vendorCall.offsetUnrestockedStock.executeWithOptions(options, [
          { ...ref, workflowId, refund, credited, items: items.items, orderTax, creditMemoId: created.creditMemoId },
        ]),
      );
      if (offset.documentId !== undefined) status.intacct.stockOffsetId = offset.documentId;

      // 6. The money going back: the AR posting against the payment method's account, exactly once.
      const refundPostingKey = await payOut(refund, credited.customerId, created.creditMemoId);

      // 7. The credit memo and the posting offset each other in AR: apply one to the other, exactly once.
      if (refundPostingKey !== undefined && patched(refundCreditAppliedPatch)) {
        const applied = await runStep(status, refundStep.applyRefundCredit(ref, created.creditMemoId), (options) =>
          vendorCall.applyRefundCredit.executeWithOptions(options, [
            { ...ref, workflowId, refund, customerId: credited.customerId, creditMemoId: created.creditMemoId, refundPostingKey },
          ]),
        );
        if (applied.applicationKey !== undefined) status.intacct.creditApplicationKey = applied.applicationKey;
      }
      return 'credited';
    }
  }

  /**
   * Step 6: the money paid back as an AR posting, exactly once. Store credit pays nothing out:
   * the credit stays on the customer's account, as the store's credit stays with the buyer.
   * When Intacct refuses the posting for good, the refund is parked and the credit memo (or the
   * reduced order) stays: the refund happened in the store, so the credit is a fact of the
   * books; what is missing is only the cash side, which the operator's retry completes.
   */
  async function payOut(refund: FetchedRefundOf<'refund'>, customerId: string, documentId: string): Promise<string | undefined> {
    const cash = refund.total - (refund.storeCredit ?? 0);
    if (cash <= 0) {
      status.note = `refund ${ref.refundId} was given as store credit: nothing is paid out in AR`;
      return undefined;
    }
    const posting = await runStep(status, refundStep.recordRefundPosting(ref, refund.paymentMethod), (options) =>
      vendorCall.recordRefundPosting.executeWithOptions(options, [{ ...ref, workflowId, refund, customerId, documentId }]),
    );
    status.intacct.refundPostingKey = posting.adjustmentKey;
    return posting.adjustmentKey;
  }

  /** Waits for a storefront event, an operator's retry or the next look at the ledger; past the limit, parks the refund. */
  async function waitFor(step: 'waiting_for_refund' | 'waiting_for_order', reason: string): Promise<void> {
    if (waiting?.step !== step) waiting = { step, since: Date.now() };
    if (Date.now() - waiting.since >= waitLimitMs) {
      throw new ItemParked(
        {
          code: step === 'waiting_for_order' ? 'order_not_synced' : 'return_not_refunded',
          reason: `the refund waited ${waitLimitMs / 86_400_000} days: ${reason}`,
          fix:
            step === 'waiting_for_order'
              ? `sync order ${ref.orderId} (its OrderToCash may be parked), then retry the refund`
              : 'refund the return in the storefront, then retry',
        },
        false,
      );
    }
    status.step = step;
    status.note = reason;
    upsertSearchAttributes([{ key: SyncState, value: 'waiting' }]);
    setCurrentDetails(`Waiting: ${reason}`);
    requests.retryRequested = false;
    await condition(() => requests.changes.length > 0 || requests.retryRequested, orderRecheckInterval);
    requests.changes.length = 0;
    requests.retryRequested = false;
  }
}
