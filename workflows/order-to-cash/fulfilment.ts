import { condition, patched, setCurrentDetails } from '@temporalio/workflow';
import { withoutContacts } from '../../mappers/order-views.js';
import { ItemParked, parkUntilRetried, runStep, untilDone, type StepText } from '../shared/parking.js';
import { orderToCashFailures, type OrderToCashStep, type ShipmentStatus } from '../order-to-cash-contract.js';
import { bookkeeping, vendorCall } from './activities.js';
import { recordCapturesAfterPosting } from './captures.js';
import { followStorefrontEdit } from './edits.js';
import { CancellationRequested, type OrderRun } from './order-run.js';
import { orderParking, recordPayment, wakeWaitingRefunds } from './posting.js';
import { orderStep } from './step-text.js';
import { storefrontOrderChanged, writeBackQuietly } from './storefront.js';

const day = 24 * 3_600_000;

/** Histories recorded while the first shipment ended the watch replay that way. */
const eachShipmentPatch = 'fulfilment-by-shipment';

/**
 * A storm of webhooks that change nothing the books hold (a store replaying its backlog, another
 * app touching every order) is looked at a few times at once, then once per `lookPacingMs`
 * per order until a look finds a change: each look is a store request, and a hundred such
 * webhooks a second about a few hundred orders would otherwise spend the store's quota and the
 * worker on looks while new orders wait.
 */
const noChangeLooksAtOnce = 3;
const lookPacingMs = 30_000;
/** Histories recorded before the pacing replay without its wait. */
const lookPacingPatch = 'no-change-look-pacing';

/** What one look of the watch found. */
type Look = 'unchanged' | 'watching' | 'done';

/** What the watch remembers between looks. */
interface Watch {
  /** Each storefront shipment is followed to the end (invoiced on its own); false in histories from before. */
  readonly byShipment: boolean;
  /** A storefront change seen but not yet fetched and checked: a look that parked on it fetches again. */
  changePending: boolean;
  /** Storefront shipments already converted to their invoice. */
  readonly invoicedShipments: Set<string>;
  /** What the last look found. */
  lastLook?: ShipmentStatus;
}

/**
 * Step 8: polls Intacct on the tenant's interval (first at once when `lookAtOnce`) and reacts at once to storefront events,
 * until every line is shipped, cancelled or refunded. Each shipment is synced to the other
 * side once and, when the tenant converts on shipment, invoiced on its own for exactly what it
 * carries. An order still open when `watchDays` pass parks as `fulfilment_incomplete`; a retry
 * watches it again. A storefront cancellation ends the watch with {@link CancellationRequested}.
 * Every activity of a look runs as a step: one that fails for good parks the order (an outage
 * on its own after a while, a refusal until an operator's retry), and the look is made again
 * from the top, like posting's steps.
 */
export async function watchFulfilment(order: OrderRun, options: { lookAtOnce: boolean }): Promise<void> {
  const { fulfilment } = order.plan;
  showWatching(order);
  if (fulfilment.watchDays <= 0) return;
  const watch: Watch = { byShipment: patched(eachShipmentPatch), changePending: false, invoicedShipments: new Set() };
  let lookAtOnce = options.lookAtOnce;
  while (!(await watchFor(order, watch, lookAtOnce)) && watch.byShipment) {
    await parkUntilRetried(orderParking(order, { mayUnwind: false }), incomplete(order, watch));
    await resumeWatching(order);
    lookAtOnce = true;
  }
}

/** Watches for the tenant's `watchDays` (after a retry, looking at once); true once nothing is left to watch. */
async function watchFor(order: OrderRun, watch: Watch, lookAtOnce: boolean): Promise<boolean> {
  const { fulfilment } = order.plan;
  const { requests, status } = order;
  const watchUntil = Date.now() + fulfilment.watchDays * day;
  // An unchanged order's signal does not put the next look at Intacct off.
  let nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  let unchangedInARow = 0;
  let lastLookAt = 0;
  while (Date.now() < watchUntil) {
    if (!lookAtOnce)
      await condition(
        () => requests.changes.length > 0 || requests.cancellation !== undefined,
        Math.max(1, Math.min(watchUntil, nextIntacctLook) - Date.now()),
      );
    lookAtOnce = false;
    requests.throwIfCancelled();
    const pacedUntil = lastLookAt + lookPacingMs;
    if (unchangedInARow >= noChangeLooksAtOnce && requests.changes.length > 0 && pacedUntil > Date.now() && patched(lookPacingPatch)) {
      // The signals that arrive meanwhile are all answered by the one look after the wait.
      await condition(() => requests.cancellation !== undefined, pacedUntil - Date.now());
      requests.throwIfCancelled();
    }
    await recordCapturesAfterPosting(order);
    const look = await untilDone(
      () => lookOnce(order, watch),
      (parked) => parkUntilRetried(orderParking(order, { mayUnwind: false }), parked),
    );
    lastLookAt = Date.now();
    if (status.step !== 'awaiting_fulfilment' || status.attention !== undefined) await resumeWatching(order);
    if (look === 'done') return true;
    if (look === 'unchanged') {
      unchangedInARow += 1;
      continue;
    }
    unchangedInARow = 0;
    nextIntacctLook = Date.now() + fulfilment.pollIntacctMinutes * 60_000;
  }
  return false;
}

