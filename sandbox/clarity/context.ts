import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Faults } from './faults.js';
import type { IdempotencyKeys } from './idempotency.js';
import type { OAuthServer, Scope } from './oauth.js';
import { badRequest, validationFailed } from './problems.js';
import type { RequestLog } from './request-log.js';
import type { ClarityStore } from './store.js';
import type { WebhookDeliveries } from './webhook-delivery.js';

/** Everything the sandbox's routes share; rebuilt by a reset. */
export interface SandboxState {
  store: ClarityStore;
  oauth: OAuthServer;
  keys: IdempotencyKeys;
  webhooks: WebhookDeliveries;
  faults: Faults;
  log: RequestLog;
}

/** Routes read the current state through this, so a reset swaps it under them. */
export type StateRef = () => SandboxState;

/** Requires a bearer token with `scope` (checked against the state current at request time). */
export function requireScope(state: StateRef, scope: Scope): RequestHandler {
  return (request, response, next) => state().oauth.requireScope(scope)(request, response, next);
}

/** Honours `Idempotency-Key` on a write route. */
export function idempotent(state: StateRef): RequestHandler {
  return (request, response, next) => state().keys.middleware()(request, response, next);
}

/** Parses a request body against a zod schema, or refuses with 422 and every field's reason. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(
    parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message })),
  );
}

/** An optional ISO 8601 query parameter, or 400. */
export function timestampParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw badRequest(`${name} must be an ISO 8601 date-time`, [{ field: name, message: 'not a date-time' }]);
  }
  return new Date(value).toISOString();
}

/** An optional query parameter restricted to a set of values, or 400. */
export function enumParam<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${name} must be one of ${allowed.join(', ')}`, [{ field: name, message: 'not allowed' }]);
  }
  return value as T;
}

/** An optional plain string query parameter, or 400 when repeated. */
export function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${name} must be given once`, [{ field: name, message: 'repeated' }]);
  return value;
}

/** A route's path parameter as one string. */
export function pathParam(request: Request, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (typeof value !== 'string') throw badRequest(`${name} is missing from the path`);
  return value;
}
