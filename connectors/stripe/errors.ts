import { ConnectorError, type ConnectorErrorFields } from '../connector-error.js';

/**
 * The Stripe connector's failures on the shared {@link ConnectorError} base: retryable
 * (network, timeout, 5xx, 409 conflicts, 429 rate limits with the wait when Stripe names one),
 * input (the request or its data is wrong), auth (the key is wrong, revoked or lacks a
 * permission). Temporal retries; the connector only says what happened. Messages hold Stripe's
 * parsed error, with anything shaped like an API key masked, never the tenant's key.
 */
export type StripeErrorType = 'StripeRetryableError' | 'StripeInputError' | 'StripeAuthError' | 'StripeUnexpectedResponseError';

export interface StripeErrorDetails extends ConnectorErrorFields {
  /** Stripe's error `type` (`invalid_request_error`, `api_error`, `card_error`, `idempotency_error`, …). */
  stripeErrorType?: string | undefined;
  /** The request parameter Stripe blamed, when it named one. */
  param?: string | undefined;
}

/** Base class: `vendorCode` is Stripe's error `code` (else its `type`), or a network error code. */
export abstract class StripeError extends ConnectorError {
  abstract override readonly type: StripeErrorType;
  readonly system = 'stripe' as const;
  readonly stripeErrorType: string | undefined;
  readonly param: string | undefined;

  constructor(message: string, details: StripeErrorDetails = {}) {
    super(message, details);
    this.stripeErrorType = details.stripeErrorType;
    this.param = details.param;
  }
}

/** Worth retrying later: network failure, timeout, 5xx, 409 or 429 (with `retryAfterMs` when Stripe sent Retry-After). */
export class StripeRetryableError extends StripeError {
  readonly type = 'StripeRetryableError' as const;
  readonly kind = 'retryable' as const;
}

/** The request or its data is wrong (400, 402, 404, an idempotency key reused with other parameters): retrying cannot help. */
export class StripeInputError extends StripeError {
  readonly type = 'StripeInputError' as const;
  readonly kind = 'input' as const;
}

/** The key is wrong or revoked (401), or a restricted key lacks a permission (403): a person must fix the connection. */
export class StripeAuthError extends StripeError {
  readonly type = 'StripeAuthError' as const;
  readonly kind = 'auth' as const;
}

/** Stripe answered 2xx with a body that does not have the documented shape. */
export class StripeUnexpectedResponseError extends StripeError {
  readonly type = 'StripeUnexpectedResponseError' as const;
  readonly kind = 'unexpected' as const;
}
