import type { TenantSettings } from '../store/schemas/settings.js';
import {
  periodReconcileScheduleId,
  periodReconcileWorkflowType,
  type PeriodReconcileInput,
} from '../workflows/period-reconcile-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/** A month-end run missed while Temporal was down still starts within a day: the report is wanted, not urgent. */
export const periodCatchupWindowMs = 24 * 60 * 60_000;

type CloseSettingsView = Pick<TenantSettings, 'close' | 'timezone'>;

/** The cron the tenant's settings ask for (the default when it has no close settings). */
const cronOf = (settings: CloseSettingsView) => settings.close?.reconcileSchedule ?? '0 6 3 * *';

/** Why the settings pause the schedule, or what it runs when they do not. */
export function periodScheduleNote(settings: CloseSettingsView, options: TenantScheduleOptions = {}): string {
  return periodScheduleState(settings, options).note;
}

function periodScheduleState(settings: CloseSettingsView, options: TenantScheduleOptions) {
  return tenantScheduleState(
    options,
    (settings.close?.gateways.length ?? 0) === 0 ? 'close.gateways is empty (no payouts are posted)' : undefined,
    `reconciles the month just ended on "${cronOf(settings)}" (${settings.timezone})`,
  );
}

/**
 * The monthly reconciliation schedule the tenant's settings ask for (pure): `close.reconcileSchedule`
 * in the tenant's time zone, starting `periodReconcile` without a period (the run reconciles the
 * month before its start), overlap SKIP, paused while the tenant has no gateway close settings or is disabled.
 * The workflow id is the schedule's (Temporal appends the start time), apart from on-demand runs' ids.
 */
export function desiredPeriodSchedule(
  taskQueue: string,
  tenantId: string,
  settings: CloseSettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: PeriodReconcileInput = { tenantId, requestedBy: 'schedule' };
  return {
    scheduleId: periodReconcileScheduleId(tenantId),
    spec: { cronExpressions: [cronOf(settings)], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, periodReconcileWorkflowType, periodReconcileScheduleId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: periodCatchupWindowMs,
    ...periodScheduleState(settings, options),
  };
}

/** The tenant's monthly reconciliation schedule, `period-reconcile:{tenantId}`. */
export const periodReconcileSchedule: TenantSchedule<CloseSettingsView> = { name: 'period reconciliation', desired: desiredPeriodSchedule };
