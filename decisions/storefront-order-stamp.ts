import type { Order } from '../connectors/bigcommerce/index.js';
import type { ClarityOrder } from '../connectors/clarity/index.js';
import { isoTimestamp } from '../mappers/iso-timestamp.js';

/**
 * The storefront's stamp of one version of an order, as one line of text: the storefront's
 * modification time (ISO 8601 UTC) followed by the order state the product acts on, e.g.
 * `2026-01-20T14:05:03Z (status 11, shipped 0 of 3, total 43.30, refunded 0.0000, payment captured)`.
 *
 * The time alone cannot tell two versions apart: BigCommerce's `date_modified` counts whole
 * seconds, so a change made in the same second as the product's own write keeps it. What the
 * product does once an order is posted (cancel it, sync its shipments) turns on the state in
 * brackets, which such a change does move; a change it does not move (an address edit, staff
 * notes) changes nothing the product would do. Two stamps are the same version only when
 * their whole text is equal.
 */
export type StorefrontOrderStamp = string;

/** The fields of a BigCommerce order header (`GET /v2/orders/{id}`, or a PUT's answer) a stamp is made of. */
export type BigCommerceOrderHeader = Pick<
  Order,
  'date_modified' | 'status_id' | 'items_total' | 'items_shipped' | 'total_inc_tax' | 'refunded_amount' | 'payment_status'
>;

/** The fields of a Clarity order a stamp is made of; shipments move `updatedAt` (and `status` once every line has shipped). */
export type ClarityOrderHeader = Pick<ClarityOrder, 'updatedAt' | 'status' | 'totalAmount'>;

/** Undefined when the header has no modification time to stamp it with: such a version is never the same as another. */
export function fromBigCommerceOrderHeader(header: BigCommerceOrderHeader): StorefrontOrderStamp | undefined {
  return stamp(header.date_modified, [
    `status ${header.status_id}`,
    `shipped ${header.items_shipped} of ${header.items_total}`,
    `total ${header.total_inc_tax}`,
    `refunded ${header.refunded_amount}`,
    `payment ${header.payment_status}`,
  ]);
}

export function fromClarityOrderHeader(order: ClarityOrderHeader): StorefrontOrderStamp | undefined {
  return stamp(order.updatedAt, [`status ${order.status}`, `total ${order.totalAmount}`]);
}

function stamp(modifiedAt: string, state: readonly string[]): StorefrontOrderStamp | undefined {
  const at = isoTimestamp(modifiedAt);
  return at === undefined ? undefined : `${at} (${state.join(', ')})`;
}

/** Whether the storefront still has the version the product last saw. Unknown on either side counts as changed. */
export function isSameOrderVersion(lastSeen: StorefrontOrderStamp | undefined, current: StorefrontOrderStamp | undefined): boolean {
  return lastSeen !== undefined && current !== undefined && lastSeen === current;
}

/**
 * The version the product may remember after writing to the order: what the store answered
 * the write with, but only when the order was still the version the product acted on
 * (`seen`) right before the write (`before`) and the write moved nothing but the time
 * (`after`); otherwise undefined, so the next change signal fetches the whole order. Without
 * a write, `after` is `before`.
 */
export function stampAfterOwnWrite(
  seen: StorefrontOrderStamp | undefined,
  before: StorefrontOrderStamp | undefined,
  after: StorefrontOrderStamp | undefined,
): StorefrontOrderStamp | undefined {
  if (!isSameOrderVersion(seen, before) || before === undefined || after === undefined) return undefined;
  const [beforeAt, beforeState] = splitStamp(before);
  const [afterAt, afterState] = splitStamp(after);
  if (afterState !== beforeState || !(Date.parse(afterAt) >= Date.parse(beforeAt))) return undefined;
  return after;
}

function splitStamp(value: StorefrontOrderStamp): [at: string, state: string] {
  const space = value.indexOf(' ');
  return space === -1 ? [value, ''] : [value.slice(0, space), value.slice(space + 1)];
}
