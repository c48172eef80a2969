import { HttpError } from '../errors.js';
import { priceListPause, priceListSyncSchedule } from '../../schedules/price-list-sync.js';
import { readPriceListSyncState } from '../../store/price-list-sync-state.js';
import { priceListSyncWorkflowId, priceListSyncWorkflowType } from '../../workflows/price-list-sync-contract.js';
import type { AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { registerScheduledSyncRoutes } from './scheduled-sync-routes.js';

/**
 * The price list sync, operator side, as the item sync's: run it now (entries changed since the
 * last run, through the tenant's schedule, overlap SKIP; or every entry, as its own workflow), and
 * read the last run's report. Refused while the settings pause its schedule, with their reason.
 */
export function registerPriceListRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  registerScheduledSyncRoutes(router, deps, {
    path: 'catalog/price-lists/sync',
    postSummary:
      "Sync the tenant's Intacct price list entries to its store's price lists now: changes since the last run, or every entry with full (503 without Temporal)",
    getSummary: "The price list sync's watermark and its last run's report",
    auditAction: 'priceLists.sync',
    refusal: (tenantId, settings) => {
      const pause = priceListPause(settings);
      return pause === undefined
        ? undefined
        : new HttpError(409, 'price_list_sync_disabled', `the price list sync is off for tenant ${tenantId}: ${pause}`);
    },
    sync: (tenantId) => ({
      schedule: priceListSyncSchedule,
      scheduleId: priceListSyncWorkflowId(tenantId),
      workflowType: priceListSyncWorkflowType,
      fullWorkflowId: `${priceListSyncWorkflowId(tenantId)}:full`,
    }),
    readState: readPriceListSyncState,
  });
}
