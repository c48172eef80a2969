import { patched, workflowInfo } from '@temporalio/workflow';
import { orderToCashFailures, type OrderToCashInput, type OrderToCashResult, type OrderToCashStatus } from '../order-to-cash-contract.js';
import { parkUntilRetried, untilDone } from '../shared/parking.js';
import { holdIfAnomalous } from './anomalies.js';
import { cancelOrder, registerKnownCompensations } from './cancellation.js';
import { followStorefrontEdit } from './edits.js';
import { watchFulfilment } from './fulfilment.js';
import { acceptRequests, CancellationRequested, OrderRun, orderRefOf } from './order-run.js';
import {
  createSalesDocument,
  fetchWhenSyncable,
  loadTenantSettings,
  orderParking,
  recordPayment,
  resolveCustomer,
  resolveItems,
  writeBack,
} from './posting.js';
import { nothingNewSinceEarlierRun } from './storefront.js';

const learnedCustomerStale = orderToCashFailures.LearnedCustomerStale.code;

/**
 * OrderToCash: one storefront order becomes exactly one Intacct sales document, its payment
 * one cash receipt, and its shipments flow back to the store. One workflow per order
 * (`order-to-cash:{tenantId}:{orderId}`); webhooks, the sweep and backfill all start or
 * signal the same one. Read top to bottom, the steps are:
 *
 *  1. load the tenant's settings and the ledger's memory of the order (a run started again for
 *     an order an earlier run finished ends here when the storefront has nothing new)
 *  2. fetch the order from the storefront as a canonical order
 *  3. gate it (statuses to sync, guests) and check that it balances to the cent; an order not
 *     in a status that syncs waits for one
 *  4. resolve the customer, then the items; a tenant's anomaly checks may hold the order for
 *     an operator's approval (`anomalies.ts`)
 *  5. map it to the tenant's sales document and create that exactly once
 *  6. record the payment exactly once
 *  7. write the document number back to the storefront
 *  8. watch for shipment (tracking back, conversion to invoice) and cancellation
 *
 * Whatever cannot be posted is parked in the attention queue and waits for an operator's
 * `retry` (or a storefront change); a cancellation runs the compensations in reverse
 * (`cancellation.ts`).
 *
 * A storefront change signal first costs one look at the order's stamp: when the store still
 * has the version the workflow last acted on (the store's echo of the workflow's own write, a
 * late copy of a webhook), nothing is fetched and nothing else happens (`storefront.ts`).
 */
export async function orderToCash(input: OrderToCashInput): Promise<OrderToCashResult> {
  const status: OrderToCashStatus = { step: 'loading', intacct: {}, shipmentsSynced: 0 };
  const requests = acceptRequests(status);
  // 1. The tenant's settings, and what an earlier run of this order already posted (and how to undo it).
  const order = new OrderRun(input, status, requests, await loadTenantSettings(orderRefOf(input), workflowInfo().workflowId));
  order.adoptLedger();
  registerKnownCompensations(order);
  return run(order);
}

/** The order's story from its settings on: posted once, watched until shipped, or cancelled. */
async function run(order: OrderRun): Promise<OrderToCashResult> {
  try {
    if (await nothingNewSinceEarlierRun(order)) return order.finish(order.plan.ledger.state === 'cancelled' ? 'cancelled' : 'synced');

    // An earlier run that posted everything leaves nothing to post; anything less is completed
    // here (creation is skipped when the ledger has the document).
    const earlier = postedEarlier(order);
    if (!earlier && (await untilPosted(order)) === 'skipped') return order.finish('skipped');
    order.showState('synced');
    // The order was parked after its document existed and fetched again: an edit meanwhile reaches the document.
    if (order.booked !== undefined && order.fetched !== order.booked) await followStorefrontEdit(order, order.fetched!);

    // 8. Fulfilment: tracking back to the storefront, conversion to invoice; or a late cancellation.
    // A new run of an order posted earlier (a sweep restarted it after a change) looks at its shipments at once:
    // they may have moved while no run watched, and the first poll would otherwise be an interval away.
    await watchFulfilment(order, { lookAtOnce: earlier && patched('look-at-once-after-earlier-run') });
    return order.finish('synced');
  } catch (error) {
    if (!(error instanceof CancellationRequested)) throw error;
    return await cancelOrder(order, error.reason);
  }
}

function postedEarlier({ plan, status }: OrderRun): boolean {
  return plan.ledger.state === 'synced' && status.intacct.salesDocumentId !== undefined && status.intacct.paymentKey !== undefined;
}

/**
 * Steps 2–7 until the order is posted, parking whenever a person must act. A customer the
 * product had remembered and Intacct refused was forgotten by the activity: the steps run once
 * more at once, so the customer is matched or created again without a person; a second such
 * refusal in a row parks.
 */
function untilPosted(order: OrderRun): Promise<'posted' | 'skipped'> {
  let resolvedAgain = false;
  return untilDone(
    () => post(order),
    async (parked) => {
      // Histories recorded before this step existed never refused a remembered customer this way.
      if (!resolvedAgain && parked.attention.code === learnedCustomerStale && patched('resolve-again-after-stale-customer')) {
        resolvedAgain = true;
        return;
      }
      await parkUntilRetried(orderParking(order), parked);
      resolvedAgain = false;
    },
  );
}

/** Steps 2–7, once: a step that cannot go on parks the order; a cancellation asked meanwhile ends it. */
async function post(order: OrderRun): Promise<'posted' | 'skipped'> {
  const fetched = await fetchWhenSyncable(order);
  if (fetched === 'skipped') return 'skipped';

  const customerId = await resolveCustomer(order, fetched);
  const items = await resolveItems(order, fetched);

  if (order.status.intacct.salesDocumentId === undefined) {
    await holdIfAnomalous(order, fetched);
    await createSalesDocument(order, fetched, customerId, items);
  }
  order.requests.throwIfCancelled();

  if (order.status.intacct.paymentKey === undefined && fetched.amountPaid > 0) await recordPayment(order, customerId);
  order.requests.throwIfCancelled();

  await writeBack(order);
  return 'posted';
}
