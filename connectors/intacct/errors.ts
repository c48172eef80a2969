/**
 * The connector's failure classes. The connector classifies; Temporal retries. Messages carry
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
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  /** True when the gateway may have committed the write although no answer arrived. */
  readonly outcomeUnknown?: boolean;
  readonly cause?: unknown;
}

/** Stable type names, for `ApplicationFailure.type` in activities. */
export type IntacctErrorType = 'IntacctRetryableError' | 'IntacctInputError' | 'IntacctAuthConfigError';

/** Base class of every classified Intacct failure. */
export abstract class IntacctError extends Error {
  abstract readonly type: IntacctErrorType;
  abstract readonly retryable: boolean;
  readonly level: IntacctFailureLevel;
  readonly errors: readonly IntacctErrorDetail[];
  /** First error's number (may be free text such as `Query Failed`). */
  readonly errorno: string | undefined;
  readonly description: string | undefined;
  readonly description2: string | undefined;
  readonly correction: string | undefined;
  readonly controlId: string | undefined;
  readonly functionName: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(message: string, context: IntacctErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.level = context.level;
    this.errors = context.errors ?? [];
    const first = this.errors[0];
    this.errorno = first?.errorno;
    this.description = first?.description;
    this.description2 = first?.description2;
    this.correction = first?.correction;
    this.controlId = context.controlId;
    this.functionName = context.functionName;
    this.httpStatus = context.httpStatus;
    this.retryAfterMs = context.retryAfterMs;
    this.outcomeUnknown = context.outcomeUnknown ?? false;
  }
}

/** Network failures, timeouts, HTTP 5xx/524, rate and concurrency limits, a session that stays invalid: try again later. */
export class IntacctRetryableError extends IntacctError {
  override readonly name: string = 'IntacctRetryableError';
  readonly type = 'IntacctRetryableError' as const;
  readonly retryable = true;
}

/** The request's content was refused: validation, unknown references, duplicates, closed periods. Retrying will not help. */
export class IntacctInputError extends IntacctError {
  override readonly name: string = 'IntacctInputError';
  readonly type = 'IntacctInputError' as const;
  readonly retryable = false;
}

/** Credentials or settings are wrong (sender, user, company, permissions). Retrying will not help until they are fixed. */
export class IntacctAuthConfigError extends IntacctError {
  override readonly name: string = 'IntacctAuthConfigError';
  readonly type = 'IntacctAuthConfigError' as const;
  readonly retryable = false;
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
