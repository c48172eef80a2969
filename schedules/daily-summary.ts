import type { TenantSettings } from '../store/schemas/settings.js';
import { dailySummaryScheduleId, dailySummaryWorkflowType, type DailySummaryInput } from '../workflows/daily-summary-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/** A summary missed while Temporal was down is still sent within two hours; later, the next day's is nearer. */
export const dailySummaryCatchupWindowMs = 2 * 60 * 60_000;

type AlertSettingsView = Pick<TenantSettings, 'alerts' | 'timezone'>;

function dailySummaryState(settings: AlertSettingsView, options: TenantScheduleOptions) {
  const takers = settings.alerts.channels.filter((channel) => channel.rules.includes('daily_summary')).map((channel) => channel.id);
  return tenantScheduleState(
    options,
    takers.length === 0 ? 'no alert channel takes the daily_summary rule' : undefined,
    `sends the day before's summary to ${takers.join(', ')} on "${settings.alerts.dailySummary.schedule}" (${settings.timezone})`,
  );
}

/**
 * The daily summary schedule the tenant's settings ask for (pure): `alerts.dailySummary.schedule`
 * in the tenant's time zone, starting `dailySummary` without a day (the run sums up the day
 * before its start), overlap SKIP, paused while no alert channel takes `daily_summary` or the
 * tenant is disabled.
 */
export function desiredDailySummarySchedule(
  taskQueue: string,
  tenantId: string,
  settings: AlertSettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: DailySummaryInput = { tenantId };
  return {
    scheduleId: dailySummaryScheduleId(tenantId),
    spec: { cronExpressions: [settings.alerts.dailySummary.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, dailySummaryWorkflowType, dailySummaryScheduleId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: dailySummaryCatchupWindowMs,
    ...dailySummaryState(settings, options),
  };
}

/** The tenant's daily summary schedule, `daily-summary:{tenantId}`. */
export const dailySummarySchedule: TenantSchedule<AlertSettingsView> = { name: 'daily summary', desired: desiredDailySummarySchedule };
