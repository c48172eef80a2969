import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import { scheduledRunBookkeepingOptions } from './activity-options.js';
import type { DailySummaryActivities, DailySummaryInput, DailySummaryResult } from './daily-summary-contract.js';

const scheduledRun = proxyActivities<DailySummaryActivities>(scheduledRunBookkeepingOptions);

/**
 * DailySummary: one activity sums up the tenant's day and puts it in the alert outbox; the
 * worker's alert sender delivers it. A run that fails ends failed, and the schedule watch raises
 * a `schedule_failed` alert for it, so a summary that could not be made is itself told of.
 */
export async function dailySummary(input: DailySummaryInput): Promise<DailySummaryResult> {
  const result = await scheduledRun.sendDailySummary({
    tenantId: input.tenantId,
    ...(input.day !== undefined && { day: input.day }),
    nowMs: Date.now(),
  });
  setCurrentDetails(result.headline);
  return result;
}
