import { formatMappingCsv, parseMappingCsv, type MappingCsvError } from '../../store/schemas/mapping-csv.js';
import { mappingRowKey, mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import { allMappingRows, deleteMappingRow, findMappingRow, upsertMappingRows, type MappingRowDocument } from '../../store/mappings.js';
import { HttpError } from '../errors.js';
import { assertRole, type Principal } from './auth.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, validationError } from './documented-router.js';
import type { ActionContext } from './settings-changes.js';

/**
 * Writing mapping tables as use cases (role, tenant, validation, audit), shared by the admin
 * API's mapping routes and the console's mapping-table pages.
 */

/** Tables that decide where money lands in Intacct: only admins change them, operators read them. */
const financeRoutingTables: ReadonlySet<MappingTableName> = new Set(['paymentMethods']);

/** Whether this key may change this table: operators fix mappings, finance routing is the admin's. */
export function mayWriteMappingTable(principal: Principal, table: MappingTableName): boolean {
  const needed = financeRoutingTables.has(table) ? 'admin' : 'operator';
  try {
    assertRole(principal, needed);
    return true;
  } catch {
    return false;
  }
}

/** 403 unless the key may change this table. */
export function assertMayWrite(principal: Principal, table: MappingTableName): void {
  assertRole(principal, financeRoutingTables.has(table) ? 'admin' : 'operator');
}

/** Creates or replaces one row under `key`; 400 with each field's problem. Answers the stored row. */
export async function putMappingRow(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  key: string,
  input: Record<string, unknown>,
): Promise<MappingRowDocument> {
  await visibleTenant(deps.db, context.principal, tenantId);
  assertMayWrite(context.principal, table);
  const definition = mappingTableSchemas[table];
  const parsed = definition.rowSchema.safeParse({ ...input, [definition.keyField]: key });
  if (!parsed.success) throw validationError(parsed.error, 'mapping row');
  // The stored key is the validated one (emails are kept in lower case, for instance).
  const storedKey = mappingRowKey(table, parsed.data as never);
  await upsertMappingRows(deps.db, tenantId, table, [{ key: storedKey, row: parsed.data }], context.principal.keyId);
  await audit(deps.db, context, { tenantId, action: 'mapping.put', target: `mapping:${table}:${storedKey}` });
  return (await findMappingRow(deps.db, tenantId, table, storedKey))!;
}

/** Deletes one row; 404 when there is none. */
export async function removeMappingRow(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  key: string,
): Promise<void> {
  await visibleTenant(deps.db, context.principal, tenantId);
  assertMayWrite(context.principal, table);
  if (!(await deleteMappingRow(deps.db, tenantId, table, key))) throw notFoundError(`${table} row ${key}`);
  await audit(deps.db, context, { tenantId, action: 'mapping.delete', target: `mapping:${table}:${key}` });
}

/** A CSV file refused, with every problem in it: nothing of it was imported. */
export class MappingCsvRejectedError extends HttpError {
  constructor(readonly errors: MappingCsvError[]) {
    super(400, 'csv_rejected', `the CSV has ${errors.length} error(s); nothing was imported`, errors);
  }
}

/**
 * Imports a CSV file all or nothing: any bad row rejects the file ({@link MappingCsvRejectedError}).
 * `csvText` undefined: the body was not sent as CSV (415, once the caller may write the table).
 */
export async function importMappingCsv(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  table: MappingTableName,
  csvText: string | undefined,
): Promise<{ imported: number; created: number; updated: number }> {
  await visibleTenant(deps.db, context.principal, tenantId);
  assertMayWrite(context.principal, table);
  if (csvText === undefined) throw new HttpError(415, 'unsupported_media_type', 'send the file as text/csv');
  const parsed = parseMappingCsv(table, csvText);
  if (!parsed.ok) throw new MappingCsvRejectedError(parsed.errors);
  const rows = parsed.rows.map((row) => ({ key: mappingRowKey(table, row as never), row: row }));
  const result = await upsertMappingRows(deps.db, tenantId, table, rows, context.principal.keyId);
  await audit(deps.db, context, { tenantId, action: 'mapping.import', target: `mapping:${table}`, details: { rows: rows.length } });
  return { imported: rows.length, ...result };
}

/** A table as CSV, every row sorted by key (reading: any role that sees the tenant). */
export async function exportMappingCsv(deps: AdminDependencies, principal: Principal, tenantId: string, table: MappingTableName) {
  await visibleTenant(deps.db, principal, tenantId);
  const rows = await allMappingRows(deps.db, tenantId, table);
  return formatMappingCsv(table, rows.map((row) => row.row) as never);
}
