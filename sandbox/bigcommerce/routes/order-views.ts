import { v2Date, v2Money, v3Date, v3Money } from '../formats.js';
import { orderStatuses, orderTotals, type Order, type OrderLine, type Refund, type Shipment, type Transaction } from '../model.js';

/** V2 order as the real API writes it: money strings, RFC 2822 dates, sub-collections as links. */
export function orderView(order: Order, v2Url: string) {
  const totals = orderTotals(order);
  const link = (name: string) => ({ url: `${v2Url}/orders/${order.id}/${name}`, resource: `/orders/${order.id}/${name}` });
  const zero = v2Money(0);
  return {
    id: order.id,
    customer_id: order.customerId,
    date_created: v2Date(order.createdAt),
    date_modified: v2Date(order.modifiedAt),
    date_shipped: v2Date(order.shippedAt),
    status_id: order.statusId,
    status: orderStatuses[order.statusId] ?? 'Unknown',
    custom_status: orderStatuses[order.statusId] ?? 'Unknown',
    subtotal_ex_tax: v2Money(totals.subtotalExTax),
    subtotal_inc_tax: v2Money(totals.subtotalExTax + totals.subtotalTax),
    subtotal_tax: v2Money(totals.subtotalTax),
    base_shipping_cost: v2Money(totals.shippingExTax),
    shipping_cost_ex_tax: v2Money(totals.shippingExTax),
    shipping_cost_inc_tax: v2Money(totals.shippingExTax + totals.shippingTax),
    shipping_cost_tax: v2Money(totals.shippingTax),
    shipping_cost_tax_class_id: 0,
    base_handling_cost: zero,
    handling_cost_ex_tax: zero,
    handling_cost_inc_tax: zero,
    handling_cost_tax: zero,
    handling_cost_tax_class_id: 0,
    base_wrapping_cost: v2Money(totals.wrapping),
    wrapping_cost_ex_tax: v2Money(totals.wrapping),
    wrapping_cost_inc_tax: v2Money(totals.wrapping),
    wrapping_cost_tax: zero,
    wrapping_cost_tax_class_id: 0,
    total_ex_tax: v2Money(totals.totalExTax),
    total_inc_tax: v2Money(totals.totalIncTax),
    total_tax: v2Money(totals.totalTax),
    is_tax_inclusive_pricing: order.taxInclusive === true,
    items_total: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    items_shipped: order.lines.reduce((sum, line) => sum + line.quantityShipped, 0),
    payment_method: order.paymentMethod,
    payment_provider_id: '',
    payment_status: order.paymentStatus,
    refunded_amount: v2Money(order.refundedCents),
    order_is_digital: false,
    store_credit_amount: zero,
    gift_certificate_amount: zero,
    ip_address: '',
    ip_address_v6: '',
    geoip_country: '',
    geoip_country_iso2: '',
    currency_id: 1,
    currency_code: order.currency,
    currency_exchange_rate: '1.0000000000',
    default_currency_id: 1,
    default_currency_code: order.currency,
    staff_notes: order.staffNotes,
    customer_message: order.customerMessage,
    discount_amount: v2Money(order.discountCents),
    coupon_discount: v2Money(totals.couponDiscount),
    shipping_address_count: order.addresses.length,
    is_deleted: order.isDeleted,
    ebay_order_id: '0',
    cart_id: '',
    billing_address: order.billing,
    is_email_opt_in: false,
    credit_card_type: null,
    order_source: 'external',
    channel_id: 1,
    external_source: null,
    external_id: null,
    external_merchant_id: null,
    tax_provider_id: 'BasicTaxProvider',
    customer_locale: 'en',
    external_order_id: '',
    products: link('products'),
    shipping_addresses: link('shipping_addresses'),
    coupons: link('coupons'),
  };
}

