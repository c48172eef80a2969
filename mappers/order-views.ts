import type { CanonicalAddress, CanonicalOrder, CanonicalShipTo } from './canonical-order.js';

/**
 * The parts of a canonical order a step is given, so the buyer's contact data travels through
 * Temporal history only to the steps that need it (issue 22): the customer match and the sales
 * document's contacts. Every other step gets the order without contacts.
 */

/** Where an address is, without whom: the country and region rules and checks read. */
export type AddressPlace = Pick<CanonicalAddress, 'country' | 'region'>;

/**
 * The order as a step that needs no contact data reads it: lines, amounts, statuses, payment and
 * attributes as they are; the customer by kind and storefront id, without email; each address by
 * its country and region only. A whole canonical order is one too, so inputs recorded before
 * steps were given this view still type.
 */
export interface OrderWithoutContacts extends Omit<CanonicalOrder, 'customer' | 'billingAddress' | 'shippingAddress' | 'shipTos'> {
  customer: { kind: 'registered'; customerId: string } | { kind: 'guest' };
  billingAddress: AddressPlace;
  shippingAddress?: AddressPlace;
  shipTos?: Array<Omit<CanonicalShipTo, 'address'> & { address: AddressPlace }>;
}

/** What matches or creates the order's Intacct customer: who the buyer is and their billing contact, nothing of the lines. */
export type OrderBuyer = Pick<CanonicalOrder, 'storefront' | 'orderId' | 'customer' | 'billingAddress'>;

/** The order without its buyer's contact data (see {@link OrderWithoutContacts}). */
export function withoutContacts(order: CanonicalOrder): OrderWithoutContacts {
  const { customer, billingAddress, shippingAddress, shipTos, ...rest } = order;
  return {
    ...rest,
    customer: customer.kind === 'registered' ? { kind: 'registered', customerId: customer.customerId } : { kind: 'guest' },
    billingAddress: placeOf(billingAddress),
    ...(shippingAddress !== undefined && { shippingAddress: placeOf(shippingAddress) }),
    ...(shipTos !== undefined && { shipTos: shipTos.map(({ address, ...shipTo }) => ({ ...shipTo, address: placeOf(address) })) }),
  };
}

/** The order's buyer (see {@link OrderBuyer}). */
export function buyerOf(order: CanonicalOrder): OrderBuyer {
  const { storefront, orderId, customer, billingAddress } = order;
  return { storefront, orderId, customer, billingAddress };
}

function placeOf(address: CanonicalAddress): AddressPlace {
  return { country: address.country, ...(address.region !== undefined && { region: address.region }) };
}
