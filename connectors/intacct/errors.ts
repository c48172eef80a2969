import { ConnectorError, type FailureDetailValue } from '../connector-error.js';

/**
 * The connector's failure classes, on the shared {@link ConnectorError} base. The connector classifies; Temporal retries. Messages carry
 * the gateway's words and never credentials or session ids.
 */

/** One `<error>` of an Intacct `<errormessage>`, as sent (errorno can be free text). */
export interface IntacctErrorDetail {
  readonly errorno: string;
  readonly description: string;
  readonly description2: string;
  readonly correction: string;
}

/** Where in the response the failure was reported, or the transport layer. */
export type IntacctFailureLevel = 'transport' | 'http' | 'control' | 'authentication' | 'function';

/** Context every Intacct error carries, when known. */
export interface IntacctErrorContext {
  readonly level: IntacctFailureLevel;
  readonly errors?: readonly IntacctErrorDetail[];
  readonly controlId?: string;
  readonly functionName?: string;
  /** HTTP status, when the gateway answered without an XML response. */
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** True when the gateway may have committed the write although no answer arrived. */
  readonly outcomeUnknown?: boolean;
  readonly cause?: unknown;
}

/** Stable type names, for `ApplicationFailure.type` in activities. */
export type IntacctErrorType = 'IntacctRetryableError' | 'IntacctInputError' | 'IntacctAuthConfigError';

/** Base class of every classified Intacct failure; `vendorCode` is the first error's `errorno` (may be free text such as `Query Failed`). */
export abstract class IntacctError extends ConnectorError {
  abstract override readonly type: IntacctErrorType;
  readonly system = 'intacct' as const;
  readonly level: IntacctFailureLevel;
  readonly errors: readonly IntacctErrorDetail[];
  readonly description: string | undefined;
  readonly description2: string | undefined;
  readonly correction: string | undefined;
  readonly controlId: string | undefined;
  readonly functionName: string | undefined;
  readonly outcomeUnknown: boolean;

  constructor(message: string, context: IntacctErrorContext) {
    const first = context.errors?.[0];
    super(message, { status: context.status, vendorCode: first?.errorno, retryAfterMs: context.retryAfterMs, cause: context.cause });
    this.level = context.level;
    this.errors = context.errors ?? [];
    this.description = first?.description;
    this.description2 = first?.description2;
    this.correction = first?.correction;
    this.controlId = context.controlId;
    this.functionName = context.functionName;
    this.outcomeUnknown = context.outcomeUnknown ?? false;
  }

  /** Under the names Intacct failures have always been recorded with (`httpStatus`, `errorno`). */
  override failureDetails(): Record<string, FailureDetailValue> {
    return {
      httpStatus: this.status,
      errorno: this.vendorCode,
      description2: this.description2,
      correction: this.correction,
      controlId: this.controlId,
      functionName: this.functionName,
      outcomeUnknown: this.outcomeUnknown,
    };
  }
}

/** Network failures, timeouts, HTTP 5xx/524, rate and concurrency limits, a session that stays invalid: try again later. */
export class IntacctRetryableError extends IntacctError {
  override readonly name: string = 'IntacctRetryableError';
  readonly type = 'IntacctRetryableError' as const;
  readonly kind = 'retryable' as const;
}

/** The request's content was refused: validation, unknown references, duplicates, closed periods. Retrying will not help. */
export class IntacctInputError extends IntacctError {
  override readonly name: string = 'IntacctInputError';
  readonly type = 'IntacctInputError' as const;
  readonly kind = 'input' as const;
}

/** Credentials or settings are wrong (sender, user, company, permissions). Retrying will not help until they are fixed. */
export class IntacctAuthConfigError extends IntacctError {
  override readonly name: string = 'IntacctAuthConfigError';
  readonly type = 'IntacctAuthConfigError' as const;
  readonly kind = 'auth' as const;
}

/** Human-readable text of error details: `description2 || description`, plus the correction. */
export function describeErrors(errors: readonly IntacctErrorDetail[]): string {
  return errors
    .map((error) => {
      const text = stripMarkup(error.description2 || error.description) || error.errorno;
      const correction = stripMarkup(error.correction);
      return `${error.errorno === text ? '' : `${error.errorno}: `}${text}${correction ? ` (${correction})` : ''}`;
    })
    .join('; ');
}

/** Gateway texts can carry HTML; the raw text stays on the error's `errors`. */
function stripMarkup(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A create whose control id Intacct had already recorded, yet the record it should have made
 * cannot be found: the earlier write was undone or made elsewhere, so retrying cannot help.
 * `missing` says what is missing, e.g. `customer C-1 no longer exists`.
 */
export function recordedButMissing(controlId: string, functionName: string, missing: string, cause: unknown): IntacctInputError {
  return new IntacctInputError(`Intacct recorded control id ${controlId} but ${missing}`, {
    level: 'function',
    controlId,
    functionName,
    cause,
  });
}
