import type { CanonicalAddress, CanonicalOrder, CanonicalOrderLine } from '../../mappers/canonical-order.js';
import type { CanonicalRefund, CanonicalRefundLine } from '../../mappers/canonical-refund.js';

/**
 * Canonical orders and refunds for tests, built from defaults a test overrides field by field:
 * write only what the test is about. Amounts are minor units. Totals balance by default
 * (Σ(lineTotal − lineDiscount) + shipping + handling + tax − discount), and an order is paid in
 * full unless `amountPaid` says otherwise; a test that needs an unbalanced order passes `total`.
 */

/** Jane Doe's billing address in Austin, with only the fields an address needs. */
export function aCanonicalAddress(overrides: Partial<CanonicalAddress> = {}): CanonicalAddress {
  return { firstName: 'Jane', lastName: 'Doe', line1: '1 Main St', city: 'Austin', country: 'US', ...overrides };
}

/** One mug at 10.00 unless overridden; `lineTotal` is quantity × unit price unless given. */
export function aCanonicalOrderLine(overrides: Partial<CanonicalOrderLine> = {}): CanonicalOrderLine {
  const quantity = overrides.quantity ?? 1;
  const unitPrice = overrides.unitPrice ?? 1000;
  return {
    lineId: '1',
    sku: 'MUG',
    name: 'Mug',
    quantity,
    unitPrice,
    lineTotal: quantity * unitPrice,
    lineDiscount: 0,
    tax: 0,
    ...overrides,
  };
}

/**
 * BigCommerce order 500, Awaiting Fulfillment (status 11), placed by registered customer 1
 * (Jane Doe), one mug at 10.00, no shipping, tax or discount, paid in full.
 */
export function aCanonicalOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const order: Omit<CanonicalOrder, 'total' | 'amountPaid'> = {
    storefront: 'bigcommerce',
    orderId: '500',
    status: '11',
    placedAt: '2026-11-02T15:00:00.000Z',
    currency: 'USD',
    customer: { kind: 'registered', customerId: '1', email: 'jane@example.com' },
    billingAddress: aCanonicalAddress(),
    lines: [aCanonicalOrderLine()],
    shipping: 0,
    handling: 0,
    discount: 0,
    tax: 0,
    couponCodes: [],
    attributes: {},
    ...overrides,
  };
  const total =
    overrides.total ??
    order.lines.reduce((sum, line) => sum + line.lineTotal - line.lineDiscount, 0) +
      order.shipping +
      order.handling +
      order.tax -
      order.discount;
  return { ...order, total, amountPaid: overrides.amountPaid ?? total };
}

/** The whole of a line refunded: one mug, 10.00, unless overridden. */
export function aCanonicalRefundLine(overrides: Partial<CanonicalRefundLine> = {}): CanonicalRefundLine {
  return { lineId: '1', sku: 'MUG', quantity: 1, amount: 1000, ...overrides };
}

/** Refund `r` of order 500: the mug of {@link aCanonicalOrder} given back, 10.00; `total` balances unless given. */
export function aCanonicalRefund(overrides: Partial<CanonicalRefund> = {}): CanonicalRefund {
  const refund: Omit<CanonicalRefund, 'total'> = {
    storefront: 'bigcommerce',
    refundId: 'r',
    orderId: '500',
    createdAt: '2026-11-03T10:00:00.000Z',
    currency: 'USD',
    lines: [aCanonicalRefundLine()],
    shipping: 0,
    handling: 0,
    orderLevel: 0,
    tax: 0,
    ...overrides,
  };
  const total =
    overrides.total ??
    refund.lines.reduce((sum, line) => sum + line.amount, 0) + refund.shipping + refund.handling + refund.orderLevel + refund.tax;
  return { ...refund, total };
}

/** The BigCommerce sandbox's registered customer 1 as a V2 order's billing address (`POST /v2/orders`). */
export const janeDoeBillingAddress = {
  first_name: 'Jane',
  last_name: 'Doe',
  street_1: '555 East Street',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  email: 'jane.doe@example.com',
};
