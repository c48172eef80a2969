import { patched, setCurrentDetails } from '@temporalio/workflow';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
import { buyerOf, withoutContacts } from '../../mappers/order-views.js';
import { paymentTransactionTopics } from '../order-to-cash-captures-contract.js';
import { ItemParked, parkOnFailure, parkUntilRetried, untilDone, type ParkingPlace } from '../shared/parking.js';
import { bookkeeping, vendorCall } from './activities.js';
import type { OrderRun } from './order-run.js';
import { writeBackQuietly } from './storefront.js';

/** Histories recorded before captures after posting were recorded replay without the look. */
const capturesPatch = 'payments-captured-after-posting';

/**
 * What the order's payment looked like when the captures were last looked at (or, first, when it
 * was posted): the amount captured and the storefront's payment status, as the fetched order says.
 */
const lastSeenPayment = new WeakMap<OrderRun, string | undefined>();

function paymentSnapshot(order: OrderRun): string | undefined {
  const { fetched } = order;
  return fetched === undefined ? undefined : `${fetched.amountPaid} ${fetched.attributes.paymentStatus ?? ''}`;
}

/**
 * Payments captured after posting (issue 16 item 2), called from the fulfilment watch each time
 * it wakes and again after it fetched a changed order. It looks when the store said a payment
 * transaction happened (`store/order/transaction/…`, a signal still waiting), or when the order
 * fetched since the last look was paid differently (a capture or void whose webhook the watch's
 * own fetch took in); an order whose payment did not move costs nothing. One read of the order's
 * transactions finds the captures no payment accounts for yet, and each is recorded as its own
 * Intacct payment, exactly once (keyed by the storefront's transaction id), applied to the
 * order's invoice. An authorisation voided before capture records nothing; a repeated webhook
 * finds nothing new. Signals are left for the watch, which goes on as before.
 *
 * A failure parks the order like a posting step and retries on an operator's retry, a later
 * storefront change or (for outages) on its own; after posting nothing is ever unwound for it.
 */
export async function recordCapturesAfterPosting(order: OrderRun): Promise<void> {
  const now = paymentSnapshot(order);
  // The first call sees the order as it was posted.
  if (!lastSeenPayment.has(order)) lastSeenPayment.set(order, now);
  const seen = lastSeenPayment.get(order);
  const signalled = order.requests.changes.some((change) => paymentTransactionTopics.includes(change.topic));
  const paidDifferently = now !== undefined && seen !== undefined && now !== seen;
  if (!signalled && !paidDifferently) return;
  const { salesDocumentId } = order.status.intacct;
  if (salesDocumentId === undefined || !patched(capturesPatch)) return;
  let parked = false;
  await untilDone(
    () =>
      parkOnFailure('recording a payment captured after posting', async () => {
        const { fetched, customerId } = await orderAndCustomer(order);
        await recordNewCaptures(order, fetched, salesDocumentId, customerId);
      }),
    async (failure) => {
      parked = true;
      await parkUntilRetried(captureParking(order), failure);
    },
  );
  lastSeenPayment.set(order, paymentSnapshot(order));
  if (parked) await resumeWatching(order, salesDocumentId);
}

/**
 * The order and its Intacct customer, as the run that posted it knows them; a run that found
 * the order posted by an earlier run fetches the order and resolves the customer again (the
 * mapping or match the posting remembered), as posting would.
 */
async function orderAndCustomer(order: OrderRun): Promise<{ fetched: CanonicalOrder; customerId: string }> {
  const { ref, status } = order;
  if (order.fetched === undefined) {
    const { storefrontStamp: _stamp, ...canonical } = await vendorCall.fetchStorefrontOrder.executeWithOptions(
      { summary: `Fetch order ${ref.orderId} from ${order.storefrontName} for its captured payments` },
      [ref],
    );
    // The stamp stays the watch's: this read must not make the watch's next look skip a change.
    order.fetched = canonical;
  }
  if (status.intacct.customerId === undefined) {
    const customer = await vendorCall.resolveCustomer.executeWithOptions({ summary: `Resolve the customer of order ${ref.orderId}` }, [
      { tenantId: ref.tenantId, order: buyerOf(order.fetched) },
    ]);
    if (!customer.resolved) throw new ItemParked(customer.attention, false);
    status.intacct.customerId = customer.customerId;
  }
  return { fetched: order.fetched, customerId: status.intacct.customerId };
}

async function recordNewCaptures(order: OrderRun, fetched: CanonicalOrder, salesDocumentId: string, customerId: string): Promise<void> {
  const { ref, status } = order;
  const found = await vendorCall.findCapturesToRecord.executeWithOptions(
    { summary: `Look for payments captured in ${order.storefrontName} for order ${ref.orderId}` },
    [{ ...ref, orderTotal: fetched.total }],
  );
  if (found.voided && found.captures.length === 0) status.note = `the payment authorised for order ${ref.orderId} was voided`;
  for (const capture of found.captures) {
    const payment = await vendorCall.recordCapturePayment.executeWithOptions(
      { summary: `Record capture ${capture.transactionId} of order ${ref.orderId} as a payment` },
      [
        {
          ...ref,
          order: withoutContacts(fetched),
          customerId,
          salesDocumentId,
          ...(order.arInvoiceKey !== undefined && { arInvoiceKey: order.arInvoiceKey }),
          capture,
        },
      ],
    );
    const keys = (status.intacct.capturePaymentKeys ??= []);
    if (keys.includes(payment.paymentKey)) continue;
    keys.push(payment.paymentKey);
    order.compensations.push(`Reverse payment ${payment.paymentKey}`, () =>
      vendorCall.reversePayment({ ...ref, paymentKey: payment.paymentKey, captureTransactionId: capture.transactionId }),
    );
  }
}

/**
 * How the order waits when a capture cannot be recorded: in the attention queue and shown in the
 * store, woken by an operator's retry, a storefront change, a cancellation or (outages) time.
 * Unlike a posting step it never unwinds: the sales document stays, only the payment waits.
 */
function captureParking(order: OrderRun): ParkingPlace {
  const { requests, status } = order;
  return {
    status,
    requests,
    async recordPark({ attention }) {
      await bookkeeping.parkOrder({ ...order.ref, workflowId: order.workflowId, attention });
      await writeBackQuietly(order, {
        ...order.ref,
        state: 'needs_attention',
        attentionCode: attention.code,
        salesDocumentId: status.intacct.salesDocumentId!,
      });
    },
    woken: () => requests.retryRequested || requests.changes.length > 0 || requests.cancellation !== undefined,
    worthRetrying() {
      requests.throwIfCancelled();
      return Promise.resolve(true);
    },
  };
}

/** Back to the watch after a park: the attention item resolved and the store shown synced again. */
async function resumeWatching(order: OrderRun, salesDocumentId: string): Promise<void> {
  order.status.step = 'awaiting_fulfilment';
  order.showState('synced');
  setCurrentDetails(`Posted as ${salesDocumentId}; watching for shipment and cancellation`);
  if (order.status.attention !== undefined) {
    await bookkeeping.clearOrderAttention({ ...order.ref, workflowId: order.workflowId });
    delete order.status.attention;
  }
  await writeBackQuietly(order, { ...order.ref, state: 'synced', salesDocumentId });
}
