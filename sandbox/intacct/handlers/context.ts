import type { ErrorCatalogue } from '../error-catalogue.js';
import type { IntacctSandboxSeed } from '../seed.js';
import type { CompanyStore, Row } from '../store.js';
import type { XmlNode } from '../xml-tree.js';
import type { OutElement } from '../xml-output.js';
import { childText } from '../xml-tree.js';
import type { ResultCursors } from '../result-cursors.js';

/** What a function handler sees. */
export interface FunctionContext {
  readonly store: CompanyStore;
  readonly errors: ErrorCatalogue;
  readonly cursors: ResultCursors;
  readonly sessionKey: string;
  readonly seed: IntacctSandboxSeed;
  readonly now: Date;
  readonly userId: string;
  /** The entity (top-level location) the session is signed in to; '' at the top level. */
  readonly entityId: string;
}

/**
 * Transactions an entity owns: created in an entity's session they carry its id in
 * `MEGAENTITYID`, as Intacct's records do, and only that entity's sessions (and the top level)
 * see them. Shared records (customers, items, dimensions) are seen everywhere.
 */
const entityOwnedObjects: ReadonlySet<string> = new Set(['SODOCUMENT', 'SODOCUMENTENTRY', 'ARINVOICE', 'ARADJUSTMENT', 'ARPYMT']);

/** The owner fields of a transaction created in this session: the entity's id, nothing at the top level. */
export function entityOwnerFields(context: Pick<FunctionContext, 'entityId'>): Row {
  return context.entityId === '' ? {} : { MEGAENTITYID: context.entityId };
}

/**
 * Whether the session sees a record: the top level sees every entity's transactions, an entity
 * only its own (a transaction without an owner belongs to the top level).
 */
export function visibleToSession(object: string, row: Row, context: Pick<FunctionContext, 'entityId'>): boolean {
  if (context.entityId === '' || !entityOwnedObjects.has(object)) return true;
  return row.MEGAENTITYID === context.entityId;
}

/** A sales document by DOCID, if the session sees it. */
export function visibleSalesDocument(documentId: string, context: FunctionContext): Row | undefined {
  const document = context.store.getById('SODOCUMENT', documentId);
  return document !== undefined && visibleToSession('SODOCUMENT', document, context) ? document : undefined;
}

/** What a function returns on success: `data` for generic functions, `key` for legacy creates. */
export interface FunctionOutput {
  readonly data?: OutElement;
  readonly key?: string;
}

/** A function handler; failures are thrown as `FunctionFailure`. */
export type FunctionHandler = (body: XmlNode, context: FunctionContext) => FunctionOutput;

/** `YYYY-MM-DD` from a legacy `<year><month><day>` element; refuses impossible dates. */
export function legacyDateOf(node: XmlNode | undefined, field: string, context: FunctionContext): string | undefined {
  if (node === undefined) return undefined;
  const year = childText(node, 'year')?.trim() ?? '';
  const month = (childText(node, 'month')?.trim() ?? '').padStart(2, '0');
  const day = (childText(node, 'day')?.trim() ?? '').padStart(2, '0');
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    !/^\d{4}$/.test(year) ||
    Number.isNaN(date.getTime()) ||
    date.getUTCMonth() + 1 !== Number(month) ||
    date.getUTCDate() !== Number(day)
  ) {
    throw context.errors.fail('validation', `Invalid date for ${field}: ${year}-${month}-${day}`, 'Use a valid calendar date.');
  }
  return `${year}-${month}-${day}`;
}

/** `YYYY-MM-DD` from a generic `MM/DD/YYYY` value. */
export function genericDateOf(value: string | undefined, field: string, context: FunctionContext): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!match) throw context.errors.fail('validation', `Invalid date for ${field}: ${value}`, 'Use the MM/DD/YYYY format.');
  return legacyDateOf(
    { name: field, attributes: {}, text: '', children: [leaf('year', match[3]!), leaf('month', match[1]!), leaf('day', match[2]!)] },
    field,
    context,
  );
}

function leaf(name: string, text: string): XmlNode {
  return { name, attributes: {}, children: [], text };
}

/** `MM/DD/YYYY` as responses show dates. */
export function toUsDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${month}/${day}/${year}`;
}

/** `MM/DD/YYYY HH:MM:SS` as responses show timestamps. */
export function toUsTimestamp(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Refuses a posting date inside a closed period. */
export function ensureOpenPeriod(isoDate: string, context: FunctionContext): void {
  const closedBefore = context.seed.closedBefore;
  if (closedBefore !== undefined && isoDate < closedBefore) {
    throw context.errors.fail(
      'closedPeriod',
      `The period for ${toUsDate(isoDate)} is closed; transactions cannot be posted to it.`,
      'Use a date in an open period or reopen the period.',
    );
  }
}

/** The active record of a reference, or the gateway's "Invalid X 'id' specified." failure. */
export function requireActive(context: FunctionContext, object: string, thing: string, id: string): Row {
  const row = context.store.getById(object, id);
  if (!row || row.STATUS === 'inactive') throw context.errors.invalidReference(thing, id);
  return row;
}

/** Checks the dimension ids a line carries. */
export function checkDimensions(
  node: XmlNode,
  context: FunctionContext,
  names: { readonly location: string; readonly department: string; readonly project?: string; readonly class?: string },
): void {
  const location = childText(node, names.location);
  if (location !== undefined) requireActive(context, 'LOCATION', 'Location', location);
  const department = childText(node, names.department);
  if (department !== undefined) requireActive(context, 'DEPARTMENT', 'Department', department);
  const project = names.project === undefined ? undefined : childText(node, names.project);
  if (project !== undefined) requireActive(context, 'PROJECT', 'Project', project);
  const klass = names.class === undefined ? undefined : childText(node, names.class);
  if (klass !== undefined) requireActive(context, 'CLASS', 'Class', klass);
}

/**
 * The demo company keeps no vendors, employees or contracts, so a line naming one names a record
 * that does not exist: refused the way the gateway refuses any unknown dimension value.
 */
export function checkUnmodelledDimensions(node: XmlNode, context: FunctionContext): void {
  for (const [field, thing] of [
    ['vendorid', 'Vendor'],
    ['employeeid', 'Employee'],
    ['contractid', 'Contract'],
  ] as const) {
    const id = childText(node, field);
    if (id !== undefined) throw context.errors.invalidReference(thing, id);
  }
}
