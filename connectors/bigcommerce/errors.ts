import { ConnectorError, type ConnectorErrorFields } from '../connector-error.js';

/**
 * The BigCommerce connector's failures, classified the way the design asks: retryable
 * (network, 5xx, timeouts, rate limits), input (the request or the data is wrong), auth
 * (bad token, missing scope). Temporal retries; the connector only says what happened.
 * Messages carry the vendor's words but never credentials.
 */
export type BigCommerceErrorType =
  'BigCommerceRetryableError' | 'BigCommerceInputError' | 'BigCommerceAuthError' | 'BigCommerceUnexpectedResponseError';

export interface BigCommerceErrorDetails extends ConnectorErrorFields {
  /** Field-level errors from a V3 body (`errors`) or V2 `details`. */
  fieldErrors?: Record<string, unknown> | undefined;
}

/** Base class, on the shared {@link ConnectorError}: `vendorCode` is V3 `code` or `type`, V2 error `status`, or a network error code. */
export abstract class BigCommerceError extends ConnectorError {
  abstract override readonly type: BigCommerceErrorType;
  readonly system = 'bigcommerce' as const;
  readonly fieldErrors: Record<string, unknown> | undefined;

  constructor(message: string, details: BigCommerceErrorDetails = {}) {
    super(message, details);
    this.fieldErrors = details.fieldErrors;
  }
}

/** Worth retrying later: network failure, timeout, 5xx, 423 or 429 (with the wait when known). */
export class BigCommerceRetryableError extends BigCommerceError {
  readonly type = 'BigCommerceRetryableError' as const;
  readonly kind = 'retryable' as const;
}

/** The request or its data is wrong (400, 404, 409, 413, 415, 422, …): retrying cannot help. */
export class BigCommerceInputError extends BigCommerceError {
  readonly type = 'BigCommerceInputError' as const;
  readonly kind = 'input' as const;
}

/** The credentials are wrong (401) or lack a scope (403): a person must fix the connection. */
export class BigCommerceAuthError extends BigCommerceError {
  readonly type = 'BigCommerceAuthError' as const;
  readonly kind = 'auth' as const;
}

/** The store answered 2xx with a body that does not have the documented shape. */
export class BigCommerceUnexpectedResponseError extends BigCommerceError {
  readonly type = 'BigCommerceUnexpectedResponseError' as const;
  readonly kind = 'unexpected' as const;
}
