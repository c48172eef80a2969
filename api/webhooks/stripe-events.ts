import { z } from 'zod';
import type { ProcessorEvent, ProcessorEventSubject } from '../../store/processor-events.js';

/**
 * The Stripe events the product records (issue 18): a payout paid or failed, the moment its
 * balance transactions can be listed (`payout.reconciliation_completed`, for automatic payouts),
 * and every dispute change. Any other type a tenant's endpoint was subscribed to is acknowledged
 * and ignored.
 */
export const recordedStripeEventTypes = ['payout.paid', 'payout.failed', 'payout.reconciliation_completed'] as const;

/** True for the event types the receiver records (the payout types above and every `charge.dispute.*`). */
export function isRecordedStripeEventType(type: string): boolean {
  return (recordedStripeEventTypes as readonly string[]).includes(type) || /^charge\.dispute\.[a-z_]{1,50}$/.test(type);
}

/**
 * Stripe ids as they may be taken from a webhook: a prefix, `_`, then letters, digits and
 * underscores, 255 characters at most. They become part of record keys and, later, workflow
 * ids, so anything else is a 400 rather than stored.
 */
const stripeId = (prefixes: readonly string[]) =>
  z
    .string()
    .regex(new RegExp(`^(?:${prefixes.join('|')})_[A-Za-z0-9_]{1,250}$`), `expected a Stripe id starting ${prefixes.join('_ or ')}_`);
const unixSeconds = z.number().int().nonnegative().max(99_999_999_999);
const amount = z
  .number()
  .int()
  .min(-(2 ** 53 - 1))
  .max(2 ** 53 - 1);
const currency = z.string().regex(/^[a-z]{3}$/, 'expected a three-letter currency code');
const status = z.string().regex(/^[a-z_]{1,50}$/, 'expected a Stripe status word');
const optionalId = (prefixes: readonly string[]) =>
  z
    .union([stripeId(prefixes), z.object({ id: stripeId(prefixes) })])
    .nullable()
    .optional()
    .transform((value) => (value == null ? undefined : typeof value === 'string' ? value : value.id));

const payoutObject = z.object({
  object: z.literal('payout'),
  id: stripeId(['po']),
  status,
  amount,
  currency,
  arrival_date: unixSeconds,
});

const disputeObject = z.object({
  object: z.literal('dispute'),
  id: stripeId(['dp', 'du']),
  status,
  amount,
  currency,
  charge: optionalId(['ch', 'py']),
  payment_intent: optionalId(['pi']),
});

/** A Stripe event envelope (`object: "event"`) of a recorded type. */
export const stripeEventSchema = z.object({
  id: stripeId(['evt']),
  object: z.literal('event'),
  type: z.string().max(100),
  created: unixSeconds,
  livemode: z.boolean(),
  api_version: z.string().max(50).nullable().optional(),
  data: z.object({ object: z.discriminatedUnion('object', [payoutObject, disputeObject]) }),
});
export type StripeEvent = z.output<typeof stripeEventSchema>;

/** The event in the product's words, for the processor event log. */
export function toProcessorEvent(tenantId: string, event: StripeEvent): ProcessorEvent {
  const object = event.data.object;
  const subject: ProcessorEventSubject =
    object.object === 'payout'
      ? {
          kind: 'payout',
          id: object.id,
          status: object.status,
          amount: object.amount,
          currency: object.currency,
          arrivalDate: new Date(object.arrival_date * 1000).toISOString(),
        }
      : {
          kind: 'dispute',
          id: object.id,
          status: object.status,
          amount: object.amount,
          currency: object.currency,
          ...(object.charge !== undefined && { chargeId: object.charge }),
          ...(object.payment_intent !== undefined && { paymentIntentId: object.payment_intent }),
        };
  return {
    tenantId,
    processor: 'stripe',
    eventId: event.id,
    type: event.type,
    livemode: event.livemode,
    ...(event.api_version != null && { apiVersion: event.api_version }),
    occurredAt: new Date(event.created * 1000).toISOString(),
    subject,
  };
}

/** Why an event of a recorded type does not fit its type (a payout type with a dispute inside, or the reverse). */
export function eventTypeMismatch(event: StripeEvent): string | undefined {
  const expected = event.type.startsWith('payout.') ? 'payout' : 'dispute';
  return event.data.object.object === expected ? undefined : `data.object: a ${event.type} event carries a ${expected}`;
}
