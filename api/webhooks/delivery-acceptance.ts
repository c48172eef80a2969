import type { Logger } from '../../config/logger.js';
import { routeStorefrontEvent } from './event-routing.js';
import type { DispatchOutcome, EarlierDelivery, StorefrontEvent, WebhookReceiverDependencies } from './ports.js';

/**
 * What every webhook receiver does after authentication and validation, whatever the
 * storefront: a bound on the time spent waiting for the database, and the delivery log's rules
 * for dispatching a delivery once.
 */

/**
 * The default of the receivers' `storeDeadlineMs`: how long one delivery may wait on the
 * database, all its calls together, before the receiver answers 503. BigCommerce gives up on a
 * delivery after 5 s; this leaves the dispatch and the network the rest.
 */
export const defaultStoreDeadlineMs = 2_000;

/** Retry-After of a 503 for a slow or failing database or dispatcher. */
export const unavailableRetryAfterSeconds = 5;

/**
 * How long after an attempt recorded a delivery another copy takes that attempt for still in
 * flight: 2.5 times the deadline, 5 s by default. An attempt waits at most the deadline on the
 * database and its dispatch normally takes a fraction of a second, so this covers an attempt
 * that used its whole deadline behind a dispatch as slow again, with room to spare; at the
 * default it is also BigCommerce's delivery timeout, after which BigCommerce has given up on
 * that attempt anyway. Past it a record still `received` belongs to an attempt that answered
 * without dispatching (or died), and is dispatched again. Too short costs one extra signal for
 * a slow attempt; too long makes a retry after a failed attempt wait longer: neither loses an event.
 */
export function deliveryInFlightMs(storeDeadlineMs: number): number {
  return 2.5 * storeDeadlineMs;
}

export class StoreDeadlineExceeded extends Error {
  override readonly name = 'StoreDeadlineExceeded';
}

/**
 * The time one delivery may spend waiting on the database, all its calls together. A call still
 * running when it is spent is no longer waited for but carries on; its answer is dropped. Every
 * call the receivers make is safe to land late: a read fills a cache, a delivery recorded late
 * ages into a re-dispatch, and a late mark or release saves or costs at most one extra signal.
 */
export class StoreDeadline {
  private spentMs = 0;

  constructor(readonly budgetMs: number) {}

  /** The call's answer, or `StoreDeadlineExceeded` once the budget, or `atMostMs` of it, is spent. */
  async wait<T>(call: () => Promise<T>, atMostMs = Number.POSITIVE_INFINITY): Promise<T> {
    const allowedMs = Math.max(0, Math.min(this.budgetMs - this.spentMs, atMostMs));
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new StoreDeadlineExceeded(`the database did not answer within ${Math.round(allowedMs)} ms`)),
        allowedMs,
      );
    });
    try {
      // The race subscribes to the call, so the call failing after the deadline is not an unhandled rejection.
      return await Promise.race([call(), expired]);
    } finally {
      clearTimeout(timer);
      this.spentMs += performance.now() - startedAt;
    }
  }
}

export type DeliveryAcceptance =
  | { accepted: true; outcome: DispatchOutcome | 'duplicate' | 'recorded' }
  | {
      accepted: false;
      reason: 'store_unavailable' | 'delivery_in_progress' | 'dispatcher_unavailable';
      retryAfterSeconds: number;
      error?: unknown;
    };

export interface DeliveryAcceptanceOptions {
  deadline: StoreDeadline;
  /** See {@link deliveryInFlightMs}. */
  inFlightMs: number;
  now: () => number;
  logger?: Logger | undefined;
}

