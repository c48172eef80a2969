import { describe, expect, it } from 'vitest';
import { isFreshClarityTimestamp, verifyClaritySignature } from '../../../api/webhooks/clarity-signature.js';
import { newWebhookSecret, signWebhook } from '../../../sandbox/clarity/webhook-signing.js';

// The Standard Webhooks test vector from the storefront reference (B.3.3), computed outside this project.
const vector = {
  secret: 'whsec_Y2xhcml0eS1zaW0tdGVzdC1zZWNyZXQtMDEyMzQ1Njc4OQ==',
  webhookId: 'msg_test_0001',
  timestamp: '1700000000',
  body: '{"type":"order.created","timestamp":"2023-11-14T22:13:20Z","data":{"orderId":"ORD-1"}}',
  signature: 'v1,ivFK55e8Ti1iPSaAmh9iweu79W7ohJ2CVGBjekDU0Cw=',
};

function verify(
  overrides: Partial<{ secrets: string[]; webhookId: string; timestamp: string; body: string; signatureHeader: string }> = {},
): boolean {
  return verifyClaritySignature({
    secrets: overrides.secrets ?? [vector.secret],
    webhookId: overrides.webhookId ?? vector.webhookId,
    timestamp: overrides.timestamp ?? vector.timestamp,
    rawBody: Buffer.from(overrides.body ?? vector.body),
    signatureHeader: overrides.signatureHeader ?? vector.signature,
  });
}

describe('Clarity webhook signatures (Standard Webhooks v1)', () => {
  it('when the sandbox signs the reference vector then it writes the reference signature', () => {
    expect(signWebhook([vector.secret], vector.webhookId, Number(vector.timestamp), vector.body)).toBe(vector.signature);
  });

  it('when the receiver checks the reference vector then it accepts it', () => {
    expect(verify()).toBe(true);
  });

  it.each([
    ['the body changed by one byte', { body: vector.body.replace('ORD-1', 'ORD-2') }],
    ['the id changed', { webhookId: 'msg_test_0002' }],
    ['the timestamp changed', { timestamp: '1700000001' }],
    ['the secret is another', { secrets: [newWebhookSecret()] }],
    ['the signature is truncated', { signatureHeader: vector.signature.slice(0, 20) }],
    ['the signature is not base64', { signatureHeader: 'v1,@@@@' }],
    ['only an unknown version is offered', { signatureHeader: vector.signature.replace('v1,', 'v1a,') }],
    ['the header is empty', { signatureHeader: '' }],
    ['the tenant has no secrets', { secrets: [] }],
  ])('when %s then it refuses', (_case, overrides) => {
    expect(verify(overrides)).toBe(false);
  });

  it('when a rotation sends two signatures then either secret on the receiving side is enough', () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();
    const header = signWebhook([newSecret, oldSecret], vector.webhookId, Number(vector.timestamp), vector.body);
    expect(header.split(' ')).toHaveLength(2);
    expect(verify({ secrets: [oldSecret], signatureHeader: header })).toBe(true);
    expect(verify({ secrets: [newSecret], signatureHeader: header })).toBe(true);
    expect(verify({ secrets: [newWebhookSecret(), oldSecret], signatureHeader: header })).toBe(true);
    expect(verify({ secrets: [newWebhookSecret()], signatureHeader: header })).toBe(false);
  });

  it('when the receiver holds two secrets then a delivery signed with either is accepted', () => {
    expect(verify({ secrets: [newWebhookSecret(), vector.secret] })).toBe(true);
  });

  it.each([
    ['exactly now', 1_700_000_000, true],
    ['300 s old', 1_700_000_300, true],
    ['301 s old', 1_700_000_301, false],
    ['300 s in the future', 1_699_999_700, true],
    ['301 s in the future', 1_699_999_699, false],
  ])('when the timestamp is %s then freshness is %s', (_case, nowSeconds, fresh) => {
    expect(isFreshClarityTimestamp('1700000000', nowSeconds * 1000)).toBe(fresh);
  });

  it.each(['', 'abc', '-5', '1.5', '17000000001234'])('when the timestamp is %j then it is not fresh', (timestamp) => {
    expect(isFreshClarityTimestamp(timestamp, 1_700_000_000_000)).toBe(false);
  });
});
