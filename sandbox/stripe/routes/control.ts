import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { StateRef } from '../context.js';
import { closeDispute, disputeReasons, openDispute } from '../disputes.js';
import { faultSchema } from '../faults.js';
import { failPayout, markPayoutPaid, payOutNow, payoutFailures } from '../payouts.js';
import { renderDispute, renderPayout } from '../render.js';

const currency = z.string().regex(/^[a-z]{3}$/);
const settingsPatch = z
  .object({
    settlementCurrency: currency,
    fees: z
      .object({
        percentBasisPoints: z.number().int().min(0).max(10_000),
        fixed: z.number().int().min(0),
        disputeFee: z.number().int().min(0),
        disputeFeeReturnedWhenWon: z.boolean(),
      })
      .partial(),
    exchangeRates: z.record(currency, z.number().positive()),
    availableAfterDays: z.number().int().min(0).max(30),
    payoutArrivalDays: z.number().int().min(0).max(30),
  })
  .partial()
  .strict();
const disputeInput = z.object({
  /** A charge id, or a PaymentIntent id (its latest charge is disputed). */
  charge: z.string().min(1),
  amount: z.number().int().positive().optional(),
  reason: z.enum(disputeReasons).optional(),
});
const disputeOutcome = z.object({ outcome: z.enum(['won', 'lost']) });
const payoutInput = z.object({
  includePending: z.boolean().default(false),
  arrivalDate: z.number().int().positive().optional(),
  status: z.enum(['paid', 'in_transit']).default('paid'),
});
const payoutFailure = z.object({ failureCode: z.enum(Object.keys(payoutFailures) as [string, ...string[]]).default('account_closed') });
const clockInput = z.object({
  advanceSeconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 86_400),
});
const behaviourInput = z
  .object({ copies: z.number().int().min(1).max(10), badSignature: z.boolean(), timestampSkewSeconds: z.number().int() })
  .partial()
  .strict();
const redeliverInput = z.object({ copies: z.number().int().min(1).max(10).default(1) });

function parse<T extends z.ZodType>(schema: T, request: Request, response: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(request.body ?? {});
  if (parsed.success) return parsed.data;
  response
    .status(400)
    .json({ error: 'invalid control request', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
  return undefined;
}

/**
 * The sandbox's own controls under `/_sandbox` (no authentication; mounted only when enabled):
 * what happens outside the API at Stripe — a cardholder's dispute and the bank's decision, the
 * automatic payout and its arrival or failure, the passing of time — plus fees and exchange
 * rates, faults, webhook delivery behaviour and log, and reset.
 */
export function controlRoutes(state: StateRef, reset: () => void): Router {
  const router = Router();

  router.post('/reset', (_request, response) => {
    reset();
    response.json({ reset: true });
  });

  router.get('/settings', (_request, response) => {
    response.json(state().world.settings);
  });
  router.patch('/settings', (request, response) => {
    const patch = parse(settingsPatch, request, response);
    if (patch === undefined) return;
    const { world } = state();
    world.settings = {
      ...world.settings,
      ...patch,
      fees: { ...world.settings.fees, ...patch.fees },
      exchangeRates: { ...world.settings.exchangeRates, ...patch.exchangeRates },
    };
    response.json(world.settings);
  });

  router.get('/clock', (_request, response) => {
    response.json({ now: state().world.now(), offsetSeconds: state().world.clockOffsetSeconds });
  });
  router.post('/clock', (request, response) => {
    const input = parse(clockInput, request, response);
    if (input === undefined) return;
    const { world } = state();
    world.clockOffsetSeconds += input.advanceSeconds;
    response.json({ now: world.now(), offsetSeconds: world.clockOffsetSeconds });
  });

  router.post('/disputes', (request, response) => {
    const input = parse(disputeInput, request, response);
    if (input === undefined) return;
    const { world } = state();
    const chargeId = input.charge.startsWith('pi_')
      ? (world.get('paymentIntents', input.charge, 'charge').latestCharge ?? input.charge)
      : input.charge;
    const dispute = openDispute(world, world.get('charges', chargeId, 'charge'), input.amount, input.reason);
    response.json(renderDispute(dispute, world));
  });
  router.post('/disputes/:id/close', (request, response) => {
    const input = parse(disputeOutcome, request, response);
    if (input === undefined) return;
    const { world } = state();
    response.json(renderDispute(closeDispute(world, world.get('disputes', request.params.id), input.outcome), world));
  });

  router.post('/payouts', (request, response) => {
    const input = parse(payoutInput, request, response);
    if (input === undefined) return;
    const payout = payOutNow(state().world, {
      includePending: input.includePending,
      status: input.status,
      ...(input.arrivalDate !== undefined && { arrivalDate: input.arrivalDate }),
    });
    response.json(renderPayout(payout));
  });
  router.post('/payouts/:id/paid', (request, response) => {
    const { world } = state();
    response.json(renderPayout(markPayoutPaid(world, world.get('payouts', request.params.id))));
  });
  router.post('/payouts/:id/fail', (request, response) => {
    const input = parse(payoutFailure, request, response);
    if (input === undefined) return;
    const { world } = state();
    response.json(renderPayout(failPayout(world, world.get('payouts', request.params.id), input.failureCode)));
  });

  router.get('/faults', (_request, response) => {
    response.json({ faults: state().faults.list() });
  });
  router.post('/faults', (request, response) => {
    const input = parse(faultSchema, request, response);
    if (input === undefined) return;
    response.status(201).json(state().faults.add(input));
  });
  router.delete('/faults', (_request, response) => {
    state().faults.clear();
    response.status(204).end();
  });

  router.get('/webhook_deliveries', (request, response) => {
    const { eventType, endpointId, eventId } = request.query;
    const deliveries = state().webhooks.deliveries.filter(
      (delivery) =>
        (eventType === undefined || delivery.eventType === eventType) &&
        (endpointId === undefined || delivery.endpointId === endpointId) &&
        (eventId === undefined || delivery.eventId === eventId),
    );
    response.json({ deliveries });
  });
  router.put('/webhook_behaviour', (request, response) => {
    const input = parse(behaviourInput, request, response);
    if (input === undefined) return;
    const { webhooks } = state();
    webhooks.behaviour = { ...webhooks.behaviour, ...input };
    response.json(webhooks.behaviour);
  });
  router.post('/events/:id/redeliver', (request, response) => {
    const input = parse(redeliverInput, request, response);
    if (input === undefined) return;
    const { world, webhooks } = state();
    const deliveries = webhooks.publish(world.get('events', request.params.id), input.copies);
    response.json({ deliveries: deliveries.map((delivery) => delivery.id) });
  });
  return router;
}
