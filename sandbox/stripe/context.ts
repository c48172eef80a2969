import type { Request, RequestHandler } from 'express';
import { StripeApiError } from './errors.js';
import { expand } from './expand.js';
import type { Faults } from './faults.js';
import type { IdempotencyKeys } from './idempotency.js';
import { expandPaths, type Params } from './params.js';
import type { WebhookDeliveries } from './webhooks.js';
import type { StripeWorld } from './world.js';

/** Everything one sandbox start holds; a reset replaces it whole. */
export interface SandboxState {
  world: StripeWorld;
  webhooks: WebhookDeliveries;
  faults: Faults;
  keys: IdempotencyKeys;
}

/** The current state, looked up per request so a reset takes effect at once. */
export type StateRef = () => SandboxState;

type Json = Record<string, unknown>;

/** What a route answers: the object (already rendered), and a status when not 200. */
export interface RouteResult {
  status?: number;
  body: Json;
}

/**
 * An API route: parameters from the query (GET, DELETE) or the form body (POST), the work done
 * with the request named on the events it causes, `expand[]` applied to the answer, and the
 * result saved under the request's `Idempotency-Key` (errors too, once the endpoint executed).
 */
export function stripeRoute(
  state: StateRef,
  handler: (params: Params, request: Request, world: StripeWorld) => RouteResult,
): RequestHandler {
  return (request, response, next) => {
    const { world } = state();
    const params = (request.method === 'POST' ? request.body : request.query) as Params;
    const remember = response.locals.rememberResult as ((status: number, body: unknown) => void) | undefined;
    try {
      const result = world.during(
        { id: String(response.locals.requestId), idempotency_key: (response.locals.idempotencyKey as string | undefined) ?? null },
        () => handler(params ?? {}, request, world),
      );
      const body = expand(world, result.body, expandPaths(params ?? {}));
      const status = result.status ?? 200;
      remember?.(status, body);
      response.status(status).json(body);
    } catch (error) {
      if (error instanceof StripeApiError && error.remember) remember?.(error.status, { error: error.body });
      next(error);
    }
  };
}
