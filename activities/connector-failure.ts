import { Context } from '@temporalio/activity';
import { ApplicationFailure, compileRetryPolicy, decompileRetryPolicy, type RetryPolicy } from '@temporalio/common';
import { failureClassOf, isClassifiedConnectorError } from '../connectors/failure-class.js';
import { vendorCallRetryPolicy } from '../workflows/vendor-call-contract.js';

/** Vendor fields worth showing in Temporal UI; chosen one by one so nothing secret can slip in. */
const detailFields = [
  'status',
  'httpStatus',
  'vendorCode',
  'requestId',
  'errorno',
  'description2',
  'correction',
  'controlId',
  'functionName',
  'outcomeUnknown',
] as const;

/** The failed attempt's number (1 for the first) and the retry policy Temporal applies to its activity. */
export interface FailedAttempt {
  attempt: number;
  policy: RetryPolicy;
}

/**
 * The running activity's attempt and policy. Outside an activity (a script, a unit test), or
 * from a server that does not send the policy, the vendor calls' policy stands in: only vendor
 * calls fail with a Retry-After.
 */
function currentAttempt(): FailedAttempt {
  let info: Context['info'] | undefined;
  try {
    info = Context.current().info;
  } catch {
    info = undefined;
  }
  return { attempt: info?.attempt ?? 1, policy: info?.retryPolicy ?? vendorCallRetryPolicy };
}

/**
 * The delay Temporal's own backoff puts after `attempt` fails: `initialInterval ×
 * backoffCoefficient^(attempt − 1)`, at most `maximumInterval` (the server's defaults where the
 * policy leaves a field out). Undefined for a policy Temporal would refuse.
 */
export function backoffAfterAttempt(policy: RetryPolicy, attempt: number): number | undefined {
  // maximumAttempts is left out: the server sends 0 for "unlimited", which compiling refuses.
  const { maximumAttempts: _attempts, ...backoff } = policy;
  let intervals: RetryPolicy | undefined;
  try {
    intervals = decompileRetryPolicy(compileRetryPolicy(backoff));
  } catch {
    return undefined;
  }
  const initial = Number(intervals?.initialInterval ?? 1000);
  const maximum = Number(intervals?.maximumInterval ?? 100 * initial);
  const coefficient = intervals?.backoffCoefficient ?? 2;
  return Math.min(initial * coefficient ** (Math.max(1, attempt) - 1), maximum);
}

/**
 * The next retry's delay for a retryable failure that carries the vendor's Retry-After: the
 * longer of it and the policy's backoff. A `nextRetryDelay` replaces Temporal's backoff, so
 * the vendor's word alone (often a second or two on a 429) would spend every attempt within
 * seconds and park an order whose vendor was only briefly busy. Without a Retry-After there is
 * nothing to set, and Temporal's backoff applies as it is. The server caps either at the
 * policy's `maximumInterval`.
 */
export function nextRetryDelayMs(retryAfterMs: number | undefined, failed: FailedAttempt): number | undefined {
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return undefined;
  return Math.max(retryAfterMs, backoffAfterAttempt(failed.policy, failed.attempt) ?? 0);
}

/**
 * Turns a connector failure into the Temporal failure an activity throws: the connector's type
 * as the failure type (workflows branch on it), non-retryable unless retrying can help, and a
 * next retry delay that honours the vendor's Retry-After without shortening the backoff (see
 * {@link nextRetryDelayMs}). Anything else is returned unchanged, so Temporal retries it under
 * the activity's policy.
 */
export function toApplicationFailure(error: unknown, failed: FailedAttempt = currentAttempt()): unknown {
  if (!isClassifiedConnectorError(error)) return error;
  const source = error as unknown as Record<string, unknown>;
  const details: Record<string, unknown> = { failureClass: failureClassOf(error) };
  for (const field of detailFields) {
    const value = source[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') details[field] = value;
  }
  const nextRetryDelay = error.retryable ? nextRetryDelayMs(error.retryAfterMs, failed) : undefined;
  return ApplicationFailure.create({
    message: error.message,
    type: error.type,
    nonRetryable: !error.retryable,
    details: [details],
    ...(nextRetryDelay !== undefined && { nextRetryDelay }),
  });
}

/** Wraps an activity so connector failures leave it as classified Temporal failures. */
export function withConnectorFailures<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw toApplicationFailure(error);
    }
  };
}
