import { Router } from 'express';
import { z } from 'zod';
import type { FaultControl } from '../faults.js';
import type { RateLimitWindow } from '../rate-limit.js';
import type { SandboxStore } from '../store.js';
import type { WebhookDelivery } from '../webhook-delivery.js';

const count = z.number().int().min(0);
const faultSettings = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  failNext: z.object({ count, status: z.number().int().min(500).max(599).optional() }).optional(),
  timeoutNext: count.optional(),
  rateLimitNext: count.optional(),
  dropResponseNext: count.optional(),
});
const resetSettings = z.object({ extraProducts: z.number().int().min(0).max(200_000).optional() });
const rateLimitSettings = z.object({ requestsPerWindow: z.number().int().min(1), windowMs: z.number().int().min(10) });

export interface ControlState {
  store: SandboxStore;
  faults: FaultControl;
  rateLimit: RateLimitWindow;
  delivery: WebhookDelivery;
  /** The most inventory adjustments seen in flight at once (BigCommerce asks for one). */
  inventoryWrites: { inFlight: number; maxInFlight: number };
}

/** Test and demo controls under `/_control`; mounted only when the sandbox is started with them. */
export function controlRoutes(state: ControlState): Router {
  const router = Router();
  const invalid = (error: z.ZodError) => ({ error: 'invalid control request', issues: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });

  router.post('/reset', (request, response) => {
    const parsed = resetSettings.safeParse(request.body ?? {});
    if (!parsed.success) {
      response.status(400).json(invalid(parsed.error));
      return;
    }
    state.store.reset(parsed.data.extraProducts === undefined ? {} : { extraProducts: parsed.data.extraProducts });
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

  router.get('/state', (_request, response) => {
    response.json({ inventoryWrites: state.inventoryWrites, hooks: state.store.state.hooks.map((hook) => ({ id: hook.id, scope: hook.scope, isActive: hook.isActive })) });
  });

  return router;
}
