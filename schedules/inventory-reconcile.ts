import type { TenantSettings } from '../store/schemas/settings.js';
import {
  inventoryReconcileScheduleId,
  inventoryReconcileWorkflowId,
  inventoryReconcileWorkflowType,
  type InventoryReconcileInput,
} from '../workflows/inventory-reconcile-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/**
 * How late a reconciliation missed while Temporal was down may still start. An hour, so a daily
 * or nightly cron is not lost to a short outage; overlap SKIP keeps a frequent cron from
 * starting a burst of runs when the server comes back (one runs, the rest are skipped).
 */
export const inventoryCatchupWindowMs = 60 * 60_000;

type InventorySettingsView = Pick<TenantSettings, 'inventory' | 'timezone'>;

/** Why the settings pause the schedule, or what it runs when they do not. */
export function inventoryScheduleNote(settings: InventorySettingsView, options: TenantScheduleOptions = {}): string {
  return inventoryScheduleState(settings, options).note;
}

function inventoryScheduleState(settings: InventorySettingsView, options: TenantScheduleOptions) {
  return tenantScheduleState(
    options,
    settings.inventory.enabled ? undefined : 'inventory.enabled is false',
    `reconciles on "${settings.inventory.schedule}" (${settings.timezone})`,
  );
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
  settings: InventorySettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: InventoryReconcileInput = { tenantId };
  return {
    scheduleId: inventoryReconcileScheduleId(tenantId),
    spec: { cronExpressions: [settings.inventory.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, inventoryReconcileWorkflowType, inventoryReconcileWorkflowId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: inventoryCatchupWindowMs,
    ...inventoryScheduleState(settings, options),
  };
}

/** The tenant's reconciliation schedule, `inventory-reconcile:{tenantId}`. */
export const inventoryReconcileSchedule: TenantSchedule<InventorySettingsView> = { name: 'inventory', desired: desiredInventorySchedule };
