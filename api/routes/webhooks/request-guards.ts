import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { HttpError } from '../../errors.js';

/**
 * Guards every webhook receiver needs before it may look at a body: JSON content type (415),
 * a size limit (413), and the body kept raw so authenticity is checked on the exact bytes.
 * Written for the BigCommerce receiver; nothing in it is BigCommerce-specific.
 */
export function rawJsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (request, _response, next) => {
    if (request.is('application/json') === false || request.get('content-type') === undefined) {
      next(new HttpError(415, 'unsupported_media_type', 'webhooks must be sent as application/json'));
      return;
    }
    next();
  };
  // Any JSON content type is read raw; the parse happens after authentication.
  return [requireJson, express.raw({ type: () => true, limit: limitBytes })];
}

/** The raw body read by `rawJsonBody`, or an empty buffer. */
export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/**
 * Compares an offered secret with every accepted one in constant time (hashing first so
 * lengths never leak), without stopping at the first match.
 */
export function secretMatches(offered: string | undefined, accepted: readonly string[]): boolean {
  if (offered === undefined || offered === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const offeredDigest = digest(offered);
  let matched = false;
  for (const secret of accepted) {
    if (secret === '') continue;
    matched = timingSafeEqual(offeredDigest, digest(secret)) || matched;
  }
  return matched;
}

/** Parses JSON or answers 400 with the parser's reason. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
}
