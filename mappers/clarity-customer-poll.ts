/**
 * Where a Clarity customer poll has got to: the last customer it handed to CustomerSync, as
 * Clarity lists customers (by `updatedAt`, then `customerId`). The next poll asks for customers
 * updated since `updatedAt` and hands on only those past the mark, so the customers sharing the
 * mark's instant are not synced twice and a poll with no changes starts nothing.
 */
export interface ClarityCustomerPollMark {
  updatedAt: string;
  customerId: string;
}

/** A polled customer: what the poll needs of it. */
export interface PolledCustomer {
  customerId: string;
  updatedAt: string;
}

/** Orders two customers as Clarity's list does: by update time (as instants), then by id. */
export function compareCustomerChanges(a: PolledCustomer, b: PolledCustomer): number {
  const byTime = Date.parse(a.updatedAt) - Date.parse(b.updatedAt);
  if (byTime !== 0) return byTime;
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

/** The customers not handed on yet: those past the mark, in the list's order. No mark (a full poll): all of them. */
export function customersPastMark<T extends PolledCustomer>(customers: readonly T[], mark: ClarityCustomerPollMark | undefined): T[] {
  const past = mark === undefined ? [...customers] : customers.filter((customer) => compareCustomerChanges(customer, mark) > 0);
  return past.sort(compareCustomerChanges);
}

/** The mark once these customers are handed on: the latest of them and the mark itself. */
export function advanceMark(
  mark: ClarityCustomerPollMark | undefined,
  customers: readonly PolledCustomer[],
): ClarityCustomerPollMark | undefined {
  let latest = mark;
  for (const customer of customers) {
    if (latest === undefined || compareCustomerChanges(customer, latest) > 0)
      latest = { updatedAt: customer.updatedAt, customerId: customer.customerId };
  }
  return latest;
}

/** The topic a polled change carries into CustomerSync: never a customer-record update, so never taken for an echo. */
export const polledCustomerTopic = 'clarity/customer/polled';

/**
 * The change a polled customer stands for, as CustomerSync's signal carries it. The delivery id
 * names the customer and its update time: a poll that sees the same change again (a retry after a
 * crash) sends a copy CustomerSync drops, and a later change is a new delivery.
 */
export function polledCustomerChange(customer: PolledCustomer): { deliveryId: string; topic: string; occurredAt: string } {
  return {
    deliveryId: `clarity-poll:${customer.customerId}:${customer.updatedAt}`,
    topic: polledCustomerTopic,
    occurredAt: customer.updatedAt,
  };
}
