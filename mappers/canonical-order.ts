import type { OrderAmounts } from './money.js';

/**
 * The product's own view of a storefront order, whatever the storefront: money in minor units
 * of the order's currency, addresses standardised, the storefront's own identifiers kept.
 * Storefront mappers produce it; Intacct mappers consume it.
 *
 * Amounts are tax-exclusive with tax separate: line totals, shipping and handling exclude
 * tax, `tax` is the order's whole tax, `total` is what the buyer owes, so that
 * Σ(lineTotal − lineDiscount) + shipping + handling + giftWrapping + tax − discount = total
 * (checked by `checkOrderBalance(canonicalOrderAmounts(order))`, never forced by a mapper).
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
  /** Discounts the storefront applied to this line alone (not shares of order-level discounts). */
  lineDiscount: number;
  /** This line's tax, in minor units. */
  tax: number;
  /**
   * The line's tax by jurisdiction or rate, as the storefront computed it (absent when the store
   * does not break it down). The components need not sum to `tax` exactly: the Intacct mapper
   * posts the difference as a named rounding adjustment.
   */
  taxes?: CanonicalTaxComponent[];
  /** The variant's UPC/GTIN, when the storefront gives one (item matching by `upc`). */
  upc?: string;
  /** The storefront location the line is fulfilled from (the `warehouses` mapping table's key). */
  locationId?: string;
  /** The id of the ship-to (consignment) in {@link CanonicalOrder.shipTos} this line goes to. */
  shipToId?: string;
  /**
   * Product attributes kept for rules (`line.attributes.<name>`): the product type (BigCommerce
   * `type`, physical or digital), options chosen, and what the storefront gives with the line.
   */
  attributes?: Record<string, string>;
  /**
   * The product's custom fields (BigCommerce `custom_fields`) that the tenant's rules name
   * (`line.productCustomFields.<name>`), by name; no others are kept. A name the product has
   * twice keeps its first value.
   */
  productCustomFields?: Record<string, string>;
  /**
   * The name of the product's brand (`line.brand`), as the merchant typed it; with `brandId`, the
   * storefront's id. Read only for tenants whose rules name them; absent for a product without one.
   */
  brand?: string;
  brandId?: string;
  /**
   * The names of the categories the product is in (`line.categories`), in the product's order, and
   * their storefront ids (`categoryIds`). Read only for tenants whose rules name them.
   */
  categories?: string[];
  categoryIds?: string[];
}

/** One tax (a jurisdiction or rate) on a line or on an order-level charge, in minor units. */
export interface CanonicalTaxComponent {
  /** The storefront's name for the tax (e.g. "VAT 20%", "Texas State Tax"): the `taxRates` mapping key. */
  name: string;
  /** The rate in percent as the storefront states it (e.g. "20"), when known. */
  ratePercent?: string;
  amount: number;
}

/** Tax on an order-level charge rather than a product line; unnamed when the store gives only the amount. */
export interface CanonicalChargeTax extends Omit<CanonicalTaxComponent, 'name'> {
  appliesTo: 'shipping' | 'handling' | 'giftWrapping';
  name?: string;
}

/** One ship-to of an order with several consignments. */
export interface CanonicalShipTo {
  /** The storefront's id of the address (BigCommerce `order_address_id`). */
  id: string;
  address: CanonicalAddress;
  /** The shipping method the shopper chose for this consignment, as the storefront names it. */
  shippingMethod?: string;
}

/** The storefronts the product syncs, by the name settings, webhooks, workflow ids and search attributes use. */
export const storefrontKinds = ['bigcommerce', 'clarity'] as const;
/** One of {@link storefrontKinds}. */
export type StorefrontKind = (typeof storefrontKinds)[number];

export interface CanonicalOrder {
  storefront: StorefrontKind;
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
  /** Gift wrapping, tax excluded (0 or absent when none). */
  giftWrapping?: number;
  /**
   * Whether the storefront's prices include tax (VAT-inclusive). The canonical amounts are tax
   * exclusive either way: for inclusive stores the storefront mapper extracts the tax from the
   * gross amounts, which stay the authority (gross = net + tax, to the minor unit).
   */
  pricesIncludeTax?: boolean;
  /** Tax on shipping, handling and gift wrapping, by jurisdiction or rate (part of `tax`). */
  chargeTaxes?: CanonicalChargeTax[];
  /** Every ship-to when the order has several consignments (`shippingAddress` is the first). */
  shipTos?: CanonicalShipTo[];
  /** Order-level discounts (coupons, promotions, manual discounts), as a positive amount; line discounts excluded. */
  discount: number;
  /** The order's whole tax (lines, shipping, handling). */
  tax: number;
  /** The grand total, tax included, as the storefront states it. */
  total: number;
  couponCodes: string[];
  paymentMethod?: string;
  /** Amount captured, in minor units (0 when unpaid). */
  amountPaid: number;
  /**
   * The ids the payment gateway knows the captured payments by (BigCommerce
   * `gateway_transaction_id`, Clarity `paymentInfo.transactionId`): how payout lines find the
   * order's payment. Absent on orders read before they were kept.
   */
  gatewayTransactionIds?: string[];
  /**
   * Free-form attributes kept for dimension rules and rules (`order.attributes.<name>`): channel,
   * customer group (`customerGroupId`), custom form fields. Metafields are in {@link CanonicalOrder.metafields}.
   */
  attributes: Record<string, string>;
  /**
   * The order's metafields (BigCommerce) that the tenant's rules or dimension rules name, by
   * `namespace.key`. Metafields can hold anything, personal data included, so no others are kept.
   */
  metafields?: Record<string, string>;
}

/** The amounts of a canonical order in the shape `checkOrderBalance` reads (lines net of their own discounts). */
export function canonicalOrderAmounts(
  order: Pick<CanonicalOrder, 'lines' | 'shipping' | 'handling' | 'giftWrapping' | 'tax' | 'discount' | 'total'>,
): OrderAmounts {
  return {
    lineTotals: order.lines.map((line) => line.lineTotal - line.lineDiscount),
    shipping: order.shipping,
    // Gift wrapping is a charge like handling as far as the balance is concerned.
    handling: order.handling + (order.giftWrapping ?? 0),
    tax: order.tax,
    discounts: order.discount,
    total: order.total,
  };
}

/** A named entry the storefront gave (an attribute, metafield or custom field); never a property every object has, since a store's field may be called `constructor`. */
export const storefrontEntry = (entries: Readonly<Record<string, string>> | undefined, name: string): string | undefined =>
  entries !== undefined && Object.hasOwn(entries, name) ? entries[name] : undefined;
