import { ScheduleNotFoundError, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { z } from 'zod';
import type { TenantSettings } from '../../store/schemas/settings.js';
import type { Tenant } from '../../store/tenants.js';
import { inventoryReconcileSchedule } from '../../schedules/inventory-reconcile.js';
import { ensureTenantSchedule } from '../../schedules/schedule-sync.js';
import { isPausedByOperator, operatorPauseNote, specOfSchedule } from '../../schedules/schedule-sync.js';
import { inventoryReconcileScheduleId } from '../../workflows/inventory-reconcile-contract.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { type DocumentedRouter } from './documented-router.js';
import { assertInventorySyncOn, settingsOf } from './inventory-preconditions.js';
import { describeSchedule, withTemporal, type Temporal } from './temporal-access.js';

/**
 * Overlap policies an operator's "reconcile now" may ask for. SKIP (the default): nothing starts
 * when a run is under way, since that run already brings every SKU in line. BUFFER_ONE: start as
 * soon as the running one ends, for a change made after it read the SKU. Running two
 * reconciliations of one store at once (ALLOW_ALL) or stopping one midway (CANCEL_OTHER,
 * TERMINATE_OTHER) is refused: two would race their writes to the storefront, and a stopped one
 * stores no report.
 */
export const triggerOverlapPolicies = ['SKIP', 'BUFFER_ONE'] as const;

/** Upcoming run times the schedule's view lists. */
const nextRunsShown = 5;

const scheduleView = z.object({
  scheduleId: z.string(),
  paused: z.boolean(),
  /** Who paused it: an operator (only an operator resumes it) or the settings (inventory off, tenant disabled). */
  pausedBy: z.enum(['operator', 'settings']).optional(),
  note: z.string().optional(),
  /** `inventory.schedule` as the schedule runs it, and its time zone. */
  cron: z.string().optional(),
  timezone: z.string().optional(),
  overlap: z.string(),
  catchupWindowSeconds: z.number(),
  /** The next start times (none while paused). */
  nextRunsAt: z.array(z.string()),
  /** The latest runs the schedule started, newest first. */
  recentRuns: z.array(z.object({ scheduledAt: z.string(), startedAt: z.string(), workflowId: z.string(), runId: z.string() })),
  runningWorkflowIds: z.array(z.string()),
});
type ScheduleView = z.infer<typeof scheduleView>;

/** The schedule as an operator reads it (pure, from Temporal's description). */
export function inventoryScheduleView(
  scheduleId: string,
  description: Pick<ScheduleDescription, 'state' | 'action' | 'policies' | 'spec' | 'info'>,
): ScheduleView {
  const { state, info } = description;
  const spec = specOfSchedule(description.action);
  const cron = spec?.cronExpressions?.[0];
  const timezone = spec?.timezone ?? description.spec.timezone;
  return {
    scheduleId,
    paused: state.paused,
    ...(state.paused && { pausedBy: isPausedByOperator(state) ? ('operator' as const) : ('settings' as const) }),
    ...(state.note !== undefined && state.note !== '' && { note: state.note }),
    ...(cron !== undefined && { cron }),
    ...(timezone !== undefined && timezone !== '' && { timezone }),
    overlap: description.policies.overlap ?? 'SKIP',
    catchupWindowSeconds: Math.round(description.policies.catchupWindow / 1000),
    nextRunsAt: state.paused ? [] : info.nextActionTimes.slice(0, nextRunsShown).map((time) => time.toISOString()),
    recentRuns: [...info.recentActions]
      .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime())
      .map((run) => ({
        scheduledAt: run.scheduledAt.toISOString(),
        startedAt: run.takenAt.toISOString(),
        workflowId: run.action.workflow.workflowId,
        runId: run.action.workflow.firstExecutionRunId,
      })),
    runningWorkflowIds: info.runningActions.map((action) => action.workflow.workflowId),
  };
}

/** The reconciliation schedule as an operator reads it (admin API and console); 404 when it does not exist, 503 without Temporal. */
export async function describeInventorySchedule(deps: AdminDependencies, tenant: Pick<Tenant, '_id'>): Promise<ScheduleView> {
  const scheduleId = inventoryReconcileScheduleId(tenant._id);
  return inventoryScheduleView(scheduleId, await describeSchedule(deps, scheduleId, `inventory schedule of ${tenant._id}`));
}

/**
 * The tenant's schedule, written now when it does not exist yet (settings saved while Temporal
 * was down, or a tenant older than the schedule).
 */
async function ensuredSchedule(
  temporal: Temporal,
  tenant: Tenant,
  settings: TenantSettings,
): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
  const handle = temporal.client.schedule.getHandle(inventoryReconcileScheduleId(tenant._id));
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await ensureTenantSchedule(inventoryReconcileSchedule, temporal.client, temporal.taskQueue, tenant._id, settings, {
    tenantDisabled: tenant.status === 'disabled',
  });
  return { handle, description: await handle.describe() };
}

/** An operator's pause: the note saying why is required (admin API body; the console's form is checked by it too). */
export const inventoryPauseBody = z.object({ note: z.string().trim().min(1, 'say why the schedule is paused').max(500) });
/** An operator's resume, with an optional note. */
export const inventoryResumeBody = z.object({ note: z.string().trim().min(1).max(500).optional() });

/** Who asks, for the audit entry: the admin API's and the console's actions alike. */
type ActionContext = { principal: Principal; requestId: string | undefined };

