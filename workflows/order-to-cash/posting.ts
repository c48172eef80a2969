import { condition, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { orderToCashFailures, type BuildSalesDocumentInput, type OrderSyncPlan } from '../order-to-cash-contract.js';
import type { OrderRef } from '../shared-contract.js';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
import { buyerOf, withoutContacts } from '../../mappers/order-views.js';
import { IntacctDocument } from '../search-attributes.js';
import { ItemParked, type ParkingPlace } from '../shared/parking.js';
import { bestEffortBookkeeping, bookkeeping, mapping, vendorCall } from './activities.js';
import { compensatePayment, compensateSalesDocument, unwind } from './cancellation.js';
import { CancellationRequested, type OrderRun } from './order-run.js';
import { orderStep, orderSummary } from './step-text.js';
import { storefrontOrderChanged, writeBackQuietly } from './storefront.js';

const hour = 3_600_000;

/** Step 1: the tenant's settings, and the ledger's memory of what an earlier run of the order posted. */
export function loadTenantSettings(ref: OrderRef, workflowId: string): Promise<OrderSyncPlan> {
  return bookkeeping.loadTenantSettings.executeWithOptions({ summary: orderSummary.loadSettings(ref) }, [{ ...ref, workflowId }]);
}

/**
 * Steps 2 and 3: the full order (webhooks are thin, and a later status may have arrived
 * meanwhile), gated and checked to balance to the cent. An order whose status does not sync
 * yet waits for a later one, then is fetched again; an operator's approval posts it as it is.
 */
export async function fetchWhenSyncable(order: OrderRun): Promise<CanonicalOrder | 'skipped'> {
  for (;;) {
    order.requests.changes.length = 0;
    const fetched = order.actOn(
      await order.step(orderStep.fetchOrder(order), (options) => vendorCall.fetchStorefrontOrder.executeWithOptions(options, [order.ref])),
    );
    const check = await order.step(orderStep.checkOrder(fetched), (options) =>
      bookkeeping.checkOrder.executeWithOptions(options, [{ tenantId: order.ref.tenantId, order: withoutContacts(fetched) }]),
    );
    switch (check.action) {
      case 'park':
        throw new ItemParked(check.attention, false);
      case 'cancel':
        throw new CancellationRequested(check.reason);
      case 'skip':
        await bookkeeping.recordOrderSkipped({ ...order.ref, workflowId: order.workflowId, code: check.code, reason: check.reason });
        order.status.note = check.reason;
        return 'skipped';
      case 'wait':
        if (order.requests.approved) return fetched;
        await waitForSyncingStatus(order, check.reason);
        break;
      case 'sync':
        return fetched;
    }
  }
}

/** Waits for a later storefront status (a signal), an operator's approval or cancellation, up to the tenant's limit. */
async function waitForSyncingStatus(order: OrderRun, reason: string): Promise<void> {
  const { status, requests, plan } = order;
  status.step = 'waiting_for_status';
  status.note = reason;
  order.showState('waiting');
  setCurrentDetails(`Waiting: ${reason}`);
  const waitUntil = Date.now() + plan.waitForStatusHours * hour;
  let arrived: boolean;
  // A late copy of a webhook already acted on brings no new status: it costs one look, then the wait goes on.
  do {
    arrived = await condition(
      () => requests.changes.length > 0 || requests.approved || requests.cancellation !== undefined,
      Math.max(1, waitUntil - Date.now()),
    );
    requests.throwIfCancelled();
  } while (arrived && !requests.approved && !(await storefrontOrderChanged(order)));
  if (!arrived) {
    throw new ItemParked(
      {
        code: 'status_wait_expired',
        reason: `the order waited ${plan.waitForStatusHours} hours without reaching a status that syncs (${reason})`,
        fix: 'approve the order to post it as it is, retry once the storefront status has moved on, or cancel it',
      },
      false,
    );
  }
}

/** Step 4a: the Intacct customer; one that does not resolve waits for the mapping tables to be fixed. */
export async function resolveCustomer(order: OrderRun, fetched: CanonicalOrder): Promise<string> {
  const customer = await order.step(orderStep.resolveCustomer(fetched), (options) =>
    vendorCall.resolveCustomer.executeWithOptions(options, [{ tenantId: order.ref.tenantId, order: buyerOf(fetched) }]),
  );
  if (!customer.resolved) throw new ItemParked(customer.attention, false);
  order.status.intacct.customerId = customer.customerId;
  return customer.customerId;
}

/** Step 4b: the Intacct item of every line; a SKU that does not resolve waits for the mapping tables to be fixed. */
export async function resolveItems(order: OrderRun, fetched: CanonicalOrder): Promise<BuildSalesDocumentInput['items']> {
  const items = await order.step(orderStep.resolveItems(fetched), (options) =>
    vendorCall.resolveItems.executeWithOptions(options, [{ tenantId: order.ref.tenantId, order: withoutContacts(fetched) }]),
  );
  if (!items.resolved) throw new ItemParked(items.attention, false);
  return items.items;
}

/** The attention code of an order the tenant's rules hold for approval (`RuleHold`). */
const ruleHold = orderToCashFailures.RuleHold.code;

/**
 * Step 5: the order mapped to the tenant's sales document, created exactly once. An order the
 * tenant's rules hold parks (`rule_hold`) until an operator approves it, and the approved run
 * builds it with the holds lifted; a cancel rejects it. The document goes to the entity the
 * rules route it to (the activity signs in there and the ledger remembers it).
 */
export async function createSalesDocument(
  order: OrderRun,
  fetched: CanonicalOrder,
  customerId: string,
  items: BuildSalesDocumentInput['items'],
): Promise<void> {
  const { ref, plan, status } = order;
  // Histories recorded before rule holds could be approved never approved one.
  const holdsApproved = order.requests.approved && status.attention?.code === ruleHold && patched('approve-rule-holds');
  const document = await order.step(orderStep.buildSalesDocument(plan.transactionDefinition), (options) =>
    mapping.buildSalesDocument.executeWithOptions(options, [
      { tenantId: ref.tenantId, order: fetched, customerId, items, ...(holdsApproved && { ruleHoldsApproved: true }) },
    ]),
  );
  const created = await order.step(orderStep.createSalesDocument(order, plan.transactionDefinition, document.lines.length), (options) =>
    vendorCall.createSalesDocument.executeWithOptions(options, [
      { ...ref, workflowId: order.workflowId, settingsVersion: plan.settingsVersion, document },
    ]),
  );
  status.intacct.salesDocumentId = created.documentId;
  order.booked = fetched;
  if (created.arInvoiceKey !== undefined) order.arInvoiceKey = created.arInvoiceKey;
  upsertSearchAttributes([{ key: IntacctDocument, value: created.documentId }]);
  compensateSalesDocument(order, created.documentId);
  await wakeWaitingRefunds(order, 'posted');
}

/** Step 6: the payment, exactly once; a document that has no AR invoice yet leaves it pending until the order is invoiced. */
export async function recordPayment(order: OrderRun, customerId: string): Promise<void> {
  const { ref, status } = order;
  const fetched = order.fetched!;
  const payment = await order.step(orderStep.recordPayment(order, fetched), (options) =>
    vendorCall.recordPayment.executeWithOptions(options, [
      {
        ...ref,
        order: withoutContacts(fetched),
        customerId,
        salesDocumentId: status.intacct.salesDocumentId!,
        ...(order.arInvoiceKey !== undefined && { arInvoiceKey: order.arInvoiceKey }),
      },
    ]),
  );
  if (payment.recorded) {
    status.intacct.paymentKey = payment.paymentKey;
    order.paymentPending = false;
    compensatePayment(order, payment.paymentKey);
  } else {
    order.paymentPending = true;
    status.note = payment.reason;
  }
}

/** Step 7: the document number back to the storefront; an order that was parked leaves the attention queue. */
export async function writeBack(order: OrderRun): Promise<void> {
  const salesDocumentId = order.status.intacct.salesDocumentId!;
  const written = await order.step(orderStep.writeBack(order, salesDocumentId), (options) =>
    vendorCall.writeBackToStorefront.executeWithOptions(options, [
      { ...order.ref, state: 'synced', salesDocumentId, ...order.writeBackVersion() },
    ]),
  );
  order.rememberOwnWrite(written);
  if (order.status.attention !== undefined) {
    await bookkeeping.clearOrderAttention({ ...order.ref, workflowId: order.workflowId });
    delete order.status.attention;
  }
}

/**
 * Refunds that arrived before this order was posted (or invoiced) go on now rather than at
 * their next look. Best effort: they look again on their own within minutes, so a failure
 * here never holds the order up.
 */
export async function wakeWaitingRefunds(order: OrderRun, reason: 'posted' | 'invoiced'): Promise<void> {
  // Histories recorded before this step existed replay without it.
  if (!patched('wake-waiting-refunds')) return;
  try {
    await bestEffortBookkeeping.wakeWaitingRefunds.executeWithOptions({ summary: orderSummary.wakeRefunds(order) }, [
      { ...order.ref, reason },
    ]);
  } catch {
    // Their own recheck finds the order.
  }
}

/**
 * How a parked order waits: recorded in the attention queue and shown in the storefront (and
 * unwound when the tenant says so); woken by an operator or the storefront, it retries only
 * when the storefront has something new (the store's echo of the write-back is not).
 * `mayUnwind: false` keeps what is posted whatever the tenant says: the fulfilment watch's
 * refusals (a tracking number, a conversion) are no reason to take the books' order back.
 */
export function orderParking(order: OrderRun, { mayUnwind = true }: { mayUnwind?: boolean } = {}): ParkingPlace {
  const { requests, status } = order;
  return {
    status,
    requests,
    async recordPark({ attention, transient }) {
      await bookkeeping.parkOrder.executeWithOptions({ summary: orderSummary.park(attention.code) }, [
        { ...order.ref, workflowId: order.workflowId, attention },
      ]);
      await writeBackQuietly(order, {
        ...order.ref,
        state: 'needs_attention',
        attentionCode: attention.code,
        ...(status.intacct.salesDocumentId !== undefined && { salesDocumentId: status.intacct.salesDocumentId }),
      });
      if (mayUnwind && order.plan.onPermanentFailure === 'unwind' && !transient && order.compensations.size > 0) await unwind(order);
    },
    woken: () => requests.retryRequested || requests.approved || requests.changes.length > 0 || requests.cancellation !== undefined,
    async worthRetrying() {
      requests.throwIfCancelled();
      return requests.retryRequested || requests.approved || requests.changes.length === 0 || (await storefrontOrderChanged(order));
    },
  };
}
