import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Logger } from '../config/logger.js';
import { raiseAlert } from '../store/alert-outbox.js';
import { TenantId } from '../workflows/search-attributes.js';

/**
 * Watches the tenants' schedules (order sweep, inventory reconcile, …) for runs that ended badly.
 * A schedule keeps firing after a failed run, so nobody notices a sweep that has failed every
 * quarter hour for a week unless something reads the closed runs: this does, from Temporal's
 * visibility (every run a schedule starts carries `TemporalScheduledById`), and raises one
 * `schedule_failed` alert per failed run. Every worker runs it; the alert's key (episode = the
 * run id) makes a run seen by two workers, or seen again after a restart, one alert.
 */
export interface FailedScheduledRun {
  tenantId: string;
  scheduleId: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  status: 'FAILED' | 'TIMED_OUT' | 'TERMINATED';
  closedAt: Date;
  /** The failure's message as the run's result reports it (a termination's reason). */
  message: string;
}

const badEnds = { FAILED: 'failed', TIMED_OUT: 'timed out', TERMINATED: 'was terminated' } as const;

/** Scheduled runs of any tenant that closed badly after `since` (visibility may lag a few seconds). */
export async function findFailedScheduledRuns(client: Client, since: Date): Promise<FailedScheduledRun[]> {
  const query =
    `TemporalScheduledById IS NOT NULL AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated') ` +
    `AND CloseTime > '${since.toISOString()}'`;
  const runs: FailedScheduledRun[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const run = await failedRunOf(client, execution);
    if (run) runs.push(run);
  }
  return runs;
}

async function failedRunOf(client: Client, execution: WorkflowExecutionInfo): Promise<FailedScheduledRun | undefined> {
  const status = execution.status.name;
  if (status !== 'FAILED' && status !== 'TIMED_OUT' && status !== 'TERMINATED') return undefined;
  const tenantId = execution.typedSearchAttributes.get(TenantId);
  const scheduledBy = execution.searchAttributes['TemporalScheduledById'];
  const scheduleId = Array.isArray(scheduledBy) ? scheduledBy[0] : undefined;
  if (tenantId === undefined || typeof scheduleId !== 'string') return undefined;
  return {
    tenantId,
    scheduleId,
    workflowId: execution.workflowId,
    runId: execution.runId,
    workflowType: execution.type,
    status,
    closedAt: execution.closeTime ?? new Date(),
    message: await failureMessageOf(client, execution),
  };
}

/** The run's result read through the client, so its failure is decoded as any caller would see it. */
async function failureMessageOf(client: Client, execution: WorkflowExecutionInfo): Promise<string> {
  try {
    await client.workflow.getHandle(execution.workflowId, execution.runId).result();
    return 'no failure reported';
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/** One alert per failed scheduled run; true when it was new. */
export function raiseScheduleFailedAlert(db: Db, run: FailedScheduledRun): Promise<boolean> {
  return raiseAlert(db, {
    tenantId: run.tenantId,
    rule: 'schedule_failed',
    subject: { entity: 'tenant', externalId: run.scheduleId },
    code: 'schedule_failed',
    reason:
      `The scheduled ${run.workflowType} run ${run.workflowId} (schedule ${run.scheduleId}) ${badEnds[run.status]} ` +
      `at ${run.closedAt.toISOString()}: ${run.message}`,
    fix:
      'The schedule fires again at its next time and nothing it had done is lost. Open the run in Temporal UI by its ' +
      'workflow id to see the failure; if the next runs fail the same way, fix what the message names (often a ' +
      "connection's credentials) and trigger the schedule from the admin API.",
    details: { scheduleId: run.scheduleId, workflowId: run.workflowId, runId: run.runId, status: run.status },
    workflowId: run.workflowId,
    episode: run.runId,
  });
}

/** Looks `lookbackMs` back at start, then every `everyMs` from a little before the previous pass. */
export function startScheduleWatch(options: { client: Client; db: Db; logger: Logger; everyMs?: number; lookbackMs?: number }): {
  stop(): Promise<void>;
} {
  const everyMs = options.everyMs ?? 60_000;
  // Visibility is eventually consistent: each pass overlaps the previous by this much; the alert key absorbs the overlap.
  const overlapMs = 5 * 60_000;
  let since = new Date(Date.now() - (options.lookbackMs ?? 24 * 3_600_000));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const pass = () => {
    const startedAt = new Date();
    current = findFailedScheduledRuns(options.client, since)
      .then(async (runs) => {
        for (const run of runs)
          if (await raiseScheduleFailedAlert(options.db, run))
            options.logger.warn({ tenantId: run.tenantId, scheduleId: run.scheduleId, workflowId: run.workflowId }, 'scheduled run failed');
        since = new Date(startedAt.getTime() - overlapMs);
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, 'schedule watch pass failed; the next one looks again'));
    void current.then(() => {
      if (!stopped) timer = setTimeout(pass, everyMs);
    });
  };
  pass();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
