import type {
  Order,
  OrderAddress,
  OrderCoupon,
  OrderMetafield,
  OrderProduct,
  OrderShippingAddress,
  OrderTax,
  Transaction,
} from '../connectors/bigcommerce/index.js';
import { standardiseAddress } from './address.js';
import {
  storefrontEntry,
  type CanonicalAddress,
  type CanonicalChargeTax,
  type CanonicalOrder,
  type CanonicalOrderLine,
  type CanonicalTaxComponent,
} from './canonical-order.js';
import { ProblemCollector } from './order-mapping-error.js';
import { keepNamed, type StorefrontFieldReferences } from './storefront-field-references.js';

/** A shipping address as the mapper reads it: the address, its id (the lines' `order_address_id`) and its shipping method. */
export type BigCommerceShipTo = OrderAddress & Pick<OrderShippingAddress, 'id' | 'shipping_method'>;

/** Everything the BigCommerce connector fetches for one order (V2 order and its sub-collections, V3 transactions). */
export interface BigCommerceOrderInput {
  order: Order;
  products: readonly OrderProduct[];
  /** `GET /orders/{id}/shipping_addresses`, or the shipping consignments of the order read with its consignments. */
  shippingAddresses: readonly BigCommerceShipTo[];
  coupons: readonly OrderCoupon[];
  /** When given, `amountPaid` is the sum of successful captures and purchases; otherwise it follows `payment_status`. */
  transactions?: readonly Transaction[];
  /** `GET /orders/{id}/taxes?details=true`: each line's and charge's tax by rate. */
  taxes?: readonly OrderTax[];
  /**
   * The registered customer's group (`customer_group_id` of `GET /v3/customers?id:in=…`), read
   * only when the tenant's rules or dimension rules use it: BigCommerce keeps it on the customer,
   * not the order. 0 or absent: none.
   */
  customerGroupId?: number;
  /** `GET /v3/orders/{id}/metafields` in the namespaces the tenant's settings name; read only when they name one. */
  metafields?: readonly OrderMetafield[];
  /** The custom fields of the order's products by product id (`include=custom_fields`); read only when rules name one. */
  productCustomFields?: Readonly<Record<string, ReadonlyArray<{ name: string; value: string }>>>;
  /**
   * Each product's `brand_id` (0: none) and `categories` by product id, from the same product read
   * as custom fields; given only when rules name a brand or category field.
   */
  productClassification?: Readonly<Record<string, { brand_id?: number | undefined; categories?: readonly number[] | undefined }>>;
  /** Brand names by id (`GET /v3/catalog/brands?id:in=…`); given only when rules name `brand`/`brands`. */
  brandNames?: Readonly<Record<string, string>>;
  /** Category names by id (`GET /v3/catalog/trees/categories?category_id:in=…`); given only when rules name `categories`. */
  categoryNames?: Readonly<Record<string, string>>;
  /** Which metafields and product custom fields the settings name: only those reach the canonical order. */
  references?: StorefrontFieldReferences;
}

/**
 * The line's brand and categories from the product's ids: ids as text, names where they were read
 * (a brand or category deleted since keeps its id alone). A product without a brand or category
 * has no such field.
 */
function classifiedLine(
  product: { brand_id?: number | undefined; categories?: readonly number[] | undefined },
  brandNames: Readonly<Record<string, string>> | undefined,
  categoryNames: Readonly<Record<string, string>> | undefined,
): Pick<CanonicalOrderLine, 'brand' | 'brandId' | 'categories' | 'categoryIds'> {
  const brandId = product.brand_id !== undefined && product.brand_id !== 0 ? String(product.brand_id) : undefined;
  const brand = brandId === undefined ? undefined : storefrontEntry(brandNames, brandId);
  const categoryIds = [...new Set(product.categories ?? [])].map(String);
  const categories = categoryIds.flatMap((id) => storefrontEntry(categoryNames, id) ?? []);
  return {
    ...(brand !== undefined && { brand }),
    ...(brandId !== undefined && { brandId }),
    ...(categories.length > 0 && { categories }),
    ...(categoryIds.length > 0 && { categoryIds }),
  };
}

const chargeTypes: Readonly<Record<string, CanonicalChargeTax['appliesTo']>> = {
  shipping: 'shipping',
  handling: 'handling',
  gift_wrapping: 'giftWrapping',
};

