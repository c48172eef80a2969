import { z } from 'zod';
import { HttpError } from '../errors.js';
import { formatIntacctTimestamp } from '../../mappers/catalog-item-sync.js';
import { catalogSyncSchedule } from '../../schedules/catalog-sync.js';
import { ensureTenantSchedule } from '../../schedules/schedule-sync.js';
import { readCatalogSyncState } from '../../store/catalog-sync-state.js';
import { readSettings } from '../../store/settings.js';
import {
  catalogSyncScheduleId,
  catalogSyncWorkflowId,
  catalogSyncWorkflowType,
  type CatalogSyncInput,
} from '../../workflows/catalog-sync-contract.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { startOrJoinWorkflow, withTemporal } from './temporal-access.js';

/**
 * The item sync, operator side: run it now (changes since the last run, through the tenant's
 * schedule, overlap SKIP; or every item, as its own workflow), and read the last run's report.
 */
export function registerCatalogRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/catalog/items/sync',
    summary: "Sync the tenant's Intacct items to its store now: changes since the last run, or every item with full (503 without Temporal)",
    tag: 'catalog',
    role: 'operator',
    params: tenantParams,
    body: z.object({ full: z.boolean({ error: 'full must be true or false' }).default(false) }),
    successStatus: 202,
    response: z.object({ workflowId: z.string().optional(), scheduleId: z.string(), outcome: z.enum(['started', 'skipped']) }),
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await readSettings(deps.db, tenant._id);
      if (tenant.status === 'disabled') throw new HttpError(409, 'tenant_disabled', `tenant ${tenant._id} is disabled; enable it first`);
      if (stored === null || !stored.settings.catalog.items.enabled)
        throw new HttpError(
          409,
          'catalog_sync_disabled',
          `the item sync is off for tenant ${tenant._id}; turn on catalog.items.enabled first`,
        );
      const scheduleId = catalogSyncScheduleId(tenant._id);
      const answer = await withTemporal(deps, async (temporal) => {
        const { client, taskQueue } = temporal;
        if (body.full) {
          // One full resync at a time: asking again while it runs joins it.
          const workflowId = `${catalogSyncWorkflowId(tenant._id)}:full`;
          const input: CatalogSyncInput = { tenantId: tenant._id, full: true };
          await startOrJoinWorkflow(temporal, {
            workflowType: catalogSyncWorkflowType,
            workflowId,
            tenantId: tenant._id,
            input,
            reusePolicy: 'ALLOW_DUPLICATE',
          });
          return { workflowId, scheduleId, outcome: 'started' as const };
        }
        await ensureTenantSchedule(catalogSyncSchedule, client, taskQueue, tenant._id, stored.settings, { tenantDisabled: false });
        const handle = client.schedule.getHandle(scheduleId);
        const running = (await handle.describe()).info.runningActions.length > 0;
        await handle.trigger('SKIP');
        return { scheduleId, outcome: running ? ('skipped' as const) : ('started' as const) };
      });
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: 'catalog.sync', target: answer.workflowId ?? scheduleId, details: { full: body.full } },
      );
      return answer;
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/catalog/items/sync',
    summary: "The item sync's watermark and its last run's report",
    tag: 'catalog',
    role: 'viewer',
    params: tenantParams,
    response: z.object({ modifiedSince: z.string().optional(), lastReport: z.record(z.string(), z.unknown()).optional() }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const state = await readCatalogSyncState(deps.db, tenant._id);
      return {
        ...(state?.watermarkMs !== undefined && { modifiedSince: formatIntacctTimestamp(state.watermarkMs) }),
        ...(state?.lastReport !== undefined && { lastReport: { ...state.lastReport } }),
      };
    },
  });
}
