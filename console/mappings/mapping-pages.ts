import type { Request, Response, Router } from 'express';
import {
  exportMappingCsv,
  importMappingCsv,
  MappingCsvRejectedError,
  mayWriteMappingTable,
  putMappingRow,
  removeMappingRow,
} from '../../api/admin/mapping-actions.js';
import { itemCatalogueCache } from '../../api/admin/item-suggestion-actions.js';
import { HttpError } from '../../api/errors.js';
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
import { suggestionsCard, type SuggestionTable } from './suggestion-html.js';
import { askSuggestions, decideSuggestion, suggestionTableOf, type AskedSuggestions } from './suggestion-pages.js';

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
  /** The table's suggested rows once asked for, with the form as asked. */
  suggestions?: AskedSuggestions;
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
          suggestionTable !== undefined &&
          suggestionsCard(tenantId, table, suggestionTable, {
            csrf,
            mayAsk: mayAct(context.signedIn, 'operator') && context.tenant.status === 'active',
            mayDecide: editable,
            asked: options.suggestions?.asked ?? {},
            suggestions: options.suggestions?.found,
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

/** The page and suggestion table of a mapping page that takes suggestions (404 otherwise). */
function suggestionPageOf(name: string): { page: MappingTableName; table: SuggestionTable } {
  const page = tableOf(name);
  const table = suggestionTableOf(page);
  if (table === undefined) throw new HttpError(404, 'not_found', `The ${name} table takes no suggestions here.`);
  return { page, table };
}

/** The mapping-table pages under /console/tenants/:tenantId/mappings. */
export function registerMappingPages(router: Router, deps: ConsoleDependencies): void {
  const catalogues = itemCatalogueCache(deps);
  router.post('/tenants/:tenantId/mappings/:table/suggestions', async (request, response) => {
    const { tenantId } = request.params;
    const { page, table } = suggestionPageOf(request.params.table);
    const acting = await actingOn(deps, response, tenantId, 'operator');
    const suggestions = await askSuggestions(deps, catalogues, acting.context, tenantId, table, request.body);
    await renderTable(deps, request, response, tenantId, page, { suggestions });
  });
  for (const decision of ['accept', 'reject'] as const)
    router.post(`/tenants/:tenantId/mappings/:table/suggestions/${decision}`, async (request, response) => {
      const { tenantId } = request.params;
      const { page, table } = suggestionPageOf(request.params.table);
      const acting = await actingOn(deps, response, tenantId, 'operator');
      const outcome = await decideSuggestion(deps, catalogues, acting.context, tenantId, table, request.body, decision);
      await redirectAfterAction(deps.db, response, tablePath(tenantId, page), outcome);
    });
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
