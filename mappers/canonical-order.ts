/**
 * The product's own view of a storefront order, whatever the storefront: money in minor units
 * of the order's currency, addresses standardised, the storefront's own identifiers kept.
 * Storefront mappers produce it; Intacct mappers consume it.
 */
export interface CanonicalAddress {
  firstName: string;
  lastName: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  /** ISO 3166-2 subdivision code without the country prefix when known (e.g. "TX"), else the text as given. */
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  email?: string;
  phone?: string;
}

export interface CanonicalOrderLine {
  /** The storefront's line id, for write-back and partial refunds. */
  lineId: string;
  sku: string;
  productId?: string;
  name: string;
  quantity: number;
  /** Price of one unit before order-level discounts, in minor units. */
  unitPrice: number;
  /** quantity × unitPrice, as the storefront states it (it may round per line). */
  lineTotal: number;
  /** Discounts the storefront applied to this line alone. */
  lineDiscount: number;
  tax: number;
}

export interface CanonicalOrder {
  storefront: 'bigcommerce' | 'clarity';
  /** The storefront's order id: the reference number of the Intacct sales document. */
  orderId: string;
  /** The storefront's status as it names it (BigCommerce: the status id as text). */
  status: string;
  /** When the order was placed (ISO 8601, UTC). */
  placedAt: string;
  currency: string;
  customer: { kind: 'registered'; customerId: string; email?: string } | { kind: 'guest'; email?: string };
  billingAddress: CanonicalAddress;
  shippingAddress?: CanonicalAddress;
  lines: CanonicalOrderLine[];
  shipping: number;
  handling: number;
  /** Order-level discounts (coupons, promotions), as a positive amount. */
  discount: number;
  tax: number;
  total: number;
  couponCodes: string[];
  paymentMethod?: string;
  /** Amount captured, in minor units (0 when unpaid). */
  amountPaid: number;
  /** Free-form attributes kept for dimension rules (channel, customer group, custom fields). */
  attributes: Record<string, string>;
}
