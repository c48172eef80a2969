import type { InventorySyncTarget } from '../../workflows/inventory-sku-sync-contract.js';
import type { StorefrontItemTarget } from '../../workflows/storefront-item-intake-contract.js';
import type { StorefrontEvent } from './ports.js';

/**
 * The workflow a storefront event belongs to, decided from the event alone: the receivers ask
 * before they touch the delivery log (an event that starts nothing is acknowledged at once,
 * since there is nothing to dispatch once, and a copy of it can never be told to retry) and the
 * dispatcher starts or signals what it names.
 */
export type EventRoute =
  | { flow: 'orderToCash'; orderId: string }
  | { flow: 'returnToCreditMemo'; orderId: string; refundId: string }
  | { flow: 'inventorySkuSync'; target: InventorySyncTarget }
  | { flow: 'customerSync'; customerId: string };

/** The event's workflow, or undefined when no flow acts on it (deletions, channel stock, Clarity's customers). */
export function routeStorefrontEvent(event: StorefrontEvent): EventRoute | undefined {
  switch (event.entity) {
    case 'refund':
    case 'return':
      return event.orderId === undefined ? undefined : { flow: 'returnToCreditMemo', orderId: event.orderId, refundId: event.entityId };
    case 'product':
    case 'inventory': {
      const target = inventorySyncTargetOf(event);
      return target === undefined ? undefined : { flow: 'inventorySkuSync', target };
    }
    case 'order':
      return { flow: 'orderToCash', orderId: event.entityId };
    case 'shipment':
      return event.orderId === undefined ? undefined : { flow: 'orderToCash', orderId: event.orderId };
    case 'customer':
      return customerSyncTopic.test(event.topic) && event.storefront === 'bigcommerce'
        ? { flow: 'customerSync', customerId: event.entityId }
        : undefined;
  }
}

/** BigCommerce customer events CustomerSync acts on: registrations, profile and address changes (a deletion leaves Intacct's customer alone). */
const customerSyncTopic = /^store\/customer\/(created|updated|address\/(created|updated))$/;

/**
 * What a storefront product or stock event asks to sync, or undefined when it asks nothing.
 * Clarity's `product.updated` names the SKU. BigCommerce names a product (`store/product/…`)
 * or a variant (`store/sku/…`). Left out: deletions; stock moved by an order (`…/inventory/order/updated`:
 * Intacct learns of the order through OrderToCash, and pushing its level before then would undo
 * the sale); and channel inventory scopes, whose id may be a product's or a variant's.
 */
export function inventorySyncTargetOf(event: StorefrontEvent): InventorySyncTarget | undefined {
  if (event.entity !== 'product' && event.entity !== 'inventory') return undefined;
  if (event.storefront === 'clarity') return event.topic === 'product.updated' ? { kind: 'sku', sku: event.entityId } : undefined;
  const scope = /^store\/(product|sku)\/(created|updated|inventory\/updated)$/.exec(event.topic);
  if (scope === null) return undefined;
  return scope[1] === 'product'
    ? { kind: 'bigcommerceProduct', productId: event.entityId }
    : { kind: 'bigcommerceVariant', variantId: event.entityId };
}

/**
 * The storefront record an event may add, for StorefrontItemIntake (which makes sure Intacct
 * knows its SKUs), or undefined for any other event. Dispatched alongside the event's own
 * route: a new product's stock still syncs as before. BigCommerce: product and SKU creations.
 * Clarity: `product.updated`, since its contract documents no product creation event; the
 * intake of a SKU Intacct already knows creates nothing.
 */
export function storefrontItemTargetOf(event: StorefrontEvent): StorefrontItemTarget | undefined {
  if (event.entity !== 'product') return undefined;
  if (event.storefront === 'clarity') return event.topic === 'product.updated' ? { kind: 'claritySku', sku: event.entityId } : undefined;
  if (event.topic === 'store/product/created') return { kind: 'bigcommerceProduct', productId: event.entityId };
  if (event.topic === 'store/sku/created') return { kind: 'bigcommerceVariant', variantId: event.entityId };
  return undefined;
}
