import type { ActivityOptions, RetryPolicy } from '@temporalio/workflow';

/**
 * How vendor calls are retried: 2 s doubling to 2 minutes, 11 attempts. A call that fails at
 * once is retried for 606 s (2+4+8+16+32+64+120×4), about ten minutes, before the workflow
 * parks the item; each attempt that hangs until its client's timeout (Intacct 45 s,
 * storefronts 30 s) adds that timeout. Counted in attempts, not time: a schedule-to-close
 * budget would also count the time an activity waits for a worker slot or the vendor's quota,
 * and park orders because of a backlog rather than an outage.
 *
 * Exported on its own because activities derive the delay after a rate limit from it
 * (`activities/connector-failure.ts`) when Temporal does not say which policy applies.
 */
export const vendorCallRetryPolicy: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 11,
};

/**
 * How the product's workflows call Intacct and the storefronts. An attempt may wait in its
 * worker's queue for the vendor's quota (BigCommerce's spaced starts, Intacct's two requests
 * per company) for as long as the worker's other calls take, so it is not timed by a short
 * start-to-close: it heartbeats while it runs (`activities/heartbeats.ts`), and the heartbeat
 * timeout is what notices a worker that died, so another worker retries the call about 30 s
 * later. Start-to-close only ends an attempt that is stuck although its worker lives; it is
 * far above the longest queue a worker's 50 activity slots can form in front of a vendor that
 * answers normally. A vendor that hangs is cut off by the clients' own timeouts.
 */
export const vendorCallOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: vendorCallRetryPolicy,
};

/** The product's own bookkeeping in MongoDB: retried until it works, because it only records what already happened. */
export const bookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};

/** A parked item whose step failed on outages is retried on its own after this long. */
export const transientRetryDelay = '30 minutes';
