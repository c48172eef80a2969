import { acceptItemSuggestion, rejectSuggestedItem, suggestItems, type ItemSuggestions } from '../../api/admin/item-suggestion-actions.js';
import type { IntacctItemCatalogueCache } from '../../api/admin/item-catalogue-cache.js';
import {
  acceptRecordSuggestion,
  recordSuggestionTables,
  rejectRecordSuggestion,
  suggestionMappingTable,
  suggestRecords,
  type RecordSuggestionQuery,
  type RecordSuggestions,
} from '../../api/admin/record-suggestion-actions.js';
import type { ActionContext } from '../../api/admin/settings-changes.js';
import { HttpError } from '../../api/errors.js';
import type { MappingTableName } from '../../store/schemas/mapping-tables.js';
import { dimensionNames } from '../../store/schemas/settings-order-documents.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { askForms, candidateText, type SuggestionTable } from './suggestion-html.js';

/**
 * What the mapping pages' suggestion forms do, for every table that takes suggestions: the ask
 * form read into the admin API's use case, and a candidate accepted or rejected through it (same
 * validation, roles and audit as the API).
 */

/** The suggestions shown once asked: the form as asked, and each value's candidates. */
export interface AskedSuggestions {
  asked: Record<string, string>;
  found: RecordSuggestions['suggestions'];
}

/** The suggestion table a mapping page asks for, if it takes suggestions. */
export function suggestionTableOf(table: MappingTableName): SuggestionTable | undefined {
  if (table === 'items') return 'items';
  return recordSuggestionTables.find((name) => suggestionMappingTable[name] === table);
}

const formText = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** An items candidate in the named-value tables' shape, so one card shows both. */
const asRecordSuggestions = (suggestions: ItemSuggestions['suggestions']): RecordSuggestions['suggestions'] =>
  suggestions.map(({ sku, candidates }) => ({
    value: sku,
    candidates: candidates.map(({ intacctItemId, confidence, reasons }) => ({ row: { intacctItemId }, confidence, reasons })),
  }));

/** The ask form read: one value a line, or one with its details (customers). */
function readAskForm(table: SuggestionTable, body: unknown): { asked: Record<string, string>; values: string[] } {
  const form = askForms[table];
  const typed = formText(body, 'value').slice(0, 20_000);
  const asked: Record<string, string> = { value: typed };
  for (const field of form.fields) asked[field.name] = formText(body, field.name).slice(0, 500);
  const values = form.value.perLine
    ? [...new Set(typed.split(/\r?\n/).map((line) => line.trim().slice(0, 200)))].filter((line) => line !== '').slice(0, 200)
    : [typed.slice(0, 200)].filter((value) => value !== '');
  return { asked, values };
}

function recordQueries(table: SuggestionTable, asked: Record<string, string>, values: string[]): RecordSuggestionQuery[] {
  const optional = (name: string) => (asked[name] === undefined || asked[name] === '' ? undefined : asked[name]);
  const dimension = dimensionNames.find((name) => name === asked.dimension);
  return values.map((value) => ({
    value,
    email: optional('email'),
    name: optional('name'),
    company: optional('company'),
    address:
      table === 'customers'
        ? { line1: optional('line1'), city: optional('city'), postalCode: optional('postalCode'), country: optional('country') }
        : undefined,
    dimension,
  }));
}

/**
 * Candidates for the values asked about. Items asked with no SKU named are the SKUs that parked
 * orders and still have no row.
 */
export async function askSuggestions(
  deps: ConsoleDependencies,
  catalogues: IntacctItemCatalogueCache,
  context: ActionContext,
  tenantId: string,
  table: SuggestionTable,
  body: unknown,
): Promise<AskedSuggestions> {
  const { asked, values } = readAskForm(table, body);
  if (table === 'items') {
    const skus = values.length === 0 ? undefined : values.map((sku) => ({ sku }));
    const { suggestions } = await suggestItems(deps, catalogues, context, tenantId, { skus, limit: 3 });
    return { asked, found: asRecordSuggestions(suggestions) };
  }
  const { suggestions } = await suggestRecords(deps, context, tenantId, table, { values: recordQueries(table, asked, values), limit: 3 });
  return { asked, found: suggestions };
}

/**
 * Accepts or rejects one candidate row (its fields posted as `row.<field>`); answers what happened
 * in words. An item that left Intacct's active items since it was suggested is said so, with
 * nothing written.
 */
export async function decideSuggestion(
  deps: ConsoleDependencies,
  catalogues: IntacctItemCatalogueCache,
  context: ActionContext,
  tenantId: string,
  table: SuggestionTable,
  body: unknown,
  decision: 'accept' | 'reject',
): Promise<{ kind: 'success' | 'error'; text: string }> {
  const value = formText(body, 'value');
  const row = Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).flatMap(([field, posted]) =>
      field.startsWith('row.') && typeof posted === 'string' && posted.trim() !== '' ? [[field.slice(4), posted.trim()]] : [],
    ),
  );
  if (value === '' || Object.keys(row).length === 0) throw new HttpError(400, 'validation_failed', 'a suggestion names a value and a row');
  const shown = candidateText(table, row);
  const rejected = { kind: 'success' as const, text: `${shown} will not be suggested for ${value} again.` };
  const saved = { kind: 'success' as const, text: `Row ${value} saved: ${shown}.` };
  if (table !== 'items') {
    if (decision === 'reject') await rejectRecordSuggestion(deps, context, tenantId, table, { value, row });
    else await acceptRecordSuggestion(deps, context, tenantId, table, { value, row });
    return decision === 'reject' ? rejected : saved;
  }
  const pair = { sku: value, intacctItemId: row.intacctItemId ?? '' };
  if (pair.intacctItemId === '') throw new HttpError(400, 'validation_failed', 'a suggestion names a SKU and an Intacct item');
  if (decision === 'reject') {
    await rejectSuggestedItem(deps, context, tenantId, pair);
    return rejected;
  }
  try {
    await acceptItemSuggestion(deps, catalogues, context, tenantId, pair);
    return saved;
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 409) throw error;
    return { kind: 'error', text: error.message };
  }
}
