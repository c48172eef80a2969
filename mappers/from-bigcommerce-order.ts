import type { Order, OrderAddress, OrderCoupon, OrderProduct, OrderShippingAddress, Transaction } from '../connectors/bigcommerce/index.js';
import { standardiseAddress } from './address.js';
import type { CanonicalAddress, CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import { ProblemCollector } from './order-mapping-error.js';

/** Everything the BigCommerce connector fetches for one order (V2 order and its sub-collections, V3 transactions). */
export interface BigCommerceOrderInput {
  order: Order;
  products: readonly OrderProduct[];
  shippingAddresses: readonly OrderShippingAddress[];
  coupons: readonly OrderCoupon[];
  /** When given, `amountPaid` is the sum of successful captures and purchases; otherwise it follows `payment_status`. */
  transactions?: readonly Transaction[];
}

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
 * - Several shipping addresses: the first is `shippingAddress`, the count is an attribute.
 *
 * Throws `OrderMappingError` listing every problem: an invalid currency, amounts not exact in
 * it, lines without SKU, an unrecognised country, a gift-wrapping charge (not mapped yet),
 * line discounts larger than the order's discounts, or transactions in another currency.
 */
export function fromBigCommerceOrder(input: BigCommerceOrderInput): CanonicalOrder {
  const { order, products, shippingAddresses, coupons, transactions } = input;
  const orderId = String(order.id);
  const currency = (order.default_currency_code ?? '').trim() !== '' ? order.default_currency_code!.trim() : order.currency_code.trim();
  const problems = new ProblemCollector(currency);

  const readAddress = (field: string, raw: OrderAddress): CanonicalAddress => {
    const { address, unrecognisedCountry } = standardiseAddress(bigCommerceAddress(raw));
    if (unrecognisedCountry) problems.add('unrecognised_country', field, `country "${address.country}" is not recognised`);
    return address;
  };

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
        unitPrice: problems.amount(`${field} price_ex_tax`, product.price_ex_tax),
        lineTotal: problems.amount(`${field} total_ex_tax`, product.total_ex_tax),
        lineDiscount,
        tax: problems.amount(`${field} total_tax`, product.total_tax),
      };
      if (product.product_id !== 0) line.productId = String(product.product_id);
      return line;
    });

  const wrapping = problems.amount('wrapping_cost_ex_tax', order.wrapping_cost_ex_tax ?? '0');
  if (wrapping !== 0)
    problems.add('unsupported_charge', 'wrapping_cost_ex_tax', `gift wrapping of ${order.wrapping_cost_ex_tax} is not mapped`);

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
    shipping: problems.amount('shipping_cost_ex_tax', order.shipping_cost_ex_tax),
    handling: problems.amount('handling_cost_ex_tax', order.handling_cost_ex_tax),
    discount: Math.max(discount, 0),
    tax: problems.amount('total_tax', order.total_tax),
    total,
    couponCodes: [...new Set(coupons.map((coupon) => coupon.code?.trim() ?? '').filter((code) => code !== ''))],
    amountPaid,
    attributes,
  };
  if (firstShipping) canonical.shippingAddress = readAddress(`shipping address ${firstShipping.id}`, firstShipping);
  const paymentMethod = order.payment_method.trim();
  if (paymentMethod !== '') canonical.paymentMethod = paymentMethod;
  if (gatewayTransactionIds.length > 0) canonical.gatewayTransactionIds = gatewayTransactionIds;

  problems.throwIfAny('bigcommerce', orderId);
  return canonical;
}
