import type { ActivityOptions } from '@temporalio/workflow';
import { vendorCallRetryPolicy } from './vendor-call-contract.js';

/**
 * The activity option sets of every workflow, named by latency class, each with explicit
 * timeouts and retry policy. A workflow makes one `proxyActivities` per set it uses and calls
 * each activity through the set it belongs to.
 */

/**
 * A call to Intacct or a storefront. An attempt may wait in its worker's queue for the
 * vendor's quota (BigCommerce's spaced starts, Intacct's two requests per company) for as long
 * as the worker's other calls take, so it is not timed by a short start-to-close: it
 * heartbeats while it runs (`activities/heartbeats.ts`), and the heartbeat timeout is what
 * notices a worker that died, so another worker retries the call about 30 s later.
 * Start-to-close only ends an attempt that is stuck although its worker lives; it is far above
 * the longest queue a worker's 50 activity slots can form in front of a vendor that answers
 * normally. A vendor that hangs is cut off by the clients' own timeouts.
 */
export const vendorCallOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: vendorCallRetryPolicy,
};

/**
 * A vendor call the flow can do without, given up after 3 attempts: a quick look at whether
 * the order changed (a failed look counts as a change) or a courtesy write-back of a state.
 */
export const bestEffortVendorCallOptions: ActivityOptions = {
  ...vendorCallOptions,
  retry: { ...vendorCallRetryPolicy, maximumAttempts: 3 },
};

/** The product's own bookkeeping in MongoDB: retried until it works, because it only records what already happened. */
export const bookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};

/** Bookkeeping the flow can do without (waking refunds that look again on their own): 3 attempts. */
export const bestEffortBookkeepingOptions: ActivityOptions = {
  ...bookkeepingOptions,
  retry: { ...bookkeepingOptions.retry, maximumAttempts: 3 },
};

/**
 * Mapping an order over the tenant's settings and tables (MongoDB reads, a pure mapper): 5
 * attempts, because a mapping that fails does so for a reason a retry does not cure.
 */
export const mappingOptions: ActivityOptions = {
  ...bookkeepingOptions,
  retry: { ...bookkeepingOptions.retry, maximumAttempts: 5 },
};

/**
 * A page of an inventory run (an Intacct stock page, a page's storefront levels): long reads
 * that heartbeat, retried while a system is down, 10 attempts.
 */
export const inventoryPageReadOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
};

/**
 * A scheduled run's own small MongoDB reads and writes (settings, reports, cursors): 10
 * attempts, since the next run does the same work again.
 */
export const scheduledRunBookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
};

/** A page of ids from a storefront's listing, retried while the store is down; a sweep that gives up leaves its cursor for the next one. */
export const storefrontListingOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
};

/** Up to a page of workflow starts: heartbeats per batch and resumes from the last one. */
export const workflowStartBatchOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
};

/**
 * A health check of a storefront's webhooks (a few storefront calls and one MongoDB write).
 * Few attempts: the next sweep checks again, and this one's result should not wait long on a
 * store that is down.
 */
export const webhookCheckOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
};

/** The self-check's one MongoDB write: short, a few quick attempts, so a broken store shows at once. */
export const selfCheckOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5 },
};

/** A preview's reads (storefront, Intacct, the store): someone waits for the answer, so a few quick attempts. */
export const orderPreviewOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 3, nonRetryableErrorTypes: [] },
};
