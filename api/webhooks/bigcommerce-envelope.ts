import { z } from 'zod';
import type { StorefrontEvent } from './ports.js';

/** BigCommerce's thin callback envelope; the resource itself must be fetched afterwards. */
export const bigCommerceEnvelope = z.object({
  scope: z
    .string()
    .max(200)
    .regex(/^store\/[A-Za-z0-9_/*]+$/, 'expected a scope such as store/order/created'),
  store_id: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String),
  data: z.record(z.string(), z.unknown()),
  hash: z.string().min(1).max(128),
  created_at: z.number().int().nonnegative(),
  producer: z
    .string()
    .max(200)
    .regex(/^stores\/[A-Za-z0-9]+$/, 'expected stores/{store_hash}'),
});
export type BigCommerceEnvelope = z.infer<typeof bigCommerceEnvelope>;

/**
 * BigCommerce's ids are integers (32-bit today). An id becomes part of a workflow id and of the
 * store URL the workflow reads, so it is bounded here: a safe integer, or its decimal text of at
 * most 20 digits. A 1,200-digit id would otherwise reach Temporal, which refuses the workflow id.
 */
const id = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/, 'expected a numeric id of at most 20 digits')])
  .transform(String);
const inventoryChange = z.object({
  product_id: id,
  variant_id: id.optional(),
  method: z.enum(['absolute', 'relative']),
  value: z.number(),
});

/** What an inventory callback says changed, for recognising the product's own writes. */
export interface InventoryChange {
  productId: string;
  variantId: string | undefined;
  method: 'absolute' | 'relative';
  value: number;
}

export type EnvelopeReading =
  | { kind: 'event'; event: StorefrontEvent; inventory?: InventoryChange }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

type Mapped = Pick<StorefrontEvent, 'entity' | 'entityId' | 'orderId'> & { inventory?: InventoryChange };

/** Per scope family: the `data` shape and the event it becomes. */
const readers: [RegExp, (data: Record<string, unknown>) => Mapped][] = [
  [
    /^store\/order\/refund\/created$/,
    (data) => {
      const parsed = z.object({ id, refund: z.object({ refund_id: id }) }).parse(data);
      return { entity: 'refund', entityId: parsed.refund.refund_id, orderId: parsed.id };
    },
  ],
  [
    /^store\/order\/transaction\/(created|updated)$/,
    (data) => {
      const parsed = z.object({ order_id: id }).parse(data);
      return { entity: 'order', entityId: parsed.order_id };
    },
  ],
  [
    /^store\/order\/(created|updated|archived|statusUpdated|message\/created)$/,
    (data) => ({ entity: 'order', entityId: z.object({ id }).parse(data).id }),
  ],
  [
    /^store\/shipment\/(created|updated|deleted)$/,
    (data) => {
      const parsed = z.object({ id, orderId: id }).parse(data);
      return { entity: 'shipment', entityId: parsed.id, orderId: parsed.orderId };
    },
  ],
  [
    /^store\/(product|sku)\/inventory\/(updated|order\/updated)$/,
    (data) => {
      const parsed = z.object({ id, inventory: inventoryChange }).parse(data);
      const inventory = {
        productId: parsed.inventory.product_id,
        variantId: parsed.inventory.variant_id,
        method: parsed.inventory.method,
        value: parsed.inventory.value,
      };
      return { entity: 'inventory', entityId: parsed.inventory.variant_id ?? parsed.inventory.product_id, inventory };
    },
  ],
  [
    /^store\/channel\/\d+\/inventory\/product\/[a-z_]+$/,
    (data) => {
      const parsed = z.object({ product_id: id, variant_id: id.optional() }).parse(data);
      return { entity: 'inventory', entityId: parsed.variant_id ?? parsed.product_id };
    },
  ],
  [/^store\/(product|sku)\/(created|updated|deleted)$/, (data) => ({ entity: 'product', entityId: z.object({ id }).parse(data).id })],
  // An address event's `id` is the address's; the customer it belongs to is `address.customer_id`.
  [
    /^store\/customer\/address\/(created|updated|deleted)$/,
    (data) => ({ entity: 'customer', entityId: z.object({ address: z.object({ customer_id: id }) }).parse(data).address.customer_id }),
  ],
  [/^store\/customer\/(created|updated|deleted)$/, (data) => ({ entity: 'customer', entityId: z.object({ id }).parse(data).id })],
];

/**
 * Reads a validated envelope as a storefront event. Scopes the product does not act on are
 * `ignored` (acknowledged, nothing started) so BigCommerce does not retry them; a known scope
 * whose `data` lacks its ids is `invalid`.
 */
export function readEnvelope(tenantId: string, envelope: BigCommerceEnvelope): EnvelopeReading {
  const reader = readers.find(([pattern]) => pattern.test(envelope.scope));
  if (!reader) return { kind: 'ignored', reason: `scope ${envelope.scope} is not synced` };
  let mapped: Mapped;
  try {
    mapped = reader[1](envelope.data);
  } catch (error) {
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    return { kind: 'invalid', reason: `data of ${envelope.scope}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable'}` };
  }
  const event: StorefrontEvent = {
    tenantId,
    storefront: 'bigcommerce',
    topic: envelope.scope,
    entity: mapped.entity,
    entityId: mapped.entityId,
    ...(mapped.orderId !== undefined && { orderId: mapped.orderId }),
    deliveryId: envelope.hash,
    occurredAt: new Date(envelope.created_at * 1000).toISOString(),
  };
  return { kind: 'event', event, ...(mapped.inventory && { inventory: mapped.inventory }) };
}
