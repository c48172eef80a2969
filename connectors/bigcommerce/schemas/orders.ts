import { z } from 'zod';
import { moneyString, numberLike, rfc2822Date } from './common.js';

/** V2 order address fields (`street_1`, `state`, `zip`, `country_iso2`), as on billing addresses. */
export const orderAddress = z.object({
  first_name: z.string(),
  last_name: z.string(),
  company: z.string().optional(),
  street_1: z.string(),
  street_2: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  country_iso2: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type OrderAddress = z.infer<typeof orderAddress>;

const resourceLink = z.object({ url: z.string(), resource: z.string() });

/** `GET /v2/orders/{id}`: sub-collections are links, money strings, RFC 2822 dates. */
export const order = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  date_created: rfc2822Date,
  date_modified: rfc2822Date,
  date_shipped: rfc2822Date,
  status_id: z.number().int(),
  status: z.string(),
  subtotal_ex_tax: moneyString,
  subtotal_inc_tax: moneyString,
  subtotal_tax: moneyString,
  base_shipping_cost: moneyString,
  shipping_cost_ex_tax: moneyString,
  shipping_cost_inc_tax: moneyString,
  shipping_cost_tax: moneyString,
  base_handling_cost: moneyString,
  handling_cost_ex_tax: moneyString,
  handling_cost_inc_tax: moneyString,
  handling_cost_tax: moneyString,
  base_wrapping_cost: moneyString.optional(),
  wrapping_cost_ex_tax: moneyString.optional(),
  wrapping_cost_inc_tax: moneyString.optional(),
  wrapping_cost_tax: moneyString.optional(),
  total_ex_tax: moneyString,
  total_inc_tax: moneyString,
  total_tax: moneyString,
  is_tax_inclusive_pricing: z.boolean().optional(),
  items_total: numberLike,
  items_shipped: numberLike,
  payment_method: z.string(),
  payment_status: z.string(),
  refunded_amount: moneyString,
  store_credit_amount: moneyString.optional(),
  gift_certificate_amount: moneyString.optional(),
  currency_code: z.string(),
  currency_exchange_rate: z.string().optional(),
  default_currency_code: z.string().optional(),
  staff_notes: z.string(),
  customer_message: z.string(),
  discount_amount: moneyString,
  coupon_discount: moneyString,
  is_deleted: z.boolean().optional(),
  channel_id: z.number().int().optional(),
  order_source: z.string().optional(),
  external_id: z.string().nullable().optional(),
  external_source: z.string().nullable().optional(),
  billing_address: orderAddress,
  products: resourceLink,
  shipping_addresses: resourceLink,
  coupons: resourceLink,
});
export type Order = z.infer<typeof order>;

/** `GET /v2/orders/{id}/products` item: one order line. */
export const orderProduct = z.object({
  id: z.number().int(),
  order_id: z.number().int(),
  product_id: z.number().int(),
  variant_id: z.number().int().optional(),
  order_address_id: z.number().int(),
  name: z.string(),
  sku: z.string(),
  /** The variant's UPC/GTIN as the catalog held it when the order was placed ("" when none). */
  upc: z.string().nullable().optional(),
  type: z.string(),
  base_price: moneyString,
  price_ex_tax: moneyString,
  price_inc_tax: moneyString,
  price_tax: moneyString,
  base_total: moneyString,
  total_ex_tax: moneyString,
  total_inc_tax: moneyString,
  total_tax: moneyString,
  quantity: z.number().int(),
  quantity_shipped: numberLike,
  quantity_refunded: numberLike.optional(),
  is_refunded: z.boolean().optional(),
  is_bundled_product: z.boolean().optional(),
  parent_order_product_id: z.number().int().nullable().optional(),
  applied_discounts: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]),
        amount: numberLike,
        name: z.string().optional(),
        code: z.string().nullable().optional(),
        target: z.string().optional(),
      }),
    )
    .optional(),
});
export type OrderProduct = z.infer<typeof orderProduct>;

/**
 * `GET /v2/orders/{id}/taxes?details=true` item: one tax (rate) applied to one line or charge.
 * `line_amount` is the tax on that line at that rate; `line_item_type` says what it taxed.
 */
