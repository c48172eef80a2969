import type { Request, Response, Router } from 'express';
import {
  exportMappingCsv,
  importMappingCsv,
  MappingCsvRejectedError,
  mayWriteMappingTable,
  putMappingRow,
  removeMappingRow,
} from '../../api/admin/mapping-actions.js';
import {
  acceptItemSuggestion,
  itemCatalogueCache,
  rejectSuggestedItem,
  suggestItems,
  type ItemSuggestions,
} from '../../api/admin/item-suggestion-actions.js';
import type { IntacctItemCatalogueCache } from '../../api/admin/item-catalogue-cache.js';
import {
  acceptRecordSuggestion,
  recordSuggestionTables,
  rejectRecordSuggestion,
  suggestionMappingTable,
  suggestRecords,
  type RecordSuggestionQuery,
  type RecordSuggestions,
  type RecordSuggestionTable,
} from '../../api/admin/record-suggestion-actions.js';
import { HttpError } from '../../api/errors.js';
import { dimensionNames } from '../../store/schemas/settings-order-documents.js';
import type { MappingCsvError } from '../../store/schemas/mapping-csv.js';
import { mappingTableNames, mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import type { SettingsError } from '../../store/schemas/settings.js';
import { findMappingRow, listMappingRows } from '../../store/mappings.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page, type PageFrame } from '../layout.js';
import { objectNodes } from '../settings/setting-nodes.js';
import { formFields } from '../settings/settings-fields.js';
import { readFormObject, type FormBody } from '../settings/settings-form-body.js';
import { redirectAfterAction } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, html, sendHtml } from '../templates.js';
import { csvCard, importErrors, rowForm, rowsTable, searchForm, tableLabel, tableTabs } from './mapping-html.js';
import { uploadedCsv } from './csv-upload.js';
import { itemSuggestionsCard } from './suggestion-html.js';
import { askForms, candidateText, recordSuggestionsCard } from './record-suggestion-html.js';

/**
 * The mapping-table pages: browse and search a table, add, edit and delete rows, import and
 * export CSV, all through the admin API's use cases (same validation, roles and audit).
 * Operators change mappings; the payment-method table is the admin's, as in the API.
 */

const pageSize = 50;

function tableOf(name: string): MappingTableName {
  if (!(mappingTableNames as readonly string[]).includes(name)) throw new HttpError(404, 'not_found', `There is no mapping table ${name}.`);
  return name as MappingTableName;
}

const rowNodes = (table: MappingTableName) => objectNodes(mappingTableSchemas[table].rowSchema);

interface TablePageOptions {
  notice?: PageFrame['notice'];
  status?: number;
  /** The add/edit form as posted, with its problems. */
  rowForm?: { input: unknown; errors: readonly SettingsError[]; editing: boolean };
  importErrors?: readonly MappingCsvError[];
  /** The items table's suggested rows once asked for, with the SKUs asked about. */
  suggestions?: { skus: string; found: ItemSuggestions['suggestions'] };
  /** A named-value table's suggested rows once asked for, with the form as asked. */
  recordSuggestions?: { asked: Record<string, string>; found: RecordSuggestions['suggestions'] };
}

/** The suggestion table a mapping page takes named-value suggestions for, if any. */
function suggestionTableOf(table: MappingTableName): RecordSuggestionTable | undefined {
  return recordSuggestionTables.find((name) => suggestionMappingTable[name] === table);
}

