import { describe, expect, it } from 'vitest';
import type { CanonicalAddress, CanonicalOrder } from './canonical-order.js';
import { buyerOf, withoutContacts, type OrderWithoutContacts } from './order-views.js';

const billing: CanonicalAddress = {
  firstName: 'Wilhelmina',
  lastName: 'Quackenbush',
  company: 'Quackenbush Ltd',
  line1: '742 Evergreen Terrace',
  line2: 'Suite 4',
  city: 'Springfield',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'w.quackenbush@example.org',
  phone: '512-555-0199',
};
const shipping: CanonicalAddress = {
  firstName: 'Bartholomew',
  lastName: 'Fennimore',
  line1: '19 Juniper Hollow',
  city: 'Toronto',
  region: 'ON',
  postalCode: 'M5V 2T6',
  country: 'CA',
  email: 'b.fennimore@example.org',
  phone: '416-555-0142',
};
const contactValues = [billing, shipping].flatMap(({ firstName, lastName, company, line1, line2, city, postalCode, email, phone }) =>
  [firstName, lastName, company, line1, line2, city, postalCode, email, phone].filter((value) => value !== undefined),
);

const line = {
  lineId: '7',
  sku: 'TEE-BLK-M',
  name: 'Tee, black, M',
  quantity: 2,
  unitPrice: 1_500,
  lineTotal: 3_000,
  lineDiscount: 0,
  tax: 248,
  shipToId: '21',
  attributes: { type: 'physical' },
};

const order: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '1042',
  status: '11',
  placedAt: '2026-12-01T10:00:00Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '88', email: 'w.quackenbush@example.org' },
  billingAddress: billing,
  shippingAddress: shipping,
  shipTos: [
    { id: '21', address: shipping, shippingMethod: 'Flat Rate' },
    { id: '22', address: billing },
  ],
  lines: [line],
  shipping: 500,
  handling: 0,
  discount: 0,
  tax: 248,
  total: 3_748,
  couponCodes: ['WELCOME'],
  paymentMethod: 'Credit Card',
  amountPaid: 3_748,
  gatewayTransactionIds: ['pi_123'],
  attributes: { channelId: '1', shippingMethod: 'Flat Rate', paymentGateway: 'stripe' },
};

describe('withoutContacts: the order for steps that need no contact data', () => {
  it('when an order has a registered buyer and two ship-tos, then names, companies, streets, cities, postal codes, emails and phones are gone', () => {
    const text = JSON.stringify(withoutContacts(order));
    for (const value of contactValues) expect(text, value).not.toContain(value);
  });

  it('when an order is reduced, then what rules, checks and payments read stays exactly: lines, amounts, payment, attributes, countries, regions and the customer by id', () => {
    expect(withoutContacts(order)).toEqual({
      storefront: 'bigcommerce',
      orderId: '1042',
      status: '11',
      placedAt: '2026-12-01T10:00:00Z',
      currency: 'USD',
      customer: { kind: 'registered', customerId: '88' },
      billingAddress: { country: 'US', region: 'TX' },
      shippingAddress: { country: 'CA', region: 'ON' },
      shipTos: [
        { id: '21', address: { country: 'CA', region: 'ON' }, shippingMethod: 'Flat Rate' },
        { id: '22', address: { country: 'US', region: 'TX' } },
      ],
      lines: [line],
      shipping: 500,
      handling: 0,
      discount: 0,
      tax: 248,
      total: 3_748,
      couponCodes: ['WELCOME'],
      paymentMethod: 'Credit Card',
      amountPaid: 3_748,
      gatewayTransactionIds: ['pi_123'],
      attributes: { channelId: '1', shippingMethod: 'Flat Rate', paymentGateway: 'stripe' },
    } satisfies OrderWithoutContacts);
  });

  it('when a guest order has no ship-to and an address no region, then the guest stays a guest and nothing is added', () => {
    const { shippingAddress: _shipping, shipTos: _shipTos, ...single } = order;
    const guest: CanonicalOrder = {
      ...single,
      customer: { kind: 'guest', email: 'w.quackenbush@example.org' },
      billingAddress: { firstName: 'Ann', lastName: 'Lee', line1: '1 High Street', city: 'London', country: 'GB' },
    };
    const reduced = withoutContacts(guest);
    expect(reduced.customer).toEqual({ kind: 'guest' });
    expect(reduced.billingAddress).toEqual({ country: 'GB' });
    expect('shippingAddress' in reduced).toBe(false);
    expect('shipTos' in reduced).toBe(false);
  });

  it('when a whole canonical order is given where the view is asked (an input recorded before), then it types', () => {
    const recorded: OrderWithoutContacts = order;
    expect(recorded.orderId).toBe('1042');
  });
});

describe('buyerOf: the order for matching or creating its Intacct customer', () => {
  it('when an order is given, then the buyer and billing contact stay and the lines, ship-tos and amounts are gone', () => {
    expect(buyerOf(order)).toEqual({ storefront: 'bigcommerce', orderId: '1042', customer: order.customer, billingAddress: billing });
  });
});