export function orderProductView(order: Order, line: OrderLine) {
  const priceIncTax = line.unitPriceExTaxCents + line.unitTaxCents;
  return {
    id: line.id,
    order_id: order.id,
    product_id: line.productId,
    variant_id: line.variantId,
    order_address_id: line.orderAddressId,
    name: line.name,
    name_customer: line.name,
    name_merchant: line.name,
    sku: line.sku,
    upc: line.upc ?? '',
    type: line.productType ?? 'physical',
    base_price: v2Money(line.unitPriceExTaxCents),
    price_ex_tax: v2Money(line.unitPriceExTaxCents),
    price_inc_tax: v2Money(priceIncTax),
    price_tax: v2Money(line.unitTaxCents),
    base_total: v2Money(line.unitPriceExTaxCents * line.quantity),
    total_ex_tax: v2Money(line.unitPriceExTaxCents * line.quantity),
    total_inc_tax: v2Money(priceIncTax * line.quantity),
    total_tax: v2Money(line.unitTaxCents * line.quantity),
    quantity: line.quantity,
    quantity_shipped: line.quantityShipped,
    quantity_refunded: line.quantityRefunded,
    is_refunded: line.quantityRefunded > 0,
    refund_amount: v2Money((line.unitPriceExTaxCents + line.unitTaxCents) * line.quantityRefunded),
    is_bundled_product: false,
    parent_order_product_id: null,
    bin_picking_number: '',
    applied_discounts: [],
    product_options: [],
    configurable_fields: [],
    external_id: null,
    gift_certificate_id: null,
  };
}

export function shippingAddressView(order: Order, v2Url: string) {
  return order.addresses.map((address) => {
    const { id, shippingMethod, costExTaxCents, costTaxCents, ...fields } = address;
    const lines = order.lines.filter((line) => line.orderAddressId === id);
    return {
      id,
      order_id: order.id,
      ...fields,
      items_total: lines.reduce((sum, line) => sum + line.quantity, 0),
      items_shipped: lines.reduce((sum, line) => sum + line.quantityShipped, 0),
      shipping_method: shippingMethod,
      base_cost: v2Money(costExTaxCents),
      cost_ex_tax: v2Money(costExTaxCents),
      cost_inc_tax: v2Money(costExTaxCents + costTaxCents),
      cost_tax: v2Money(costTaxCents),
      cost_tax_class_id: 2,
      base_handling_cost: v2Money(0),
      handling_cost_ex_tax: v2Money(0),
      handling_cost_inc_tax: v2Money(0),
      handling_cost_tax: v2Money(0),
      handling_cost_tax_class_id: 2,
      shipping_zone_id: 1,
      shipping_zone_name: 'United States',
      shipping_quotes: {
        url: `${v2Url}/orders/${order.id}/shipping_addresses/${id}/shipping_quotes`,
        resource: `/orders/${order.id}/shipping_addresses/${id}/shipping_quotes`,
      },
      form_fields: [],
    };
  });
}

/**
 * The order's consignments in the object structure (`consignment_structure=object`) that
 * `include=consignments` asks for: one shipping consignment per shipping address (its `id` is
 * the address id the lines name), costs as numbers; each consignment's lines as links, or whole
 * (as `GET /orders/{id}/products` writes them) with `include=consignments.line_items`. The
 * sandbox's orders have no pickup, digital or gift-certificate consignments.
 */
export function consignmentsView(order: Order, v2Url: string, withLines: boolean) {
  const lineOf = (line: OrderLine) =>
    withLines
      ? orderProductView(order, line)
      : { url: `${v2Url}/orders/${order.id}/products/${line.id}`, resource: `/orders/${order.id}/products/${line.id}` };
  return {
    pickups: [],
    shipping: shippingAddressView(order, v2Url).map((address) => {
      const { order_id: _orderId, shipping_quotes: _quotes, ...fields } = address;
      return {
        ...fields,
        line_items: order.lines.filter((line) => line.orderAddressId === address.id).map(lineOf),
        base_cost: Number(fields.base_cost),
        cost_ex_tax: Number(fields.cost_ex_tax),
        cost_inc_tax: Number(fields.cost_inc_tax),
        cost_tax: Number(fields.cost_tax),
        base_handling_cost: Number(fields.base_handling_cost),
        handling_cost_ex_tax: Number(fields.handling_cost_ex_tax),
        handling_cost_inc_tax: Number(fields.handling_cost_inc_tax),
        handling_cost_tax: Number(fields.handling_cost_tax),
        shipping_quotes: {
          url: `${v2Url}/orders/${order.id}/consignments/shipping/${address.id}/shipping_quotes`,
          resource: `/orders/${order.id}/consignments/shipping/${address.id}/shipping_quotes`,
        },
      };
    }),
    downloads: [],
    email: { gift_certificates: [] },
  };
}

const trackingLinks: Record<string, (number: string) => string> = {
  ups: (number) => `https://www.ups.com/track?tracknum=${encodeURIComponent(number)}`,
  usps: (number) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(number)}`,
  fedex: (number) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(number)}`,
};

function addressFields({
  id: _id,
  shippingMethod: _method,
  costExTaxCents: _cost,
  costTaxCents: _tax,
  ...fields
}: Order['addresses'][number]) {
  return fields;
}