async function renderTable(
  deps: ConsoleDependencies,
  request: Request,
  response: Response,
  tenantId: string,
  table: MappingTableName,
  options: TablePageOptions = {},
): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'mappings');
  const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
  const cursor = typeof request.query.cursor === 'string' ? request.query.cursor.slice(0, 64) : undefined;
  const rows = await listMappingRows(deps.db, tenantId, table, { limit: pageSize, cursor, search });
  const editable = mayWriteMappingTable(context.signedIn.principal, table) && context.tenant.status === 'active';
  const csrf = csrfField(context.signedIn);
  const form = options.rowForm ?? { input: {}, errors: [], editing: false };
  const suggestionTable = suggestionTableOf(table);
  const bound = formFields(rowNodes(table), form.input, form.errors);
  sendHtml(
    response,
    page(
      context.frame(`${context.tenant.name}: ${tableLabel(table)} mapping`, options.notice),
      html`<h1>Mapping tables</h1>
        ${tableTabs(tenantId, table)} ${options.importErrors && importErrors(options.importErrors)} ${searchForm(tenantId, table, search)}
        ${rowsTable(tenantId, table, rows.items, { csrf, editable, search, nextCursor: rows.nextCursor })}
        ${!editable && html`<p class="muted">This key can read this table; changing it needs ${table === 'paymentMethods' ? 'an admin' : 'an operator'} key.</p>`}
        ${
          table === 'items' &&
          itemSuggestionsCard(tenantId, {
            csrf,
            mayDecide: mayAct(context.signedIn, 'operator') && context.tenant.status === 'active',
            skus: options.suggestions?.skus ?? '',
            suggestions: options.suggestions?.found,
          })
        }
        ${
          suggestionTable !== undefined &&
          recordSuggestionsCard(tenantId, table, suggestionTable, {
            csrf,
            mayAsk: mayAct(context.signedIn, 'operator') && context.tenant.status === 'active',
            mayDecide: editable,
            asked: options.recordSuggestions?.asked ?? {},
            suggestions: options.recordSuggestions?.found,
          })
        }
        ${editable && rowForm(tenantId, table, { ...bound, editing: form.editing, csrf })} ${csvCard(tenantId, table, { csrf, editable })}`,
    ),
    options.status,
  );
}

async function renderEditRow(deps: ConsoleDependencies, response: Response, tenantId: string, table: MappingTableName, key: string) {
  const context = await tenantPage(deps, response, tenantId, 'mappings');
  const row = await findMappingRow(deps.db, tenantId, table, key);
  if (row === null) throw new HttpError(404, 'not_found', `There is no ${tableLabel(table).toLowerCase()} row ${key}.`);
  const bound = formFields(rowNodes(table), row.row);
  sendHtml(
    response,
    page(
      context.frame(`${context.tenant.name}: edit ${tableLabel(table).toLowerCase()} row`),
      html`<h1>${tableLabel(table)}: ${key}</h1>
        <p><a href="${consolePath('tenants', tenantId, 'mappings', table)}">Back to the table</a></p>
        ${rowForm(tenantId, table, { ...bound, editing: true, csrf: csrfField(context.signedIn) })}`,
    ),
  );
}

/** Where a successful action goes (post, redirect, get), its outcome carried by the session's flash. */
const tablePath = (tenantId: string, table: MappingTableName) => consolePath('tenants', tenantId, 'mappings', table);

async function saveRow(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, table: MappingTableName) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const input = readFormObject(rowNodes(table), request.body as FormBody);
  const keyField = mappingTableSchemas[table].keyField;
  const key = typeof input[keyField] === 'string' ? input[keyField].trim() : '';
  try {
    if (key === '')
      throw new HttpError(400, 'validation_failed', 'the mapping row is not valid', [
        { path: keyField, message: `${keyField} is required` },
      ]);
    const row = await putMappingRow(deps, acting.context, tenantId, table, key, input);
    await redirectAfterAction(deps.db, response, tablePath(tenantId, table), { kind: 'success', text: `Row ${row.key} saved.` });
  } catch (error) {
    if (!(error instanceof HttpError) || error.code !== 'validation_failed') throw error;
    const errors = Array.isArray(error.details) ? (error.details as SettingsError[]) : [{ path: '', message: error.message }];
    const notice = { kind: 'error' as const, text: 'The row was not saved: correct the fields marked below.' };
    await renderTable(deps, request, response, tenantId, table, { notice, status: 400, rowForm: { input, errors, editing: false } });
  }
}

async function deleteRow(deps: ConsoleDependencies, response: Response, tenantId: string, table: MappingTableName, key: string) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  await removeMappingRow(deps, acting.context, tenantId, table, key);
  await redirectAfterAction(deps.db, response, tablePath(tenantId, table), { kind: 'success', text: `Row ${key} deleted.` });
}

async function importFile(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, table: MappingTableName) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const csv = uploadedCsv(request);
  try {
    if (csv === undefined || csv.trim() === '') throw new MappingCsvRejectedError([{ line: 1, message: 'choose a CSV file to import' }]);
    const result = await importMappingCsv(deps, acting.context, tenantId, table, csv);
    await redirectAfterAction(deps.db, response, tablePath(tenantId, table), {
      kind: 'success',
      text: `Imported ${result.imported} rows: ${result.created} new, ${result.updated} replaced.`,
    });
  } catch (error) {
    if (!(error instanceof MappingCsvRejectedError)) throw error;
    const notice = { kind: 'error' as const, text: `The file was not imported: ${error.errors.length} problem(s), listed below.` };
    await renderTable(deps, request, response, tenantId, table, { notice, status: 400, importErrors: error.errors });
  }
}

