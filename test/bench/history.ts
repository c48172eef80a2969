import type { Client } from '@temporalio/client';
import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time.js';
import type { FloorActivityCall } from './floor-workflow.js';
import { distribution, type Distribution } from './stats.js';

/** One activity call as its history records it; times are the server's, in epoch ms. */
export interface RecordedCall extends FloorActivityCall {
  scheduledAt: number;
  /** The attempt that completed (or the last one started); more than 1 means Temporal retried the call. */
  attempt: number;
  startedAt: number | undefined;
  completedAt: number | undefined;
}

/** What the benchmark reads from one workflow's history. */
export interface HistoryFacts {
  startedAt: number;
  /** Activities in the order they were scheduled, with the options they were scheduled with. */
  calls: RecordedCall[];
  closedAt: number | undefined;
}

export async function readHistoryFacts(client: Client, workflowId: string): Promise<HistoryFacts> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const facts: HistoryFacts = { startedAt: 0, calls: [], closedAt: undefined };
  const bySchedule = new Map<string, RecordedCall>();
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    if (event.workflowExecutionStartedEventAttributes) facts.startedAt = at;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const retry = scheduled.retryPolicy;
      const call: RecordedCall = {
        standsFor: scheduled.activityType?.name ?? 'unknown',
        startToCloseTimeoutMs: optionalTsToMs(scheduled.startToCloseTimeout) ?? 60_000,
        retry: {
          initialIntervalMs: optionalTsToMs(retry?.initialInterval) ?? 1_000,
          backoffCoefficient: retry?.backoffCoefficient ?? 2,
          maximumIntervalMs: optionalTsToMs(retry?.maximumInterval) ?? 100_000,
          ...(retry?.maximumAttempts ? { maximumAttempts: retry.maximumAttempts } : {}),
        },
        scheduledAt: at,
        attempt: 1,
        startedAt: undefined,
        completedAt: undefined,
      };
      bySchedule.set(String(event.eventId), call);
      facts.calls.push(call);
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const call = bySchedule.get(String(started.scheduledEventId));
      if (call) {
        call.startedAt = at;
        call.attempt = started.attempt ?? 1;
      }
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const call = bySchedule.get(String(completed.scheduledEventId));
      if (call) call.completedAt = at;
    }
    if (event.workflowExecutionCompletedEventAttributes || event.workflowExecutionFailedEventAttributes) facts.closedAt = at;
  }
  return facts;
}

/** The options of recorded calls, without their times: the floor workflow's input. */
export const callOptions = (calls: readonly RecordedCall[]): FloorActivityCall[] =>
  calls.map(({ standsFor, startToCloseTimeoutMs, retry }) => ({ standsFor, startToCloseTimeoutMs, retry }));

/**
 * Where one run's time went, summed over its activities: waiting in the task queue for a worker
 * slot (scheduled → started), running (started → completed), and between activities (the first
 * scheduled after the start, each next one after the previous completed: workflow tasks, which
 * include the workflow's own code and its wait for a workflow slot).
 */
export interface TimeBreakdown {
  queuedMs: Distribution;
  runningMs: Distribution;
  betweenActivitiesMs: Distribution;
  /** Running time (started → completed) of each activity type, over every run. */
  runningMsByActivity: Record<string, Distribution>;
}

export function timeBreakdown(runs: ReadonlyArray<{ startedAt: number; calls: readonly RecordedCall[] }>): TimeBreakdown {
  const queued: number[] = [];
  const running: number[] = [];
  const between: number[] = [];
  const byActivity = new Map<string, number[]>();
  for (const run of runs) {
    let q = 0;
    let r = 0;
    let b = 0;
    let previousEnd = run.startedAt;
    for (const call of run.calls) {
      const started = call.startedAt ?? call.scheduledAt;
      const completed = call.completedAt ?? started;
      q += started - call.scheduledAt;
      r += completed - started;
      byActivity.set(call.standsFor, [...(byActivity.get(call.standsFor) ?? []), completed - started]);
      b += call.scheduledAt - previousEnd;
      previousEnd = completed;
    }
    queued.push(q);
    running.push(r);
    between.push(b);
  }
  return {
    queuedMs: distribution(queued),
    runningMs: distribution(running),
    betweenActivitiesMs: distribution(between),
    runningMsByActivity: Object.fromEntries([...byActivity].map(([name, values]) => [name, distribution(values)])),
  };
}
