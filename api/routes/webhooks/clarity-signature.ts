import { createHmac } from 'node:crypto';
import { anyEqualInConstantTime } from './request-guards.js';

/** How far a delivery's `webhook-timestamp` may be from our clock (Standard Webhooks: 5 minutes). */
export const clarityTimestampToleranceSeconds = 300;

/**
 * The key bytes of a Clarity endpoint secret: `whsec_` + base64, as Standard Webhooks
 * defines it (a bare base64 secret is accepted too).
 */
export function clarityWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** The `v1` signature bytes for one delivery: HMAC-SHA256 over `{id}.{timestamp}.{raw body}`. */
export function clarityExpectedSignature(key: Buffer, webhookId: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(rawBody).digest();
}

/**
 * True when any `v1,<base64>` entry of the `webhook-signature` header matches the HMAC under
 * any of the tenant's secrets (several during a rotation, on either side). Compared in
 * constant time on equal-length buffers; other versions (`v1a`, …) are ignored.
 */
export function verifyClaritySignature(input: {
  secrets: readonly string[];
  webhookId: string;
  timestamp: string;
  rawBody: Buffer;
  signatureHeader: string;
}): boolean {
  const offered = input.signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice('v1,'.length), 'base64'));
  const expected = input.secrets.map((secret) =>
    clarityExpectedSignature(clarityWebhookKey(secret), input.webhookId, input.timestamp, input.rawBody),
  );
  return anyEqualInConstantTime(offered, expected);
}

/**
 * Whether `webhook-timestamp` (unix seconds) is within the tolerance of `nowMs`, in either
 * direction: old deliveries may be replays, future ones come from a wrong clock.
 */
export function isFreshClarityTimestamp(timestamp: string, nowMs: number, toleranceSeconds = clarityTimestampToleranceSeconds): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds;
}
