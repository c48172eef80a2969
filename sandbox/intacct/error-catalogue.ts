import type { OutElement } from './xml-output.js';

/**
 * The gateway's error numbers and texts as the sandbox answers them. `source` says where each
 * came from: `reference` = confirmed by the project's Intacct reference (fixtures, SDKs, docs);
 * `assumed` = the reference marks it unverified and the sandbox picked a plausible value
 * (configurable through `IntacctSandboxOptions.errorNumbers`).
 */
export interface SandboxErrorDefinition {
  readonly errorno: string;
  readonly source: 'reference' | 'assumed';
}

/** Error numbers keyed by the situation. */
export const defaultErrorNumbers = {
  xmlParse: { errorno: 'XL03000003', source: 'reference' },
  senderCredentials: { errorno: 'XL03000006', source: 'reference' },
  signIn: { errorno: 'XL03000006', source: 'reference' },
  signInHttp401: { errorno: 'XMLGW_JPP0002', source: 'reference' },
  invalidSession: { errorno: 'XL03000006', source: 'reference' },
  entityNotPermitted: { errorno: 'XL03000006', source: 'assumed' },
  senderNotAuthorized: { errorno: 'XL03000006', source: 'reference' },
  rolledBack: { errorno: 'XL03000009', source: 'reference' },
  duplicateId: { errorno: 'BL34000061', source: 'reference' },
  couldNotCreate: { errorno: 'BL01001973', source: 'reference' },
  rateLimited: { errorno: 'GW-0010', source: 'reference' },
  badRequest: { errorno: 'GW-0011', source: 'reference' },
  missingDimension: { errorno: 'BL03000018', source: 'reference' },
  duplicateControlId: { errorno: 'XL03000004', source: 'assumed' },
  invalidReference: { errorno: 'BL03000003', source: 'assumed' },
  unknownCustomField: { errorno: 'BL03000002', source: 'assumed' },
  duplicateDocumentNumber: { errorno: 'BL03002130', source: 'assumed' },
  unbalancedBatch: { errorno: 'BL03000082', source: 'assumed' },
  negativeInventory: { errorno: 'BL03002136', source: 'assumed' },
  closedPeriod: { errorno: 'BL03000071', source: 'assumed' },
  recordNotFound: { errorno: 'BL01001975', source: 'assumed' },
  overApplied: { errorno: 'BL03000122', source: 'assumed' },
  receiptNotDepositable: { errorno: 'BL03000130', source: 'assumed' },
  documentNotEditable: { errorno: 'BL03002120', source: 'assumed' },
  tooManyRecords: { errorno: 'BL01001976', source: 'assumed' },
  queryFailed: { errorno: 'Query Failed', source: 'reference' },
  invalidFields: { errorno: 'Invalid fields list', source: 'reference' },
  resultIdExpired: { errorno: 'DL02000021', source: 'assumed' },
  unsupported: { errorno: 'XL03000012', source: 'assumed' },
  validation: { errorno: 'BL03000001', source: 'assumed' },
} as const satisfies Record<string, SandboxErrorDefinition>;

/** A situation the sandbox reports an error for. */
export type SandboxErrorKind = keyof typeof defaultErrorNumbers;

/** One `<error>` as the sandbox writes it. */
export interface SandboxError {
  readonly errorno: string;
  readonly description: string;
  readonly description2: string;
  readonly correction: string;
}

/** Thrown by function handlers: the function fails with these errors (and, for a partly failed generic create, the records that were created). */
export class FunctionFailure extends Error {
  constructor(
    readonly errors: readonly SandboxError[],
    readonly data?: OutElement,
  ) {
    super(errors.map((error) => error.description2 || error.description || error.errorno).join('; '));
  }
}

/** Resolves error numbers, honouring overrides. */
export class ErrorCatalogue {
  constructor(private readonly overrides: Partial<Record<SandboxErrorKind, string>> = {}) {}

  /** The number for a situation. */
  errorno(kind: SandboxErrorKind): string {
    return this.overrides[kind] ?? defaultErrorNumbers[kind].errorno;
  }

  /** One error with the text in `description2`, as real fixtures show most messages. */
  error(kind: SandboxErrorKind, description2: string, correction = ''): SandboxError {
    return { errorno: this.errorno(kind), description: '', description2, correction };
  }

  /** A function failure with one error. */
  fail(kind: SandboxErrorKind, description2: string, correction = ''): FunctionFailure {
    return new FunctionFailure([this.error(kind, description2, correction)]);
  }

  /** "Invalid Customer 'X' specified.": the style the gateway uses for unknown references. */
  invalidReference(thing: string, id: string): FunctionFailure {
    return this.fail(
      'invalidReference',
      `Invalid ${thing} '${id}' specified.`,
      `Check that the ${thing.toLowerCase()} exists and is active.`,
    );
  }
}