export const orderTax = z.object({
  id: z.number().int(),
  order_id: z.number().int(),
  order_address_id: z.number().int().optional(),
  tax_rate_id: z.number().int().optional(),
  tax_class_id: z.number().int().optional(),
  name: z.string(),
  class: z.string().optional(),
  rate: numberLike,
  priority: z.number().int().optional(),
  priority_amount: numberLike.optional(),
  line_amount: moneyString,
  order_product_id: z.union([z.string(), z.number()]).nullable().optional(),
  line_item_type: z.string().optional(),
});
export type OrderTax = z.infer<typeof orderTax>;

/** `GET /v3/orders/{id}/metafields` item: an app's own data on the order, by namespace and key. */
export const orderMetafield = z.object({
  id: z.number().int(),
  namespace: z.string(),
  key: z.string(),
  value: z.string(),
  permission_set: z.string(),
});
export type OrderMetafield = z.infer<typeof orderMetafield>;

/** `GET /v2/orders/{id}/shipping_addresses` item; its `id` is the `order_address_id`. */
export const orderShippingAddress = orderAddress.extend({
  id: z.number().int(),
  order_id: z.number().int(),
  items_total: numberLike,
  items_shipped: numberLike,
  shipping_method: z.string(),
  base_cost: moneyString,
  cost_ex_tax: moneyString,
  cost_inc_tax: moneyString,
  cost_tax: moneyString,
});
export type OrderShippingAddress = z.infer<typeof orderShippingAddress>;

/**
 * A shipping consignment as `GET /v2/orders/{id}?include=consignments.line_items&consignment_structure=object`
 * embeds it: the order's shipping address (its `id` is the `order_address_id` its lines name)
 * with the lines shipped to it. Costs are numbers here, unlike `shipping_addresses`.
 */
export const shippingConsignment = orderAddress.extend({
  id: z.number().int(),
  shipping_method: z.string(),
  line_items: z.array(orderProduct),
});
export type ShippingConsignment = z.infer<typeof shippingConsignment>;

const lineConsignment = z.object({ line_items: z.array(orderProduct).default([]) });

/** The order with its consignments and their lines: the header, every line and every shipping address in one request. */
export const orderWithConsignments = order.extend({
  consignments: z.object({
    pickups: z.array(lineConsignment).default([]),
    shipping: z.array(shippingConsignment).default([]),
    downloads: z.array(lineConsignment).default([]),
    email: z.object({ gift_certificates: z.array(lineConsignment).default([]) }).default({ gift_certificates: [] }),
  }),
});
export type OrderWithConsignments = z.infer<typeof orderWithConsignments>;

/** `GET /v2/orders/{id}/coupons` item. `amount` is the coupon's setting, `discount` the money taken off. */
export const orderCoupon = z.object({
  id: z.number().int(),
  coupon_id: z.number().int(),
  order_id: z.number().int(),
  code: z.string().nullable(),
  amount: numberLike,
  type: z.number().int(),
  discount: numberLike,
});
export type OrderCoupon = z.infer<typeof orderCoupon>;

/** `GET /v2/orders/{id}/shipments` item. */
export const orderShipment = z.object({
  id: z.number().int(),
  order_id: z.number().int(),
  customer_id: z.number().int(),
  order_address_id: z.number().int(),
  date_created: rfc2822Date,
  tracking_number: z.string(),
  shipping_method: z.string().optional(),
  shipping_provider: z.string(),
  tracking_carrier: z.string().optional(),
  tracking_link: z.string().optional(),
  comments: z.string().optional(),
  generated_tracking_link: z.string().optional(),
  items: z.array(z.object({ order_product_id: z.number().int(), product_id: z.number().int(), quantity: z.number().int() })),
});
export type OrderShipment = z.infer<typeof orderShipment>;

/** Body of `POST /v2/orders/{id}/shipments`. */
export interface CreateShipmentInput {
  order_address_id: number;
  items: { order_product_id: number; quantity: number }[];
  tracking_number?: string;
  shipping_provider?: string;
  tracking_carrier?: string;
  tracking_link?: string;
  shipping_method?: string;
  comments?: string;
}

/** Filters of `GET /v2/orders`. Dates may be RFC 2822 or ISO 8601. */
export interface OrderListFilter {
  status_id?: number;
  min_id?: number;
  max_id?: number;
  customer_id?: number;
  email?: string;
  min_date_created?: string;
  max_date_created?: string;
  min_date_modified?: string;
  max_date_modified?: string;
  sort?: string;
}

export const orderCount = z.object({ count: z.number().int() });
