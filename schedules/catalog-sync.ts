import type { TenantSettings } from '../store/schemas/settings.js';
import {
  catalogSyncScheduleId,
  catalogSyncWorkflowId,
  catalogSyncWorkflowType,
  type CatalogSyncInput,
} from '../workflows/catalog-sync-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

/** How late an item sync missed while Temporal was down may still start: an hour, like inventory's. */
export const catalogSyncCatchupWindowMs = 60 * 60_000;

/**
 * The tenant's item sync schedule, `catalog-sync:{tenantId}`: `catalog.items.schedule` in the
 * tenant's time zone, starting `catalogSync`, paused while the item sync is off or the tenant
 * disabled.
 */
export const catalogSyncSchedule = cronTenantSchedule<Pick<TenantSettings, 'catalog' | 'timezone'>>({
  name: 'catalog',
  scheduleId: catalogSyncScheduleId,
  workflowType: catalogSyncWorkflowType,
  workflowId: catalogSyncWorkflowId,
  input: (tenantId): CatalogSyncInput => ({ tenantId }),
  cron: (settings) => settings.catalog.items.schedule,
  catchupWindowMs: catalogSyncCatchupWindowMs,
  pausedBecause: (settings) => (settings.catalog.items.enabled ? undefined : 'catalog.items.enabled is false'),
  runs: 'syncs items',
});
