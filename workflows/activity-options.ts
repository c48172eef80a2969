import type { ActivityOptions } from '@temporalio/workflow';

/**
 * How the product's workflows call activities. Calls to Intacct and the storefronts are retried
 * with backoff for about ten minutes, then the workflow parks the item (and retries it later).
 * The timeout is also how long a call lost with a crashed worker waits before another worker
 * retries it, so it is kept just above the clients' own (Intacct 45 s, storefronts 30 s).
 */
export const vendorCallOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
};

/** The product's own bookkeeping in MongoDB: retried until it works, because it only records what already happened. */
export const bookkeepingOptions: ActivityOptions = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } };

/** A parked item whose step failed on outages is retried on its own after this long. */
export const transientRetryDelay = '30 minutes';
