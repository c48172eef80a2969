import { ScheduleNotFoundError, WorkflowFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { readSweepCursor } from '../../store/sweep-cursors.js';
import type { Tenant } from '../../store/tenants.js';
import { orderSweepSchedule } from '../../schedules/order-sweep.js';
import { ensureTenantSchedule } from '../../schedules/schedule-sync.js';
import { tenantSchedules } from '../../schedules/tenant-schedules.js';
import {
  orderBackfillWorkflowId,
  orderBackfillWorkflowIdPrefix,
  orderBackfillWorkflowType,
  orderSweepScheduleId,
  type OrderBackfillInput,
  type OrderBackfillResult,
} from '../../workflows/order-sweep-contract.js';
import { HttpError } from '../errors.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { describeSchedule, startOrJoinWorkflow, withTemporal, type Temporal } from './temporal-access.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

/** A backfill asks the storefront for a year of changes at most; a longer history is several backfills. */
const maxBackfillDays = 366;
/** Clock skew allowed between the caller and this server for a window ending "now". */
const futureToleranceMs = 60_000;

/**
 * Brings the tenant's schedules (the safety-net sweep, inventory and period reconciliation, item sync) in step with
 * settings just written, or with the tenant's new status, when this process has Temporal. Best
 * effort: the settings are already stored, and the worker ensures every schedule when it starts,
 * so a failure here is logged and the request goes on. Each schedule is tried on its own.
 */
export async function refreshTenantSchedules(
  deps: AdminDependencies,
  tenant: Pick<Tenant, '_id' | 'status'>,
  settings: TenantSettings,
): Promise<void> {
  if (deps.temporal === undefined) return;
  const options = { tenantDisabled: tenant.status === 'disabled' };
  for (const schedule of tenantSchedules) {
    try {
      await withTemporal(deps, ({ client, taskQueue }: Temporal) =>
        ensureTenantSchedule(schedule, client, taskQueue, tenant._id, settings, options),
      );
    } catch (error) {
      deps.logger?.warn(
        { err: error, tenantId: tenant._id },
        `settings saved, but the ${schedule.name} schedule could not be updated; the worker will update it when it next starts`,
      );
    }
  }
}

const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z` });

const backfillBody = z
  .object({
    /** Orders changed at or after this instant. */
    from: instant('from'),
    /** Orders changed at or before this instant; at most a minute in the future. */
    to: instant('to'),
  })
  .superRefine((body, context) => {
    const from = Date.parse(body.from);
    const to = Date.parse(body.to);
    if (from >= to) context.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    else if (to - from > maxBackfillDays * 86_400_000) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the window must be at most ${maxBackfillDays} days; split a longer backfill into several`,
      });
    }
    if (to > Date.now() + futureToleranceMs)
      context.addIssue({ code: 'custom', path: ['to'], message: 'to must not be in the future (a minute of clock skew is allowed)' });
  });

const totalsView = z.object({
  pages: z.number().int(),
  listed: z.number().int(),
  started: z.number().int(),
  alreadyRunning: z.number().int(),
  refundsListed: z.number().int(),
  refundsStarted: z.number().int(),
  refundsAlreadyRunning: z.number().int(),
});

const backfillStatusView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  /** Temporal's own status name (COMPLETED, FAILED, TERMINATED, ...). */
  temporalStatus: z.string(),
  startedAt: z.string(),
  closedAt: z.string().optional(),
  result: totalsView.extend({ from: z.string(), to: z.string() }).optional(),
  failure: z.string().optional(),
});

