import {
  IntacctAuthConfigError,
  IntacctInputError,
  IntacctRetryableError,
  describeErrors,
  type IntacctError,
  type IntacctErrorContext,
  type IntacctErrorDetail,
} from './errors.js';

/** Texts the gateway uses for transient trouble (codes are not reliable for these). */
const transientTexts = [/try again later/i, /temporarily off-?line/i, /concurrent request/i, /too many requests/i, /rate limit/i];
/** Error numbers the gateway uses for transient trouble. */
const transientCodes = new Set(['DL02000001', 'GW-0010']);
/** Permission and company-availability failures are configuration problems. */
const configTexts = [/do not have permission/i, /not authorized/i, /web services authorization/i, /sign-in information is incorrect/i];
const configCodes = new Set(['XL03000006', 'XMLGW_JPP0002', 'PL04000055', 'GW-0011']);

/** The `uniqueid` replay answer: the function already succeeded with this control id. */
export function isAlreadyRecorded(errors: readonly IntacctErrorDetail[]): boolean {
  return errors.some((error) =>
    /already been recorded with the control id/i.test(`${error.errorno} ${error.description} ${error.description2} ${error.correction}`),
  );
}

/** An authentication failure that a fresh session can cure. */
export function isInvalidSession(errors: readonly IntacctErrorDetail[]): boolean {
  return errors.some((error) => /^\s*invalid session/i.test(error.description2) || /^\s*invalid session/i.test(error.description));
}

function textOf(errors: readonly IntacctErrorDetail[]): string {
  return errors.map((error) => `${error.errorno} ${error.description} ${error.description2} ${error.correction}`).join(' ');
}

/**
 * Classifies a failure reported in an Intacct `<errormessage>` at any level.
 * Control level: bad XML/schema is our bug (input), bad sender is configuration.
 * Authentication level: configuration, except an invalid session (retryable once renewal has failed).
 * Function level: input, unless the gateway names a transient condition or a permission problem.
 */
export function classifyErrorMessage(context: IntacctErrorContext & { readonly errors: readonly IntacctErrorDetail[] }): IntacctError {
  const text = textOf(context.errors);
  const message = `Intacct ${context.level} failure${context.functionName ? ` in ${context.functionName}` : ''}${context.controlId ? ` (control id ${context.controlId})` : ''}: ${describeErrors(redactSessions(context.errors))}`;
  const safeContext = { ...context, errors: redactSessions(context.errors) };
  if (context.errors.some((error) => transientCodes.has(error.errorno)) || transientTexts.some((pattern) => pattern.test(text))) {
    return new IntacctRetryableError(message, safeContext);
  }
  if (context.level === 'authentication' && isInvalidSession(context.errors)) return new IntacctRetryableError(message, safeContext);
  if (context.level === 'authentication') return new IntacctAuthConfigError(message, safeContext);
  if (context.level === 'control' && context.errors.some((error) => configCodes.has(error.errorno)))
    return new IntacctAuthConfigError(message, safeContext);
  if (configTexts.some((pattern) => pattern.test(text)) || context.errors.some((error) => error.errorno === 'PL04000055')) {
    return new IntacctAuthConfigError(message, safeContext);
  }
  return new IntacctInputError(message, safeContext);
}

/** "Invalid session p7Qx…" carries part of the session id, which is a credential. */
function redactSessions(errors: readonly IntacctErrorDetail[]): IntacctErrorDetail[] {
  return errors.map((error) => ({
    ...error,
    description: error.description.replace(/(invalid session)\s+\S+/gi, '$1 [redacted]'),
    description2: error.description2.replace(/(invalid session)\s+\S+/gi, '$1 [redacted]'),
  }));
}

/** Classifies an HTTP answer whose body is not an Intacct `<response>`. */
export function classifyHttpStatus(status: number, retryAfterMs: number | undefined): IntacctError {
  const message = `Intacct gateway answered HTTP ${status} without an XML response`;
  if (status === 524) return new IntacctRetryableError(message, { level: 'http', status, outcomeUnknown: true, retryAfterMs });
  if (status === 429 || status === 408 || status >= 500)
    return new IntacctRetryableError(message, { level: 'http', status, retryAfterMs, outcomeUnknown: status !== 429 });
  if (status === 401 || status === 403) return new IntacctAuthConfigError(message, { level: 'http', status });
  return new IntacctInputError(message, { level: 'http', status });
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
