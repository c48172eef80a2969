import type { TenantSettings } from '../store/schemas/settings.js';
import { dailySummaryScheduleId, dailySummaryWorkflowType, type DailySummaryInput } from '../workflows/daily-summary-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

/** A summary missed while Temporal was down is still sent within two hours; later, the next day's is nearer. */
export const dailySummaryCatchupWindowMs = 2 * 60 * 60_000;

type AlertSettingsView = Pick<TenantSettings, 'alerts' | 'timezone'>;

/** The alert channels that take the daily summary. */
const summaryTakers = (settings: AlertSettingsView) =>
  settings.alerts.channels.filter((channel) => channel.rules.includes('daily_summary')).map((channel) => channel.id);

/**
 * The tenant's daily summary schedule, `daily-summary:{tenantId}`: `alerts.dailySummary.schedule`
 * in the tenant's time zone, starting `dailySummary` without a day (the run sums up the day
 * before its start), paused while no alert channel takes `daily_summary` or the tenant is
 * disabled. The workflow id is the schedule's (Temporal appends the start time).
 */
export const dailySummarySchedule = cronTenantSchedule<AlertSettingsView>({
  name: 'daily summary',
  scheduleId: dailySummaryScheduleId,
  workflowType: dailySummaryWorkflowType,
  workflowId: dailySummaryScheduleId,
  input: (tenantId): DailySummaryInput => ({ tenantId }),
  cron: (settings) => settings.alerts.dailySummary.schedule,
  catchupWindowMs: dailySummaryCatchupWindowMs,
  pausedBecause: (settings) => (summaryTakers(settings).length === 0 ? 'no alert channel takes the daily_summary rule' : undefined),
  runs: (settings) => `sends the day before's summary to ${summaryTakers(settings).join(', ')}`,
});
