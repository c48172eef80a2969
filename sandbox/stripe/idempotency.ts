import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StripeApiError, invalidRequest } from './errors.js';

interface Remembered {
  endpoint: string;
  fingerprint: string;
  status: number | undefined;
  body: unknown;
  requestId: string;
  rememberedAt: number;
}

const keyLifetimeMs = 24 * 60 * 60 * 1000;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, entry]) => [key, canonical(entry)]),
    );
  return value;
}

/**
 * `Idempotency-Key` on POST, as Stripe documents it: the first result under a key (per API key,
 * for 24 hours) is saved once the endpoint began executing, success or error, and replayed with
 * `Idempotent-Replayed: true` for the same request; the same key with other parameters or on
 * another endpoint is a 400 `idempotency_error`, and while the first is still running a 409.
 * Parameter validation failures are not saved, so the request can be corrected and retried.
 */
export class IdempotencyKeys {
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly now: () => number = Date.now) {}

  middleware(): RequestHandler {
    return (request, response, next) => {
      const key = request.get('idempotency-key');
      if (request.method !== 'POST' || key === undefined) {
        next();
        return;
      }
      if (key.length > 255) {
        next(invalidRequest('Idempotency-Key must be at most 255 characters long.', 'Idempotency-Key'));
        return;
      }
      const slot = `${String(response.locals.apiKey)} ${key}`;
      const endpoint = `${request.method} ${request.path}`;
      const fingerprint = createHash('sha256')
        .update(JSON.stringify(canonical(request.body ?? {})))
        .digest('hex');
      const seen = this.remembered.get(slot);
      if (seen !== undefined && this.now() - seen.rememberedAt < keyLifetimeMs) {
        if (seen.endpoint !== endpoint || seen.fingerprint !== fingerprint) {
          const message =
            seen.endpoint !== endpoint
              ? `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`
              : `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
          next(new StripeApiError(400, { type: 'idempotency_error', message }));
          return;
        }
        if (seen.status === undefined) {
          next(
            new StripeApiError(409, {
              type: 'idempotency_error',
              code: 'idempotency_key_in_use',
              message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
            }),
          );
          return;
        }
        response.setHeader('Idempotent-Replayed', 'true');
        response.setHeader('Original-Request', seen.requestId);
        response.status(seen.status).json(seen.body);
        return;
      }
      const entry: Remembered = {
        endpoint,
        fingerprint,
        status: undefined,
        body: undefined,
        requestId: String(response.locals.requestId),
        rememberedAt: this.now(),
      };
      this.remembered.set(slot, entry);
      response.locals.idempotencyKey = key;
      response.locals.rememberResult = (status: number, body: unknown) => {
        entry.status = status;
        entry.body = body;
      };
      response.on('close', () => {
        if (entry.status === undefined && this.remembered.get(slot) === entry) this.remembered.delete(slot);
      });
      next();
    };
  }
}
