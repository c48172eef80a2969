import type { MappingCsvError } from '../../store/schemas/mapping-csv.js';
import { mappingTableNames, mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import type { MappingRowDocument } from '../../store/mappings.js';
import { labelFromKey } from '../settings/setting-nodes.js';
import type { SettingsField } from '../settings/settings-fields.js';
import { fieldHtml } from '../settings/settings-form-html.js';
import { consolePath, formatTime, html, queryString, type SafeHtml } from '../templates.js';

/** The markup of the mapping-table pages; every value from a row is escaped text. */

/** A table's name in words: `paymentMethods` → "Payment methods". */
export const tableLabel = (table: MappingTableName): string => labelFromKey(table);

/** Links to every mapping table, the current one marked. */
export function tableTabs(tenantId: string, current: MappingTableName): SafeHtml {
  return html`<nav aria-label="Mapping tables">
    <ul class="inline-list">
      ${mappingTableNames.map(
        (table) =>
          html`<li>
            <a href="${consolePath('tenants', tenantId, 'mappings', table)}" ${table === current && html` aria-current="page"`}
              >${tableLabel(table)}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The search form: a GET, so a search is a link that can be shared and works without JavaScript. */
export function searchForm(tenantId: string, table: MappingTableName, search: string): SafeHtml {
  return html`<form class="search" method="get" action="${consolePath('tenants', tenantId, 'mappings', table)}" role="search">
    <label for="mapping-search">Search ${tableLabel(table).toLowerCase()}</label>
    <input id="mapping-search" name="q" type="search" value="${search}" />
    <button type="submit">Search</button>
    ${search !== '' && html`<a href="${consolePath('tenants', tenantId, 'mappings', table)}">Clear</a>`}
  </form>`;
}

/**
 * The rows with an edit link and a delete button for a key that may write. Suggested rows are
 * not rows yet: they have their own card ({@link ./suggestion-html.ts}).
 */
export function rowsTable(
  tenantId: string,
  table: MappingTableName,
  rows: readonly MappingRowDocument[],
  options: { csrf: SafeHtml; editable: boolean; search: string; nextCursor?: string | undefined },
): SafeHtml {
  const columns = mappingTableSchemas[table].csvColumns;
  const tablePath = consolePath('tenants', tenantId, 'mappings', table);
  return html`<table class="mapping-rows">
      <caption>
        ${tableLabel(table)}${options.search !== '' && html`: rows containing “${options.search}”`}
      </caption>
      <thead>
        <tr>
          ${columns.map((column) => html`<th scope="col">${labelFromKey(column)}</th>`)}
          <th scope="col">Changed</th>
          ${options.editable && html`<th scope="col">Actions</th>`}
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0 &&
          html`<tr>
            <td colspan="${columns.length + 2}">No rows${options.search !== '' && ' match'}.</td>
          </tr>`
        }
        ${rows.map(
          (row) =>
            html`<tr>
              ${columns.map((column) => html`<td>${cellText(row.row[column])}</td>`)}
              <td>${formatTime(row.updatedAt)}<br /><span class="muted">key ${row.updatedBy}</span></td>
              ${
                options.editable &&
                html`<td class="actions">
                  <a href="${consolePath('tenants', tenantId, 'mappings', table, 'rows', row.key)}"
                    >Edit<span class="visually-hidden"> ${row.key}</span></a
                  >
                  <form method="post" action="${consolePath('tenants', tenantId, 'mappings', table, 'rows', row.key, 'delete')}">
                    ${options.csrf}
                    <button type="submit" class="danger">Delete<span class="visually-hidden"> ${row.key}</span></button>
                  </form>
                </td>`
              }
            </tr>`,
        )}
      </tbody>
    </table>
    ${options.nextCursor && html`<p><a href="${tablePath}${queryString({ q: options.search, cursor: options.nextCursor })}">Next page</a></p>`}`;
}

/** A form for one row: adding (empty) or editing (the row's values), with the schema's messages inline. */
export function rowForm(
  tenantId: string,
  table: MappingTableName,
  form: { fields: SettingsField[]; errors: string[]; editing: boolean; csrf: SafeHtml },
): SafeHtml {
  const keyField = mappingTableSchemas[table].keyField;
  const headingId = form.editing ? 'edit-row-heading' : 'add-row-heading';
  return html`<section class="card" aria-labelledby="${headingId}">
    <h2 id="${headingId}">${form.editing ? 'Edit the row' : 'Add a row'}</h2>
    ${form.editing && html`<p class="muted">Changing ${labelFromKey(keyField).toLowerCase()} adds a new row; the old one stays until deleted.</p>`}
    ${form.errors.length > 0 && html`<div class="field-error" role="alert">${form.errors.map((message) => html`<p>${message}</p>`)}</div>`}
    <form method="post" action="${consolePath('tenants', tenantId, 'mappings', table, 'rows')}" novalidate>
      ${form.csrf} ${form.fields.map(fieldHtml)}
      <button type="submit">${form.editing ? 'Save the row' : 'Add the row'}</button>
    </form>
  </section>`;
}

/** Export link and the import form (a file, or pasted CSV text). */
export function csvCard(tenantId: string, table: MappingTableName, options: { csrf: SafeHtml; editable: boolean }): SafeHtml {
  const tablePath = consolePath('tenants', tenantId, 'mappings', table);
  return html`<section class="card" aria-labelledby="csv-heading">
    <h2 id="csv-heading">CSV</h2>
    <p><a href="${tablePath}/export" download>Export ${tableLabel(table).toLowerCase()} as CSV</a></p>
    ${
      options.editable &&
      html`<form method="post" action="${tablePath}/import" enctype="multipart/form-data">
        ${options.csrf}
        <label for="csv-file">CSV file to import (columns: ${mappingTableSchemas[table].csvColumns.join(', ')})</label>
        <input id="csv-file" name="file" type="file" accept=".csv,text/csv" />
        <p class="help">Every row is checked first: one bad row and nothing is imported, with every problem listed.</p>
        <button type="submit">Import</button>
      </form>`
    }
  </section>`;
}

/** Every problem of a rejected file, by line and column, as a spreadsheet numbers them. */
export function importErrors(errors: readonly MappingCsvError[]): SafeHtml {
  return html`<section class="card" aria-labelledby="import-errors-heading">
    <h2 id="import-errors-heading">The file was not imported</h2>
    <p>${errors.length} problem${errors.length === 1 ? '' : 's'} found; nothing was imported. Correct the file and import it again.</p>
    <table>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        ${errors.map(
          (error) =>
            html`<tr>
              <td class="number">${error.line}</td>
              <td>${error.column ?? ''}</td>
              <td>${error.message}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
