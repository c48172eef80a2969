import { patched } from '@temporalio/workflow';
import type { OrderToCashActivities } from '../order-to-cash-contract.js';
import { bestEffortVendorCall } from './activities.js';
import type { OrderRun } from './order-run.js';
import { orderSummary } from './step-text.js';

/** Histories recorded before change signals were checked against the order's stamp replay without the look. */
const storefrontStampPatch = 'storefront-order-stamp';

/**
 * One look at the order's stamp before anything heavier: false when the storefront still has
 * the version the workflow last acted on, and the change signals that asked are consumed.
 * Correctness first: no stamp to compare with, or a look that fails, counts as a change, and
 * the signals stay for the full fetch.
 */
export async function storefrontOrderChanged(order: OrderRun): Promise<boolean> {
  const lastSeen = order.storefrontStamp;
  if (lastSeen === undefined || !patched(storefrontStampPatch)) return true;
  const { changes } = order.requests;
  const asked = changes.length;
  try {
    const look = await bestEffortVendorCall.detectStorefrontOrderChange.executeWithOptions({ summary: orderSummary.detectChange(order) }, [
      { ...order.ref, lastSeenStamp: lastSeen },
    ]);
    if (!look.changed) {
      // A signal that arrived during the look may be about a later change: it gets a look of its own.
      changes.splice(0, asked);
      return false;
    }
  } catch {
    // The full fetch that follows has its own retries and parking.
  }
  // Behind the storefront now: a second look before the fetch would only say so again.
  order.storefrontStamp = undefined;
  return true;
}

/**
 * A run started again for an order an earlier run posted or cancelled (a late webhook, the
 * sweep): when the storefront still has the version that run last acted on, there is nothing
 * to do, and one look at the order's stamp is all it costs.
 */
export async function nothingNewSinceEarlierRun(order: OrderRun): Promise<boolean> {
  const { state, storefrontStamp: lastSeen } = order.plan.ledger;
  if ((state !== 'synced' && state !== 'cancelled') || lastSeen === undefined) return false;
  order.storefrontStamp = lastSeen;
  if (await storefrontOrderChanged(order)) return false;
  // What arrived during the look goes the usual way.
  if (order.requests.changes.length > 0 || order.requests.cancellation !== undefined) return false;
  order.status.note = `nothing changed in ${order.storefrontName} since the order was ${state}`;
  return true;
}

/** Write-back of a state is a courtesy to the merchant: a storefront outage must not block the books. */
export async function writeBackQuietly(
  order: OrderRun,
  writeBack: Parameters<OrderToCashActivities['writeBackToStorefront']>[0],
): Promise<void> {
  try {
    const written = await bestEffortVendorCall.writeBackToStorefront.executeWithOptions(
      { summary: orderSummary.markState(order, writeBack.state) },
      [{ ...writeBack, ...order.writeBackVersion() }],
    );
    order.rememberOwnWrite(written);
  } catch {
    // The attention queue and Temporal UI already show the state; the storefront learns it on the next write-back.
  }
}
