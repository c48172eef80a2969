import type { ClarityInventoryInput, ClarityProductUpdate, ClarityShipmentInput, ClarityWebhookSubscriptionInput } from './model.js';

/* The request bodies the connector writes, in Clarity's names. Part of the wire mapping (see `wire-mapping.ts`). */

/** Body of `PATCH /orders/{orderId}` writing back the ERP document number. */
export function toWireOrderPatch(update: { erpReference: string | null }): Record<string, unknown> {
  return { erpReference: update.erpReference };
}

/** Body of `POST /orders/{orderId}/shipments`. */
export function toWireShipment(shipment: ClarityShipmentInput): Record<string, unknown> {
  return {
    shipmentId: shipment.shipmentId,
    carrier: shipment.carrier,
    service: shipment.service ?? null,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl ?? null,
    shippedAt: shipment.shippedAt,
    lineItems: shipment.lineItems.map((line) => ({ sku: line.sku, quantity: line.quantity })),
  };
}

/** Body of `PATCH /products/{sku}`: only the fields given. */
export function toWireProductPatch(update: ClarityProductUpdate): Record<string, unknown> {
  return {
    ...(update.name !== undefined && { name: update.name }),
    ...(update.price !== undefined && { price: update.price }),
    ...(update.active !== undefined && { active: update.active }),
  };
}

/** Body of `PUT /inventory/{sku}`. */
export function toWireInventoryUpdate(level: Omit<ClarityInventoryInput, 'sku'>): Record<string, unknown> {
  return { available: level.available, ...(level.locationId !== undefined && { locationId: level.locationId }) };
}

/** Body of `POST /inventory:batch`. */
export function toWireInventoryBatch(levels: readonly ClarityInventoryInput[]): Record<string, unknown> {
  return { items: levels.map((level) => ({ sku: level.sku, ...toWireInventoryUpdate(level) })) };
}

/** Body of `POST /webhooks`. */
export function toWireWebhookSubscription(subscription: ClarityWebhookSubscriptionInput): Record<string, unknown> {
  return {
    url: subscription.url,
    events: subscription.events,
    ...(subscription.description !== undefined && { description: subscription.description }),
  };
}
