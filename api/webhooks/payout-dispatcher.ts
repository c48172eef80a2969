import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { findProcessorEvent, markProcessorEventDispatched, type ProcessorEvent } from '../../store/processor-events.js';
import { startPayoutFailureReversal, startPayoutReconcile } from '../payout-starts.js';
import type { PayoutEventDispatcher } from './ports.js';

/**
 * The Stripe events that move a payout's workflow: paid or failed (it posts, or ends with nothing
 * posted), and reconciled (its lines can be read in full). Disputes are only recorded.
 */
export const payoutStartingStripeEvents: ReadonlySet<string> = new Set(['payout.paid', 'payout.failed', 'payout.reconciliation_completed']);

/**
 * Hands payout events to PayoutReconcile (`startPayoutReconcile`) and marks them `dispatched`
 * in the processor event log; `payout.failed` also starts the payout's PayoutFailureReversal,
 * which reverses it if it had posted. A redelivered copy of an event already dispatched is not handed
 * on again (a parked payout is not woken by Stripe's retries); one whose first delivery failed
 * before the workflow had it is. The Temporal call has `deadlineMs` (default 2 s), so a slow
 * Temporal yields a 503 that Stripe retries, inside its delivery timeout.
 */
export function payoutEventDispatcher(
  db: Db,
  temporal: { client: Client; taskQueue: string },
  options: { deadlineMs?: number } = {},
): PayoutEventDispatcher {
  const deadlineMs = options.deadlineMs ?? 2_000;
  return {
    async dispatch(event: ProcessorEvent, recorded) {
      if (recorded === 'duplicate' && (await findProcessorEvent(db, event))?.state === 'dispatched') return 'duplicate';
      const ref = { tenantId: event.tenantId, processor: event.processor, payoutId: event.subject.id };
      await temporal.client.connection.withDeadline(Date.now() + deadlineMs, async () => {
        await startPayoutReconcile(temporal, ref, event.type);
        // A payout that fails after it posted is reversed; one not posted yet ends unpaid in PayoutReconcile.
        if (event.type === 'payout.failed') await startPayoutFailureReversal(temporal, { ...ref, failedOn: event.occurredAt.slice(0, 10) });
      });
      await markProcessorEventDispatched(db, event);
      return 'dispatched';
    },
  };
}
