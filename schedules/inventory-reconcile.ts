import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  inventoryReconcileScheduleId,
  inventoryReconcileWorkflowId,
  inventoryReconcileWorkflowType,
  type InventoryReconcileInput,
} from '../workflows/inventory-reconcile-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import {
  ensureForEveryTenant,
  ensureSchedule,
  type DesiredSchedule,
  type EnsureAllSchedulesResult,
  type ScheduleOutcome,
} from './schedule-sync.js';

/**
 * How late a reconciliation missed while Temporal was down may still start. An hour, so a daily
 * or nightly cron is not lost to a short outage; overlap SKIP keeps a frequent cron from
 * starting a burst of runs when the server comes back (one runs, the rest are skipped).
 */
export const inventoryCatchupWindowMs = 60 * 60_000;

export interface EnsureInventoryScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose inventory sync is off. */
  tenantDisabled?: boolean;
}

/** Why the settings pause the schedule, or what it runs when they do not. */
export function inventoryScheduleNote(
  settings: Pick<TenantSettings, 'inventory' | 'timezone'>,
  options: EnsureInventoryScheduleOptions = {},
): string {
  if (options.tenantDisabled === true) return 'paused: the tenant is disabled';
  if (!settings.inventory.enabled) return 'paused: inventory.enabled is false';
  return `reconciles on "${settings.inventory.schedule}" (${settings.timezone})`;
}

/**
 * The reconciliation schedule the tenant's settings ask for (pure): `inventory.schedule` as a
 * cron in the tenant's `timezone`, overlap SKIP (a run still paging makes the next redundant:
 * it would compare the same levels), starting `inventoryReconcile`, paused while inventory sync
 * is off or the tenant disabled.
 */
export function desiredInventorySchedule(
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'inventory' | 'timezone'>,
  options: EnsureInventoryScheduleOptions = {},
): DesiredSchedule {
  const input: InventoryReconcileInput = { tenantId };
  return {
    scheduleId: inventoryReconcileScheduleId(tenantId),
    spec: { cronExpressions: [settings.inventory.schedule], timezone: settings.timezone },
    action: {
      workflowType: inventoryReconcileWorkflowType,
      workflowId: inventoryReconcileWorkflowId(tenantId),
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
    overlap: 'SKIP',
    catchupWindowMs: inventoryCatchupWindowMs,
    paused: !settings.inventory.enabled || options.tenantDisabled === true,
    note: inventoryScheduleNote(settings, options),
  };
}

/**
 * Makes the tenant's reconciliation schedule (`inventory-reconcile:{tenantId}`) match its
 * settings. Creates it, updates it, or leaves it alone when it already matches; a schedule an
 * operator paused stays paused. Safe to call from several processes at once.
 */
export async function ensureInventorySchedule(
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'inventory' | 'timezone'>,
  options: EnsureInventoryScheduleOptions = {},
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, desiredInventorySchedule(taskQueue, tenantId, settings, options));
}

/** {@link ensureInventorySchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllInventorySchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensureInventorySchedule(client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}
