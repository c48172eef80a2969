import { isGrpcServiceError, ScheduleNotFoundError, ServiceError, type ScheduleDescription } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { TenantId } from '../../workflows/search-attributes.js';
import { HttpError } from '../errors.js';
import type { AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import { tenantPriority } from '../../workflows/task-priority.js';

/** How long an admin call waits for Temporal before it answers 503. */
const temporalDeadlineMs = 10_000;
/** gRPC status codes of "no answer": DEADLINE_EXCEEDED and UNAVAILABLE. */
const unreachableCodes: ReadonlySet<number> = new Set([4, 14]);

export type Temporal = NonNullable<AdminDependencies['temporal']>;

/**
 * Runs a Temporal call for a request: 503 when this API process has no Temporal client or
 * Temporal does not answer in time, so callers know to retry rather than to fix their input.
 */
export async function withTemporal<T>(deps: AdminDependencies, call: (temporal: Temporal) => Promise<T>): Promise<T> {
  const temporal = deps.temporal;
  if (temporal === undefined) {
    throw new HttpError(
      503,
      'temporal_not_configured',
      'this API process was started without a Temporal client, so it cannot reach workflows (orders, backfills, sweeps); start it with one (AdminDependencies.temporal)',
    );
  }
  try {
    return await temporal.client.connection.withDeadline(Date.now() + temporalDeadlineMs, () => call(temporal));
  } catch (error) {
    if (isTemporalUnreachable(error)) throw new HttpError(503, 'temporal_unavailable', 'Temporal did not answer; try again shortly');
    throw error;
  }
}

/** A tenant's workflow an operator starts on demand (a backfill, a month's reconciliation, a full item resync). */
export interface OnDemandWorkflow {
  workflowType: string;
  workflowId: string;
  tenantId: string;
  input: unknown;
  /** Whether a closed run under the same id may be run again: always, or only when it failed. */
  reusePolicy: 'ALLOW_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY';
}

/**
 * Starts an on-demand workflow, or joins the run going under its id, so asking twice never runs
 * it twice at once. Answers the run id: the new run's, the running one's, or, when the reuse
 * policy refuses another run, the closed one's (whose result is what the caller asked for).
 */
export async function startOrJoinWorkflow({ client, taskQueue }: Temporal, start: OnDemandWorkflow): Promise<string> {
  try {
    const handle = await client.workflow.start(start.workflowType, {
      workflowId: start.workflowId,
      taskQueue,
      args: [start.input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: start.reusePolicy,
      priority: tenantPriority(start.tenantId, 'bulk'),
      typedSearchAttributes: [{ key: TenantId, value: start.tenantId }],
    });
    return handle.firstExecutionRunId;
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return (await client.workflow.getHandle(start.workflowId).describe()).runId;
  }
}

/**
 * A schedule as Temporal describes it, for a request: 404 naming `what` when it does not exist
 * (settings saved while Temporal was down, or a flow the tenant never turned on), 503 without Temporal.
 */
export async function describeSchedule(deps: AdminDependencies, scheduleId: string, what: string): Promise<ScheduleDescription> {
  return withTemporal(deps, async ({ client }) => {
    try {
      return await client.schedule.getHandle(scheduleId).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) throw notFoundError(what);
      throw error;
    }
  });
}

function isTemporalUnreachable(error: unknown): boolean {
  const grpc = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : undefined;
  return grpc !== undefined && unreachableCodes.has(grpc.code);
}
