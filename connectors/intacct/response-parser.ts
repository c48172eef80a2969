import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { IntacctErrorDetail } from './errors.js';

/** A record's value as sent: text, a nested record, or repeated elements. */
export type IntacctValue = string | IntacctRecord | IntacctValue[];
/** One record inside `<data>` (field names as sent, usually UPPERCASE). */
export interface IntacctRecord {
  readonly [field: string]: IntacctValue;
}

/** `<data>` of a result: its paging attributes and records, grouped by element name. */
export interface IntacctResultData {
  readonly listtype: string | undefined;
  readonly count: number | undefined;
  readonly totalcount: number | undefined;
  readonly numremaining: number | undefined;
  readonly offset: number | undefined;
  readonly resultId: string | undefined;
  /** Every record in document order, whatever its element name. */
  readonly records: readonly IntacctRecord[];
  /** Element name of each record, parallel to `records` (its case differs by function). */
  readonly recordNames: readonly string[];
}

/** One `<result>`; `status` is undefined when the gateway left it out. */
export interface IntacctResult {
  readonly status: 'success' | 'failure' | 'aborted' | undefined;
  readonly functionName: string;
  readonly controlId: string;
  readonly key: string | undefined;
  readonly data: IntacctResultData | undefined;
  readonly errors: readonly IntacctErrorDetail[];
}

/** Authentication block of a response. */
export interface IntacctAuthenticationStatus {
  readonly status: 'success' | 'failure';
  readonly userId: string;
  readonly companyId: string;
  readonly locationId: string | undefined;
  readonly sessionTimestamp: string | undefined;
  readonly sessionTimeout: string | undefined;
}

/** A parsed gateway response: the three levels the gateway reports on. */
export interface IntacctResponse {
  readonly control: { readonly status: 'success' | 'failure'; readonly controlId: string | undefined };
  readonly controlErrors: readonly IntacctErrorDetail[];
  readonly authentication: IntacctAuthenticationStatus | undefined;
  readonly authenticationErrors: readonly IntacctErrorDetail[];
  readonly results: readonly IntacctResult[];
}

/** Raised when the body is not a well-formed Intacct `<response>`. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

const arrayPaths = new Set([
  'response.errormessage.error',
  'response.operation.errormessage.error',
  'response.operation.result',
  'response.operation.result.errormessage.error',
]);

/**
 * Every value stays a string ("00123", "1.10"), attributes are kept, and results, errors and
 * the children of `<data>` are always arrays. Values are not trimmed: the client sends
 * `includewhitespace=false`, and a customer name's own spaces must survive.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (_name, jpath, _isLeaf, isAttribute) =>
    !isAttribute && (arrayPaths.has(String(jpath)) || /^response\.operation\.result\.data\.[^.@#]+$/.test(String(jpath))),
});

const text = z.preprocess((value) => (value === undefined || value === null ? '' : typeof value === 'object' ? '' : value), z.string());
const optionalText = z.preprocess((value) => (typeof value === 'object' && value !== null ? undefined : value), z.string().optional());
const errorSchema = z.object({ errorno: text, description: text, description2: text, correction: text });
const errorMessageSchema = z.object({ error: z.array(errorSchema).default([]) }).optional();
const statusSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(['success', 'failure', 'aborted']).optional(),
);
const numberAttribute = z.preprocess(
  (value) => (value === undefined || value === '' ? undefined : Number(value)),
  z.number().int().nonnegative().optional(),
);

const resultSchema = z.looseObject({
  status: statusSchema,
  function: text,
  controlid: text,
  key: optionalText,
  data: z.unknown().optional(),
  errormessage: errorMessageSchema,
});

const responseSchema = z.object({
  response: z.object({
    control: z.looseObject({
      status: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(['success', 'failure'])),
      controlid: optionalText,
    }),
    errormessage: errorMessageSchema,
    operation: z
      .looseObject({
        authentication: z.looseObject({
          status: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(['success', 'failure'])),
          userid: text,
          companyid: text,
          locationid: optionalText,
          sessiontimestamp: optionalText,
          sessiontimeout: optionalText,
        }),
        errormessage: errorMessageSchema,
        result: z.array(resultSchema).default([]),
      })
      .optional(),
  }),
});

/** True when the body looks like an Intacct XML response (not an HTML error page or empty). */
export function looksLikeIntacctResponse(body: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<response[\s>]/.test(body);
}

/** Parses and checks a gateway response; throws {@link MalformedResponseError} on anything else. */
export function parseResponse(body: string): IntacctResponse {
  let raw: unknown;
  try {
    raw = parser.parse(body, true);
  } catch (error) {
    throw new MalformedResponseError(`Intacct response is not well-formed XML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success)
    throw new MalformedResponseError(
      `Intacct response has an unexpected shape: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
    );
  const { response } = parsed.data;
  const operation = response.operation;
  return {
    control: { status: response.control.status, controlId: response.control.controlid },
    controlErrors: response.errormessage?.error ?? [],
    authentication: operation
      ? {
          status: operation.authentication.status,
          userId: operation.authentication.userid,
          companyId: operation.authentication.companyid,
          locationId: operation.authentication.locationid,
          sessionTimestamp: operation.authentication.sessiontimestamp,
          sessionTimeout: operation.authentication.sessiontimeout,
        }
      : undefined,
    authenticationErrors: operation?.errormessage?.error ?? [],
    results: (operation?.result ?? []).map((result) => ({
      status: result.status,
      functionName: result.function.trim(),
      controlId: result.controlid,
      key: result.key,
      data: result.data === undefined ? undefined : toResultData(result.data),
      errors: result.errormessage?.error ?? [],
    })),
  };
}

function toResultData(data: unknown): IntacctResultData {
  const node = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const records: IntacctRecord[] = [];
  const recordNames: string[] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_') || name.startsWith('#')) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      records.push(toRecord(item));
      recordNames.push(name);
    }
  }
  const attribute = (name: string): unknown => node[`@_${name}`];
  return {
    listtype: typeof attribute('listtype') === 'string' ? (attribute('listtype') as string) : undefined,
    count: numberAttribute.parse(attribute('count')),
    totalcount: numberAttribute.parse(attribute('totalcount')),
    numremaining: numberAttribute.parse(attribute('numremaining')),
    offset: numberAttribute.parse(attribute('offset')),
    resultId: typeof attribute('resultId') === 'string' ? (attribute('resultId') as string) : undefined,
    records,
    recordNames,
  };
}

function toValue(value: unknown): IntacctValue {
  if (Array.isArray(value)) return value.map(toValue);
  if (typeof value === 'object' && value !== null) return toRecord(value);
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function toRecord(value: unknown): IntacctRecord {
  if (typeof value !== 'object' || value === null) return {};
  const record: Record<string, IntacctValue> = {};
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    if (name.startsWith('#')) continue;
    record[name.startsWith('@_') ? `@${name.slice(2)}` : name] = toValue(field);
  }
  return record;
}

/** A record's field as text ('' when absent or not text). */
export function fieldText(record: IntacctRecord, field: string): string {
  const value = record[field];
  return typeof value === 'string' ? value : '';
}
