import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isFreshStripeTimestamp, parseStripeSignatureHeader, verifyStripeSignature } from '../../../api/webhooks/stripe-signature.js';

/** Stripe's scheme with the expected signature computed here, independently, with node:crypto. */
describe('Stripe webhook signatures', () => {
  const secret = 'whsec_test_secret_0123456789';
  const body = Buffer.from('{"id":"evt_1","object":"event","type":"payout.paid"}');
  const sign = (key: string, timestamp: string, payload: Buffer = body) =>
    createHmac('sha256', key)
      .update(`${timestamp}.${payload.toString('utf8')}`)
      .digest('hex');
  const verify = (header: string, secrets: string[] = [secret]) => {
    const parsed = parseStripeSignatureHeader(header);
    return parsed !== undefined && verifyStripeSignature({ secrets, header: parsed, rawBody: body });
  };

  it.each([
    ['one v1', (t: string) => `t=${t},v1=${sign(secret, t)}`, true],
    ['spaces after commas and upper-case hex', (t: string) => `t=${t}, v1=${sign(secret, t).toUpperCase()}`, true],
    [
      'a v0 and a foreign v1 beside ours (a secret roll)',
      (t: string) => `t=${t},v0=${sign('x', t)},v1=${sign('whsec_old', t)},v1=${sign(secret, t)}`,
      true,
    ],
    ['v1 first, t last', (t: string) => `v1=${sign(secret, t)},t=${t}`, true],
    ['only a v0 entry', (t: string) => `t=${t},v0=${sign(secret, t)}`, false],
    ['no timestamp', (t: string) => `v1=${sign(secret, t)}`, false],
    ['signed for another timestamp', (t: string) => `t=${Number(t) + 1},v1=${sign(secret, t)}`, false],
    ['under another secret', (t: string) => `t=${t},v1=${sign('whsec_other', t)}`, false],
    ['a truncated signature', (t: string) => `t=${t},v1=${sign(secret, t).slice(0, 62)}`, false],
    ['over another body', (t: string) => `t=${t},v1=${sign(secret, t, Buffer.from('{}'))}`, false],
    ['empty', () => '', false],
  ])('%s', (_name, header, expected) => {
    expect(verify(header('1780000000'))).toBe(expected);
  });

  it('when the tenant has no secret then nothing verifies', () => {
    expect(verify(`t=1780000000,v1=${sign(secret, '1780000000')}`, [])).toBe(false);
  });

  it('when the timestamp is more than 5 minutes away either way, or not a number, then it is stale', () => {
    const now = 1_780_000_000_000;
    expect(isFreshStripeTimestamp('1780000000', now)).toBe(true);
    expect(isFreshStripeTimestamp('1779999700', now)).toBe(true);
    expect(isFreshStripeTimestamp('1779999699', now)).toBe(false);
    expect(isFreshStripeTimestamp('1780000301', now)).toBe(false);
    expect(isFreshStripeTimestamp('1780000000.5', now)).toBe(false);
    expect(isFreshStripeTimestamp('', now)).toBe(false);
  });
});
