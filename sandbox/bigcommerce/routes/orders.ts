import { Router, type Request } from 'express';
import { z } from 'zod';
import { parseDateFilter, toCents } from '../formats.js';
import { readPaging } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';
import {
  consignmentsView,
  couponView,
  orderProductView,
  orderTaxesView,
  orderView,
  shipmentView,
  shippingAddressView,
} from './order-views.js';

const address = z.object({
  first_name: z.string().default(''),
  last_name: z.string().default(''),
  company: z.string().default(''),
  street_1: z.string().default(''),
  street_2: z.string().default(''),
  city: z.string().default(''),
  state: z.string().default(''),
  zip: z.string({ error: 'required' }),
  country: z.string().default(''),
  country_iso2: z.string().default(''),
  phone: z.string().default(''),
  email: z.string().default(''),
});

/** A shipping address of a new order: an address and the method the shopper chose for it. */
const shippingAddress = address.extend({ shipping_method: z.string().optional() });

/** An address changed in part: only the fields given change (no defaults filled in). */
const addressChange = z.object(Object.fromEntries(Object.keys(address.shape).map((field) => [field, z.string().optional()])));

const amount = z.union([z.number(), z.string()]).transform((value, context) => {
  const cents = toCents(value);
  if (cents === undefined || cents < 0) {
    context.addIssue({ code: 'custom', message: 'must be a non-negative amount' });
    return z.NEVER;
  }
  return cents;
});

const newOrder = z.object({
  customer_id: z.number().int().min(0).default(0),
  status_id: z.number().int().min(0).max(14).default(1),
  billing_address: address,
  shipping_addresses: z.array(shippingAddress).optional(),
  products: z
    .array(
      z.object({
        product_id: z.number().int(),
        variant_id: z.number().int().optional(),
        quantity: z.number().int().min(1),
        price_ex_tax: amount.optional(),
        price_inc_tax: amount.optional(),
        // The sandbox's own: which of `shipping_addresses` the line ships to (BigCommerce's
        // create request has no such field; its multi-address checkout records one per line).
        shipping_address_index: z.number().int().min(0).optional(),
      }),
    )
    .min(1),
  shipping_cost_ex_tax: amount.default(0),
  shipping_cost_inc_tax: amount.optional(),
  wrapping_cost_ex_tax: amount.optional(),
  staff_notes: z.string().default(''),
  customer_message: z.string().default(''),
});

/** Fields BigCommerce computes; writing them is a 400, as on the real API. */
const readOnlyFields = [
  'id',
  'date_created',
  'date_modified',
  'items_total',
  'items_shipped',
  'subtotal_ex_tax',
  'subtotal_inc_tax',
  'subtotal_tax',
  'total_ex_tax',
  'total_inc_tax',
  'total_tax',
  'refunded_amount',
  'payment_status',
  'item_total',
];

const orderUpdate = z.object({
  status_id: z.number().int().optional(),
  staff_notes: z.string().optional(),
  customer_message: z.string().optional(),
  billing_address: addressChange.optional(),
  products: z
    .array(
      z.object({
        id: z.number().int().optional(),
        product_id: z.number().int().optional(),
        variant_id: z.number().int().optional(),
        quantity: z.number().int().min(0),
        price_ex_tax: amount.optional(),
      }),
    )
    .optional(),
  shipping_cost_ex_tax: amount.optional(),
});

const newShipment = z.object({
  order_address_id: z.number().int(),
  items: z.array(z.object({ order_product_id: z.number().int(), quantity: z.number().int() })).min(1),
  tracking_number: z.string().max(50).default(''),
  shipping_provider: z.string().default(''),
  tracking_carrier: z.string().default(''),
  tracking_link: z.string().max(500).default(''),
  shipping_method: z.string().default(''),
  comments: z.string().default(''),
});

