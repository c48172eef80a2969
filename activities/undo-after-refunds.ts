import { decideCancellationAfterRefunds } from '../decisions/cancellation-after-refunds.js';
import { listOrderRefunds } from '../store/ledger.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';

/**
 * Refuses, before anything is undone in Intacct, to cancel an order the ledger holds refunds of
 * (synced, in flight or parked): ReturnToCreditMemo already gave that money back, and reversing
 * the whole payment or removing the document would give it back again. The failure names the
 * refunds; the workflow parks the cancellation for a person. One MongoDB read, no Intacct call.
 */
export async function refuseUndoAfterRefunds(db: ActivityDependencies['db'], input: OrderRef, undoing: string): Promise<void> {
  const decision = decideCancellationAfterRefunds({
    orderId: input.orderId,
    undoing,
    refunds: await listOrderRefunds(db, input.tenantId, input.orderId),
  });
  if (decision.action === 'undo') return;
  throw operatorFailure(orderToCashFailures, 'CancelledAfterRefunds', decision.reason, {
    refunds: decision.refunds,
    refundedTotals: decision.refundedTotals,
  });
}
