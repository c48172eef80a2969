import type { ClarityEvent } from '../../../connectors/clarity/index.js';
import type { StorefrontEvent } from '../../webhooks/ports.js';

/** A validated Clarity event in the product's words; `deliveryId` is the `webhook-id`. */
export function toStorefrontEvent(tenantId: string, deliveryId: string, event: ClarityEvent): StorefrontEvent {
  const common = { tenantId, storefront: 'clarity' as const, topic: event.type, deliveryId, occurredAt: event.occurredAt };
  switch (event.type) {
    case 'order.created':
    case 'order.updated':
      return { ...common, entity: 'order', entityId: event.orderId };
    case 'product.updated':
      // Items are matched by SKU everywhere in the sync, so the SKU is the product's key here.
      return { ...common, entity: 'product', entityId: event.sku };
    case 'return.created':
      return { ...common, entity: 'return', entityId: event.returnId, orderId: event.orderId };
  }
}
