import { patched } from '@temporalio/workflow';
import type { CanonicalOrder } from '../../mappers/canonical-order.js';
import { withoutContacts } from '../../mappers/order-views.js';
import { ItemParked } from '../shared/parking.js';
import { bookkeeping } from './activities.js';
import type { OrderRun } from './order-run.js';
import { orderStep } from './step-text.js';

/** The attention code of an order held by an anomaly check (decisions/order-anomaly-policy.ts). */
const anomalyHold = 'anomaly_hold';

/**
 * Step 4c: the anomaly checks, for a tenant that has one on, before the sales document exists.
 * A flagged order goes on (the activity wrote its informational item); a held one parks until
 * an operator approves it, and the approved run posts it as it is without checking again. An
 * approval given earlier for another wait (a status that did not sync) is no approval of the
 * anomaly: it is taken back when the order is held.
 */
export async function holdIfAnomalous(order: OrderRun, fetched: CanonicalOrder): Promise<void> {
  if (order.plan.anomalyChecks !== true) return;
  if (order.requests.approved && order.status.attention?.code === anomalyHold) return;
  // Histories recorded before the checks existed replay without them.
  if (!patched('order-anomaly-checks')) return;
  const check = await order.step(orderStep.checkAnomalies(fetched), (options) =>
    bookkeeping.checkOrderAnomalies.executeWithOptions(options, [
      { ...order.ref, workflowId: order.workflowId, order: withoutContacts(fetched), ...buyerEmailOf(fetched) },
    ]),
  );
  if (check.action === 'post') return;
  order.requests.approved = false;
  throw new ItemParked(check.attention, false);
}

/** The buyer's email, when the order has one: the anomaly checks tell buyers apart by it (hashed). */
function buyerEmailOf(order: CanonicalOrder): { buyerEmail?: string } {
  const email = order.customer.email ?? order.billingAddress.email;
  return email === undefined ? {} : { buyerEmail: email };
}
