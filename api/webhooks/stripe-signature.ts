import { createHmac } from 'node:crypto';
import { anyEqualInConstantTime } from './request-guards.js';

/**
 * Stripe's webhook signature scheme (docs.stripe.com/webhooks, "verify manually"): the
 * `Stripe-Signature` header holds `t=<unix seconds>` and one or more `v1=<hex HMAC-SHA256>`
 * (several while an endpoint secret is being rolled; `v0` entries are test-mode leftovers and
 * ignored), computed over `{t}.{raw body}` with the endpoint's signing secret (`whsec_…`, used
 * as it is written, as the key's UTF-8 bytes).
 */
export const stripeSignatureHeader = 'stripe-signature';

/** How far `t` may be from our clock: the 5 minutes Stripe's own libraries use. */
export const stripeTimestampToleranceSeconds = 300;

export interface StripeSignatureHeader {
  timestamp: string;
  /** The `v1` signatures, decoded from hex (an entry that is not hex is left out). */
  signatures: Buffer[];
}

/** Reads the header; undefined when it has no `t` or no `v1` entry. */
export function parseStripeSignatureHeader(header: string): StripeSignatureHeader | undefined {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const entry of header.split(',')) {
    const separator = entry.indexOf('=');
    if (separator <= 0) continue;
    const name = entry.slice(0, separator).trim();
    const value = entry.slice(separator + 1).trim();
    if (name === 't' && timestamp === undefined) timestamp = value;
    else if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/** The `v1` signature of a payload at a timestamp under a signing secret, as bytes. */
export function stripeSignature(signingSecret: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', Buffer.from(signingSecret, 'utf8')).update(`${timestamp}.`).update(rawBody).digest();
}

/**
 * True when any `v1` signature of the header matches the HMAC under any of the secrets,
 * compared in constant time. The timestamp is checked separately ({@link isFreshStripeTimestamp}).
 */
export function verifyStripeSignature(input: { secrets: readonly string[]; header: StripeSignatureHeader; rawBody: Buffer }): boolean {
  const expected = input.secrets.map((secret) => stripeSignature(secret, input.header.timestamp, input.rawBody));
  return anyEqualInConstantTime(input.header.signatures, expected);
}

/**
 * Whether `t` (unix seconds) is within the tolerance of `nowMs`, in either direction: old
 * deliveries may be replays, future ones come from a wrong clock.
 */
export function isFreshStripeTimestamp(timestamp: string, nowMs: number, toleranceSeconds = stripeTimestampToleranceSeconds): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds;
}