const formText = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** Candidates for the SKUs typed (one a line) or, with none, for the SKUs that parked orders: the admin API's use case. */
async function askItemSuggestions(
  deps: ConsoleDependencies,
  catalogues: IntacctItemCatalogueCache,
  request: Request,
  response: Response,
  tenantId: string,
) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const typed = formText(request.body, 'skus').slice(0, 20_000);
  const skus = [
    ...new Set(
      typed
        .split(/\r?\n/)
        .map((sku) => sku.trim())
        .filter((sku) => sku !== ''),
    ),
  ].slice(0, 1_000);
  const { suggestions } = await suggestItems(deps, catalogues, acting.context, tenantId, {
    skus: skus.length === 0 ? undefined : skus.map((sku) => ({ sku: sku.slice(0, 200) })),
    limit: 3,
  });
  await renderTable(deps, request, response, tenantId, 'items', { suggestions: { skus: typed, found: suggestions } });
}

/** Accepts or rejects one candidate through the admin API's use cases, then back to the table with the outcome. */
async function decideItemSuggestion(
  deps: ConsoleDependencies,
  catalogues: IntacctItemCatalogueCache,
  request: Request,
  response: Response,
  tenantId: string,
  decision: 'accept' | 'reject',
) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const pair = { sku: formText(request.body, 'sku'), intacctItemId: formText(request.body, 'intacctItemId') };
  if (pair.sku === '' || pair.intacctItemId === '')
    throw new HttpError(400, 'validation_failed', 'a suggestion names a SKU and an Intacct item');
  const back = tablePath(tenantId, 'items');
  if (decision === 'reject') {
    await rejectSuggestedItem(deps, acting.context, tenantId, pair);
    await redirectAfterAction(deps.db, response, back, {
      kind: 'success',
      text: `${pair.intacctItemId} will not be suggested for ${pair.sku} again.`,
    });
    return;
  }
  try {
    await acceptItemSuggestion(deps, catalogues, acting.context, tenantId, pair);
    await redirectAfterAction(deps.db, response, back, { kind: 'success', text: `Row ${pair.sku} saved: ${pair.intacctItemId}.` });
  } catch (error) {
    // The item left Intacct's active items since it was suggested: said in words, nothing written.
    if (!(error instanceof HttpError) || error.status !== 409) throw error;
    await redirectAfterAction(deps.db, response, back, { kind: 'error', text: error.message });
  }
}

function recordTableOf(name: string): { page: MappingTableName; table: RecordSuggestionTable } {
  const page = tableOf(name);
  const table = suggestionTableOf(page);
  if (table === undefined) throw new HttpError(404, 'not_found', `The ${name} table takes no suggestions here.`);
  return { page, table };
}

