import type { TenantSettings } from '../store/schemas/settings.js';
import {
  inventoryReconcileScheduleId,
  inventoryReconcileWorkflowId,
  inventoryReconcileWorkflowType,
  type InventoryReconcileInput,
} from '../workflows/inventory-reconcile-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

/**
 * How late a reconciliation missed while Temporal was down may still start. An hour, so a daily
 * or nightly cron is not lost to a short outage; overlap SKIP keeps a frequent cron from
 * starting a burst of runs when the server comes back (one runs, the rest are skipped).
 */
export const inventoryCatchupWindowMs = 60 * 60_000;

/**
 * The tenant's reconciliation schedule, `inventory-reconcile:{tenantId}`: `inventory.schedule`
 * in the tenant's time zone, starting `inventoryReconcile` (a run still paging makes the next
 * redundant: it would compare the same levels), paused while inventory sync is off or the tenant
 * disabled.
 */
export const inventoryReconcileSchedule = cronTenantSchedule<Pick<TenantSettings, 'inventory' | 'timezone'>>({
  name: 'inventory',
  scheduleId: inventoryReconcileScheduleId,
  workflowType: inventoryReconcileWorkflowType,
  workflowId: inventoryReconcileWorkflowId,
  input: (tenantId): InventoryReconcileInput => ({ tenantId }),
  cron: (settings) => settings.inventory.schedule,
  catchupWindowMs: inventoryCatchupWindowMs,
  pausedBecause: (settings) => (settings.inventory.enabled ? undefined : 'inventory.enabled is false'),
  runs: 'reconciles',
});