/** Reads a body with a schema; a failure is the V2 400 naming the first bad field. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SandboxError(400, `The field '${issue?.path.join('.') ?? 'body'}' is invalid: ${issue?.message ?? 'bad value'}.`);
  }
  return result.data;
}

const orderId = (request: Request) => {
  const id = Number(request.params.orderId);
  if (!Number.isInteger(id)) throw new SandboxError(404, 'The requested resource was not found.');
  return id;
};

/** The V2 orders API: bare arrays, 204 for empty lists, page/limit paging. */
export function v2OrderRoutes(store: SandboxStore, v2Url: (request: Request) => string): Router {
  const router = Router({ mergeParams: true });

  const filtered = (request: Request) => {
    const query = request.query as Record<string, string | undefined>;
    const number = (name: string) => (query[name] === undefined ? undefined : Number(query[name]));
    const minId = number('min_id');
    const maxId = number('max_id');
    const statusId = number('status_id');
    const customerId = number('customer_id');
    const minCreated = parseDateFilter(query.min_date_created);
    const maxCreated = parseDateFilter(query.max_date_created);
    const minModified = parseDateFilter(query.min_date_modified);
    const maxModified = parseDateFilter(query.max_date_modified);
    const orders = store.state.orders.filter(
      (order) =>
        !order.isDeleted &&
        (minId === undefined || order.id >= minId) &&
        (maxId === undefined || order.id <= maxId) &&
        (statusId === undefined || order.statusId === statusId) &&
        (customerId === undefined || order.customerId === customerId) &&
        (query.email === undefined || order.billing.email === query.email) &&
        (minCreated === undefined || order.createdAt >= minCreated) &&
        (maxCreated === undefined || order.createdAt <= maxCreated) &&
        (minModified === undefined || order.modifiedAt >= minModified) &&
        (maxModified === undefined || order.modifiedAt <= maxModified),
    );
    const [field, direction] = (query.sort ?? 'id:asc').split(':');
    const key = (order: (typeof orders)[number]) =>
      field === 'date_created' ? order.createdAt.getTime() : field === 'date_modified' ? order.modifiedAt.getTime() : order.id;
    return orders.sort((a, b) => (key(a) - key(b)) * (direction === 'desc' ? -1 : 1));
  };

  /** The order as `include` asks: consignments embedded (object structure only), whole lines in them for `consignments.line_items`. */
  const withIncludes = (order: ReturnType<SandboxStore['order']>, request: Request) => {
    const view = orderView(order, v2Url(request));
    const include = typeof request.query.include === 'string' ? request.query.include.split(',') : [];
    const withLines = include.includes('consignments.line_items');
    if (!(withLines || include.includes('consignments')) || request.query.consignment_structure !== 'object') return view;
    return { ...view, consignments: consignmentsView(order, v2Url(request), withLines) };
  };

  router.get('/orders', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(400, 'The page or limit parameter is invalid.');
    const rows = filtered(request).slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    if (rows.length === 0) {
      response.status(204).end();
      return;
    }
    response.json(rows.map((order) => withIncludes(order, request)));
  });

  router.get('/orders/count', (request, response) => {
    response.json({ count: filtered(request).length, statuses: [] });
  });

  router.post('/orders', (request, response) => {
    const input = parse(newOrder, request.body);
    const order = store.createOrder({
      customerId: input.customer_id,
      statusId: input.status_id,
      billing: input.billing_address,
      shippingAddresses: (input.shipping_addresses ?? []).map(({ shipping_method, ...fields }) => ({
        ...fields,
        ...(shipping_method !== undefined && { shippingMethod: shipping_method }),
      })),
      shippingCostExTaxCents: input.shipping_cost_ex_tax,
      shippingCostIncTaxCents: input.shipping_cost_inc_tax,
      wrappingCostExTaxCents: input.wrapping_cost_ex_tax,
      lines: input.products.map((line) => ({
        productId: line.product_id,
        variantId: line.variant_id,
        quantity: line.quantity,
        priceExTaxCents: line.price_ex_tax,
        priceIncTaxCents: line.price_inc_tax,
        shippingAddressIndex: line.shipping_address_index,
      })),
      staffNotes: input.staff_notes,
      customerMessage: input.customer_message,
    });
    response.status(201).json(orderView(order, v2Url(request)));
  });

  router.get('/orders/:orderId', (request, response) => {
    response.json(withIncludes(store.order(orderId(request)), request));
  });

  router.put('/orders/:orderId', (request, response) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const readOnly = readOnlyFields.find((field) => field in body);
    if (readOnly !== undefined)
      throw new SandboxError(400, `The field '${readOnly}' cannot be written to. Please remove it from your request before trying again.`);
    const changes = parse(orderUpdate, body);
    const order = store.updateOrder(orderId(request), {
      statusId: changes.status_id,
      staffNotes: changes.staff_notes,
      customerMessage: changes.customer_message,
      billing: changes.billing_address,
      products: changes.products?.map((product) => ({
        id: product.id,
        productId: product.product_id,
        variantId: product.variant_id,
        quantity: product.quantity,
        priceExTaxCents: product.price_ex_tax,
      })),
      shippingCostExTaxCents: changes.shipping_cost_ex_tax,
    });
    response.json(orderView(order, v2Url(request)));
  });

  router.delete('/orders/:orderId', (request, response) => {
    store.archiveOrder(orderId(request));
    response.status(204).end();
  });

  router.get('/orders/:orderId/products', (request, response) => {
    const order = store.order(orderId(request));
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(400, 'The page or limit parameter is invalid.');
    const rows = order.lines.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    if (rows.length === 0) {
      response.status(204).end();
      return;
    }
    response.json(rows.map((line) => orderProductView(order, line)));
  });

  router.get('/orders/:orderId/shipping_addresses', (request, response) => {
    response.json(shippingAddressView(store.order(orderId(request)), v2Url(request)));
  });

  router.get('/orders/:orderId/coupons', (request, response) => {
    const coupons = couponView(store.order(orderId(request)));
    if (coupons.length === 0) {
      response.status(204).end();
      return;
    }
    response.json(coupons);
  });

  router.get('/orders/:orderId/taxes', (request, response) => {
    const taxes = orderTaxesView(store.order(orderId(request)), request.query.details === 'true');
    if (taxes.length === 0) {
      response.status(204).end();
      return;
    }
    response.json(taxes);
  });

  router.get('/orders/:orderId/shipments', (request, response) => {
    const order = store.order(orderId(request));
    if (order.shipments.length === 0) {
      response.status(204).end();
      return;
    }
    response.json(order.shipments.map((shipment) => shipmentView(order, shipment)));
  });

  router.post('/orders/:orderId/shipments', (request, response) => {
    const input = parse(newShipment, request.body);
    const { order, shipment } = store.createShipment(orderId(request), {
      orderAddressId: input.order_address_id,
      items: input.items.map((item) => ({ orderProductId: item.order_product_id, quantity: item.quantity })),
      trackingNumber: input.tracking_number,
      shippingProvider: input.shipping_provider,
      trackingCarrier: input.tracking_carrier,
      trackingLink: input.tracking_link,
      shippingMethod: input.shipping_method,
      comments: input.comments,
    });
    response.status(201).json(shipmentView(order, shipment));
  });

  return router;
}