export function shipmentView(order: Order, shipment: Shipment) {
  const address = order.addresses.find((candidate) => candidate.id === shipment.orderAddressId);
  const build = trackingLinks[shipment.shippingProvider];
  return {
    id: shipment.id,
    order_id: order.id,
    customer_id: order.customerId,
    order_address_id: shipment.orderAddressId,
    date_created: v2Date(shipment.createdAt),
    tracking_number: shipment.trackingNumber,
    merchant_shipping_cost: v2Money(0),
    shipping_method: shipment.shippingMethod,
    shipping_provider: shipment.shippingProvider,
    shipping_provider_display_name: shipment.shippingProvider.toUpperCase(),
    tracking_carrier: shipment.trackingCarrier,
    tracking_link: shipment.trackingLink,
    generated_tracking_link: shipment.trackingLink === '' && build && shipment.trackingNumber !== '' ? build(shipment.trackingNumber) : '',
    comments: shipment.comments,
    billing_address: order.billing,
    shipping_address: address ? addressFields(address) : undefined,
    items: shipment.items.map((item) => ({ order_product_id: item.orderProductId, product_id: item.productId, quantity: item.quantity })),
  };
}

export function couponView(order: Order) {
  return order.coupons.map((coupon) => ({
    id: coupon.id,
    coupon_id: coupon.couponId,
    order_id: order.id,
    code: coupon.code,
    amount: coupon.amount,
    type: coupon.type,
    discount: v3Money(coupon.discountCents),
  }));
}

export function transactionView(order: Order, transaction: Transaction) {
  return {
    id: transaction.id,
    order_id: String(order.id),
    event: transaction.event,
    method: 'credit_card',
    amount: v3Money(transaction.amountCents),
    currency: order.currency,
    gateway: transaction.gateway,
    gateway_transaction_id: transaction.gatewayTransactionId,
    date_created: v3Date(transaction.createdAt),
    test: true,
    status: transaction.status,
    fraud_review: false,
    credit_card: { card_type: 'visa', card_iin: '411111', card_last4: '1111', card_expiry_month: 12, card_expiry_year: 2030 },
  };
}

export function refundView(refund: Refund) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    user_id: 0,
    created: v3Date(refund.createdAt),
    reason: refund.reason,
    total_amount: v3Money(refund.totalCents),
    total_tax: v3Money(refund.taxCents),
    uses_merchant_override_values: false,
    items: refund.items.map((item) => ({
      item_type: item.item_type,
      item_id: item.item_id,
      reason: item.reason ?? '',
      ...(item.quantity !== undefined && { quantity: item.quantity }),
      requested_amount: v3Money(item.requestedCents),
    })),
    payments: refund.payments.map((payment) => ({
      id: payment.id,
      provider_id: payment.providerId,
      amount: v3Money(payment.amountCents),
      offline: payment.offline,
      is_declined: false,
      declined_message: '',
    })),
  };
}

/** The store's default sales tax, which lines without a rate of their own were taxed at. */
export const defaultSalesTax = { name: 'Sales Tax', ratePercent: '8.25' } as const;

/**
 * `GET /v2/orders/{id}/taxes?details=true`: one row per rate per taxed line or charge, with the
 * tax on it (`line_amount`); without `details` the line references are left out, as BigCommerce does.
 */
export function orderTaxesView(order: Order, details: boolean) {
  let id = 0;
  const row = (name: string, ratePercent: string, cents: number, addressId: number, type: string, orderProductId: number | null) => ({
    id: ++id,
    order_id: order.id,
    order_address_id: addressId,
    tax_rate_id: 0,
    tax_class_id: 0,
    name,
    class: 'Default Tax Class',
    rate: Number(ratePercent).toFixed(4),
    priority: 0,
    priority_amount: v2Money(cents),
    line_amount: v2Money(cents),
    ...(details && { order_product_id: orderProductId === null ? null : String(orderProductId), line_item_type: type }),
  });
  return [
    ...order.lines
      .filter((line) => line.unitTaxCents !== 0)
      .map((line) => {
        const tax = line.tax ?? defaultSalesTax;
        return row(tax.name, tax.ratePercent, line.unitTaxCents * line.quantity, line.orderAddressId, 'item', line.id);
      }),
    ...order.addresses
      .filter((address) => address.costTaxCents !== 0)
      .map((address) => {
        const tax = order.shippingTax ?? defaultSalesTax;
        return row(tax.name, tax.ratePercent, address.costTaxCents, address.id, 'shipping', null);
      }),
  ];
}
