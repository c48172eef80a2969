import { condition, setCurrentDetails } from '@temporalio/workflow';
import { parkUntilRetried, runStep, untilDone, type StepText } from '../shared/parking.js';
import type { OrderToCashStep } from '../order-to-cash-contract.js';
import { bookkeeping, vendorCall } from './activities.js';
import { CancellationRequested, type OrderRun } from './order-run.js';
import { orderParking, recordPayment, wakeWaitingRefunds } from './posting.js';
import { orderStep } from './step-text.js';
import { storefrontOrderChanged, writeBackQuietly } from './storefront.js';

const day = 24 * 3_600_000;

/** What one look of the watch found. */
type Look = 'unchanged' | 'watching' | 'done';

/**
 * Step 8: polls Intacct on the tenant's interval and reacts at once to storefront events,
 * until shipped or the watch ends. A storefront cancellation ends the watch with
 * {@link CancellationRequested}. Every activity of a look runs as a step: one that fails for
 * good parks the order (an outage on its own after a while, a refusal until an operator's
 * retry), and the look is made again from the top, like posting's steps.
 */
export async function watchFulfilment(order: OrderRun): Promise<void> {
  const { fulfilment } = order.plan;
  const { requests, status } = order;
  const watchUntil = Date.now() + fulfilment.watchDays * day;
  // An unchanged order's signal does not put the next look at Intacct off.
  let nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  /** A storefront change seen but not yet fetched and checked: a look that parked on it fetches again. */
  const change = { pending: false };
  showWatching(order);
  while (Date.now() < watchUntil) {
    await condition(
      () => requests.changes.length > 0 || requests.cancellation !== undefined,
      Math.max(1, Math.min(watchUntil, nextIntacctLook) - Date.now()),
    );
    requests.throwIfCancelled();
    const look = await untilDone(
      () => lookOnce(order, change),
      (parked) => parkUntilRetried(orderParking(order, { mayUnwind: false }), parked),
    );
    if (status.step !== 'awaiting_fulfilment' || status.attention !== undefined) await resumeWatching(order);
    if (look === 'done') return;
    if (look === 'unchanged') continue;
    nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  }
}

/** One look: a storefront change is fetched and checked first, then the shipments. */
async function lookOnce(order: OrderRun, change: { pending: boolean }): Promise<Look> {
  const { requests } = order;
  if (requests.changes.length > 0) {
    if (!(await storefrontOrderChanged(order))) return 'unchanged';
    requests.changes.length = 0;
    change.pending = true;
  }
  if (change.pending) {
    const fetched = order.actOn(
      await watchStep(order, orderStep.fetchAfterChange(order), (options) =>
        vendorCall.fetchStorefrontOrder.executeWithOptions(options, [order.ref]),
      ),
    );
    const check = await watchStep(order, orderStep.checkAfterChange(), (options) =>
      bookkeeping.checkOrder.executeWithOptions(options, [{ tenantId: order.ref.tenantId, order: fetched }]),
    );
    change.pending = false;
    if (check.action === 'cancel') throw new CancellationRequested(check.reason);
  }
  return (await syncFulfilment(order)) ? 'done' : 'watching';
}

/** One look at shipments: tracking Intacct has goes to the storefront; shipped orders are converted. True when nothing is left to watch. */
async function syncFulfilment(order: OrderRun): Promise<boolean> {
  const { ref, status, plan } = order;
  const salesDocumentId = status.intacct.salesDocumentId!;
  const shipments = await watchStep(order, orderStep.lookForShipments(salesDocumentId), (options) =>
    vendorCall.readShipmentStatus.executeWithOptions(options, [{ ...ref, salesDocumentId }]),
  );
  for (const shipment of shipments.intacctShipmentsToSync) {
    const { added } = await watchStep(order, orderStep.addTracking(order, shipment.trackingNumber), (options) =>
      vendorCall.syncShipmentToStorefront.executeWithOptions(options, [{ ...ref, shipment }]),
    );
    if (added) status.shipmentsSynced += 1;
  }
  const shipped =
    shipments.storefrontShipments.length > 0 ||
    shipments.intacctShipmentsToSync.length > 0 ||
    shipments.existingInvoiceDocumentId !== undefined;
  if (!shipped) return false;
  const { convertToInvoice, invoiceTransactionDefinition } = plan.fulfilment;
  if (convertToInvoice && status.intacct.invoiceDocumentId === undefined) {
    const invoice = await watchStep(order, orderStep.convertToInvoice(salesDocumentId, invoiceTransactionDefinition), (options) =>
      vendorCall.convertToInvoice.executeWithOptions(options, [{ ...ref, salesDocumentId, invoiceTransactionDefinition }]),
    );
    status.intacct.invoiceDocumentId = invoice.invoiceDocumentId;
    if (invoice.arInvoiceKey !== undefined) order.arInvoiceKey = invoice.arInvoiceKey;
    await wakeWaitingRefunds(order, 'invoiced');
  } else if (shipments.existingInvoiceDocumentId !== undefined) {
    status.intacct.invoiceDocumentId ??= shipments.existingInvoiceDocumentId;
  }
  if (order.paymentPending && order.fetched !== undefined && status.intacct.customerId !== undefined)
    await recordPayment(order, status.intacct.customerId);
  return true;
}

/**
 * One activity of the watch as a step: a failure its retries could not cure parks the order.
 * Unlike posting's steps it does not look for a cancellation first: the watch looks after each
 * wait, and histories recorded before the watch parked replay the same calls.
 */
function watchStep<T>(
  order: OrderRun,
  text: StepText<OrderToCashStep>,
  activity: (options: { summary?: string }) => Promise<T>,
): Promise<T> {
  return runStep(order.status, text, activity);
}

function showWatching({ status }: OrderRun): void {
  status.step = 'awaiting_fulfilment';
  setCurrentDetails(`Posted as ${status.intacct.salesDocumentId}; watching for shipment and cancellation`);
}

/** After a look that parked went through (or a step of posting ran in it): the order is watched again, and no longer parked. */
async function resumeWatching(order: OrderRun): Promise<void> {
  const { status } = order;
  if (status.attention !== undefined) {
    await bookkeeping.clearOrderAttention({ ...order.ref, workflowId: order.workflowId });
    delete status.attention;
    order.showState('synced');
    await writeBackQuietly(order, { ...order.ref, state: 'synced', salesDocumentId: status.intacct.salesDocumentId! });
  }
  showWatching(order);
}
