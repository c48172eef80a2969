import type { TenantSettings } from '../store/schemas/settings.js';
import {
  catalogSyncScheduleId,
  catalogSyncWorkflowId,
  catalogSyncWorkflowType,
  type CatalogSyncInput,
} from '../workflows/catalog-sync-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/** How late an item sync missed while Temporal was down may still start: an hour, like inventory's. */
export const catalogSyncCatchupWindowMs = 60 * 60_000;

type CatalogSettingsView = Pick<TenantSettings, 'catalog' | 'timezone'>;

/** Why the settings pause the schedule, or what it runs when they do not. */
export function catalogScheduleNote(settings: CatalogSettingsView, options: TenantScheduleOptions = {}): string {
  return catalogScheduleState(settings, options).note;
}

function catalogScheduleState(settings: CatalogSettingsView, options: TenantScheduleOptions) {
  return tenantScheduleState(
    options,
    settings.catalog.items.enabled ? undefined : 'catalog.items.enabled is false',
    `syncs items on "${settings.catalog.items.schedule}" (${settings.timezone})`,
  );
}

/**
 * The item sync schedule the tenant's settings ask for (pure): `catalog.items.schedule` as a cron
 * in the tenant's `timezone`, overlap SKIP (a run still paging reads what the next would),
 * starting `catalogSync`, paused while the item sync is off or the tenant disabled.
 */
export function desiredCatalogSchedule(
  taskQueue: string,
  tenantId: string,
  settings: CatalogSettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: CatalogSyncInput = { tenantId };
  return {
    scheduleId: catalogSyncScheduleId(tenantId),
    spec: { cronExpressions: [settings.catalog.items.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, catalogSyncWorkflowType, catalogSyncWorkflowId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: catalogSyncCatchupWindowMs,
    ...catalogScheduleState(settings, options),
  };
}

/** The tenant's item sync schedule, `catalog-sync:{tenantId}`. */
export const catalogSyncSchedule: TenantSchedule<CatalogSettingsView> = { name: 'catalog', desired: desiredCatalogSchedule };
