import { z } from 'zod';
import { pageInventoryReports, parseInventoryReportCursor, readInventoryReport } from '../../store/inventory-reports.js';
import { tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

/** Stored report pages: up to 100 reports each (a report holds samples, so pages stay small). */
const maxReportPage = 100;

/** InventoryReconcile's stored reports: a page of them, newest first, or one by its run id. */
export function registerInventoryReportRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/reports',
    summary: 'Stored reconciliation reports, newest first (pass nextCursor back as cursor for the next page)',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(maxReportPage).default(20),
      cursor: z
        .string()
        .max(400)
        .refine((cursor) => parseInventoryReportCursor(cursor) !== undefined, 'cursor must be a nextCursor from a previous page')
        .optional(),
    }),
    response: z.object({ reports: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const page = await pageInventoryReports(deps.db, tenant._id, query);
      return {
        reports: page.reports.map((report) => ({ ...report })),
        ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/reports/:runId',
    summary: 'One reconciliation report by its run id',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams.extend({ runId: z.string().min(1).max(200) }),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const report = await readInventoryReport(deps.db, tenant._id, params.runId);
      if (report === null) throw notFoundError(`inventory report ${params.runId}`);
      return { ...report };
    },
  });
}
