import { Router } from 'express';
import { z } from 'zod';
import type { FaultControl } from '../faults.js';
import type { RateLimitWindow } from '../rate-limit.js';
import type { SandboxStore } from '../store.js';
import { capturePayment } from '../payment-actions.js';
import type { StripeGatewayLink } from '../stripe-gateway.js';
import type { WebhookDelivery } from '../webhook-delivery.js';

const count = z.number().int().min(0);
const faultSettings = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  failNext: z.object({ count, status: z.number().int().min(500).max(599).optional() }).optional(),
  timeoutNext: count.optional(),
  rateLimitNext: count.optional(),
  dropResponseNext: count.optional(),
});
const resetSettings = z.object({
  extraProducts: z.number().int().min(0).max(500_000).optional(),
  extraStock: z
    .object({ modulo: z.number().int().min(1).max(1_000_000).optional(), driftEvery: z.number().int().min(1).optional() })
    .optional(),
});
const deliveryBehaviour = z.object({
  copies: z.number().int().min(1).max(10).optional(),
  scatterMs: z.number().int().min(0).max(600_000).optional(),
  seed: z.number().int().optional(),
});
const taxRate = z.object({ name: z.string().min(1), ratePercent: z.string().regex(/^\d+(\.\d+)?$/) });
const taxSettings = z.object({
  pricesIncludeTax: z.boolean(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  defaultRate: taxRate,
  productRates: z.record(z.string(), taxRate).default({}),
  shippingRate: taxRate.optional(),
});
const gatewaySettings = z.object({ transactionType: z.enum(['authorize_and_capture', 'authorize_only']) });
const stripeGatewaySettings = z
  .object({ url: z.url(), secretKey: z.string().min(1) })
  .strict()
  .partial();
const partialCapture = z.object({ amount: z.number().positive() });
const rateLimitSettings = z.object({ requestsPerWindow: z.number().int().min(1), windowMs: z.number().int().min(10) });

export interface ControlState {
  store: SandboxStore;
  faults: FaultControl;
  rateLimit: RateLimitWindow;
  delivery: WebhookDelivery;
  /** The most inventory adjustments seen in flight at once (BigCommerce asks for one). */
  inventoryWrites: { inFlight: number; maxInFlight: number };
  /** Whether checkouts are paid through a Stripe account, and which. */
  stripeGateway: StripeGatewayLink;
}

/** Test and demo controls under `/_control`; mounted only when the sandbox is started with them. */
export function controlRoutes(state: ControlState): Router {
  const router = Router();
  const invalid = (error: z.ZodError) => ({
    error: 'invalid control request',
    issues: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  });

  router.post('/reset', (request, response) => {
    const parsed = resetSettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    const { extraProducts, extraStock } = parsed.data;
    state.store.reset({
      ...(extraProducts !== undefined && { extraProducts }),
      ...(extraStock !== undefined && {
        extraStock: {
          ...(extraStock.modulo !== undefined && { modulo: extraStock.modulo }),
          ...(extraStock.driftEvery !== undefined && { driftEvery: extraStock.driftEvery }),
        },
      }),
    });
    state.delivery.reset();
    state.faults.reset();
    state.rateLimit.reset();
    state.inventoryWrites.maxInFlight = 0;
    response.status(204).end();
  });

  router.get('/faults', (_request, response) => {
    response.json(state.faults.settings);
  });

  router.put('/faults', (request, response) => {
    const parsed = faultSettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    state.faults.settings = parsed.data;
    response.json(state.faults.settings);
  });

  router.delete('/faults', (_request, response) => {
    state.faults.settings = {};
    state.faults.releaseHanging();
    response.status(204).end();
  });

  router.put('/rate-limit', (request, response) => {
    const parsed = rateLimitSettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    state.rateLimit.configure(parsed.data);
    response.json(parsed.data);
  });

  router.get('/requests', (_request, response) => {
    response.json({ requests: state.faults.log });
  });

  router.get('/webhooks', (_request, response) => {
    response.json({ deliveries: state.delivery.deliveries() });
  });

  router.get('/webhook-behaviour', (_request, response) => {
    response.json(state.delivery.behaviour);
  });

  router.put('/webhook-behaviour', (request, response) => {
    const parsed = deliveryBehaviour.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    const { copies, scatterMs, seed } = parsed.data;
    response.json(
      state.delivery.configure({
        ...(copies !== undefined && { copies }),
        ...(scatterMs !== undefined && { scatterMs }),
        ...(seed !== undefined && { seed }),
      }),
    );
  });

  router.put('/payment-gateway', (request, response) => {
    const parsed = gatewaySettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    state.store.gatewayTransactionType = parsed.data.transactionType;
    response.json({ transactionType: state.store.gatewayTransactionType });
  });

  // The store's tax setup (Settings → Tax and the products' tax classes), for orders placed from now on.
  router.get('/tax-settings', (_request, response) => {
    response.json(state.store.taxSettings);
  });
  router.put('/tax-settings', (request, response) => {
    const parsed = taxSettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    const { shippingRate, ...rest } = parsed.data;
    state.store.taxSettings = { ...rest, ...(shippingRate !== undefined && { shippingRate }) };
    response.json(state.store.taxSettings);
  });

  router.get('/stripe-gateway', (_request, response) => {
    response.json({ url: state.stripeGateway.settings?.url ?? null });
  });
  router.put('/stripe-gateway', (request, response) => {
    const parsed = stripeGatewaySettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    const { url, secretKey } = parsed.data;
    state.stripeGateway.settings = url !== undefined && secretKey !== undefined ? { url, secretKey } : undefined;
    response.json({ url: state.stripeGateway.settings?.url ?? null });
  });

  router.post('/orders/:orderId/capture', (request, response) => {
    const parsed = partialCapture.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    const transaction = capturePayment(state.store, Number(request.params.orderId), Math.round(parsed.data.amount * 100));
    response.status(201).json({ transactionId: transaction.id });
  });

  router.get('/inventory-adjustments', (_request, response) => {
    response.json({ adjustments: state.store.adjustments });
  });

  router.get('/state', (_request, response) => {
    const { store } = state;
    response.json({
      inventoryWrites: { ...state.inventoryWrites, committed: store.adjustmentCount, itemsCommitted: store.adjustedItems },
      rateLimit: { ...state.rateLimit.current(), ...state.rateLimit.stats() },
      hooks: store.state.hooks.map((hook) => ({ id: hook.id, scope: hook.scope, isActive: hook.isActive })),
    });
  });

  return router;
}
