/** A parked item whose step failed on outages is retried on its own after this long. */
export const transientRetryDelay = '30 minutes';
