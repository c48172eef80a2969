import express from 'express';
import { z } from 'zod';
import { formatMappingCsv, parseMappingCsv } from '../../store/schemas/mapping-csv.js';
import { mappingRowKey, mappingTableNames, mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import { allMappingRows, deleteMappingRow, findMappingRow, listMappingRows, upsertMappingRows } from '../../store/mappings.js';
import { HttpError } from '../errors.js';
import { assertRole, type Principal } from './auth.js';
import { audit, pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, validationError, type DocumentedRouter } from './documented-router.js';

const tableParams = tenantParams.extend({ table: z.enum(mappingTableNames) });
const rowParams = tableParams.extend({ key: z.string().min(1).max(200) });
const rowView = z.object({ key: z.string(), row: z.record(z.string(), z.unknown()), updatedAt: z.string(), updatedBy: z.string() });

/** Tables that decide where money lands in Intacct: only admins change them, operators read them. */
const financeRoutingTables: ReadonlySet<MappingTableName> = new Set(['paymentMethods']);

/** 403 for a non-admin writing a finance-routing table. */
function assertMayWrite(principal: Principal, table: MappingTableName): void {
  if (financeRoutingTables.has(table)) assertRole(principal, 'admin');
}

/** CSV bodies are text/csv; the JSON parser does not read them. 2 MB is about 20k mapping rows. */
export const csvBodyParser = express.text({ type: ['text/csv', 'application/csv'], limit: '2mb' });

export function registerMappingRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/mappings/:table',
    summary: 'List a mapping table (keyset pagination); `q` keeps the rows whose key or any column contains it, ignoring case',
    tag: 'mappings',
    role: 'viewer',
    params: tableParams,
    query: z.object({ ...pageQuery, q: z.string().max(200).optional() }),
    response: z.object({ rows: z.array(rowView), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const page = await listMappingRows(deps.db, params.tenantId, params.table, { ...query, search: query.q });
      return {
        rows: page.items.map((row) => ({ key: row.key, row: row.row, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy })),
        ...(page.nextCursor && { nextCursor: page.nextCursor }),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/mappings/:table/rows/:key',
    summary: 'Read one mapping row by its key',
    tag: 'mappings',
    role: 'viewer',
    params: rowParams,
    response: rowView,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const row = await findMappingRow(deps.db, params.tenantId, params.table, params.key);
      if (!row) throw notFoundError(`${params.table} row ${params.key}`);
      return { key: row.key, row: row.row, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
    },
  });

  router.add({
    method: 'put',
    path: '/tenants/:tenantId/mappings/:table/rows/:key',
    summary: 'Create or replace one mapping row (paymentMethods: admin role)',
    tag: 'mappings',
    role: 'operator',
    params: rowParams,
    body: z.record(z.string(), z.unknown()),
    response: rowView,
    handler: async ({ params, body, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      assertMayWrite(principal, params.table);
      const table = mappingTableSchemas[params.table];
      const parsed = table.rowSchema.safeParse({ ...body, [table.keyField]: params.key });
      if (!parsed.success) throw validationError(parsed.error, 'mapping row');
      // The stored key is the validated one (emails are kept in lower case, for instance).
      const key = mappingRowKey(params.table, parsed.data as never);
      await upsertMappingRows(deps.db, params.tenantId, params.table, [{ key, row: parsed.data }], principal.keyId);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'mapping.put', target: `mapping:${params.table}:${key}` },
      );
      const row = (await findMappingRow(deps.db, params.tenantId, params.table, key))!;
      return { key: row.key, row: row.row, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
    },
  });

  router.add({
    method: 'delete',
    path: '/tenants/:tenantId/mappings/:table/rows/:key',
    summary: 'Delete one mapping row (paymentMethods: admin role)',
    tag: 'mappings',
    role: 'operator',
    params: rowParams,
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      assertMayWrite(principal, params.table);
      if (!(await deleteMappingRow(deps.db, params.tenantId, params.table, params.key)))
        throw notFoundError(`${params.table} row ${params.key}`);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'mapping.delete', target: `mapping:${params.table}:${params.key}` },
      );
      return undefined;
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/mappings/:table/export',
    summary: 'Export a mapping table as CSV',
    tag: 'mappings',
    role: 'viewer',
    params: tableParams,
    response: z.string(),
    responseMediaType: 'text/csv',
    handler: async ({ params, principal, response }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const rows = await allMappingRows(deps.db, params.tenantId, params.table);
      response.setHeader('Content-Disposition', `attachment; filename="${params.tenantId}-${params.table}.csv"`);
      return formatMappingCsv(params.table, rows.map((row) => row.row) as never);
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/mappings/:table/import',
    summary:
      'Import CSV rows (create or replace by key). Every row is checked first; any bad row rejects the whole file with row-level errors. paymentMethods needs the admin role.',
    tag: 'mappings',
    role: 'operator',
    params: tableParams,
    body: z.string(),
    bodyMediaType: 'text/csv',
    response: z.object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int() }),
    handler: async ({ params, request, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      assertMayWrite(principal, params.table);
      if (!request.is(['text/csv', 'application/csv'])) throw new HttpError(415, 'unsupported_media_type', 'send the file as text/csv');
      const parsed = parseMappingCsv(params.table, request.body as string);
      if (!parsed.ok)
        throw new HttpError(400, 'csv_rejected', `the CSV has ${parsed.errors.length} error(s); nothing was imported`, parsed.errors);
      const rows = parsed.rows.map((row) => ({ key: mappingRowKey(params.table, row as never), row: row }));
      const result = await upsertMappingRows(deps.db, params.tenantId, params.table, rows, principal.keyId);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'mapping.import', target: `mapping:${params.table}`, details: { rows: rows.length } },
      );
      return { imported: rows.length, ...result };
    },
  });
}
