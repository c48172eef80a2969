import { Router } from 'express';
import { z } from 'zod';
import { idempotent, parseBody, pathParam, requireScope, type StateRef } from '../context.js';
import { notFound } from '../problems.js';
import type { Subscription } from '../webhook-delivery.js';

const subscriptionRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  events: z
    .array(z.enum(['order.created', 'order.updated', 'product.updated', 'return.created']))
    .min(1)
    .refine((events) => new Set(events).size === events.length, 'events must not repeat'),
  description: z.string().max(200).optional(),
});

/** Endpoint subscriptions of the calling OAuth client; secrets appear only on create and rotate. */
export function webhookRoutes(state: StateRef): Router {
  const router = Router();
  const keyed = idempotent(state);
  const scope = requireScope(state, 'webhooks:manage');

  const owned = (clientId: string, webhookId: string): Subscription => {
    const subscription = state().webhooks.subscriptions.get(webhookId);
    if (subscription === undefined || subscription.clientId !== clientId) throw notFound(`webhook ${webhookId}`);
    return subscription;
  };

  router.get('/api/v1/webhooks', scope, (_request, response) => {
    const clientId = callerId(response.locals);
    response.json({
      data: [...state().webhooks.subscriptions.values()]
        .filter((subscription) => subscription.clientId === clientId)
        .map((subscription) => subscriptionToWire(subscription)),
    });
  });

  router.post('/api/v1/webhooks', scope, keyed, (request, response) => {
    const input = parseBody(subscriptionRequest, request.body);
    const subscription = state().webhooks.subscribe({
      url: input.url,
      events: input.events,
      description: input.description ?? null,
      clientId: callerId(response.locals),
    });
    response.status(201).json(subscriptionToWire(subscription, true));
  });

  router.get('/api/v1/webhooks/:webhookId', scope, (request, response) => {
    response.json(subscriptionToWire(owned(callerId(response.locals), pathParam(request, 'webhookId'))));
  });

  router.delete('/api/v1/webhooks/:webhookId', scope, (request, response) => {
    const subscription = owned(callerId(response.locals), pathParam(request, 'webhookId'));
    state().webhooks.subscriptions.delete(subscription.id);
    response.status(204).end();
  });

  router.post('/api/v1/webhooks/:webhookId/rotate-secret', scope, keyed, (request, response) => {
    const subscription = state().webhooks.rotateSecret(owned(callerId(response.locals), pathParam(request, 'webhookId')));
    response.json(subscriptionToWire(subscription, true));
  });

  return router;
}

function callerId(locals: Record<string, unknown>): string {
  return (locals.caller as { clientId: string }).clientId;
}

function subscriptionToWire(subscription: Subscription, withSecret = false): Record<string, unknown> {
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    description: subscription.description,
    active: subscription.active,
    createdAt: subscription.createdAt,
    ...(withSecret && { secret: subscription.secret }),
  };
}
