import { describe, expect, it } from 'vitest';
import {
  ClarityAuthError,
  ClarityInputError,
  ClarityRetryableError,
  classifyFailedAnswer,
  classifyTransportFailure,
  parseRetryAfter,
} from '../../../connectors/clarity/errors.js';

describe('Clarity error classification', () => {
  it.each([
    [400, ClarityInputError],
    [404, ClarityInputError],
    [409, ClarityInputError],
    [422, ClarityInputError],
    [401, ClarityAuthError],
    [403, ClarityAuthError],
    [408, ClarityRetryableError],
    [429, ClarityRetryableError],
    [500, ClarityRetryableError],
    [502, ClarityRetryableError],
    [503, ClarityRetryableError],
    [504, ClarityRetryableError],
  ])('when Clarity answers %i then the error is %o', (status, kind) => {
    const error = classifyFailedAnswer({ operation: 'getOrder', status, vendorCode: 'https://errors.clarity.test/x', requestId: 'req-1' });
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({
      status,
      vendorCode: 'https://errors.clarity.test/x',
      requestId: 'req-1',
      operation: 'getOrder',
      retryable: kind === ClarityRetryableError,
    });
  });

  it('when a problem body has a title, detail and field errors then the message and fields carry them', () => {
    const error = classifyFailedAnswer({
      operation: 'createShipment',
      status: 422,
      title: 'Validation failed',
      detail: 'a shipped SKU is not on the order',
      fieldErrors: [{ field: 'lineItems[0].sku', message: 'not on the order' }],
    });
    expect(error.message).toBe('Clarity createShipment failed with HTTP 422 (Validation failed: a shipped SKU is not on the order)');
    expect(error.fieldErrors).toEqual([{ field: 'lineItems[0].sku', message: 'not on the order' }]);
    expect(error.type).toBe('ClarityInputError');
  });

  it.each([
    ['seconds', '7', 7_000],
    ['an HTTP date 30 s ahead', new Date(1_700_000_030_000).toUTCString(), 30_000],
    ['an HTTP date in the past', new Date(1_699_999_000_000).toUTCString(), 0],
    ['garbage', 'soon', undefined],
    ['nothing', undefined, undefined],
  ])('when Retry-After is %s then the wait is %s ms', (_case, header, expected) => {
    expect(parseRetryAfter(header, () => 1_700_000_000_000)).toBe(expected);
  });

  it('when a 429 carries Retry-After then the retryable error says how long to wait', () => {
    expect(classifyFailedAnswer({ operation: 'listOrders', status: 429, retryAfterHeader: '3' }).retryAfterMs).toBe(3_000);
  });

  it('when the request got no answer then the error is retryable and keeps only the code and message of the cause', () => {
    const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
      options: { headers: { authorization: 'Bearer secret-token' } },
    });
    const error = classifyTransportFailure('getOrder', failure);
    expect(error).toBeInstanceOf(ClarityRetryableError);
    expect(error.message).toBe('Clarity getOrder got no answer (ECONNREFUSED)');
    expect(error.cause).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(JSON.stringify({ ...error, cause: error.cause })).not.toContain('secret-token');
  });
});