/** The ask form read into the use case's queries: one per line, or one with its details (customers). */
function recordQueries(table: RecordSuggestionTable, body: unknown): { asked: Record<string, string>; queries: RecordSuggestionQuery[] } {
  const form = askForms[table];
  const typed = formText(body, 'value').slice(0, 20_000);
  const asked: Record<string, string> = { value: typed };
  for (const field of form.fields) asked[field.name] = formText(body, field.name).slice(0, 500);
  const values = form.value.perLine
    ? [...new Set(typed.split(/\r?\n/).map((line) => line.trim().slice(0, 200)))].filter((line) => line !== '').slice(0, 200)
    : [typed.slice(0, 200)].filter((value) => value !== '');
  const optional = (name: string) => (asked[name] === '' ? undefined : asked[name]);
  const dimension = dimensionNames.find((name) => name === asked.dimension);
  const queries = values.map((value) => ({
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
  return { asked, queries };
}

/** Candidates for the values asked about: the admin API's use case, shown on the table's page. */
async function askRecordSuggestions(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, name: string) {
  const { page, table } = recordTableOf(name);
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const { asked, queries } = recordQueries(table, request.body);
  const { suggestions } = await suggestRecords(deps, acting.context, tenantId, table, { values: queries, limit: 3 });
  await renderTable(deps, request, response, tenantId, page, { recordSuggestions: { asked, found: suggestions } });
}

/** Accepts or rejects one candidate row (its fields posted as `row.<field>`) through the admin API's use cases. */
async function decideRecordSuggestion(
  deps: ConsoleDependencies,
  request: Request,
  response: Response,
  tenantId: string,
  name: string,
  decision: 'accept' | 'reject',
) {
  const { page, table } = recordTableOf(name);
  const acting = await actingOn(deps, response, tenantId, 'operator');
  const value = formText(request.body, 'value');
  const row = Object.fromEntries(
    Object.entries((request.body ?? {}) as Record<string, unknown>).flatMap(([field, posted]) =>
      field.startsWith('row.') && typeof posted === 'string' && posted.trim() !== '' ? [[field.slice(4), posted.trim()]] : [],
    ),
  );
  if (value === '' || Object.keys(row).length === 0) throw new HttpError(400, 'validation_failed', 'a suggestion names a value and a row');
  const back = tablePath(tenantId, page);
  const shown = candidateText(table, row);
  if (decision === 'reject') {
    await rejectRecordSuggestion(deps, acting.context, tenantId, table, { value, row });
    await redirectAfterAction(deps.db, response, back, { kind: 'success', text: `${shown} will not be suggested for ${value} again.` });
    return;
  }
  await acceptRecordSuggestion(deps, acting.context, tenantId, table, { value, row });
  await redirectAfterAction(deps.db, response, back, { kind: 'success', text: `Row ${value} saved: ${shown}.` });
}

/** The mapping-table pages under /console/tenants/:tenantId/mappings. */
export function registerMappingPages(router: Router, deps: ConsoleDependencies): void {
  const catalogues = itemCatalogueCache(deps);
  router.post('/tenants/:tenantId/mappings/items/suggestions', (request, response) =>
    askItemSuggestions(deps, catalogues, request, response, request.params.tenantId),
  );
  router.post('/tenants/:tenantId/mappings/items/suggestions/accept', (request, response) =>
    decideItemSuggestion(deps, catalogues, request, response, request.params.tenantId, 'accept'),
  );
  router.post('/tenants/:tenantId/mappings/items/suggestions/reject', (request, response) =>
    decideItemSuggestion(deps, catalogues, request, response, request.params.tenantId, 'reject'),
  );
  router.post('/tenants/:tenantId/mappings/:table/suggestions', (request, response) =>
    askRecordSuggestions(deps, request, response, request.params.tenantId, request.params.table),
  );
  for (const decision of ['accept', 'reject'] as const)
    router.post(`/tenants/:tenantId/mappings/:table/suggestions/${decision}`, (request, response) =>
      decideRecordSuggestion(deps, request, response, request.params.tenantId, request.params.table, decision),
    );
  router.get('/tenants/:tenantId/mappings', (request, response) => {
    response.redirect(303, consolePath('tenants', request.params.tenantId, 'mappings', mappingTableNames[0]));
  });
  router.get('/tenants/:tenantId/mappings/:table', (request, response) =>
    renderTable(deps, request, response, request.params.tenantId, tableOf(request.params.table), {}),
  );
  router.get('/tenants/:tenantId/mappings/:table/export', async (request, response) => {
    const signed = await tenantPage(deps, response, request.params.tenantId, 'mappings');
    const table = tableOf(request.params.table);
    const csv = await exportMappingCsv(deps, signed.signedIn.principal, signed.tenant._id, table);
    response.setHeader('Content-Disposition', `attachment; filename="${signed.tenant._id}-${table}.csv"`);
    response.type('text/csv').send(csv);
  });
  router.get('/tenants/:tenantId/mappings/:table/rows/:key', (request, response) =>
    renderEditRow(deps, response, request.params.tenantId, tableOf(request.params.table), request.params.key),
  );
  router.post('/tenants/:tenantId/mappings/:table/rows', (request, response) =>
    saveRow(deps, request, response, request.params.tenantId, tableOf(request.params.table)),
  );
  router.post('/tenants/:tenantId/mappings/:table/rows/:key/delete', (request, response) =>
    deleteRow(deps, response, request.params.tenantId, tableOf(request.params.table), request.params.key),
  );
  router.post('/tenants/:tenantId/mappings/:table/import', (request, response) =>
    importFile(deps, request, response, request.params.tenantId, tableOf(request.params.table)),
  );
}