/**
 * Dispatches an authenticated delivery once, whatever copies and retries of it arrive:
 *
 * - an event no flow acts on (a customer update, a deletion): acknowledged `ignored` without
 *   touching the log. There is nothing to dispatch once, so its copies need no deduplication, and
 *   a copy meeting an earlier one still in flight must not be told to retry: the store counts
 *   every non-2xx against the hook and deactivates hooks that keep failing;
 * - first seen: recorded `received`, dispatched, marked `dispatched`;
 * - `dispatched` before (or recorded by the version without states): a duplicate, not dispatched;
 * - `received` within the in-flight window: asked to retry later, since the attempt that
 *   recorded it may still be dispatching, or may have failed and told its own storefront
 *   request to retry; acknowledging this copy could lose the event;
 * - `received` longer ago: that attempt answered without noting a dispatch (its dispatch failed
 *   and the release did not land, the mark did not land, or the process died), so it is
 *   dispatched again. Dispatch is signal-with-start under conflict policy "use existing": it
 *   cannot start a second workflow, at worst it signals one once more.
 *
 * With an intake (`ports.intake`), the answer does not wait for the dispatch: a delivery first
 * seen is recorded, handed to the intake and acknowledged `recorded`; any copy of a recorded
 * delivery, `received` or `dispatched`, is a duplicate (one still `received` is handed to the
 * intake as well, which skips it when it holds it already). The record is what makes the 200 safe: the
 * intake dispatches it after the answer, and its recovery sweep dispatches every record left
 * `received` by a process that died in between, so there is nothing for a copy to retry.
 *
 * A failed dispatch releases the record (best effort, within the deadline) so the storefront's
 * retry is dispatched at once rather than after the window. A mark that does not land in time
 * leaves the answer a success: the event is with the dispatcher.
 */
export async function acceptDelivery(
  ports: Pick<WebhookReceiverDependencies, 'deliveries' | 'dispatcher' | 'intake'>,
  event: StorefrontEvent,
  options: DeliveryAcceptanceOptions,
): Promise<DeliveryAcceptance> {
  if (routeStorefrontEvent(event) === undefined) return { accepted: true, outcome: 'ignored' };
  const { deadline, inFlightMs, logger } = options;
  const about = { tenantId: event.tenantId, storefront: event.storefront, deliveryId: event.deliveryId, topic: event.topic };
  const receivedAt = options.now();
  let earlier: EarlierDelivery | undefined;
  try {
    earlier = await deadline.wait(() => ports.deliveries.recordDelivery(event, new Date(receivedAt)));
  } catch (error) {
    return { accepted: false, reason: 'store_unavailable', retryAfterSeconds: unavailableRetryAfterSeconds, error };
  }
  if (ports.intake !== undefined) {
    // A copy of a delivery still `received` is handed on too: the intake skips one it already
    // holds, and takes one whose record landed after its attempt had answered 503.
    if (earlier?.state !== 'dispatched') ports.intake.accept(event);
    if (earlier !== undefined) return { accepted: true, outcome: 'duplicate' };
    return { accepted: true, outcome: 'recorded' };
  }
  if (earlier?.state === 'dispatched') return { accepted: true, outcome: 'duplicate' };
  if (earlier !== undefined) {
    const ageMs = receivedAt - earlier.receivedAt.getTime();
    if (ageMs < inFlightMs)
      return { accepted: false, reason: 'delivery_in_progress', retryAfterSeconds: Math.max(1, Math.ceil((inFlightMs - ageMs) / 1000)) };
    logger?.warn({ ...about, recordedMsAgo: ageMs }, 'webhook delivery recorded earlier but never marked dispatched; dispatching it again');
  }
  let outcome: DispatchOutcome;
  try {
    outcome = await ports.dispatcher.dispatch(event);
  } catch (error) {
    await deadline
      .wait(() => ports.deliveries.releaseDelivery(event))
      .catch((releaseError: unknown) => {
        logger?.warn(
          { ...about, err: releaseError },
          'webhook delivery not released after a failed dispatch; a retry within the in-flight window is asked to wait',
        );
      });
    return { accepted: false, reason: 'dispatcher_unavailable', retryAfterSeconds: unavailableRetryAfterSeconds, error };
  }
  await deadline
    .wait(() => ports.deliveries.markDispatched(event))
    .catch((markError: unknown) => {
      logger?.warn(
        { ...about, err: markError },
        'webhook delivery not marked dispatched; a copy within the in-flight window is asked to retry, a later one is dispatched again',
      );
    });
  return { accepted: true, outcome };
}
