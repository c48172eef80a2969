/**
 * The one error base every connector (Intacct, BigCommerce, Clarity, Stripe) classifies its failures
 * into. The connector says what happened; Temporal retries. `kind` is the design's failure
 * class (DESIGN.md "Errors"); activities read it, never the class name. Messages hold the
 * vendor's words and never credentials.
 */

/**
 * What a failure means for whoever called: `retryable` (network, timeout, 5xx, rate or
 * concurrency limit: try again later), `input` (the request or its data is wrong), `auth`
 * (credentials, scopes or settings are wrong), `unexpected` (a 2xx answer of the wrong shape).
 */
export type ConnectorErrorKind = 'retryable' | 'input' | 'auth' | 'unexpected';

/** The external system a connector talks to. */
export type ConnectorSystem = 'intacct' | 'bigcommerce' | 'clarity' | 'stripe';

/** The facts every connector error may carry, under the same names whatever the system. */
export interface ConnectorErrorFields {
  /** HTTP status, when the vendor answered over HTTP. */
  status?: number | undefined;
  /** The vendor's own error code (Intacct `errorno`, BigCommerce `code`/`type`, Clarity problem `type`, Stripe error `code`/`type`). */
  vendorCode?: string | undefined;
  /** The vendor's request id, for support tickets. */
  requestId?: string | undefined;
  /** How long the vendor asked us to wait before the next try. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** A primitive detail worth showing in Temporal UI and on the attention item. */
export type FailureDetailValue = string | number | boolean | undefined;

/** Base of every classified connector failure; `type` is the stable class name workflows branch on. */
export abstract class ConnectorError extends Error {
  /** Stable failure type (the class name), used as `ApplicationFailure.type`. */
  abstract readonly type: string;
  abstract readonly kind: ConnectorErrorKind;
  abstract readonly system: ConnectorSystem;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: ConnectorErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    // The concrete class's name (`BigCommerceInputError`, …), so no subclass has to spell it again.
    this.name = new.target.name;
    this.status = fields.status;
    this.vendorCode = fields.vendorCode;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** Whether retrying can help: true only for the `retryable` kind. */
  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  /**
   * The vendor facts an operator needs, each one chosen so nothing secret can slip in. A
   * connector whose recorded failures used other names (Intacct's `httpStatus`, `errorno`)
   * overrides this to keep them, as attention items and histories already hold them.
   */
  failureDetails(): Record<string, FailureDetailValue> {
    return { status: this.status, vendorCode: this.vendorCode, requestId: this.requestId };
  }
}

/** True for any connector's classified failure. */
export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}
