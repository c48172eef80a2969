import type { Client } from '@temporalio/client';
import { eventually } from './eventually.js';

/**
 * Runs a tenant schedule now, as an operator's "trigger" does, and returns the result of the
 * workflow it started: the run goes through the schedule's own action (workflow id, input,
 * search attributes), not a copy of it in the test.
 */
export async function runScheduleNow<Result>(client: Client, scheduleId: string): Promise<Result> {
  const handle = client.schedule.getHandle(scheduleId);
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  return nextScheduledRunResult<Result>(client, scheduleId, before);
}

/**
 * The result of the workflow a schedule starts next, once it has more than `actionsBefore` recent
 * actions: the run something else triggered (an admin call's run-now).
 */
export async function nextScheduledRunResult<Result>(client: Client, scheduleId: string, actionsBefore: number): Promise<Result> {
  const description = await eventually(() => client.schedule.getHandle(scheduleId).describe(), {
    until: (described) => described.info.recentActions.length > actionsBefore,
    what: `schedule ${scheduleId} to start its workflow`,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  const action = description.info.recentActions.at(-1)!.action;
  return (await client.workflow.getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId).result()) as Result;
}
