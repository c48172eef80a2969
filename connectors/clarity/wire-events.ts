import { z } from 'zod';
import type { ClarityEvent } from './model.js';
import { eventType, timestamp } from './wire-scalars.js';

/* Clarity's webhook envelopes, read into the model's events. Part of the wire mapping (see `wire-mapping.ts`). */

/**
 * A webhook envelope, read thinly (the id, the type, when it happened and the ids to fetch):
 * the full record is read through the API, so harmless drift in the payload does not make
 * deliveries fail. Unknown event types fail here; the receiver decides what that means.
 */
export const eventFromWire: z.ZodType<ClarityEvent> = z
  .discriminatedUnion('type', [
    z.object({
      id: z.string().min(1),
      type: z.enum(['order.created', 'order.updated']),
      timestamp,
      data: z.object({ orderId: z.string().min(1), status: z.string() }),
    }),
    z.object({
      id: z.string().min(1),
      type: z.literal('product.updated'),
      timestamp,
      data: z.object({ productId: z.string().min(1), sku: z.string().min(1), changedFields: z.array(z.string()) }),
    }),
    z.object({
      id: z.string().min(1),
      type: z.literal('return.created'),
      timestamp,
      data: z.object({ returnId: z.string().min(1), orderId: z.string().min(1) }),
    }),
  ])
  .transform((event): ClarityEvent => {
    switch (event.type) {
      case 'order.created':
      case 'order.updated':
        return { id: event.id, type: event.type, occurredAt: event.timestamp, orderId: event.data.orderId, status: event.data.status };
      case 'product.updated':
        return {
          id: event.id,
          type: event.type,
          occurredAt: event.timestamp,
          productId: event.data.productId,
          sku: event.data.sku,
          changedFields: event.data.changedFields,
        };
      case 'return.created':
        return { id: event.id, type: event.type, occurredAt: event.timestamp, returnId: event.data.returnId, orderId: event.data.orderId };
    }
  });

/** The event types the connector understands, for subscriptions. */
export const clarityEventTypes = eventType.options;
