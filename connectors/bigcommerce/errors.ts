/**
 * The BigCommerce connector's failures, classified the way the design asks: retryable
 * (network, 5xx, timeouts, rate limits), input (the request or the data is wrong), auth
 * (bad token, missing scope). Temporal retries; the connector only says what happened.
 * Messages carry the vendor's words but never credentials.
 */
export type BigCommerceErrorType =
  'BigCommerceRetryableError' | 'BigCommerceInputError' | 'BigCommerceAuthError' | 'BigCommerceUnexpectedResponseError';

export interface BigCommerceErrorDetails {
  /** HTTP status, when the store answered. */
  status?: number | undefined;
  /** The vendor's own code: V3 `code` or `type`, V2 error `status`, or a network error code. */
  vendorCode?: string | undefined;
  /** How long to wait before retrying, from the rate-limit headers. */
  retryAfterMs?: number | undefined;
  /** The store's request id, when it sent one. */
  requestId?: string | undefined;
  /** Field-level errors from a V3 body (`errors`) or V2 `details`. */
  fieldErrors?: Record<string, unknown> | undefined;
  cause?: unknown;
}

/** Base class; activities map `type` to an `ApplicationFailure` type and branch on `retryable`. */
export abstract class BigCommerceError extends Error {
  abstract readonly type: BigCommerceErrorType;
  abstract readonly retryable: boolean;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: Record<string, unknown> | undefined;

  constructor(message: string, details: BigCommerceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.fieldErrors = details.fieldErrors;
  }
}

/** Worth retrying later: network failure, timeout, 5xx, 423 or 429 (with the wait when known). */
export class BigCommerceRetryableError extends BigCommerceError {
  override readonly name = 'BigCommerceRetryableError';
  readonly type = 'BigCommerceRetryableError' as const;
  readonly retryable = true;
}

/** The request or its data is wrong (400, 404, 409, 413, 415, 422, …): retrying cannot help. */
export class BigCommerceInputError extends BigCommerceError {
  override readonly name = 'BigCommerceInputError';
  readonly type = 'BigCommerceInputError' as const;
  readonly retryable = false;
}

/** The credentials are wrong (401) or lack a scope (403): a person must fix the connection. */
export class BigCommerceAuthError extends BigCommerceError {
  override readonly name = 'BigCommerceAuthError';
  readonly type = 'BigCommerceAuthError' as const;
  readonly retryable = false;
}

/** The store answered 2xx with a body that does not have the documented shape. */
export class BigCommerceUnexpectedResponseError extends BigCommerceError {
  override readonly name = 'BigCommerceUnexpectedResponseError';
  readonly type = 'BigCommerceUnexpectedResponseError' as const;
  readonly retryable = false;
}
