import { z } from 'zod';

/** `/v3/hooks` resource. Timestamps are unix seconds; `headers` are sent back on every callback. */
export const hook = z.object({
  id: z.number().int(),
  client_id: z.string().optional(),
  store_hash: z.string().optional(),
  scope: z.string(),
  destination: z.string(),
  is_active: z.boolean(),
  headers: z.record(z.string(), z.string()).nullable().optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type Hook = z.infer<typeof hook>;

/** Body of `POST /v3/hooks` and `PUT /v3/hooks/{id}`. */
export interface HookInput {
  scope: string;
  destination: string;
  is_active?: boolean;
  headers?: Record<string, string>;
}

/**
 * The scopes the product subscribes to, one hook each (its receivers map exactly these). Here,
 * beside the hook schema, so the admin API that registers them and the worker that checks them
 * read one list without either importing the other.
 */
export const bigCommerceWebhookScopes = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/refund/created',
  'store/order/transaction/created',
  'store/order/transaction/updated',
  'store/shipment/created',
  'store/product/created',
  'store/product/updated',
  'store/product/inventory/updated',
  'store/sku/created',
  'store/sku/inventory/updated',
  'store/customer/created',
  'store/customer/updated',
  'store/customer/address/created',
  'store/customer/address/updated',
] as const;
