import type { Order } from '../connectors/bigcommerce/index.js';
import type { StorefrontOrderStamp } from '../decisions/storefront-order-stamp.js';
import type { OrderRef } from '../workflows/shared-contract.js';

/**
 * BigCommerce order headers this worker read, so the write-back that follows the fetch of the
 * same order version need not read the header again (one store request less per order). A
 * header is handed out once, only for the version it was read as, and only while it is fresh.
 * The write-back writes staff notes as they were when read, so it does not take a header when
 * the store has signalled a change since (`changeSignalledSinceFetch`): a merchant's edit of the
 * staff notes is then overwritten only when its webhook arrives after the write-back, as it
 * would be between any read and write, BigCommerce having no conditional update. The window is
 * minutes, not seconds, because posting takes that long when orders queue (up to 263 s in the
 * benchmark); it bounds the harm of a webhook that never came. Anything else reads the store.
 */
export interface RecentOrderHeaders {
  remember(ref: OrderRef, header: Order, stamp: StorefrontOrderStamp | undefined): void;
  /** The header read as version `stamp`, if this worker read it within the freshness window; forgotten once taken. */
  take(ref: OrderRef, stamp: StorefrontOrderStamp | undefined): Order | undefined;
}

export interface RecentOrderHeadersOptions {
  /** How long a header may be used for after it was read (default 10 minutes). */
  freshForMs?: number;
  /** At most this many headers are kept, the oldest dropped first (default 1,000). */
  capacity?: number;
  now?: () => number;
}

export function createRecentOrderHeaders(options: RecentOrderHeadersOptions = {}): RecentOrderHeaders {
  const { freshForMs = 10 * 60_000, capacity = 1_000, now = Date.now } = options;
  const headers = new Map<string, { header: Order; stamp: StorefrontOrderStamp; readAt: number }>();
  const key = (ref: OrderRef) => `${ref.tenantId}\u0000${ref.orderId}`;
  return {
    remember(ref, header, stamp) {
      if (stamp === undefined) return;
      headers.delete(key(ref));
      headers.set(key(ref), { header, stamp, readAt: now() });
      // Maps iterate in insertion order: the first key is the oldest.
      while (headers.size > capacity) headers.delete(headers.keys().next().value!);
    },
    take(ref, stamp) {
      const kept = headers.get(key(ref));
      if (kept === undefined) return undefined;
      headers.delete(key(ref));
      return stamp !== undefined && kept.stamp === stamp && now() - kept.readAt <= freshForMs ? kept.header : undefined;
    },
  };
}
