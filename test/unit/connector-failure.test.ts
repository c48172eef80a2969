import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toApplicationFailure, withConnectorFailures } from '../../activities/connector-failure.js';
import { failureClassOf, isClassifiedConnectorError } from '../../connectors/failure-class.js';
import { BigCommerceAuthError, BigCommerceInputError, BigCommerceRetryableError, BigCommerceUnexpectedResponseError } from '../../connectors/bigcommerce/index.js';
import { ClarityAuthError, ClarityInputError, ClarityRetryableError } from '../../connectors/clarity/index.js';
import { IntacctAuthConfigError, IntacctInputError, IntacctRetryableError } from '../../connectors/intacct/index.js';

describe('connector failures → Temporal failures', () => {
  it.each([
    ['Intacct rate limit', new IntacctRetryableError('GW-0010 too many requests', { level: 'http', httpStatus: 429, retryAfterMs: 3000 }), 'IntacctRetryableError', 'retryable', false, 3000],
    ['Intacct closed period', new IntacctInputError('period closed', { level: 'function', errors: [{ errorno: 'BL03000071', description: 'closed', description2: 'The period is closed', correction: 'Open the period' }], controlId: 'c-1', functionName: 'create_sotransaction' }), 'IntacctInputError', 'input', true, undefined],
    ['Intacct bad sender', new IntacctAuthConfigError('XL03000006 sign-in failed', { level: 'control' }), 'IntacctAuthConfigError', 'auth', true, undefined],
    ['BigCommerce 429', new BigCommerceRetryableError('rate limited', { status: 429, retryAfterMs: 1500 }), 'BigCommerceRetryableError', 'retryable', false, 1500],
    ['BigCommerce 422', new BigCommerceInputError('invalid status', { status: 422 }), 'BigCommerceInputError', 'input', true, undefined],
    ['BigCommerce 401', new BigCommerceAuthError('bad token', { status: 401 }), 'BigCommerceAuthError', 'auth', true, undefined],
    ['BigCommerce odd body', new BigCommerceUnexpectedResponseError('not an order', { status: 200 }), 'BigCommerceUnexpectedResponseError', 'unexpected', true, undefined],
    ['Clarity 503', new ClarityRetryableError('unavailable', { operation: 'getOrder', status: 503 }), 'ClarityRetryableError', 'retryable', false, undefined],
    ['Clarity 409', new ClarityInputError('idempotency key reused', { operation: 'createShipment', status: 409 }), 'ClarityInputError', 'input', true, undefined],
    ['Clarity 401', new ClarityAuthError('invalid client', { operation: 'token', status: 401 }), 'ClarityAuthError', 'auth', true, undefined],
  ])('%s becomes a %s failure (%s, nonRetryable %s, next retry %s ms)', (_case, error, type, failureClass, nonRetryable, nextRetryDelay) => {
    expect(isClassifiedConnectorError(error)).toBe(true);
    expect(failureClassOf(error)).toBe(failureClass);
    const failure = toApplicationFailure(error) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.nextRetryDelay).toBe(nextRetryDelay);
    expect(failure.message).toBe(error.message);
    expect(failure.details?.[0]).toMatchObject({ failureClass });
  });

  it('keeps the vendor fields an operator needs and nothing else', () => {
    const error = new IntacctInputError('duplicate document number', {
      level: 'function',
      errors: [{ errorno: 'BL03002130', description: 'Duplicate', description2: 'Document SO-1 exists', correction: 'Use another number' }],
      controlId: 'order-100:create',
      functionName: 'create_sotransaction',
      cause: Object.assign(new Error('inner'), { senderPassword: 'must-not-leak' }),
    });
    const details = (toApplicationFailure(error) as ApplicationFailure).details?.[0] as Record<string, unknown>;
    expect(details).toEqual({
      failureClass: 'input',
      errorno: 'BL03002130',
      description2: 'Document SO-1 exists',
      correction: 'Use another number',
      controlId: 'order-100:create',
      functionName: 'create_sotransaction',
      outcomeUnknown: false,
    });
    expect(JSON.stringify(details)).not.toContain('must-not-leak');
  });

  it('leaves other errors unchanged, for the activity retry policy to handle', () => {
    const plain = new Error('socket hang up');
    expect(toApplicationFailure(plain)).toBe(plain);
    expect(toApplicationFailure('text')).toBe('text');
  });

  it('wraps an activity so its connector failures leave classified', async () => {
    const activity = withConnectorFailures(async (orderId: string) => {
      await Promise.resolve();
      if (orderId === 'bad') throw new BigCommerceInputError('order not found', { status: 404 });
      return `ok ${orderId}`;
    });
    expect(await activity('100')).toBe('ok 100');
    await expect(activity('bad')).rejects.toMatchObject({ type: 'BigCommerceInputError', nonRetryable: true });
  });
});
