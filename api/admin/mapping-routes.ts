import express from 'express';
import { z } from 'zod';
import { mappingTableNames } from '../../store/schemas/mapping-tables.js';
import { findMappingRow, listMappingRows } from '../../store/mappings.js';
import { pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { exportMappingCsv, importMappingCsv, putMappingRow, removeMappingRow } from './mapping-actions.js';

const tableParams = tenantParams.extend({ table: z.enum(mappingTableNames) });
const rowParams = tableParams.extend({ key: z.string().min(1).max(200) });
const rowView = z.object({ key: z.string(), row: z.record(z.string(), z.unknown()), updatedAt: z.string(), updatedBy: z.string() });

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
      const row = await putMappingRow(deps, { principal, requestId }, params.tenantId, params.table, params.key, body);
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
      await removeMappingRow(deps, { principal, requestId }, params.tenantId, params.table, params.key);
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
      const csv = await exportMappingCsv(deps, principal, params.tenantId, params.table);
      response.setHeader('Content-Disposition', `attachment; filename="${params.tenantId}-${params.table}.csv"`);
      return csv;
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
      const csvText = request.is(['text/csv', 'application/csv']) ? (request.body as string) : undefined;
      return importMappingCsv(deps, { principal, requestId }, params.tenantId, params.table, csvText);
    },
  });
}
