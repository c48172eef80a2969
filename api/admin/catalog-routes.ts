import { HttpError } from '../errors.js';
import { catalogSyncSchedule } from '../../schedules/catalog-sync.js';
import { readCatalogSyncState } from '../../store/catalog-sync-state.js';
import { catalogSyncScheduleId, catalogSyncWorkflowId, catalogSyncWorkflowType } from '../../workflows/catalog-sync-contract.js';
import type { AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { registerScheduledSyncRoutes } from './scheduled-sync-routes.js';

/**
 * The item sync, operator side: run it now (changes since the last run, through the tenant's
 * schedule, overlap SKIP; or every item, as its own workflow), and read the last run's report.
 */
export function registerCatalogRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  registerScheduledSyncRoutes(router, deps, {
    path: 'catalog/items/sync',
    postSummary:
      "Sync the tenant's Intacct items to its store now: changes since the last run, or every item with full (503 without Temporal)",
    getSummary: "The item sync's watermark and its last run's report",
    auditAction: 'catalog.sync',
    refusal: (tenantId, settings) =>
      settings.catalog.items.enabled
        ? undefined
        : new HttpError(409, 'catalog_sync_disabled', `the item sync is off for tenant ${tenantId}; turn on catalog.items.enabled first`),
    sync: (tenantId) => ({
      schedule: catalogSyncSchedule,
      scheduleId: catalogSyncScheduleId(tenantId),
      workflowType: catalogSyncWorkflowType,
      // One full resync at a time: asking again while it runs joins it.
      fullWorkflowId: `${catalogSyncWorkflowId(tenantId)}:full`,
    }),
    readState: readCatalogSyncState,
  });
}
