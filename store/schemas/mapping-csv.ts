import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { mappingTableSchemas, type MappingRow, type MappingTableDefinition, type MappingTableName } from './mapping-tables.js';

/**
 * CSV import and export of mapping tables, pure (text in, rows out). Import is all-or-nothing:
 * every problem in the file is reported with its line, and no rows are returned unless the
 * whole file is good, so a tenant never ends up with half a mapping table.
 */

/** A problem in an imported file; `line` counts from 1 (the header), as a spreadsheet shows it. */
export interface MappingCsvError {
  line: number;
  column?: string;
  message: string;
}

/** The outcome of {@link parseMappingCsv}. */
export type ParseMappingCsvResult<Table extends MappingTableName> =
  { ok: true; rows: Array<MappingRow<Table>> } | { ok: false; errors: MappingCsvError[] };

// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);
// The quote itself is escaped too, so that stripping one leading quote on import is exact:
// export maps every value to a distinct cell and import maps it back.
const escapedStarts = new Set([...formulaTriggers, "'"]);

/** Prefixes a cell a spreadsheet would run as a formula with a single quote. */
function guardCell(value: string): string {
  return escapedStarts.has(value.charAt(0)) ? `'${value}` : value;
}

/** Undoes {@link guardCell}; a quote before anything else is kept as typed. */
function unguardCell(value: string): string {
  return value.startsWith("'") && escapedStarts.has(value.charAt(1)) ? value.slice(1) : value;
}

const trueWords = new Set(['true', 'yes', '1']);
const falseWords = new Set(['false', 'no', '0']);

/**
 * Reads a mapping table from CSV. The header row is required; its columns may come in any
 * order, optional ones may be left out, names are matched ignoring case. A UTF-8 byte order
 * mark, CRLF line ends, quoted cells with line breaks and blank lines are accepted.
 */
