import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ProblemError, badRequest, problemTypes } from './problems.js';

interface Remembered {
  fingerprint: string;
  status: number | undefined;
  body: unknown;
  rememberedAt: number;
}

const keyPattern = /^[\x21-\x7E]{1,255}$/;
const keyLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * `Idempotency-Key` on writes: the first answer under a key is remembered (per OAuth client)
 * and replayed for the same request; the same key on a different request is a 409, and so is
 * a key whose first request is still running. Server errors are not remembered, so a write
 * that failed can be retried under its key. A response lost on the wire after the write
 * committed is exactly what this protects.
 */
export class IdempotencyKeys {
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly now: () => number) {}

  clear(): void {
    this.remembered.clear();
  }

  middleware(): RequestHandler {
    return (request, response, next) => {
      const key = request.get('idempotency-key');
      if (key === undefined) {
        next();
        return;
      }
      if (!keyPattern.test(key)) {
        next(badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'invalid' }]));
        return;
      }
      const caller = (response.locals.caller as { clientId: string } | undefined)?.clientId ?? 'anonymous';
      const slot = `${caller} ${key}`;
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.originalUrl} ${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      const seen = this.remembered.get(slot);
      if (seen !== undefined && this.now() - seen.rememberedAt < keyLifetimeMs) {
        if (seen.fingerprint !== fingerprint) {
          next(
            new ProblemError(
              409,
              problemTypes.idempotencyConflict,
              'Idempotency key reused',
              'this Idempotency-Key was used for a different request',
            ),
          );
          return;
        }
        if (seen.status === undefined) {
          next(
            new ProblemError(
              409,
              problemTypes.idempotencyConflict,
              'Request in progress',
              'the first request with this Idempotency-Key is still running',
              undefined,
              { 'Retry-After': '1' },
            ),
          );
          return;
        }
        response.setHeader('Idempotent-Replayed', 'true');
        response.status(seen.status).json(seen.body);
        return;
      }
      const entry: Remembered = { fingerprint, status: undefined, body: undefined, rememberedAt: this.now() };
      this.remembered.set(slot, entry);
      const json = response.json.bind(response);
      response.json = (body: unknown) => {
        if (response.statusCode < 500) {
          entry.status = response.statusCode;
          entry.body = body;
        } else {
          this.remembered.delete(slot);
        }
        return json(body);
      };
      response.on('close', () => {
        if (entry.status === undefined && this.remembered.get(slot) === entry) this.remembered.delete(slot);
      });
      next();
    };
  }
}
