import type { ClarityAddress, ClarityOrder } from '../connectors/clarity/index.js';
import { standardiseAddress } from './address.js';
import type { CanonicalAddress, CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import { ProblemCollector } from './order-mapping-error.js';

/** `paymentInfo.status` values meaning the amount was captured (refunds are read separately). */
const capturedPaymentStatuses = new Set(['captured', 'paid', 'partially_refunded', 'refunded']);

/**
 * Maps a Clarity order (the connector's model) to the canonical order, tax-exclusive with
 * tax separate: `lineTotal` = quantity × `unitPrice`, shipping `shippingAmount`, handling 0
 * (Clarity has none), tax `taxAmount`, discount `discountAmount`, total `totalAmount`.
 *
 * Clarity's per-line `discount` is the line's share of order and coupon discounts, already in
 * `discountAmount`, so `lineDiscount` is 0 and the order-level discount is not counted twice.
 * The status is Clarity's own word ("processing"); guests have no `customerId`; the order
 * number, shipping method and payment status are kept as attributes. The registered customer's
 * group is kept as `customerGroupId` and each line's product type as its `productType`
 * attribute, the names the BigCommerce mapper fills, so rules on `customer.group` and
 * `order.productTypes` read both storefronts alike.
 *
 * Tax per line, as the contract gives it: each line's `tax` is that line's whole tax, unnamed
 * (Clarity does not break it down by rate, so the tax modes post it under the tenant's default
 * tax detail, or as a line named "tax"). `taxAmount` is Σ line tax plus shipping's tax where the
 * site taxes shipping: what it holds beyond the lines' tax on an order with shipping is kept as
 * shipping's tax (unnamed), the way the BigCommerce mapper keeps `shipping_cost_tax`.
 *
 * Throws `OrderMappingError` listing every problem: an invalid currency, amounts not exact in
 * it, lines without SKU, an unrecognised country, an order date that is not a date.
 */
export function fromClarityOrder(order: ClarityOrder): CanonicalOrder {
  const currency = order.currency.trim();
  const problems = new ProblemCollector(currency);

  const readAddress = (field: string, raw: ClarityAddress): CanonicalAddress => {
    const { address, unrecognisedCountry } = standardiseAddress(raw);
    if (unrecognisedCountry) problems.add('unrecognised_country', field, `country "${address.country}" is not recognised`);
    return address;
  };

  const lines: CanonicalOrderLine[] = order.lineItems.map((item) => {
    const field = `line ${item.lineId}`;
    const sku = item.sku.trim();
    const name = item.name.trim();
    if (sku === '') problems.add('missing_sku', field, `line "${name}" has no SKU`);
    const unitPrice = problems.amount(`${field} unitPrice`, item.unitPrice);
    const quantity = problems.quantity(`${field} quantity`, item.quantity);
    const line: CanonicalOrderLine = {
      lineId: item.lineId,
      sku,
      name,
      quantity,
      unitPrice,
      lineTotal: unitPrice * quantity,
      lineDiscount: 0,
      tax: problems.amount(`${field} tax`, item.tax),
    };
    const productType = item.productType?.trim() ?? '';
    if (productType !== '') line.attributes = { productType };
    return line;
  });

  const customer: CanonicalOrder['customer'] =
    order.customerId === null ? { kind: 'guest' } : { kind: 'registered', customerId: order.customerId };
  const email = order.customerEmail.trim().toLowerCase();
  if (email !== '') customer.email = email;

  const attributes: Record<string, string> = { orderNumber: order.orderNumber, paymentStatus: order.paymentInfo.status };
  if (order.shippingMethod.trim() !== '') attributes.shippingMethod = order.shippingMethod.trim();
  if (order.paymentInfo.gateway.trim() !== '') attributes.paymentGateway = order.paymentInfo.gateway.trim();
  const customerGroup = order.customerGroup?.trim() ?? '';
  if (customerGroup !== '' && order.customerId !== null) attributes.customerGroupId = customerGroup;

  const paid = problems.amount('paymentInfo.amount', order.paymentInfo.amount);
  const shipping = problems.amount('shippingAmount', order.shippingAmount);
  const tax = problems.amount('taxAmount', order.taxAmount);
  const shippingTax = tax - lines.reduce((sum, line) => sum + line.tax, 0);
  const canonical: CanonicalOrder = {
    storefront: 'clarity',
    orderId: order.orderId,
    status: order.status,
    placedAt: problems.date('orderDate', order.orderDate),
    currency,
    customer,
    billingAddress: readAddress('billing address', order.billingAddress),
    shippingAddress: readAddress('shipping address', order.shippingAddress),
    lines,
    shipping,
    handling: 0,
    discount: problems.amount('discountAmount', order.discountAmount),
    tax,
    total: problems.amount('totalAmount', order.totalAmount),
    couponCodes: order.couponCode !== null && order.couponCode.trim() !== '' ? [order.couponCode.trim()] : [],
    amountPaid: capturedPaymentStatuses.has(order.paymentInfo.status.trim().toLowerCase()) ? paid : 0,
    attributes,
  };
  // Less than the lines' tax, or tax without shipping, is not shipping's: the balance check and the tax modes' residue check name it.
  if (shipping > 0 && shippingTax > 0) canonical.chargeTaxes = [{ appliesTo: 'shipping', amount: shippingTax }];
  const paymentMethod = order.paymentInfo.method.trim();
  if (paymentMethod !== '') canonical.paymentMethod = paymentMethod;
  // Clarity's contract: paymentInfo.transactionId is the gateway's id of the payment (`pi_…`).
  const gatewayTransactionId = order.paymentInfo.transactionId?.trim() ?? '';
  if (gatewayTransactionId !== '') canonical.gatewayTransactionIds = [gatewayTransactionId];

  problems.throwIfAny('clarity', order.orderId);
  return canonical;
}
