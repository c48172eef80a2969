import { describe, expect, it } from 'vitest';
import { BigCommerceAuthError, BigCommerceInputError, BigCommerceRetryableError } from '../../../connectors/bigcommerce/errors.js';
import { retryAfterMs, readRateLimitHeaders } from '../../../connectors/bigcommerce/rate-limit.js';
import { classifyResponse, readVendorError, type BigCommerceRequest } from '../../../connectors/bigcommerce/transport.js';

const request: BigCommerceRequest = { version: 'v3', method: 'GET', path: '/catalog/products' };
const v3Body = (status: number, title: string, errors: Record<string, string> = {}) => ({
  status,
  title,
  type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes',
  errors,
});

describe('BigCommerce error classification', () => {
  it.each([
    [500, BigCommerceRetryableError],
    [502, BigCommerceRetryableError],
    [503, BigCommerceRetryableError],
    [504, BigCommerceRetryableError],
    [423, BigCommerceRetryableError],
    [429, BigCommerceRetryableError],
    [501, BigCommerceInputError],
    [507, BigCommerceInputError],
    [400, BigCommerceInputError],
    [404, BigCommerceInputError],
    [409, BigCommerceInputError],
    [413, BigCommerceInputError],
    [422, BigCommerceInputError],
    [401, BigCommerceAuthError],
    [403, BigCommerceAuthError],
  ])('when the store answers %i then the error is %o', (status, kind) => {
    const error = classifyResponse(status, {}, v3Body(status, 'x'), request);
    expect(error).toBeInstanceOf(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(kind === BigCommerceRetryableError);
  });

  it('when a 429 carries the reset and retry-after headers then the longer wait is kept', () => {
    const error = classifyResponse(
      429,
      { 'x-rate-limit-time-reset-ms': '15000', 'x-retry-after': '16' },
      v3Body(429, 'Too Many Requests'),
      request,
    );
    expect(error.retryAfterMs).toBe(16_000);
    expect(classifyResponse(429, { 'x-rate-limit-time-reset-ms': '2500' }, undefined, request).retryAfterMs).toBe(2500);
  });

  it('when a 429 has no rate-limit headers (platform under load) then no wait is invented', () => {
    const error = classifyResponse(429, {}, v3Body(429, 'Too Many Requests'), request);
    expect(error).toBeInstanceOf(BigCommerceRetryableError);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('when V3 sends field errors then the message and fieldErrors name them', () => {
    const error = classifyResponse(422, {}, v3Body(422, 'JSON data is missing or invalid', { destination: 'error.path.missing.' }), {
      version: 'v3',
      method: 'POST',
      path: '/hooks',
    });
    expect(error.message).toBe(
      'BigCommerce POST v3/hooks answered 422: JSON data is missing or invalid (destination: error.path.missing.)',
    );
    expect(error.fieldErrors).toEqual({ destination: 'error.path.missing.' });
    expect(error.vendorCode).toBe('https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes');
  });

  it('when V2 sends an error array then every message is kept and the vendor code is the status', () => {
    const vendor = readVendorError([
      { status: 400, message: "The field 'item_total' cannot be written to." },
      { status: 400, message: 'second' },
    ]);
    expect(vendor).toEqual({ message: "The field 'item_total' cannot be written to.; second", vendorCode: '400', fieldErrors: undefined });
  });

  it('when the refund endpoint wraps its error in data then it is still read', () => {
    expect(
      readVendorError({ data: [{ status: 422, title: 'Unable to provide store credit for a guest customer.', type: 't', errors: {} }] })
        ?.message,
    ).toBe('Unable to provide store credit for a guest customer.');
  });

  it('when the body is not a vendor error (HTML, nothing) then the status alone is reported', () => {
    const error = classifyResponse(502, {}, undefined, request);
    expect(error.message).toBe('BigCommerce GET v3/catalog/products answered 502');
    expect(readVendorError('<html>')).toBeUndefined();
  });
});

describe('BigCommerce rate-limit headers', () => {
  it('when the headers are present then every one is read', () => {
    expect(
      readRateLimitHeaders({
        'x-rate-limit-time-window-ms': '30000',
        'x-rate-limit-time-reset-ms': '15000',
        'x-rate-limit-requests-quota': '150',
        'x-rate-limit-requests-left': '35',
      }),
    ).toEqual({
      windowMs: 30000,
      resetMs: 15000,
      quota: 150,
      left: 35,
    });
  });

  it('when headers are missing or garbage then they are undefined', () => {
    expect(readRateLimitHeaders({ 'x-rate-limit-requests-left': 'lots' })).toEqual({
      windowMs: undefined,
      resetMs: undefined,
      quota: undefined,
      left: undefined,
    });
    expect(retryAfterMs({ 'x-retry-after': '-3' })).toBeUndefined();
  });
});