/** `payment_status` values meaning the full total was captured at some point (refunds are read separately). */
const capturedPaymentStatuses = new Set(['captured', 'paid', 'partially refunded', 'refunded']);

function bigCommerceAddress(address: OrderAddress) {
  return {
    firstName: address.first_name,
    lastName: address.last_name,
    company: address.company,
    line1: address.street_1,
    line2: address.street_2,
    city: address.city,
    region: address.state,
    postalCode: address.zip,
    country: address.country_iso2.trim() !== '' ? address.country_iso2 : address.country,
    email: address.email,
    phone: address.phone,
  };
}

/**
 * Maps a BigCommerce V2 order to the canonical order, tax-exclusive with tax separate:
 * lines at `total_ex_tax`, shipping `shipping_cost_ex_tax`, handling `handling_cost_ex_tax`,
 * tax `total_tax`, total `total_inc_tax`.
 *
 * - Currency: `default_currency_code` (the transactional currency the amounts are in), else
 *   `currency_code`; a different display currency is kept as the `displayCurrency` attribute.
 * - Discounts: BigCommerce takes `discount_amount` (manual and promotion discounts) and
 *   `coupon_discount` (coupons) off the order. `applied_discounts` entries with target
 *   `product` are the line's own discount (`lineDiscount`); the rest of both fields is the
 *   order-level `discount`. Entries with target `order` are BigCommerce's own spreading of
 *   order-level discounts and are not counted again.
 * - Status: the `status_id` as text ("11"); guests are `customer_id` 0, their email the
 *   billing address's.
 * - Bundle children (`is_bundled_product` with a parent line) are not separate lines.
 * - Several shipping addresses (consignments): the first is `shippingAddress`, all are
 *   `shipTos`, and each line names its own by `order_address_id`.
 * - Tax: each line's `total_tax`, broken down by rate from the order's taxes (`line_amount` of
 *   `line_item_type` item); shipping, handling and gift-wrapping taxes likewise, or their
 *   `*_cost_tax` unnamed when the taxes list has none. With `is_tax_inclusive_pricing` the gross
 *   (`*_inc_tax`) amounts are the authority: each net is the gross less the store's tax on it
 *   (extracted, never added), and the order's tax is the sum of those taxes.
 * - Gift wrapping: `wrapping_cost_ex_tax` as `giftWrapping`. Variant UPC/GTIN as `upc`.
 * - Brand and categories (when read): the product's `brand_id` and `categories` as `brandId` and
 *   `categoryIds`, their names as `brand` and `categories`.
 *
 * Throws `OrderMappingError` listing every problem: an invalid currency, amounts not exact in
 * it, lines without SKU, an unrecognised country, line discounts larger than the order's
 * discounts, or transactions in another currency.
 */
