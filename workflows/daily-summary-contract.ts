/**
 * DailySummary's contract: once a day per tenant (its schedule, `daily-summary:{tenantId}`), the
 * day before in the tenant's time zone summed up (orders synced and parked, payouts posted and
 * parked, variances, what waits for a person) and sent to the alert channels that take the
 * `daily_summary` rule, through the alert outbox like every other alert. Figures never enter the
 * workflow's history beyond the result's counts.
 */

export const dailySummaryWorkflowType = 'dailySummary';

/** The tenant's daily schedule; its runs take this id with Temporal's start time appended. */
export function dailySummaryScheduleId(tenantId: string): string {
  return `daily-summary:${tenantId}`;
}

/** An on-demand summary of one day: one run per tenant and day at a time. */
export function dailySummaryWorkflowId(tenantId: string, day: string): string {
  return `daily-summary:${tenantId}:${day}`;
}

export interface DailySummaryInput {
  tenantId: string;
  /** The day to sum up, YYYY-MM-DD in the tenant's time zone; absent (a scheduled run): the day before the run's start. */
  day?: string;
}

/** What the run did: the day's headline counts, and whether this run put the summary in the outbox. */
export interface DailySummaryResult {
  tenantId: string;
  day: string;
  /** The summary in one line, as the alert's headline says it. */
  headline: string;
  /** False when the same summary of the day was already in the outbox (a retried or repeated run). */
  alertRaised: boolean;
}

export interface DailySummaryActivities {
  /** Reads the day's records, sums them up (pure) and raises the summary's alert. */
  sendDailySummary(input: { tenantId: string; day?: string; nowMs: number }): Promise<DailySummaryResult>;
}
