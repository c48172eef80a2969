import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import { HttpError } from '../errors.js';

/**
 * The request guards every webhook receiver needs before it may look at a body, whatever the
 * storefront: JSON content type (415), a size limit (413), the body kept raw so authenticity is
 * checked on the exact bytes, JSON read only after that, and secrets compared in constant time.
 * How a refusal is rendered stays with each receiver (they answer in their own words).
 */

/** The shape of tenant ids in webhook paths; anything else is refused like a wrong secret. */
export const webhookTenantIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface RawJsonBodyOptions {
  /** Largest body read; a larger one fails with body-parser's 413. */
  limitBytes: number;
  /** The message of the 415 for a request that is not JSON, in the receiver's words. */
  unsupportedMediaTypeMessage: string;
  /**
   * A request that declares no body at all (neither Content-Length nor Transfer-Encoding):
   * `refuse` answers 415; `pass-when-typed` lets it through when it names any content type,
   * to be refused later as an empty body.
   */
  bodyless: 'refuse' | 'pass-when-typed';
}

function declaresJson(request: Request, bodyless: RawJsonBodyOptions['bodyless']): boolean {
  if (request.get('content-type') === undefined) return false;
  // `is` answers null when the request declares no body, false when its type is not JSON.
  const verdict = request.is('application/json');
  return verdict === null ? bodyless === 'pass-when-typed' : verdict !== false;
}

/**
 * Handlers that refuse a non-JSON request with an `HttpError` 415 and read any other body raw
 * (up to the limit); the parse happens after authentication.
 */
export function rawJsonBody(options: RawJsonBodyOptions): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    if (!declaresJson(request, options.bodyless)) {
      next(new HttpError(415, 'unsupported_media_type', options.unsupportedMediaTypeMessage));
      return;
    }
    next();
  };
  return [requireJson, express.raw({ type: () => true, limit: options.limitBytes })];
}

/** The raw body read by `rawJsonBody`, or an empty buffer. */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** True when a body parser mounted before the receiver consumed the bytes authenticity is checked on. */
export function bodyParsedBeforeReceiver(body: unknown): boolean {
  return body !== undefined && !Buffer.isBuffer(body);
}

export type JsonReading = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses a raw body as UTF-8 JSON, with the parser's reason when it is not. */
export function readJson(raw: Buffer): JsonReading {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'parse error' };
  }
}

/**
 * True when any offered value equals any expected one. Every pair is compared, in constant
 * time for equal lengths, so the time taken does not depend on which pair matched; a length
 * difference is no match (callers compare digests, whose length is public).
 */
export function anyEqualInConstantTime(offered: readonly Buffer[], expected: readonly Buffer[]): boolean {
  let matched = false;
  for (const candidate of expected) {
    for (const value of offered) {
      if (value.length === candidate.length && timingSafeEqual(value, candidate)) matched = true;
    }
  }
  return matched;
}

/**
 * Compares an offered shared secret with every accepted one (several during a rotation),
 * hashing first so lengths never leak. Empty values never match.
 */
export function secretMatches(offered: string | undefined, accepted: readonly string[]): boolean {
  if (offered === undefined || offered === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return anyEqualInConstantTime([digest(offered)], accepted.filter((secret) => secret !== '').map(digest));
}