export function fromBigCommerceOrder(input: BigCommerceOrderInput): CanonicalOrder {
  const { order, products, shippingAddresses, coupons, transactions, taxes = [], customerGroupId, references } = input;
  const inclusive = order.is_tax_inclusive_pricing === true;
  const orderId = String(order.id);
  const currency = (order.default_currency_code ?? '').trim() !== '' ? order.default_currency_code!.trim() : order.currency_code.trim();
  const problems = new ProblemCollector(currency);

  const readAddress = (field: string, raw: OrderAddress): CanonicalAddress => {
    const { address, unrecognisedCountry } = standardiseAddress(bigCommerceAddress(raw));
    if (unrecognisedCountry) problems.add('unrecognised_country', field, `country "${address.country}" is not recognised`);
    return address;
  };

  const componentsOf = (rows: readonly OrderTax[]): CanonicalTaxComponent[] =>
    rows.map((row) => ({
      name: row.name.trim(),
      ratePercent: String(Number(row.rate)),
      amount: problems.amount(`tax ${row.id} line_amount`, row.line_amount),
    }));
  /** The net amount: as stated when tax is added, the gross less its tax when prices include tax. */
  const net = (field: string, exTax: string, incTax: string | undefined, tax: string | undefined) =>
    inclusive && incTax !== undefined && tax !== undefined
      ? problems.amount(field.replace('ex_tax', 'inc_tax'), incTax) - problems.amount(field.replace('ex_tax', 'tax'), tax)
      : problems.amount(field, exTax);

  const lines: CanonicalOrderLine[] = products
    .filter((product) => !(product.is_bundled_product === true && product.parent_order_product_id != null))
    .map((product) => {
      const field = `line ${product.id}`;
      const sku = product.sku.trim();
      const name = product.name.trim();
      if (sku === '') problems.add('missing_sku', field, `line "${name}" has no SKU`);
      const lineDiscount = (product.applied_discounts ?? [])
        .filter((discount) => discount.target === 'product')
        .reduce((sum, discount) => sum + problems.amount(`${field} applied_discounts ${discount.id}`, discount.amount), 0);
      const line: CanonicalOrderLine = {
        lineId: String(product.id),
        sku,
        name,
        quantity: problems.quantity(`${field} quantity`, product.quantity),
        unitPrice: net(`${field} price_ex_tax`, product.price_ex_tax, product.price_inc_tax, product.price_tax),
        lineTotal: net(`${field} total_ex_tax`, product.total_ex_tax, product.total_inc_tax, product.total_tax),
        lineDiscount,
        tax: problems.amount(`${field} total_tax`, product.total_tax),
      };
      if (product.product_id !== 0) line.productId = String(product.product_id);
      // The product's type (physical, digital, giftcertificate): rules route and classify lines by it.
      if (product.type.trim() !== '') line.attributes = { productType: product.type.trim() };
      const customFields = keepNamed(input.productCustomFields?.[String(product.product_id)] ?? [], references?.productCustomFields ?? []);
      if (Object.keys(customFields).length > 0) line.productCustomFields = customFields;
      const classification = input.productClassification?.[String(product.product_id)];
      if (classification !== undefined) Object.assign(line, classifiedLine(classification, input.brandNames, input.categoryNames));
      const upc = product.upc?.trim() ?? '';
      if (upc !== '') line.upc = upc;
      if (shippingAddresses.length > 1) line.shipToId = String(product.order_address_id);
      const lineTaxes = taxes.filter(
        (row) =>
          (row.line_item_type ?? 'item') === 'item' && row.order_product_id != null && String(row.order_product_id) === String(product.id),
      );
      if (lineTaxes.length > 0) line.taxes = componentsOf(lineTaxes);
      return line;
    });

  const giftWrapping = net('wrapping_cost_ex_tax', order.wrapping_cost_ex_tax ?? '0', order.wrapping_cost_inc_tax, order.wrapping_cost_tax);
  const chargeTaxes: CanonicalChargeTax[] = [];
  const chargeTax = (appliesTo: CanonicalChargeTax['appliesTo'], field: string, stated: string | undefined) => {
    const rows = taxes.filter((row) => chargeTypes[row.line_item_type ?? ''] === appliesTo);
    if (rows.length > 0) chargeTaxes.push(...componentsOf(rows).map((component) => ({ ...component, appliesTo })));
    else {
      const amount = problems.amount(field, stated ?? '0');
      if (amount !== 0) chargeTaxes.push({ appliesTo, amount });
    }
  };
  chargeTax('shipping', 'shipping_cost_tax', order.shipping_cost_tax);
  chargeTax('handling', 'handling_cost_tax', order.handling_cost_tax);
  chargeTax('giftWrapping', 'wrapping_cost_tax', order.wrapping_cost_tax);

  const lineDiscounts = lines.reduce((sum, line) => sum + line.lineDiscount, 0);
  const orderDiscounts =
    problems.amount('discount_amount', order.discount_amount) + problems.amount('coupon_discount', order.coupon_discount);
  const discount = orderDiscounts - lineDiscounts;
  if (discount < 0)
    problems.add(
      'inconsistent_discounts',
      'applied_discounts',
      `line discounts (${lineDiscounts}) exceed discount_amount + coupon_discount (${orderDiscounts})`,
    );

  const total = problems.amount('total_inc_tax', order.total_inc_tax);
  let amountPaid = capturedPaymentStatuses.has(order.payment_status.trim().toLowerCase()) ? total : 0;
  if (transactions) {
    amountPaid = transactions
      .filter((transaction) => (transaction.event === 'capture' || transaction.event === 'purchase') && transaction.status !== 'error')
      .reduce((sum, transaction) => {
        if (transaction.currency.trim() !== currency) {
          problems.add(
            'currency_mismatch',
            `transaction ${transaction.id}`,
            `paid in ${transaction.currency}, the order is in ${currency}`,
          );
          return sum;
        }
        return sum + problems.amount(`transaction ${transaction.id} amount`, transaction.amount);
      }, 0);
  }

  const firstShipping = shippingAddresses[0];
  const attributes: Record<string, string> = {
    statusName: order.status,
    paymentStatus: order.payment_status,
  };
  if (order.channel_id !== undefined) attributes.channelId = String(order.channel_id);
  if (order.order_source) attributes.orderSource = order.order_source;
  if (order.external_source) attributes.externalSource = order.external_source;
  if (order.currency_code.trim() !== currency) attributes.displayCurrency = order.currency_code.trim();
  if (firstShipping && firstShipping.shipping_method.trim() !== '') attributes.shippingMethod = firstShipping.shipping_method.trim();
  if (shippingAddresses.length > 1) attributes.shippingAddressCount = String(shippingAddresses.length);
  if (customerGroupId !== undefined && customerGroupId !== 0 && order.customer_id !== 0)
    attributes.customerGroupId = String(customerGroupId);
  // The gateway that took the money: its close settings say which clearing account the payment waits in.
  const paidThrough = transactions?.find(
    (transaction) => (transaction.event === 'capture' || transaction.event === 'purchase') && transaction.status !== 'error',
  );
  if (paidThrough && paidThrough.gateway.trim() !== '') attributes.paymentGateway = paidThrough.gateway.trim();
  // The gateway's ids of the money taken: how a processor payout's lines find this order's payment.
  const gatewayTransactionIds = [
    ...new Set(
      (transactions ?? [])
        .filter((transaction) => (transaction.event === 'capture' || transaction.event === 'purchase') && transaction.status !== 'error')
        .map((transaction) => transaction.gateway_transaction_id?.trim() ?? '')
        .filter((id) => id !== ''),
    ),
  ];

  const customer: CanonicalOrder['customer'] =
    order.customer_id === 0 ? { kind: 'guest' } : { kind: 'registered', customerId: String(order.customer_id) };
  const email = order.billing_address.email?.trim().toLowerCase() ?? '';
  if (email !== '') customer.email = email;
  const canonical: CanonicalOrder = {
    storefront: 'bigcommerce',
    orderId,
    status: String(order.status_id),
    placedAt: problems.date('date_created', order.date_created),
    currency,
    customer,
    billingAddress: readAddress('billing address', order.billing_address),
    lines,
    shipping: net('shipping_cost_ex_tax', order.shipping_cost_ex_tax, order.shipping_cost_inc_tax, order.shipping_cost_tax),
    handling: net('handling_cost_ex_tax', order.handling_cost_ex_tax, order.handling_cost_inc_tax, order.handling_cost_tax),
    discount: Math.max(discount, 0),
    tax: inclusive
      ? lines.reduce((sum, line) => sum + line.tax, 0) + chargeTaxes.reduce((sum, charge) => sum + charge.amount, 0)
      : problems.amount('total_tax', order.total_tax),
    total,
    couponCodes: [...new Set(coupons.map((coupon) => coupon.code?.trim() ?? '').filter((code) => code !== ''))],
    amountPaid,
    attributes,
  };
  // Each address is read once, so an unrecognised country is reported once.
  const shipTos = shippingAddresses.map((shipTo) => ({
    id: String(shipTo.id),
    address: readAddress(`shipping address ${shipTo.id}`, shipTo),
    ...(shipTo.shipping_method.trim() !== '' && { shippingMethod: shipTo.shipping_method.trim() }),
  }));
  if (shipTos[0]) canonical.shippingAddress = shipTos[0].address;
  if (shipTos.length > 1) canonical.shipTos = shipTos;
  if (giftWrapping !== 0) canonical.giftWrapping = giftWrapping;
  if (inclusive) canonical.pricesIncludeTax = true;
  if (chargeTaxes.length > 0) canonical.chargeTaxes = chargeTaxes;
  const paymentMethod = order.payment_method.trim();
  if (paymentMethod !== '') canonical.paymentMethod = paymentMethod;
  if (gatewayTransactionIds.length > 0) canonical.gatewayTransactionIds = gatewayTransactionIds;
  const metafields = keepNamed(
    (input.metafields ?? []).map((metafield) => ({ name: `${metafield.namespace}.${metafield.key}`, value: metafield.value })),
    references?.orderMetafields ?? [],
  );
  if (Object.keys(metafields).length > 0) canonical.metafields = metafields;

  problems.throwIfAny('bigcommerce', orderId);
  return canonical;
}
