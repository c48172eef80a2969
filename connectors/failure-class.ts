/**
 * What the Intacct, BigCommerce and Clarity connectors' classified errors have in common: a
 * stable `type` (the class name), whether retrying can help, and the vendor's wait when it
 * gave one. Their messages hold the vendor's words and never credentials.
 */
export interface ClassifiedConnectorError extends Error {
  readonly type: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
}

/** The design's failure classes (DESIGN.md "Errors"), plus a 2xx answer of the wrong shape. */
export type FailureClass = 'retryable' | 'input' | 'auth' | 'unexpected';

export function isClassifiedConnectorError(error: unknown): error is ClassifiedConnectorError {
  return (
    error instanceof Error &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { retryable?: unknown }).retryable === 'boolean'
  );
}

/** The class of a connector failure, read from its stable type name (`IntacctAuthConfigError` → auth). */
export function failureClassOf(error: ClassifiedConnectorError): FailureClass {
  if (error.retryable) return 'retryable';
  if (/Auth/.test(error.type)) return 'auth';
  if (/Input/.test(error.type)) return 'input';
  return 'unexpected';
}
