import { describe, expect, it } from 'vitest';
import { isFreshWebhookTimestamp, verifyStandardWebhookSignature } from '../../../api/webhooks/standard-webhooks.js';

// The test vector of the storefront API notes (computed with the Standard Webhooks libraries).
const rawBody = Buffer.from('{"type":"order.created","timestamp":"2023-11-14T22:13:20Z","data":{"orderId":"ORD-1"}}', 'utf8');
const signed = { webhookId: 'msg_test_0001', timestamp: '1700000000', rawBody };

describe('Standard Webhooks signatures', () => {
  it('when BigCommerce signs with the client secret bc-test-client-secret then the vector verifies under its UTF-8 bytes', () => {
    const keys = [Buffer.from('bc-test-client-secret', 'utf8')];
    expect(verifyStandardWebhookSignature({ ...signed, keys, signatureHeader: 'v1,YHBJGm5xajm2obcW4ScpgHdFAs01lns+LTZd7fE0OPU=' })).toBe(
      true,
    );
    expect(verifyStandardWebhookSignature({ ...signed, keys, signatureHeader: 'v1,ivFK55e8Ti1iPSaAmh9iweu79W7ohJ2CVGBjekDU0Cw=' })).toBe(
      false,
    );
  });

  it('when the header carries several signatures (a rotation) then any matching v1 entry verifies; other versions never do', () => {
    const keys = [Buffer.from('bc-test-client-secret', 'utf8')];
    const right = 'v1,YHBJGm5xajm2obcW4ScpgHdFAs01lns+LTZd7fE0OPU=';
    expect(verifyStandardWebhookSignature({ ...signed, keys, signatureHeader: `v1,AAAA ${right}` })).toBe(true);
    expect(verifyStandardWebhookSignature({ ...signed, keys, signatureHeader: right.replace('v1,', 'v1a,') })).toBe(false);
  });

  it('when the timestamp is more than five minutes away, either way, or not a number then it is stale', () => {
    const now = 1_700_000_000_000;
    expect(isFreshWebhookTimestamp('1700000300', now)).toBe(true);
    expect(isFreshWebhookTimestamp('1699999700', now)).toBe(true);
    expect(isFreshWebhookTimestamp('1700000301', now)).toBe(false);
    expect(isFreshWebhookTimestamp('1699999699', now)).toBe(false);
    expect(isFreshWebhookTimestamp('17e8', now)).toBe(false);
  });
});
