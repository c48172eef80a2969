import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import type { Logger } from '../../../config/logger.js';
import { HttpError } from '../../errors.js';
import type { DispatchOutcome, EarlierDelivery, StorefrontEvent, WebhookReceiverDependencies } from '../../webhooks/ports.js';

/**
 * What every webhook receiver needs, whatever the storefront: before it may look at a body,
 * JSON content type (415), a size limit (413), the body kept raw so authenticity is checked on
 * the exact bytes, JSON read only after that, and secrets compared in constant time; after
 * that, a bound on the time spent waiting for the database, and the delivery log's rules for
 * dispatching a delivery once. How a refusal is rendered stays with each receiver (they answer
 * in their own words).
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

/**
 * The default of the receivers' `storeDeadlineMs`: how long one delivery may wait on the
 * database, all its calls together, before the receiver answers 503. BigCommerce gives up on a
 * delivery after 5 s; this leaves the dispatch and the network the rest.
 */
export const defaultStoreDeadlineMs = 2_000;

/** Retry-After of a 503 for a slow or failing database or dispatcher. */
export const unavailableRetryAfterSeconds = 5;

/**
 * How long after an attempt recorded a delivery another copy takes that attempt for still in
 * flight: 2.5 times the deadline, 5 s by default. An attempt waits at most the deadline on the
 * database and its dispatch normally takes a fraction of a second, so this covers an attempt
 * that used its whole deadline behind a dispatch as slow again, with room to spare; at the
 * default it is also BigCommerce's delivery timeout, after which BigCommerce has given up on
 * that attempt anyway. Past it a record still `received` belongs to an attempt that answered
 * without dispatching (or died), and is dispatched again. Too short costs one extra signal for
 * a slow attempt; too long makes a retry after a failed attempt wait longer: neither loses an event.
 */
export function deliveryInFlightMs(storeDeadlineMs: number): number {
  return 2.5 * storeDeadlineMs;
}

export class StoreDeadlineExceeded extends Error {
  override readonly name = 'StoreDeadlineExceeded';
}

/**
 * The time one delivery may spend waiting on the database, all its calls together. A call still
 * running when it is spent is no longer waited for but carries on; its answer is dropped. Every
 * call the receivers make is safe to land late: a read fills a cache, a delivery recorded late
 * ages into a re-dispatch, and a late mark or release saves or costs at most one extra signal.
 */
export class StoreDeadline {
  private spentMs = 0;

  constructor(readonly budgetMs: number) {}

  /** The call's answer, or `StoreDeadlineExceeded` once the budget, or `atMostMs` of it, is spent. */
  async wait<T>(call: () => Promise<T>, atMostMs = Number.POSITIVE_INFINITY): Promise<T> {
    const allowedMs = Math.max(0, Math.min(this.budgetMs - this.spentMs, atMostMs));
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new StoreDeadlineExceeded(`the database did not answer within ${Math.round(allowedMs)} ms`)), allowedMs);
    });
    try {
      // The race subscribes to the call, so the call failing after the deadline is not an unhandled rejection.
      return await Promise.race([call(), expired]);
    } finally {
      clearTimeout(timer);
      this.spentMs += performance.now() - startedAt;
    }
  }
}

export type DeliveryAcceptance =
  | { accepted: true; outcome: DispatchOutcome | 'duplicate' }
  | { accepted: false; reason: 'store_unavailable' | 'delivery_in_progress' | 'dispatcher_unavailable'; retryAfterSeconds: number; error?: unknown };

export interface DeliveryAcceptanceOptions {
  deadline: StoreDeadline;
  /** See {@link deliveryInFlightMs}. */
  inFlightMs: number;
  now: () => number;
  logger?: Logger | undefined;
}

/**
 * Dispatches an authenticated delivery once, whatever copies and retries of it arrive:
 *
 * - first seen: recorded `received`, dispatched, marked `dispatched`;
 * - `dispatched` before (or recorded by the version without states): a duplicate, not dispatched;
 * - `received` within the in-flight window: asked to retry later, since the attempt that
 *   recorded it may still be dispatching, or may have failed and told its own storefront
 *   request to retry; acknowledging this copy could lose the event;
 * - `received` longer ago: that attempt answered without noting a dispatch (its dispatch failed
 *   and the release did not land, the mark did not land, or the process died), so it is
 *   dispatched again. Dispatch is signal-with-start under conflict policy "use existing": it
 *   cannot start a second workflow, at worst it signals one once more.
 *
 * A failed dispatch releases the record (best effort, within the deadline) so the storefront's
 * retry is dispatched at once rather than after the window. A mark that does not land in time
 * leaves the answer a success: the event is with the dispatcher.
 */
export async function acceptDelivery(
  ports: Pick<WebhookReceiverDependencies, 'deliveries' | 'dispatcher'>,
  event: StorefrontEvent,
  options: DeliveryAcceptanceOptions,
): Promise<DeliveryAcceptance> {
  const { deadline, inFlightMs, logger } = options;
  const about = { tenantId: event.tenantId, storefront: event.storefront, deliveryId: event.deliveryId, topic: event.topic };
  const receivedAt = options.now();
  let earlier: EarlierDelivery | undefined;
  try {
    earlier = await deadline.wait(() => ports.deliveries.recordDelivery(event, new Date(receivedAt)));
  } catch (error) {
    return { accepted: false, reason: 'store_unavailable', retryAfterSeconds: unavailableRetryAfterSeconds, error };
  }
  if (earlier?.state === 'dispatched') return { accepted: true, outcome: 'duplicate' };
  if (earlier !== undefined) {
    const ageMs = receivedAt - earlier.receivedAt.getTime();
    if (ageMs < inFlightMs) return { accepted: false, reason: 'delivery_in_progress', retryAfterSeconds: Math.max(1, Math.ceil((inFlightMs - ageMs) / 1000)) };
    logger?.warn({ ...about, recordedMsAgo: ageMs }, 'webhook delivery recorded earlier but never marked dispatched; dispatching it again');
  }
  let outcome: DispatchOutcome;
  try {
    outcome = await ports.dispatcher.dispatch(event);
  } catch (error) {
    await deadline.wait(() => ports.deliveries.releaseDelivery(event)).catch((releaseError: unknown) => {
      logger?.warn({ ...about, err: releaseError }, 'webhook delivery not released after a failed dispatch; a retry within the in-flight window is asked to wait');
    });
    return { accepted: false, reason: 'dispatcher_unavailable', retryAfterSeconds: unavailableRetryAfterSeconds, error };
  }
  await deadline.wait(() => ports.deliveries.markDispatched(event)).catch((markError: unknown) => {
    logger?.warn({ ...about, err: markError }, 'webhook delivery not marked dispatched; a copy within the in-flight window is asked to retry, a later one is dispatched again');
  });
  return { accepted: true, outcome };
}
