import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { backoffAfterAttempt, nextRetryDelayMs, toApplicationFailure, withConnectorFailures } from '../../activities/connector-failure.js';
import { vendorCallOptions } from '../../workflows/activity-options.js';
import { vendorCallRetryPolicy } from '../../workflows/vendor-call-contract.js';
import { failureClassOf, isClassifiedConnectorError } from '../../connectors/failure-class.js';
import {
  BigCommerceAuthError,
  BigCommerceInputError,
  BigCommerceRetryableError,
  BigCommerceUnexpectedResponseError,
} from '../../connectors/bigcommerce/index.js';
import { ClarityAuthError, ClarityInputError, ClarityRetryableError } from '../../connectors/clarity/index.js';
import { IntacctAuthConfigError, IntacctInputError, IntacctRetryableError } from '../../connectors/intacct/index.js';

describe('connector failures → Temporal failures', () => {
  it.each([
    [
      'Intacct rate limit',
      new IntacctRetryableError('GW-0010 too many requests', { level: 'http', httpStatus: 429, retryAfterMs: 3000 }),
      'IntacctRetryableError',
      'retryable',
      false,
      3000,
    ],
    [
      'Intacct closed period',
      new IntacctInputError('period closed', {
        level: 'function',
        errors: [{ errorno: 'BL03000071', description: 'closed', description2: 'The period is closed', correction: 'Open the period' }],
        controlId: 'c-1',
        functionName: 'create_sotransaction',
      }),
      'IntacctInputError',
      'input',
      true,
      undefined,
    ],
    [
      'Intacct bad sender',
      new IntacctAuthConfigError('XL03000006 sign-in failed', { level: 'control' }),
      'IntacctAuthConfigError',
      'auth',
      true,
      undefined,
    ],
    // Shorter than the vendor policy's first backoff (2 s), so the backoff stands.
    [
      'BigCommerce 429',
      new BigCommerceRetryableError('rate limited', { status: 429, retryAfterMs: 1500 }),
      'BigCommerceRetryableError',
      'retryable',
      false,
      2000,
    ],
    ['BigCommerce 422', new BigCommerceInputError('invalid status', { status: 422 }), 'BigCommerceInputError', 'input', true, undefined],
    ['BigCommerce 401', new BigCommerceAuthError('bad token', { status: 401 }), 'BigCommerceAuthError', 'auth', true, undefined],
    [
      'BigCommerce odd body',
      new BigCommerceUnexpectedResponseError('not an order', { status: 200 }),
      'BigCommerceUnexpectedResponseError',
      'unexpected',
      true,
      undefined,
    ],
    [
      'Clarity 503',
      new ClarityRetryableError('unavailable', { operation: 'getOrder', status: 503 }),
      'ClarityRetryableError',
      'retryable',
      false,
      undefined,
    ],
    [
      'Clarity 409',
      new ClarityInputError('idempotency key reused', { operation: 'createShipment', status: 409 }),
      'ClarityInputError',
      'input',
      true,
      undefined,
    ],
    [
      'Clarity 401',
      new ClarityAuthError('invalid client', { operation: 'token', status: 401 }),
      'ClarityAuthError',
      'auth',
      true,
      undefined,
    ],
  ])(
    '%s becomes a %s failure (%s, nonRetryable %s, next retry %s ms)',
    (_case, error, type, failureClass, nonRetryable, nextRetryDelay) => {
      expect(isClassifiedConnectorError(error)).toBe(true);
      expect(failureClassOf(error)).toBe(failureClass);
      const failure = toApplicationFailure(error) as ApplicationFailure;
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.type).toBe(type);
      expect(failure.nonRetryable).toBe(nonRetryable);
      expect(failure.nextRetryDelay).toBe(nextRetryDelay);
      expect(failure.message).toBe(error.message);
      expect(failure.details?.[0]).toMatchObject({ failureClass });
    },
  );

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

describe('the delay after a retryable vendor failure', () => {
  const rateLimited = (retryAfterMs?: number) =>
    new IntacctRetryableError('GW-0010 too many requests', {
      level: 'http',
      httpStatus: 429,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  const delayOf = (failure: unknown) => (failure as ApplicationFailure).nextRetryDelay;
  const activityEnvironment = (info: ConstructorParameters<typeof MockActivityEnvironment>[0]) =>
    new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

  it.each([
    // attempt, Retry-After, expected: the longer of the vendor's wait and 2 s × 2^(attempt − 1), at most 2 min
    [1, 1_000, 2_000],
    [5, 1_000, 32_000],
    [7, 1_000, 120_000],
    [10, 1_000, 120_000],
    [1, 30_000, 30_000],
    [4, 30_000, 30_000],
    [6, 30_000, 64_000],
  ])(
    'when attempt %i of a vendor call is refused with Retry-After %i ms, then the next retry waits %i ms',
    (attempt, retryAfterMs, expected) => {
      expect(delayOf(toApplicationFailure(rateLimited(retryAfterMs), { attempt, policy: vendorCallRetryPolicy }))).toBe(expected);
    },
  );

  it('when the vendor gave no Retry-After, then no delay is set and Temporal backs off on its own', () => {
    expect(delayOf(toApplicationFailure(rateLimited(), { attempt: 3, policy: vendorCallRetryPolicy }))).toBeUndefined();
    expect(
      delayOf(
        toApplicationFailure(new ClarityRetryableError('unavailable', { operation: 'getOrder', status: 503 }), {
          attempt: 3,
          policy: vendorCallRetryPolicy,
        }),
      ),
    ).toBeUndefined();
  });

  it('when the failure is not retryable, then its Retry-After is ignored', () => {
    const refused = new BigCommerceInputError('invalid status', { status: 422 });
    Object.assign(refused, { retryAfterMs: 5_000 });
    expect(delayOf(toApplicationFailure(refused, { attempt: 1, policy: vendorCallRetryPolicy }))).toBeUndefined();
  });

  it('when it runs in an activity, then the attempt and the retry policy Temporal gives the activity are used', async () => {
    // The policy as the server sends it: numbers of milliseconds, maximumAttempts 0 for unlimited.
    const environment = activityEnvironment({
      attempt: 4,
      retryPolicy: { initialInterval: 1_000, backoffCoefficient: 3, maximumInterval: 60_000, maximumAttempts: 0 },
    });
    const activity = withConnectorFailures(() => Promise.reject(rateLimited(1_000)));
    const failure = await environment.run(activity).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(delayOf(failure)).toBe(27_000);
  });

  it('when it runs in an activity whose policy Temporal did not send, then the vendor calls policy stands in', async () => {
    const environment = activityEnvironment({ attempt: 3, retryPolicy: undefined });
    const failure = await environment.run(withConnectorFailures(() => Promise.reject(rateLimited(1_000)))).catch((error: unknown) => error);
    expect(delayOf(failure)).toBe(8_000);
  });

  it('when a policy leaves fields out, then the server defaults apply (1 s, ×2, at most 100 × the initial interval)', () => {
    expect(backoffAfterAttempt({}, 1)).toBe(1_000);
    expect(backoffAfterAttempt({}, 4)).toBe(8_000);
    expect(backoffAfterAttempt({}, 20)).toBe(100_000);
    expect(backoffAfterAttempt({ initialInterval: '500 milliseconds', maximumInterval: '1 second' }, 5)).toBe(1_000);
  });

  it('when a policy is one Temporal would refuse, then the vendor wait alone stands', () => {
    expect(backoffAfterAttempt({ initialInterval: 0 }, 1)).toBeUndefined();
    expect(nextRetryDelayMs(1_500, { attempt: 2, policy: { initialInterval: '2 minutes', maximumInterval: '1 minute' } })).toBe(1_500);
  });

  it('when a vendor call fails at once on every attempt, then it is retried for 606 s (about ten minutes) before the order is parked', () => {
    const attempts = vendorCallRetryPolicy.maximumAttempts!;
    const waits = Array.from({ length: attempts - 1 }, (_, index) => backoffAfterAttempt(vendorCallRetryPolicy, index + 1)!);
    expect(attempts).toBe(11);
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 120_000, 120_000, 120_000, 120_000]);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(606_000);
    // Every attempt that hangs until its client's timeout adds that timeout: 11 × 45 s for Intacct, 11 × 30 s for a storefront.
    expect(606_000 + attempts * 45_000).toBe(1_101_000);
    expect(606_000 + attempts * 30_000).toBe(936_000);
  });

  it('when vendor calls are scheduled, then they heartbeat within 30 s and an attempt may wait for the quota far longer than the old 1-minute timeout', () => {
    expect(vendorCallOptions.retry).toBe(vendorCallRetryPolicy);
    expect(vendorCallOptions.heartbeatTimeout).toBe('30 seconds');
    expect(vendorCallOptions.startToCloseTimeout).toBe('10 minutes');
    expect(vendorCallOptions.scheduleToCloseTimeout).toBeUndefined();
  });
});