export function parseMappingCsv<Table extends MappingTableName>(tableName: Table, csvText: string): ParseMappingCsvResult<Table> {
  const definition: MappingTableDefinition = mappingTableSchemas[tableName];
  let records: Array<{ record: string[]; raw: string }>;
  try {
    // With `raw`, csv-parse yields { record, raw } pairs; its typings only describe plain records.
    // Empty lines are kept (not skip_empty_lines) so that counting line breaks in the raw text
    // gives every record the line a text editor shows, even after quoted cells with breaks.
    records = parse(csvText, { bom: true, raw: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : 1;
    return { ok: false, errors: [{ line, message: `the file is not valid CSV: ${error.message}` }] };
  }
  const rows: Array<{ cells: string[]; line: number }> = [];
  let line = 1;
  for (const { record, raw } of records) {
    // A line of empty cells is what spreadsheets leave below the data; it is not a row.
    if (record.some((cell) => cell.trim() !== '')) rows.push({ cells: record, line });
    line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  }

  const [headerRow, ...dataRows] = rows;
  if (headerRow === undefined)
    return { ok: false, errors: [{ line: 1, message: `the header row is missing; expected ${definition.csvColumns.join(', ')}` }] };
  const header = readHeader(definition, headerRow.cells, headerRow.line);
  if (!header.ok) return { ok: false, errors: header.errors };

  const errors: MappingCsvError[] = [];
  const parsedRows: Array<MappingRow<Table>> = [];
  const firstLineOfKey = new Map<string, number>();
  for (const { cells, line } of dataRows) {
    if (cells.length !== header.columns.length) {
      errors.push({ line, message: `the row has ${cells.length} cells but the header has ${header.columns.length}` });
      continue;
    }
    const decoded = decodeRow(definition, header.columns, cells, line);
    errors.push(...decoded.errors);
    const parsed = definition.rowSchema.safeParse(decoded.row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
        // A cell that could not be decoded is already reported: neither its absence nor a rule
        // across cells (which would be judged without it) is a second problem.
        if (decoded.errors.length > 0 && (issue.code === 'custom' || decoded.errors.some((error) => error.column === column))) continue;
        errors.push({ line, ...(column !== undefined && { column }), message: issue.message });
      }
      continue;
    }
    if (decoded.errors.length > 0) continue;
    const row = parsed.data;
    const key = String(row[definition.keyField]);
    const earlier = firstLineOfKey.get(key);
    if (earlier !== undefined) {
      errors.push({
        line,
        column: definition.keyField,
        message: `duplicate ${definition.keyField} "${key}", first given on line ${earlier}`,
      });
      continue;
    }
    firstLineOfKey.set(key, line);
    parsedRows.push(row as MappingRow<Table>);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: parsedRows };
}

/**
 * Writes a mapping table as CSV: a header of every column in the table's fixed order, rows
 * sorted by key (so two exports of the same table are byte-identical), CRLF line ends as RFC
 * 4180 has them, absent values as empty cells and formula-like cells quoted with `'`.
 */
export function formatMappingCsv<Table extends MappingTableName>(tableName: Table, rows: ReadonlyArray<MappingRow<Table>>): string {
  const definition: MappingTableDefinition = mappingTableSchemas[tableName];
  const keyOf = (row: MappingRow<Table>) => String((row as Record<string, unknown>)[definition.keyField]);
  const sorted = [...rows].sort((left, right) => compareText(keyOf(left), keyOf(right)));
  const body = sorted.map((row) => definition.csvColumns.map((column) => encodeCell((row as Record<string, unknown>)[column])));
  // Line breaks inside a cell are quoted whatever the record delimiter, or a reader would split the row.
  return stringify([[...definition.csvColumns], ...body], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

function encodeCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return guardCell(typeof value === 'string' ? value : JSON.stringify(value));
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

type HeaderResult = { ok: true; columns: string[] } | { ok: false; errors: MappingCsvError[] };

function readHeader(definition: MappingTableDefinition, cells: readonly string[], line: number): HeaderResult {
  const expected = definition.csvColumns.join(', ');
  const byLowerCase = new Map(definition.csvColumns.map((column) => [column.toLowerCase(), column]));
  const errors: MappingCsvError[] = [];
  const columns: string[] = [];
  for (const cell of cells) {
    const name = cell.trim();
    const column = byLowerCase.get(name.toLowerCase());
    if (name === '') errors.push({ line, message: `a header cell is empty; expected ${expected}` });
    else if (column === undefined) errors.push({ line, column: name, message: `unknown column "${name}"; expected ${expected}` });
    else if (columns.includes(column)) errors.push({ line, column, message: `column ${column} appears twice` });
    columns.push(column ?? name);
  }
  const shape: Record<string, z.ZodType> = definition.rowSchema.shape;
  for (const column of definition.csvColumns) {
    // A column is required when an absent value is not valid on its own (no default, not optional).
    const required = !shape[column]?.safeParse(undefined).success;
    if (required && !columns.includes(column))
      errors.push({ line, column, message: `required column ${column} is missing from the header; expected ${expected}` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, columns };
}

/** A row's cells as the row schema's input; cells that could not be decoded are left out and reported. */
function decodeRow(
  definition: MappingTableDefinition,
  columns: readonly string[],
  cells: readonly string[],
  line: number,
): { row: Record<string, unknown>; errors: MappingCsvError[] } {
  const row: Record<string, unknown> = {};
  const errors: MappingCsvError[] = [];
  for (const [index, column] of columns.entries()) {
    const text = unguardCell(cells[index] ?? '');
    // An empty cell is an absent value, so optional columns and defaults behave as in JSON.
    if (text.trim() === '') continue;
    if (definition.booleanColumns.includes(column)) {
      const word = text.trim().toLowerCase();
      if (trueWords.has(word)) row[column] = true;
      else if (falseWords.has(word)) row[column] = false;
      else errors.push({ line, column, message: `${column} must be true or false, not "${text}"` });
    } else {
      row[column] = text;
    }
  }
  return { row, errors };
}
