import { condition, setCurrentDetails } from '@temporalio/workflow';
import { bookkeeping, vendorCall } from './activities.js';
import { recordCapturesAfterPosting } from './captures.js';
import { followStorefrontEdit } from './edits.js';
import { CancellationRequested, type OrderRun } from './order-run.js';
import { recordPayment, wakeWaitingRefunds } from './posting.js';
import { orderSummary } from './step-text.js';
import { storefrontOrderChanged } from './storefront.js';

const day = 24 * 3_600_000;

/**
 * Step 8: polls Intacct on the tenant's interval and reacts at once to storefront events,
 * until shipped or the watch ends. A storefront cancellation ends the watch with
 * {@link CancellationRequested}.
 */
export async function watchFulfilment(order: OrderRun): Promise<void> {
  const { fulfilment } = order.plan;
  const { requests, status } = order;
  const watchUntil = Date.now() + fulfilment.watchDays * day;
  // An unchanged order's signal does not put the next look at Intacct off.
  let nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  status.step = 'awaiting_fulfilment';
  setCurrentDetails(`Posted as ${status.intacct.salesDocumentId}; watching for shipment and cancellation`);
  while (Date.now() < watchUntil) {
    await condition(
      () => requests.changes.length > 0 || requests.cancellation !== undefined,
      Math.max(1, Math.min(watchUntil, nextIntacctLook) - Date.now()),
    );
    requests.throwIfCancelled();
    await recordCapturesAfterPosting(order);
    if (requests.changes.length > 0) {
      if (!(await storefrontOrderChanged(order))) continue;
      requests.changes.length = 0;
      const fetched = order.actOn(
        await vendorCall.fetchStorefrontOrder.executeWithOptions({ summary: orderSummary.fetchAfterChange(order) }, [order.ref]),
      );
      const check = await bookkeeping.checkOrder({ tenantId: order.ref.tenantId, order: fetched });
      if (check.action === 'cancel') throw new CancellationRequested(check.reason);
      await followStorefrontEdit(order, fetched);
    }
    await recordCapturesAfterPosting(order);
    if (await syncFulfilment(order)) return;
    nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  }
}

/** One look at shipments: tracking Intacct has goes to the storefront; shipped orders are converted. True when nothing is left to watch. */
async function syncFulfilment(order: OrderRun): Promise<boolean> {
  const { ref, status, plan } = order;
  const salesDocumentId = status.intacct.salesDocumentId!;
  const shipments = await vendorCall.readShipmentStatus.executeWithOptions({ summary: orderSummary.lookForShipments(salesDocumentId) }, [
    { ...ref, salesDocumentId },
  ]);
  for (const shipment of shipments.intacctShipmentsToSync) {
    const { added } = await vendorCall.syncShipmentToStorefront.executeWithOptions(
      { summary: orderSummary.addTracking(order, shipment.trackingNumber) },
      [{ ...ref, shipment }],
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
    const invoice = await vendorCall.convertToInvoice.executeWithOptions(
      { summary: orderSummary.convertToInvoice(salesDocumentId, invoiceTransactionDefinition) },
      [{ ...ref, salesDocumentId, invoiceTransactionDefinition }],
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
