import type { Db } from 'mongodb';
import { allMappingRows, findMappingRow, upsertMappingRows } from '../store/mappings.js';
import {
  mappingRowKey,
  mappingTableSchemas,
  type MappingRow,
  type MappingRowInput,
  type MappingTableName,
} from '../store/schemas/mapping-tables.js';
import { tenantFailures } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';

/**
 * A stored row, validated. Rows are checked when they are written, so an invalid one was edited
 * in the database by hand; using it anyway could post to the wrong item or customer, so the
 * activity fails without retrying and names the row to correct.
 */
function validRow<Table extends MappingTableName>(table: Table, key: string, row: unknown): MappingRow<Table> {
  const parsed = mappingTableSchemas[table].rowSchema.safeParse(row);
  if (parsed.success) return parsed.data as MappingRow<Table>;
  const issues = parsed.error.issues.map((issue) => issue.message).join('; ');
  throw flowFailure(
    tenantFailures,
    'MappingRowInvalid',
    `row "${key}" of the ${table} mapping table is invalid (${issues}): correct it through the admin API, then retry the order`,
  );
}

/** One row of a tenant's mapping table by its key, or undefined. */
export async function readMappingRow<Table extends MappingTableName>(
  db: Db,
  tenantId: string,
  table: Table,
  key: string,
): Promise<MappingRow<Table> | undefined> {
  const stored = await findMappingRow(db, tenantId, table, key);
  return stored === null ? undefined : validRow(table, stored.key, stored.row);
}

/** Every row of a tenant's mapping table. */
export async function readMappingTable<Table extends MappingTableName>(
  db: Db,
  tenantId: string,
  table: Table,
): Promise<Array<MappingRow<Table>>> {
  return (await allMappingRows(db, tenantId, table)).map((stored) => validRow(table, stored.key, stored.row));
}

/** Creates or replaces one row by its key (validated and normalised as the admin API would). */
export async function rememberMappingRow<Table extends MappingTableName>(
  db: Db,
  tenantId: string,
  table: Table,
  row: MappingRowInput<Table>,
  updatedBy: string,
): Promise<void> {
  const parsed = mappingTableSchemas[table].rowSchema.parse(row) as MappingRow<Table>;
  await upsertMappingRows(db, tenantId, table, [{ key: mappingRowKey(table, parsed), row: parsed }], updatedBy);
}
