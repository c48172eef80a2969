import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { v2Date, v2Money, v3Money } from '../../../sandbox/bigcommerce/formats.js';
import { RateLimitWindow } from '../../../sandbox/bigcommerce/rate-limit.js';
import {
  compressedRetryScheduleMs,
  realRetryScheduleMs,
  scopeMatches,
  signatureHeaders,
} from '../../../sandbox/bigcommerce/webhook-delivery.js';

describe('BigCommerce sandbox wire formats', () => {
  it.each([
    [1999, '19.9900'],
    [0, '0.0000'],
    [7, '0.0700'],
    [-150, '-1.5000'],
  ])('when %i cents are written for V2 then they read %s', (cents, text) => {
    expect(v2Money(cents)).toBe(text);
  });

  it('when cents are written for V3 then they are a 2-decimal number', () => {
    expect(v3Money(2598)).toBe(25.98);
  });

  it('when a date is written for V2 then it is RFC 2822 in UTC, and no date is ""', () => {
    expect(v2Date(new Date('2019-03-05T21:40:11Z'))).toBe('Tue, 05 Mar 2019 21:40:11 +0000');
    expect(v2Date(undefined)).toBe('');
  });
});

describe('BigCommerce sandbox rate-limit window', () => {
  it('when the quota is spent then the next request is refused with the wait until the window ends', () => {
    const window = new RateLimitWindow({ requestsPerWindow: 2, windowMs: 30_000 });
    expect(window.consume(1_000).headers).toEqual({
      'X-Rate-Limit-Time-Window-Ms': '30000',
      'X-Rate-Limit-Time-Reset-Ms': '30000',
      'X-Rate-Limit-Requests-Quota': '2',
      'X-Rate-Limit-Requests-Left': '1',
    });
    expect(window.consume(2_000).allowed).toBe(true);
    const refused = window.consume(16_000);
    expect(refused.allowed).toBe(false);
    expect(refused.headers).toMatchObject({
      'X-Rate-Limit-Time-Reset-Ms': '15000',
      'X-Rate-Limit-Requests-Left': '0',
      'X-Retry-After': '15',
    });
  });

  it('when the window has passed then the quota is whole again', () => {
    const window = new RateLimitWindow({ requestsPerWindow: 1, windowMs: 1_000 });
    window.consume(0);
    expect(window.consume(999).allowed).toBe(false);
    expect(window.consume(1_000)).toMatchObject({ allowed: true, headers: { 'X-Rate-Limit-Requests-Left': '0' } });
  });

  it('when reset after a reconfiguration then the starting settings come back', () => {
    const window = new RateLimitWindow({ requestsPerWindow: 5, windowMs: 1_000 });
    window.configure({ requestsPerWindow: 1, windowMs: 9_000 });
    expect(window.current()).toEqual({ requestsPerWindow: 1, windowMs: 9_000 });
    window.reset();
    expect(window.current()).toEqual({ requestsPerWindow: 5, windowMs: 1_000 });
  });
});

describe('BigCommerce sandbox webhook scopes and schedule', () => {
  it.each([
    ['store/order/created', 'store/order/created', true],
    ['store/order/*', 'store/order/statusUpdated', true],
    ['store/order/*', 'store/order/refund/created', true],
    ['store/order/*', 'store/orders/created', false],
    ['store/sku/*', 'store/product/updated', false],
    ['store/order/created', 'store/order/updated', false],
  ])('when a hook on %s meets %s then it matches: %s', (hookScope, eventScope, expected) => {
    expect(scopeMatches(hookScope, eventScope)).toBe(expected);
  });

  it('when no schedule is given then the real 11-step schedule is compressed a thousandfold', () => {
    expect(realRetryScheduleMs).toHaveLength(11);
    expect(realRetryScheduleMs[0]).toBe(60_000);
    expect(compressedRetryScheduleMs).toEqual(realRetryScheduleMs.map((ms) => ms / 1000));
  });
});

describe('BigCommerce sandbox webhook signature (Standard Webhooks)', () => {
  it('when a callback is signed then the signature is the HMAC of id.timestamp.body keyed by the client secret', () => {
    const body = '{"scope":"store/order/created"}';
    // The Standard Webhooks libraries take the key base64-encoded; BigCommerce's key is the secret's bytes.
    const key = Buffer.from(Buffer.from('demo-bc-secret', 'utf8').toString('base64'), 'base64');
    const expected = createHmac('sha256', key).update(`abc.1700000000.${body}`).digest('base64');
    expect(signatureHeaders('demo-bc-secret', 'abc', 1_700_000_000, body)).toEqual({
      'webhook-id': 'abc',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${expected}`,
    });
  });
});
