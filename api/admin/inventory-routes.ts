import { ScheduleNotFoundError, WorkflowFailedError, type Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { pageInventoryReports, parseInventoryReportCursor, readInventoryReport } from '../../store/inventory-reports.js';
import { identifier } from '../../store/schemas/fields.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import type { Tenant } from '../../store/tenants.js';
import { ensureInventorySchedule } from '../../schedules/inventory-reconcile.js';
import { isPausedByOperator, operatorPauseNote, specOfSchedule } from '../../schedules/schedule-sync.js';
import { inventoryReconcileScheduleId } from '../../workflows/inventory-reconcile-contract.js';
import {
  inventoryChangedSignal,
  inventorySkuSyncWorkflowId,
  inventorySkuSyncWorkflowType,
  type InventorySkuSyncInput,
  type InventorySkuSyncResult,
  type SkuSyncReport,
} from '../../workflows/inventory-sku-sync-contract.js';
import { TenantId } from '../../workflows/search-attributes.js';
import { HttpError } from '../errors.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { withTemporal, type Temporal } from './temporal-access.js';

/**
 * Overlap policies an operator's "reconcile now" may ask for. SKIP (the default): nothing starts
 * when a run is under way, since that run already brings every SKU in line. BUFFER_ONE: start as
 * soon as the running one ends, for a change made after it read the SKU. Running two
 * reconciliations of one store at once (ALLOW_ALL) or stopping one midway (CANCEL_OTHER,
 * TERMINATE_OTHER) is refused: two would race their writes to the storefront, and a stopped one
 * stores no report.
 */
export const triggerOverlapPolicies = ['SKIP', 'BUFFER_ONE'] as const;

/** How long "sync this SKU now" waits for the sync to finish before answering 202 (it goes on either way). */
const skuSyncWaitMs = 5_000;
/** Stored report pages: up to 100 reports each (a report holds samples, so pages stay small). */
const maxReportPage = 100;
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

/** The tenant's settings, or 409 when it has none yet. */
async function settingsOf(deps: AdminDependencies, tenant: Tenant): Promise<TenantSettings> {
  const stored = await readSettings(deps.db, tenant._id);
  if (stored === null) throw new HttpError(409, 'not_configured', `tenant ${tenant._id} has no settings yet, so it has no inventory sync`);
  return stored.settings;
}

/** 409 unless the tenant is active and syncs inventory: what a run or a resume needs. */
function assertInventorySyncOn(tenant: Tenant, settings: TenantSettings): void {
  if (tenant.status === 'disabled') throw new HttpError(409, 'tenant_disabled', `tenant ${tenant._id} is disabled; enable it first`);
  if (!settings.inventory.enabled)
    throw new HttpError(
      409,
      'inventory_disabled',
      `inventory sync is off for tenant ${tenant._id}; turn on inventory.enabled in its settings first`,
    );
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
  await ensureInventorySchedule(temporal.client, temporal.taskQueue, tenant._id, settings, {
    tenantDisabled: tenant.status === 'disabled',
  });
  return { handle, description: await handle.describe() };
}

/** The innermost cause's message: "tenant x has no settings", not "Activity task failed". */
function rootCauseMessage(error: unknown): string {
  let current: unknown = error instanceof WorkflowFailedError && error.cause ? error.cause : error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The sync's result when it finishes within `waitMs`; undefined while it still runs. */
async function resultWithin(client: Client, workflowId: string, waitMs: number): Promise<InventorySkuSyncResult | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  try {
    return await client.connection.withAbortSignal(controller.signal, () =>
      client.workflow.getHandle<(input: InventorySkuSyncInput) => Promise<InventorySkuSyncResult>>(workflowId).result(),
    );
  } catch (error) {
    if (controller.signal.aborted) return undefined;
    if (error instanceof WorkflowFailedError)
      throw new HttpError(502, 'sync_failed', `the sync of the SKU failed: ${rootCauseMessage(error)}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Why a finished sync could not bring the SKU in line, as the 404 an operator can act on; undefined when it could. */
function unknownSkuError(sku: string, line: SkuSyncReport | undefined): HttpError | undefined {
  const detail =
    line === undefined
      ? undefined
      : { sku, outcome: line.outcome, ...(line.intacctItemId !== undefined && { intacctItemId: line.intacctItemId }) };
  switch (line?.outcome) {
    case 'unmapped':
      return new HttpError(
        404,
        'unknown_sku',
        `no Intacct item maps to SKU ${sku}: add it to the items mapping table, or match items by ITEMID`,
        detail,
      );
    case 'notInIntacct':
      return new HttpError(404, 'unknown_sku', `Intacct has no stock of item ${line.intacctItemId} for SKU ${sku}`, detail);
    case 'notInStorefront':
      return new HttpError(404, 'unknown_sku', `the storefront has no SKU ${sku} whose stock it tracks`, detail);
    default:
      return undefined;
  }
}

const skuSyncLine = z.object({
  sku: z.string(),
  outcome: z.enum(['pushed', 'unchanged', 'failed', 'filtered', 'unmapped', 'notInIntacct', 'notInStorefront']),
  intacctItemId: z.string().optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  reason: z.string().optional(),
});

const skuSyncView = z.object({
  workflowId: z.string(),
  /** `completed` with the result, or `running` (202) when it did not finish within a few seconds. */
  status: z.enum(['completed', 'running']),
  result: z
    .object({
      outcome: z.enum(['synced', 'disabled']),
      skus: z.array(skuSyncLine),
      rounds: z.number().int(),
      intacctTransactions: z.number().int(),
    })
    .optional(),
});

const skuParams = tenantParams.extend({ sku: identifier('sku') });

/**
 * InventoryReconcile's operator side: run it now (with an explicit overlap policy), pause and
 * resume its schedule, read the schedule's state and the stored reports; and sync one SKU now.
 */
export function registerInventoryRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
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
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(deps, tenant);
      assertInventorySyncOn(tenant, settings);
      const running = await withTemporal(deps, async (temporal) => {
        const { handle, description } = await ensuredSchedule(temporal, tenant, settings);
        // Triggering works on a schedule an operator paused: asking for a run is asking for one.
        await handle.trigger(body.overlap);
        return description.info.runningActions.map((action) => action.workflow.workflowId);
      });
      const scheduleId = inventoryReconcileScheduleId(tenant._id);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: 'inventory.trigger', target: scheduleId, details: { overlap: body.overlap } },
      );
      const outcome = running.length === 0 ? 'started' : body.overlap === 'SKIP' ? 'skipped' : 'queued';
      return { scheduleId, overlap: body.overlap, outcome, runningWorkflowIds: running };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/schedule',
    summary: 'The reconciliation schedule: paused (by whom, why), cron and time zone, next runs, recent runs',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams,
    response: scheduleView,
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const scheduleId = inventoryReconcileScheduleId(tenant._id);
      const description = await withTemporal(deps, async ({ client }) => {
        try {
          return await client.schedule.getHandle(scheduleId).describe();
        } catch (error) {
          if (error instanceof ScheduleNotFoundError) throw notFoundError(`inventory schedule of ${tenant._id}`);
          throw error;
        }
      });
      return inventoryScheduleView(scheduleId, description);
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/schedule/pause',
    summary: 'Pause the reconciliation schedule, saying why; it stays paused through settings changes until resumed',
    tag: 'inventory',
    role: 'operator',
    params: tenantParams,
    body: z.object({ note: z.string().trim().min(1, 'say why the schedule is paused').max(500) }),
    response: scheduleView,
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(deps, tenant);
      const scheduleId = inventoryReconcileScheduleId(tenant._id);
      const view = await withTemporal(deps, async (temporal) => {
        const { handle } = await ensuredSchedule(temporal, tenant, settings);
        await handle.pause(operatorPauseNote(body.note));
        return inventoryScheduleView(scheduleId, await handle.describe());
      });
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: 'inventory.pause', target: scheduleId, details: { note: body.note } },
      );
      return view;
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/schedule/resume',
    summary: 'Resume the reconciliation schedule (409 while inventory sync is off or the tenant disabled: the settings pause it)',
    tag: 'inventory',
    role: 'operator',
    params: tenantParams,
    body: z.object({ note: z.string().trim().min(1).max(500).optional() }),
    response: scheduleView,
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(deps, tenant);
      assertInventorySyncOn(tenant, settings);
      const scheduleId = inventoryReconcileScheduleId(tenant._id);
      const view = await withTemporal(deps, async (temporal) => {
        const { handle } = await ensuredSchedule(temporal, tenant, settings);
        await handle.unpause(body.note === undefined ? 'resumed by an operator' : `resumed by an operator: ${body.note}`);
        return inventoryScheduleView(scheduleId, await handle.describe());
      });
      await audit(
        deps.db,
        { principal, requestId },
        {
          tenantId: tenant._id,
          action: 'inventory.resume',
          target: scheduleId,
          ...(body.note !== undefined && { details: { note: body.note } }),
        },
      );
      return view;
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/reports',
    summary: 'Stored reconciliation reports, newest first (pass nextCursor back as cursor for the next page)',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(maxReportPage).default(20),
      cursor: z
        .string()
        .max(400)
        .refine((cursor) => parseInventoryReportCursor(cursor) !== undefined, 'cursor must be a nextCursor from a previous page')
        .optional(),
    }),
    response: z.object({ reports: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const page = await pageInventoryReports(deps.db, tenant._id, query);
      return {
        reports: page.reports.map((report) => ({ ...report })),
        ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/reports/:runId',
    summary: 'One reconciliation report by its run id',
    tag: 'inventory',
    role: 'viewer',
    params: tenantParams.extend({ runId: z.string().min(1).max(200) }),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const report = await readInventoryReport(deps.db, tenant._id, params.runId);
      if (report === null) throw notFoundError(`inventory report ${params.runId}`);
      return { ...report };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/skus/:sku/reconcile',
    summary:
      "Bring one SKU to Intacct's availability now: 200 with what happened, 202 while it still runs, 404 for a SKU neither side knows",
    tag: 'inventory',
    role: 'operator',
    params: skuParams,
    response: skuSyncView,
    handler: async ({ params, principal, requestId, response }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(deps, tenant);
      assertInventorySyncOn(tenant, settings);
      const { sku } = params;
      if (settings.inventory.skus.mode === 'list' && !settings.inventory.skus.skus.includes(sku)) {
        throw new HttpError(409, 'sku_not_synced', `SKU ${sku} is not in inventory.skus, so its stock is not synced; add it there first`);
      }
      const target = { kind: 'sku' as const, sku };
      const workflowId = inventorySkuSyncWorkflowId(tenant._id, target);
      const input: InventorySkuSyncInput = { tenantId: tenant._id, target, trigger: 'operator' };
      const result = await withTemporal(deps, async ({ client, taskQueue }) => {
        // Signal-with-start: a sync of this SKU already running goes round once more, after this request.
        await client.workflow.signalWithStart(inventorySkuSyncWorkflowType, {
          workflowId,
          taskQueue,
          args: [input],
          signal: inventoryChangedSignal,
          signalArgs: [{ deliveryId: requestId ?? 'operator', topic: 'operator', occurredAt: new Date().toISOString() }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [{ key: TenantId, value: tenant._id }],
          staticSummary: `operator: SKU ${sku} → stock from Intacct (tenant ${tenant._id})`,
        });
        return resultWithin(client, workflowId, skuSyncWaitMs);
      });
      await audit(deps.db, { principal, requestId }, { tenantId: tenant._id, action: 'inventory.sku.reconcile', target: `sku:${sku}` });
      if (result === undefined) {
        // Answered here: the operation's success status is 200, this one is 202.
        response.status(202).json({ workflowId, status: 'running' });
        return undefined;
      }
      const unknown = unknownSkuError(
        sku,
        result.skus.find((line) => line.sku === sku),
      );
      if (unknown !== undefined) throw unknown;
      return {
        workflowId,
        status: 'completed' as const,
        result: { outcome: result.outcome, skus: result.skus, rounds: result.rounds, intacctTransactions: result.intacctTransactions },
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/skus/:sku/reconcile',
    summary: 'The latest sync of one SKU: running, or completed with what happened (404 when none is remembered)',
    tag: 'inventory',
    role: 'viewer',
    params: skuParams,
    response: skuSyncView.extend({ status: z.enum(['completed', 'running', 'failed']), failure: z.string().optional() }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const workflowId = inventorySkuSyncWorkflowId(tenant._id, { kind: 'sku', sku: params.sku });
      return withTemporal(deps, async ({ client }) => {
        const handle = client.workflow.getHandle<(input: InventorySkuSyncInput) => Promise<InventorySkuSyncResult>>(workflowId);
        let status: string;
        try {
          status = (await handle.describe()).status.name;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFoundError(`a sync of SKU ${params.sku}`);
          throw error;
        }
        if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') return { workflowId, status: 'running' as const };
        try {
          const result = await handle.result();
          return {
            workflowId,
            status: 'completed' as const,
            result: { outcome: result.outcome, skus: result.skus, rounds: result.rounds, intacctTransactions: result.intacctTransactions },
          };
        } catch (error) {
          return { workflowId, status: 'failed' as const, failure: rootCauseMessage(error) };
        }
      });
    },
  });
}
