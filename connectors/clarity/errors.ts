import { ConnectorError, type ConnectorErrorFields } from '../connector-error.js';

/**
 * The Clarity connector's failures, in the three kinds the design names (plus a 2xx body that
 * breaks the contract), on the shared `ConnectorError` base: `type` is
 * the class name. The connector only classifies; Temporal retries. Activities turn these into `ApplicationFailure` with `type`
 * as the failure type and `retryable` deciding `nonRetryable`.
 *
 * Nothing here ever carries credentials: messages are built from the status, the vendor's
 * problem text and the operation name, and a transport failure is kept only as its code and
 * message (got's own error holds the request options, Authorization header included).
 */
export type ClarityErrorType = 'ClarityRetryableError' | 'ClarityInputError' | 'ClarityAuthError' | 'ClarityUnexpectedResponseError';

export interface ClarityErrorDetails extends ConnectorErrorFields {
  /** What the connector was doing, e.g. `getOrder`. */
  operation: string;
  /** Field-level validation messages from a problem body. */
  fieldErrors?: { field: string; message: string }[] | undefined;
  /** A transport failure, reduced to what is safe to log. */
  cause?: { code?: string | undefined; message: string } | undefined;
}

/** Base of every Clarity failure, on the shared {@link ConnectorError}: `vendorCode` is the problem `type` URI or OAuth `error`. */
export abstract class ClarityError extends ConnectorError {
  abstract override readonly type: ClarityErrorType;
  readonly system = 'clarity' as const;
  readonly operation: string;
  readonly fieldErrors: { field: string; message: string }[];

  constructor(message: string, details: ClarityErrorDetails) {
    super(message, details);
    this.operation = details.operation;
    this.fieldErrors = details.fieldErrors ?? [];
  }
}

/** Network failures, timeouts, 5xx, 408 and 429: try again later (after `retryAfterMs` when set). */
export class ClarityRetryableError extends ClarityError {
  readonly type = 'ClarityRetryableError' as const;
  readonly kind = 'retryable' as const;
}

/** The request itself is wrong or refers to something missing (400, 404, 409, 422): retrying cannot help. */
export class ClarityInputError extends ClarityError {
  readonly type = 'ClarityInputError' as const;
  readonly kind = 'input' as const;
}

/** Credentials, scopes or settings are wrong (401 after a fresh token, 403, invalid_client): a person must fix them. */
export class ClarityAuthError extends ClarityError {
  readonly type = 'ClarityAuthError' as const;
  readonly kind = 'auth' as const;
}

/** Clarity answered 2xx with a body that does not match the contract: asking again returns the same, an operator must look. */
export class ClarityUnexpectedResponseError extends ClarityError {
  readonly type = 'ClarityUnexpectedResponseError' as const;
  readonly kind = 'unexpected' as const;
}

/** What the classifier needs from an answer that was not a success. */
export interface FailedAnswer {
  operation: string;
  status: number;
  vendorCode?: string | undefined;
  title?: string | undefined;
  detail?: string | undefined;
  fieldErrors?: { field: string; message: string }[] | undefined;
  requestId?: string | undefined;
  retryAfterHeader?: string | undefined;
}

/** Turns a non-2xx answer into the right kind of error. */
export function classifyFailedAnswer(answer: FailedAnswer, now: () => number = Date.now): ClarityError {
  const vendorText = [answer.title, answer.detail].filter((part) => part !== undefined && part !== '').join(': ');
  const message = `Clarity ${answer.operation} failed with HTTP ${answer.status}${vendorText === '' ? '' : ` (${vendorText})`}`;
  const details: ClarityErrorDetails = {
    operation: answer.operation,
    status: answer.status,
    vendorCode: answer.vendorCode,
    requestId: answer.requestId,
    retryAfterMs: parseRetryAfter(answer.retryAfterHeader, now),
    fieldErrors: answer.fieldErrors,
  };
  if (answer.status === 401 || answer.status === 403) return new ClarityAuthError(message, details);
  if (answer.status === 408 || answer.status === 429 || answer.status >= 500) return new ClarityRetryableError(message, details);
  return new ClarityInputError(message, details);
}

/** A request that got no HTTP answer at all (refused, reset, timed out): always retryable. */
export function classifyTransportFailure(operation: string, failure: unknown): ClarityRetryableError {
  const code =
    typeof failure === 'object' && failure !== null && 'code' in failure && typeof failure.code === 'string' ? failure.code : undefined;
  const reason = failure instanceof Error ? failure.message : String(failure);
  return new ClarityRetryableError(`Clarity ${operation} got no answer${code === undefined ? '' : ` (${code})`}`, {
    operation,
    cause: { code, message: reason },
  });
}

/**
 * `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Anything
 * unreadable is ignored rather than trusted.
 */
export function parseRetryAfter(header: string | undefined, now: () => number = Date.now): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now());
}
