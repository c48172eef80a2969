import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  periodReconcileScheduleId,
  periodReconcileWorkflowType,
  type PeriodReconcileInput,
} from '../workflows/period-reconcile-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import {
  ensureForEveryTenant,
  ensureSchedule,
  type DesiredSchedule,
  type EnsureAllSchedulesResult,
  type ScheduleOutcome,
} from './schedule-sync.js';

/** A month-end run missed while Temporal was down still starts within a day: the report is wanted, not urgent. */
export const periodCatchupWindowMs = 24 * 60 * 60_000;

export interface EnsurePeriodScheduleOptions {
  /** A disabled tenant's schedule is paused like one without close settings. */
  tenantDisabled?: boolean;
}

type CloseSettingsView = Pick<TenantSettings, 'close' | 'timezone'>;

/** The cron the tenant's settings ask for (the default when it has no close settings). */
const cronOf = (settings: CloseSettingsView) => settings.close?.reconcileSchedule ?? '0 6 3 * *';

/** Why the settings pause the schedule, or what it runs when they do not. */
export function periodScheduleNote(settings: CloseSettingsView, options: EnsurePeriodScheduleOptions = {}): string {
  if (options.tenantDisabled === true) return 'paused: the tenant is disabled';
  if ((settings.close?.gateways.length ?? 0) === 0) return 'paused: close.gateways is empty (no payouts are posted)';
  return `reconciles the month just ended on "${cronOf(settings)}" (${settings.timezone})`;
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
  options: EnsurePeriodScheduleOptions = {},
): DesiredSchedule {
  const input: PeriodReconcileInput = { tenantId, requestedBy: 'schedule' };
  const paused = options.tenantDisabled === true || (settings.close?.gateways.length ?? 0) === 0;
  return {
    scheduleId: periodReconcileScheduleId(tenantId),
    spec: { cronExpressions: [cronOf(settings)], timezone: settings.timezone },
    action: {
      workflowType: periodReconcileWorkflowType,
      workflowId: periodReconcileScheduleId(tenantId),
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
    overlap: 'SKIP',
    catchupWindowMs: periodCatchupWindowMs,
    paused,
    note: periodScheduleNote(settings, options),
  };
}

/** Makes the tenant's monthly reconciliation schedule match its settings (created, updated, or left alone; an operator's pause stays). */
export async function ensurePeriodSchedule(
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: CloseSettingsView,
  options: EnsurePeriodScheduleOptions = {},
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, desiredPeriodSchedule(taskQueue, tenantId, settings, options));
}

/** {@link ensurePeriodSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllPeriodSchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensurePeriodSchedule(client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}
