import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How an alert webhook proves it comes from this installation (docs/alerts.md "Verifying a
 * webhook"): `X-Alert-Timestamp` is the Unix time in seconds when it was sent, and
 * `X-Alert-Signature` is `v1=` and the hex HMAC-SHA256, keyed with the tenant's signing secret,
 * of `{timestamp}.{raw body}`. The timestamp is signed so a captured call cannot be replayed later.
 */
export const alertSignatureHeaders = { timestamp: 'x-alert-timestamp', signature: 'x-alert-signature', id: 'x-alert-id' } as const;

/** How far a receiver accepts a signature's timestamp from its own clock, in seconds. */
export const alertSignatureToleranceSeconds = 300;

/** The `v1=` signature of `body` sent at `timestamp` (Unix seconds). */
export function alertSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers that sign `body`: the timestamp and its signature. */
export function signAlertBody(secret: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [alertSignatureHeaders.timestamp]: String(timestamp),
    [alertSignatureHeaders.signature]: alertSignature(secret, timestamp, body),
  };
}

/**
 * What a receiver does (and the tests do): recompute the signature over the raw body, compare in
 * constant time, and refuse a timestamp outside the tolerance. True only when all hold.
 */
export function verifyAlertSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  now: Date = new Date(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || headers.signature === undefined) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > alertSignatureToleranceSeconds) return false;
  const expected = Buffer.from(alertSignature(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
