import type { RetryPolicy } from '@temporalio/common';

/**
 * How vendor calls are retried: 2 s doubling to 2 minutes, 11 attempts. A call that fails at
 * once is retried for 606 s (2+4+8+16+32+64+120×4), about ten minutes, before the workflow
 * parks the item; each attempt that hangs until its client's timeout (Intacct 45 s,
 * storefronts 30 s) adds that timeout. Counted in attempts, not time: a schedule-to-close
 * budget would also count the time an activity waits for a worker slot or the vendor's quota,
 * and park orders because of a backlog rather than an outage.
 *
 * A contract between workflows and activities: activities derive the delay after a rate limit
 * from it (`activities/connector-failure.ts`) when Temporal does not say which policy applies.
 */
export const vendorCallRetryPolicy: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 11,
};
