import type { TenantSettings } from '../store/schemas/settings.js';
import {
  periodReconcileScheduleId,
  periodReconcileWorkflowType,
  type PeriodReconcileInput,
} from '../workflows/period-reconcile-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

/** A month-end run missed while Temporal was down still starts within a day: the report is wanted, not urgent. */
export const periodCatchupWindowMs = 24 * 60 * 60_000;

type CloseSettingsView = Pick<TenantSettings, 'close' | 'timezone'>;

/**
 * The tenant's monthly reconciliation schedule, `period-reconcile:{tenantId}`:
 * `close.reconcileSchedule` (by default the 3rd at 06:00) in the tenant's time zone, starting
 * `periodReconcile` without a period (the run reconciles the month before its start), paused
 * while the tenant has no gateway close settings or is disabled. The workflow id is the
 * schedule's (Temporal appends the start time), apart from on-demand runs' ids.
 */
export const periodReconcileSchedule = cronTenantSchedule<CloseSettingsView>({
  name: 'period reconciliation',
  scheduleId: periodReconcileScheduleId,
  workflowType: periodReconcileWorkflowType,
  workflowId: periodReconcileScheduleId,
  input: (tenantId): PeriodReconcileInput => ({ tenantId, requestedBy: 'schedule' }),
  cron: (settings) => settings.close?.reconcileSchedule ?? '0 6 3 * *',
  catchupWindowMs: periodCatchupWindowMs,
  pausedBecause: (settings) =>
    (settings.close?.gateways.length ?? 0) === 0 ? 'close.gateways is empty (no payouts are posted)' : undefined,
  runs: 'reconciles the month just ended',
});
