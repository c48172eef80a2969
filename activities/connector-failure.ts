import { ApplicationFailure } from '@temporalio/common';
import { failureClassOf, isClassifiedConnectorError } from '../connectors/failure-class.js';

/** Vendor fields worth showing in Temporal UI; chosen one by one so nothing secret can slip in. */
const detailFields = ['status', 'httpStatus', 'vendorCode', 'requestId', 'errorno', 'description2', 'correction', 'controlId', 'functionName', 'outcomeUnknown'] as const;

/**
 * Turns a connector failure into the Temporal failure an activity throws: the connector's type
 * as the failure type (workflows branch on it), non-retryable unless retrying can help, and the
 * vendor's Retry-After as the next retry delay. Anything else is returned unchanged, so Temporal
 * retries it under the activity's policy.
 */
export function toApplicationFailure(error: unknown): unknown {
  if (!isClassifiedConnectorError(error)) return error;
  const source = error as unknown as Record<string, unknown>;
  const details: Record<string, unknown> = { failureClass: failureClassOf(error) };
  for (const field of detailFields) {
    const value = source[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') details[field] = value;
  }
  return ApplicationFailure.create({
    message: error.message,
    type: error.type,
    nonRetryable: !error.retryable,
    details: [details],
    ...(error.retryable && error.retryAfterMs !== undefined && error.retryAfterMs > 0 && { nextRetryDelay: error.retryAfterMs }),
  });
}

/** Wraps an activity so connector failures leave it as classified Temporal failures. */
export function withConnectorFailures<Args extends unknown[], Result>(activity: (...args: Args) => Promise<Result>): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw toApplicationFailure(error);
    }
  };
}
