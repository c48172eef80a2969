import {
  isFreshWebhookTimestamp,
  standardWebhookSignature,
  standardWebhookToleranceSeconds,
  verifyStandardWebhookSignature,
} from './standard-webhooks.js';

/** How far a delivery's `webhook-timestamp` may be from our clock (Standard Webhooks: 5 minutes). */
export const clarityTimestampToleranceSeconds = standardWebhookToleranceSeconds;

/**
 * The key bytes of a Clarity endpoint secret: `whsec_` + base64, as Standard Webhooks
 * defines it (a bare base64 secret is accepted too).
 */
export function clarityWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** The `v1` signature bytes for one delivery: HMAC-SHA256 over `{id}.{timestamp}.{raw body}`. */
export const clarityExpectedSignature = standardWebhookSignature;

/**
 * True when any `v1,<base64>` entry of the `webhook-signature` header matches the HMAC under
 * any of the tenant's secrets (several during a rotation, on either side).
 */
export function verifyClaritySignature(input: {
  secrets: readonly string[];
  webhookId: string;
  timestamp: string;
  rawBody: Buffer;
  signatureHeader: string;
}): boolean {
  const { secrets, ...signed } = input;
  return verifyStandardWebhookSignature({ ...signed, keys: secrets.map(clarityWebhookKey) });
}

/** Whether `webhook-timestamp` (unix seconds) is within the tolerance of `nowMs`, in either direction. */
export const isFreshClarityTimestamp = isFreshWebhookTimestamp;
