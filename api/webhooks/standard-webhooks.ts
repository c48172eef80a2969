import { createHmac } from 'node:crypto';
import { anyEqualInConstantTime } from './request-guards.js';

/**
 * Standard Webhooks (standardwebhooks.com), as Clarity and BigCommerce sign their deliveries:
 * `webhook-id`, `webhook-timestamp` (unix seconds of the attempt) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256>` entries, space-separated) over `{id}.{timestamp}.{raw body}`.
 * What keys the HMAC differs per vendor; the caller turns its secrets into key bytes.
 */
export const standardWebhookHeaders = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** How far `webhook-timestamp` may be from our clock (the specification's 5 minutes). */
export const standardWebhookToleranceSeconds = 300;

/** The `v1` signature bytes for one delivery. */
export function standardWebhookSignature(key: Buffer, webhookId: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(rawBody).digest();
}

/**
 * True when any `v1,<base64>` entry of the signature header matches the HMAC under any of the
 * keys (several during a rotation, on either side). Compared in constant time on equal-length
 * buffers; other versions (`v1a`, …) are ignored.
 */
export function verifyStandardWebhookSignature(input: {
  keys: readonly Buffer[];
  webhookId: string;
  timestamp: string;
  rawBody: Buffer;
  signatureHeader: string;
}): boolean {
  const offered = input.signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice('v1,'.length), 'base64'));
  const expected = input.keys.map((key) => standardWebhookSignature(key, input.webhookId, input.timestamp, input.rawBody));
  return anyEqualInConstantTime(offered, expected);
}

/**
 * Whether `webhook-timestamp` (unix seconds) is within the tolerance of `nowMs`, in either
 * direction: old deliveries may be replays, future ones come from a wrong clock.
 */
export function isFreshWebhookTimestamp(timestamp: string, nowMs: number, toleranceSeconds = standardWebhookToleranceSeconds): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds;
}