/** How an operator's "reconcile now" went, as the schedule stood when asked. */
export interface InventoryTriggerOutcome {
  scheduleId: string;
  overlap: (typeof triggerOverlapPolicies)[number];
  /** `started`; `skipped` (SKIP while a run is under way) or `queued` (BUFFER_ONE: starts when it ends). */
  outcome: 'started' | 'skipped' | 'queued';
  runningWorkflowIds: string[];
}

/**
 * Reconciles the tenant's stock now, through its schedule (admin API and console). The caller
 * has checked the operator role; a key that may not see the tenant gets 404, inventory sync
 * off 409, no Temporal 503.
 */
export async function triggerInventoryReconcile(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  overlap: (typeof triggerOverlapPolicies)[number],
): Promise<InventoryTriggerOutcome> {
  const tenant = await visibleTenant(deps.db, context.principal, tenantId);
  const settings = await settingsOf(deps, tenant);
  assertInventorySyncOn(tenant, settings);
  const running = await withTemporal(deps, async (temporal) => {
    const { handle, description } = await ensuredSchedule(temporal, tenant, settings);
    // Triggering works on a schedule an operator paused: asking for a run is asking for one.
    await handle.trigger(overlap);
    return description.info.runningActions.map((action) => action.workflow.workflowId);
  });
  const scheduleId = inventoryReconcileScheduleId(tenant._id);
  await audit(deps.db, context, { tenantId: tenant._id, action: 'inventory.trigger', target: scheduleId, details: { overlap } });
  const outcome = running.length === 0 ? 'started' : overlap === 'SKIP' ? 'skipped' : 'queued';
  return { scheduleId, overlap, outcome, runningWorkflowIds: running };
}

/** Pauses the reconciliation schedule with the operator's note (admin API and console); audited. */
export async function pauseInventorySchedule(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  note: string,
): Promise<ScheduleView> {
  const tenant = await visibleTenant(deps.db, context.principal, tenantId);
  const settings = await settingsOf(deps, tenant);
  const scheduleId = inventoryReconcileScheduleId(tenant._id);
  const view = await withTemporal(deps, async (temporal) => {
    const { handle } = await ensuredSchedule(temporal, tenant, settings);
    await handle.pause(operatorPauseNote(note));
    return inventoryScheduleView(scheduleId, await handle.describe());
  });
  await audit(deps.db, context, { tenantId: tenant._id, action: 'inventory.pause', target: scheduleId, details: { note } });
  return view;
}

/** Resumes the reconciliation schedule (admin API and console); 409 while the settings pause it; audited. */
export async function resumeInventorySchedule(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  note: string | undefined,
): Promise<ScheduleView> {
  const tenant = await visibleTenant(deps.db, context.principal, tenantId);
  const settings = await settingsOf(deps, tenant);
  assertInventorySyncOn(tenant, settings);
  const scheduleId = inventoryReconcileScheduleId(tenant._id);
  const view = await withTemporal(deps, async (temporal) => {
    const { handle } = await ensuredSchedule(temporal, tenant, settings);
    await handle.unpause(note === undefined ? 'resumed by an operator' : `resumed by an operator: ${note}`);
    return inventoryScheduleView(scheduleId, await handle.describe());
  });
  await audit(deps.db, context, {
    tenantId: tenant._id,
    action: 'inventory.resume',
    target: scheduleId,
    ...(note !== undefined && { details: { note } }),
  });
  return view;
}

/**
 * InventoryReconcile's schedule, operator side: run it now (with an explicit overlap policy),
 * pause and resume it, and read its state.
 */
export function registerInventoryScheduleRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/reconcile',
    summary: "Reconcile the tenant's stock now, through its schedule; overlap SKIP (default) or BUFFER_ONE (503 without Temporal)",
    tag: 'inventory',
    role: 'operator',
    params: tenantParams,
    body: z.object({
      overlap: z
        .enum(triggerOverlapPolicies, {
          error: `overlap must be one of ${triggerOverlapPolicies.join(', ')}: two reconciliations of one store must not run at once`,
        })
        .default('SKIP'),
    }),
    successStatus: 202,
    response: z.object({
      scheduleId: z.string(),
      overlap: z.enum(triggerOverlapPolicies),
      /** `started`; `skipped` (SKIP while a run is under way) or `queued` (BUFFER_ONE: starts when it ends), as the schedule stood when asked. */
      outcome: z.enum(['started', 'skipped', 'queued']),
      runningWorkflowIds: z.array(z.string()),
    }),
    handler: ({ params, body, principal, requestId }) =>
      triggerInventoryReconcile(deps, { principal, requestId }, params.tenantId, body.overlap),
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/schedule',
    summary: 'The reconciliation schedule: paused (by whom, why), cron and time zone, next runs, recent runs',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams,
    response: scheduleView,
    handler: async ({ params, principal }) => describeInventorySchedule(deps, await visibleTenant(deps.db, principal, params.tenantId)),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/schedule/pause',
    summary: 'Pause the reconciliation schedule, saying why; it stays paused through settings changes until resumed',
    tag: 'inventory',
    role: 'operator',
    params: tenantParams,
    body: inventoryPauseBody,
    response: scheduleView,
    handler: ({ params, body, principal, requestId }) => pauseInventorySchedule(deps, { principal, requestId }, params.tenantId, body.note),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/schedule/resume',
    summary: 'Resume the reconciliation schedule (409 while inventory sync is off or the tenant disabled: the settings pause it)',
    tag: 'inventory',
    role: 'operator',
    params: tenantParams,
    body: inventoryResumeBody,
    response: scheduleView,
    handler: ({ params, body, principal, requestId }) =>
      resumeInventorySchedule(deps, { principal, requestId }, params.tenantId, body.note),
  });
}
