import { z } from 'zod';

/** `GET /v3/orders/{id}/transactions` item (amounts are numbers in V3). */
export const transaction = z.object({
  id: z.number().int(),
  order_id: z.string(),
  event: z.enum(['purchase', 'authorization', 'capture', 'refund', 'void', 'pending', 'settled']),
  method: z.string(),
  amount: z.number(),
  currency: z.string(),
  gateway: z.string(),
  gateway_transaction_id: z.string().optional(),
  date_created: z.string(),
  status: z.enum(['ok', 'error']).optional(),
  test: z.boolean().optional(),
  fraud_review: z.boolean().optional(),
  reference_transaction_id: z.number().int().nullable().optional(),
});
export type Transaction = z.infer<typeof transaction>;

/** A refund line: PRODUCT/GIFT_WRAPPING by quantity, the rest by amount. */
export type RefundItemInput =
  | { item_type: 'PRODUCT' | 'GIFT_WRAPPING'; item_id: number; quantity: number; reason?: string }
  | { item_type: 'ORDER' | 'SHIPPING' | 'HANDLING' | 'TAX' | 'FEE'; item_id: number; amount: number; reason?: string };

/** Body of `POST /v3/orders/{id}/payment_actions/refund_quotes`. */
export interface RefundQuoteInput {
  items: RefundItemInput[];
}

/** Body of `POST /v3/orders/{id}/payment_actions/refunds`: the payments must match a quoted method. */
export interface RefundInput {
  items: RefundItemInput[];
  payments: { provider_id: string; amount: number; offline: boolean }[];
  merchant_calculated_override?: { total_amount: number; total_tax: number };
}

export const refundQuote = z.object({
  order_id: z.number().int(),
  total_refund_amount: z.number(),
  total_refund_tax_amount: z.number(),
  rounding: z.number().optional(),
  adjustment: z.number().optional(),
  tax_inclusive: z.boolean().optional(),
  refund_methods: z.array(
    z.array(
      z.object({
        provider_id: z.string(),
        provider_description: z.string().optional(),
        amount: z.number(),
        offline: z.boolean(),
        offline_provider: z.boolean().optional(),
        offline_reason: z.string().optional(),
      }),
    ),
  ),
});
export type RefundQuote = z.infer<typeof refundQuote>;

export const refund = z.object({
  id: z.number().int(),
  order_id: z.number().int(),
  user_id: z.number().int().optional(),
  created: z.string(),
  reason: z.string().optional(),
  total_amount: z.number(),
  total_tax: z.number(),
  uses_merchant_override_values: z.boolean().optional(),
  items: z.array(
    z.object({
      item_type: z.string(),
      item_id: z.number().int(),
      reason: z.string().optional(),
      quantity: z.number().int().optional(), // The published spec types this a number on create and a string on read: accept both.
      requested_amount: z.union([z.number(), z.string()]).nullable().optional(),
    }),
  ),
  payments: z.array(
    z.object({
      id: z.number().int(),
      provider_id: z.string(),
      amount: z.number(),
      offline: z.boolean(),
      is_declined: z.boolean().optional(),
      declined_message: z.string().optional(),
    }),
  ),
});
export type Refund = z.infer<typeof refund>;
