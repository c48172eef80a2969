import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertSignatureHeaders, signAlertBody, verifyAlertSignature } from './signature.js';

const secret = 'whsec_test-secret-0123456789abcdef0123';
const body = '{"text":"Order 1 is parked"}';
const sentAt = new Date('2026-12-06T10:00:00Z');

describe('alert webhook signatures', () => {
  const headers = signAlertBody(secret, body, sentAt);
  const signed = { timestamp: headers[alertSignatureHeaders.timestamp], signature: headers[alertSignatureHeaders.signature] };

  it('when signed, then the signature is v1= and the hex HMAC-SHA256 of "{timestamp}.{body}", as docs/alerts.md tells receivers', () => {
    expect(signed.timestamp).toBe('1796551200');
    expect(signed.signature).toBe(`v1=${createHmac('sha256', secret).update(`1796551200.${body}`).digest('hex')}`);
    expect(verifyAlertSignature(secret, signed, body, new Date(sentAt.getTime() + 60_000))).toBe(true);
  });

  it.each([
    ['another secret', () => verifyAlertSignature('whsec_other', signed, body, sentAt)],
    ['a changed body', () => verifyAlertSignature(secret, signed, body.replace('1', '2'), sentAt)],
    ['a changed timestamp', () => verifyAlertSignature(secret, { ...signed, timestamp: '1796551201' }, body, sentAt)],
    ['a replay ten minutes later', () => verifyAlertSignature(secret, signed, body, new Date(sentAt.getTime() + 600_000))],
    ['no signature', () => verifyAlertSignature(secret, { timestamp: signed.timestamp, signature: undefined }, body, sentAt)],
  ])('when verified with %s, then it is refused', (_case, verify) => {
    expect(verify()).toBe(false);
  });
});