/** The innermost cause's message: "tenant x has no settings", not "Activity task failed". */
function rootCauseMessage(error: unknown): string {
  let current: unknown = error instanceof WorkflowFailedError && error.cause ? error.cause : error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function statusOf(name: string): 'running' | 'completed' | 'failed' {
  if (name === 'RUNNING' || name === 'CONTINUED_AS_NEW' || name === 'PAUSED') return 'running';
  return name === 'COMPLETED' ? 'completed' : 'failed';
}

async function triggerSweep(client: Client, taskQueue: string, tenant: Tenant, settings: TenantSettings | undefined): Promise<void> {
  const handle = client.schedule.getHandle(orderSweepScheduleId(tenant._id));
  // BUFFER_ONE: when a sweep is running, this one starts as soon as it ends, so a sweep always begins after the request.
  try {
    await handle.trigger('BUFFER_ONE');
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    if (settings === undefined) throw new HttpError(409, 'not_configured', `tenant ${tenant._id} has no settings yet, so it has no sweep`);
    // Settings written while Temporal was down: create the schedule now, then run it.
    await ensureTenantSchedule(orderSweepSchedule, client, taskQueue, tenant._id, settings, {
      tenantDisabled: tenant.status === 'disabled',
    });
    await handle.trigger('BUFFER_ONE');
  }
}

/** Backfill by date range, the safety-net sweep on demand, and the sweep's state. */
export function registerBackfillRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/backfill',
    summary: 'Offer every order changed between two instants to OrderToCash (idempotent per window; 503 without Temporal)',
    tag: 'sweep',
    role: 'operator',
    params: tenantParams,
    body: backfillBody,
    successStatus: 202,
    response: z.object({ workflowId: z.string(), runId: z.string() }),
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const input: OrderBackfillInput = {
        tenantId: tenant._id,
        from: new Date(body.from).toISOString(),
        to: new Date(body.to).toISOString(),
      };
      const workflowId = orderBackfillWorkflowId(tenant._id, input.from, input.to);
      // The same window asked again lands on the same workflow: the running one, or the finished
      // one when it completed. Only a failed window is run again.
      const runId = await withTemporal(deps, (temporal) =>
        startOrJoinWorkflow(temporal, {
          workflowType: orderBackfillWorkflowType,
          workflowId,
          tenantId: tenant._id,
          input,
          reusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        }),
      );
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: 'backfill.start', target: workflowId, details: { from: input.from, to: input.to } },
      );
      return { workflowId, runId };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/backfill/:workflowId',
    summary: 'Where a backfill stands: running, completed (with its counts) or failed (with the reason)',
    tag: 'sweep',
    role: 'viewer',
    params: tenantParams.extend({ workflowId: z.string().min(1).max(300) }),
    response: backfillStatusView,
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      // Only this tenant's backfills: the id names the tenant, so another tenant's is "not found".
      if (!params.workflowId.startsWith(orderBackfillWorkflowIdPrefix(tenant._id))) throw notFoundError(`backfill ${params.workflowId}`);
      return withTemporal(deps, async ({ client }) => {
        const handle = client.workflow.getHandle<(input: OrderBackfillInput) => Promise<OrderBackfillResult>>(params.workflowId);
        let description;
        try {
          description = await handle.describe();
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFoundError(`backfill ${params.workflowId}`);
          throw error;
        }
        const status = statusOf(description.status.name);
        const view: z.infer<typeof backfillStatusView> = {
          workflowId: description.workflowId,
          runId: description.runId,
          status,
          temporalStatus: description.status.name,
          startedAt: description.startTime.toISOString(),
          ...(description.closeTime && { closedAt: description.closeTime.toISOString() }),
        };
        if (status === 'completed') {
          // A backfill that finished before the sweep listed refunds has no refund counts.
          const {
            pages,
            listed,
            started,
            alreadyRunning,
            refundsListed = 0,
            refundsStarted = 0,
            refundsAlreadyRunning = 0,
            from,
            to,
          } = await handle.result();
          view.result = { pages, listed, started, alreadyRunning, refundsListed, refundsStarted, refundsAlreadyRunning, from, to };
        } else if (status === 'failed') {
          try {
            await handle.result();
          } catch (error) {
            view.failure = rootCauseMessage(error);
          }
        }
        return view;
      });
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/sweep',
    summary: "Run the tenant's safety-net sweep now (after the running one, if any; 503 without Temporal)",
    tag: 'sweep',
    role: 'operator',
    params: tenantParams,
    successStatus: 202,
    response: z.object({ scheduleId: z.string() }),
    handler: async ({ params, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await readSettings(deps.db, tenant._id);
      await withTemporal(deps, ({ client, taskQueue }) => triggerSweep(client, taskQueue, tenant, stored?.settings));
      const scheduleId = orderSweepScheduleId(tenant._id);
      await audit(deps.db, { principal, requestId }, { tenantId: tenant._id, action: 'sweep.trigger', target: scheduleId });
      return { scheduleId };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/sweep',
    summary: "The safety-net sweep's schedule and cursor: paused or not, next run, how far it has swept",
    tag: 'sweep',
    role: 'viewer',
    params: tenantParams,
    response: z.object({
      scheduleId: z.string(),
      paused: z.boolean(),
      note: z.string().optional(),
      everyMinutes: z.number(),
      nextRunAt: z.string().optional(),
      lastSweptUntil: z.string().optional(),
      runningWorkflowIds: z.array(z.string()),
    }),
    handler: async ({ params, principal }) => describeSweepSchedule(deps, await visibleTenant(deps.db, principal, params.tenantId)),
  });
}

/** The sweep schedule as an operator reads it (admin API and console); 404 when it does not exist, 503 without Temporal. */
export async function describeSweepSchedule(deps: AdminDependencies, tenant: Pick<Tenant, '_id'>) {
  const scheduleId = orderSweepScheduleId(tenant._id);
  const cursor = await readSweepCursor(deps.db, tenant._id);
  const description = await describeSchedule(deps, scheduleId, `sweep schedule of ${tenant._id}`);
  const nextRunAt = description.info.nextActionTimes[0];
  return {
    scheduleId,
    paused: description.state.paused,
    ...(description.state.note !== undefined && description.state.note !== '' && { note: description.state.note }),
    everyMinutes: (description.spec.intervals?.[0]?.every ?? 0) / 60_000,
    ...(nextRunAt && !description.state.paused && { nextRunAt: nextRunAt.toISOString() }),
    ...(cursor && { lastSweptUntil: cursor.lastSweptUntil.toISOString() }),
    runningWorkflowIds: description.info.runningActions.map((action) => action.workflow.workflowId),
  };
}