/** The park of an order whose watch ended with lines still open, naming them. */
function incomplete(order: OrderRun, { lastLook }: Watch): ItemParked {
  const shipped = new Map<string, number>();
  for (const shipment of lastLook?.storefrontShipments ?? [])
    for (const line of shipment.lines ?? []) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
  const open = (lastLook?.orderLines ?? [])
    .map((line) => ({ lineId: line.lineId, left: line.quantity - (shipped.get(line.lineId) ?? 0) }))
    .filter(({ left }) => left > 0)
    .map(({ lineId, left }) => `line ${lineId}: ${left} unit(s)`);
  const { code, fix } = orderToCashFailures.FulfilmentIncomplete;
  return new ItemParked(
    {
      code,
      reason: `the order was watched for ${order.plan.fulfilment.watchDays} days and is not fully shipped${open.length > 0 ? ` (not shipped: ${open.join(', ')})` : ''}`,
      fix,
    },
    false,
  );
}

/** One look: a storefront change is fetched and checked first, then the shipments. */
async function lookOnce(order: OrderRun, watch: Watch): Promise<Look> {
  const { requests } = order;
  if (requests.changes.length > 0) {
    if (!(await storefrontOrderChanged(order))) return 'unchanged';
    requests.changes.length = 0;
    watch.changePending = true;
  }
  if (watch.changePending) {
    const fetched = order.actOn(
      await watchStep(order, orderStep.fetchAfterChange(order), (options) =>
        vendorCall.fetchStorefrontOrder.executeWithOptions(options, [order.ref]),
      ),
    );
    const check = await watchStep(order, orderStep.checkAfterChange(), (options) =>
      bookkeeping.checkOrder.executeWithOptions(options, [{ tenantId: order.ref.tenantId, order: withoutContacts(fetched) }]),
    );
    watch.changePending = false;
    if (check.action === 'cancel') throw new CancellationRequested(check.reason);
    await followStorefrontEdit(order, fetched);
  }
  // A change fetched above may be a capture whose signal the stamp look consumed.
  await recordCapturesAfterPosting(order);
  const fulfilled = watch.byShipment ? await syncEachShipment(order, watch) : await syncFirstShipment(order);
  return fulfilled ? 'done' : 'watching';
}

/**
 * One look at shipments: tracking Intacct has goes to the storefront, each storefront shipment
 * is invoiced on its own once (when the tenant converts on shipment). True once every line is
 * shipped, cancelled or refunded.
 */
async function syncEachShipment(order: OrderRun, watch: Watch): Promise<boolean> {
  const { ref, status, plan } = order;
  const salesDocumentId = status.intacct.salesDocumentId!;
  const shipments = await watchStep(order, orderStep.lookForShipments(salesDocumentId), (options) =>
    vendorCall.readShipmentStatus.executeWithOptions(options, [{ ...ref, salesDocumentId }]),
  );
  watch.lastLook = shipments;
  for (const shipment of shipments.intacctShipmentsToSync) {
    const { added } = await watchStep(order, orderStep.addTracking(order, shipment.trackingNumber), (options) =>
      vendorCall.syncShipmentToStorefront.executeWithOptions(options, [{ ...ref, shipment }]),
    );
    if (added) status.shipmentsSynced += 1;
  }
  if (shipments.existingInvoiceDocumentId !== undefined) status.intacct.invoiceDocumentId ??= shipments.existingInvoiceDocumentId;
  if (plan.fulfilment.convertToInvoice) await invoiceEachShipment(order, watch, shipments);
  if (order.paymentPending && order.arInvoiceKey !== undefined && order.fetched !== undefined && status.intacct.customerId !== undefined)
    await recordPayment(order, status.intacct.customerId);
  // A look whose results said nothing of lines comes from an activity without split shipments.
  return shipments.fulfilled === true;
}

/** Converts each storefront shipment not invoiced yet into an invoice of exactly its quantities, in the storefront's order. */
async function invoiceEachShipment(order: OrderRun, watch: Watch, shipments: ShipmentStatus): Promise<void> {
  const { ref, status } = order;
  const salesDocumentId = status.intacct.salesDocumentId!;
  const { invoiceTransactionDefinition } = order.plan.fulfilment;
  const shippedBefore = new Map<string, number>();
  for (const { shipmentId, lines, trackingNumber } of shipments.storefrontShipments) {
    if (shipmentId === undefined || lines === undefined) continue;
    if (!watch.invoicedShipments.has(shipmentId)) {
      const shipment = {
        shipmentId,
        lines,
        ...(trackingNumber !== undefined && { trackingNumber }),
        shippedBefore: [...shippedBefore].map(([lineId, quantity]) => ({ lineId, quantity })),
        orderLines: shipments.orderLines ?? [],
      };
      const invoice = await watchStep(
        order,
        orderStep.invoiceShipment(salesDocumentId, invoiceTransactionDefinition, shipment),
        (options) =>
          vendorCall.convertToInvoice.executeWithOptions(options, [{ ...ref, salesDocumentId, invoiceTransactionDefinition, shipment }]),
      );
      watch.invoicedShipments.add(shipmentId);
      (status.intacct.invoiceDocumentIds ??= []).push(invoice.invoiceDocumentId);
      const first = status.intacct.invoiceDocumentId === undefined;
      status.intacct.invoiceDocumentId ??= invoice.invoiceDocumentId;
      if (invoice.arInvoiceKey !== undefined && invoice.arInvoiceKey !== '') order.arInvoiceKey ??= invoice.arInvoiceKey;
      if (first) await wakeWaitingRefunds(order, 'invoiced');
    }
    for (const line of lines) shippedBefore.set(line.lineId, (shippedBefore.get(line.lineId) ?? 0) + line.quantity);
  }
}

/**
 * The watch as it was before split shipments were followed, for the histories recorded then:
 * the first shipment converts the whole order and ends the watch.
 */
async function syncFirstShipment(order: OrderRun): Promise<boolean> {
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
