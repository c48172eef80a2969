import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  catalogSyncScheduleId,
  catalogSyncWorkflowId,
  catalogSyncWorkflowType,
  type CatalogSyncInput,
} from '../workflows/catalog-sync-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import {
  ensureForEveryTenant,
  ensureSchedule,
  type DesiredSchedule,
  type EnsureAllSchedulesResult,
  type ScheduleOutcome,
} from './schedule-sync.js';

/** How late an item sync missed while Temporal was down may still start: an hour, like inventory's. */
export const catalogSyncCatchupWindowMs = 60 * 60_000;

export interface EnsureCatalogScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose item sync is off. */
  tenantDisabled?: boolean;
}

/** Why the settings pause the schedule, or what it runs when they do not. */
export function catalogScheduleNote(
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCatalogScheduleOptions = {},
): string {
  if (options.tenantDisabled === true) return 'paused: the tenant is disabled';
  if (!settings.catalog.items.enabled) return 'paused: catalog.items.enabled is false';
  return `syncs items on "${settings.catalog.items.schedule}" (${settings.timezone})`;
}

/**
 * The item sync schedule the tenant's settings ask for (pure): `catalog.items.schedule` as a cron
 * in the tenant's `timezone`, overlap SKIP (a run still paging reads what the next would),
 * starting `catalogSync`, paused while the item sync is off or the tenant disabled.
 */
export function desiredCatalogSchedule(
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCatalogScheduleOptions = {},
): DesiredSchedule {
  const input: CatalogSyncInput = { tenantId };
  return {
    scheduleId: catalogSyncScheduleId(tenantId),
    spec: { cronExpressions: [settings.catalog.items.schedule], timezone: settings.timezone },
    action: {
      workflowType: catalogSyncWorkflowType,
      workflowId: catalogSyncWorkflowId(tenantId),
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
    overlap: 'SKIP',
    catchupWindowMs: catalogSyncCatchupWindowMs,
    paused: !settings.catalog.items.enabled || options.tenantDisabled === true,
    note: catalogScheduleNote(settings, options),
  };
}

/** Makes the tenant's item sync schedule (`catalog-sync:{tenantId}`) match its settings; an operator's pause stays. */
export async function ensureCatalogSchedule(
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCatalogScheduleOptions = {},
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, desiredCatalogSchedule(taskQueue, tenantId, settings, options));
}

/** {@link ensureCatalogSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllCatalogSchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensureCatalogSchedule(client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}
