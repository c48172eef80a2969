import type { Db } from 'mongodb';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import { formatIntacctTimestamp } from '../../mappers/catalog-item-sync.js';
import { ensureTenantSchedule, type TenantSchedule } from '../../schedules/schedule-sync.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { startOrJoinWorkflow, withTemporal } from './temporal-access.js';

/** A paged sync an operator runs now (Intacct → store, or a poll of the store): its schedule, and its own workflow for a full run. */
export interface ScheduledSync {
  schedule: TenantSchedule<TenantSettings>;
  scheduleId: string;
  workflowType: string;
  /** The full run's workflow id: one at a time, asking again while it runs joins it. */
  fullWorkflowId: string;
}

/** What a run-now did: `skipped` when the schedule's run was already going (overlap SKIP). */
export interface ScheduledSyncAnswer {
  workflowId?: string;
  scheduleId: string;
  outcome: 'started' | 'skipped';
}

/**
 * Runs a tenant's sync now. Changes since the last run go through the tenant's schedule (brought in
 * step with the settings first, then triggered with overlap SKIP), so the run is the one the
 * schedule would start and two cannot overlap; `full` starts the sync over everything as its own
 * workflow. The caller has checked the tenant and its settings.
 */
function runScheduledSyncNow(
  deps: AdminDependencies,
  sync: ScheduledSync,
  tenantId: string,
  settings: TenantSettings,
  full: boolean,
): Promise<ScheduledSyncAnswer> {
  return withTemporal(deps, async (temporal) => {
    const { client, taskQueue } = temporal;
    if (full) {
      await startOrJoinWorkflow(temporal, {
        workflowType: sync.workflowType,
        workflowId: sync.fullWorkflowId,
        tenantId,
        input: { tenantId, full: true },
        reusePolicy: 'ALLOW_DUPLICATE',
      });
      return { workflowId: sync.fullWorkflowId, scheduleId: sync.scheduleId, outcome: 'started' };
    }
    await ensureTenantSchedule(sync.schedule, client, taskQueue, tenantId, settings, { tenantDisabled: false });
    const handle = client.schedule.getHandle(sync.scheduleId);
    const running = (await handle.describe()).info.runningActions.length > 0;
    await handle.trigger('SKIP');
    return { scheduleId: sync.scheduleId, outcome: running ? 'skipped' : 'started' };
  });
}

/** A scheduled sync's two admin routes, `POST` (run now) and `GET` (watermark or mark, last report), under `/tenants/:tenantId/{path}`. */
export interface ScheduledSyncRoutes {
  /** Under the tenant, e.g. `catalog/items/sync`. */
  path: string;
  postSummary: string;
  getSummary: string;
  /** The audit log's action for a run-now. */
  auditAction: string;
  /** Why the tenant's settings keep the sync from running now (a 409), or undefined when it may run. */
  refusal: (tenantId: string, settings: TenantSettings) => HttpError | undefined;
  sync: (tenantId: string) => ScheduledSync;
  readState: (db: Db, tenantId: string) => Promise<ScheduledSyncState | null>;
}

/**
 * Where a sync has got to: an Intacct → store sync's watermark (Intacct's clock), or a poll of the
 * store's changes' mark (the last record handed on, as the store lists them); the last run's report.
 */
export interface ScheduledSyncState {
  watermarkMs?: number;
  mark?: { updatedAt: string; customerId: string };
  lastReport?: object;
}

/** Registers a scheduled sync's run-now and state routes, the same for every paged sync (Intacct → store, and the Clarity customer poll). */
export function registerScheduledSyncRoutes(router: DocumentedRouter, deps: AdminDependencies, routes: ScheduledSyncRoutes): void {
  router.add({
    method: 'post',
    path: `/tenants/:tenantId/${routes.path}`,
    summary: routes.postSummary,
    tag: 'catalog',
    role: 'operator',
    params: tenantParams,
    body: z.object({ full: z.boolean({ error: 'full must be true or false' }).default(false) }),
    successStatus: 202,
    response: z.object({ workflowId: z.string().optional(), scheduleId: z.string(), outcome: z.enum(['started', 'skipped']) }),
    handler: async ({ params, body, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await readSettings(deps.db, tenant._id);
      if (tenant.status === 'disabled') throw new HttpError(409, 'tenant_disabled', `tenant ${tenant._id} is disabled; enable it first`);
      if (stored === null)
        throw new HttpError(409, 'not_configured', `tenant ${tenant._id} has no settings yet, so it has nothing to sync`);
      const refused = routes.refusal(tenant._id, stored.settings);
      if (refused !== undefined) throw refused;
      const answer = await runScheduledSyncNow(deps, routes.sync(tenant._id), tenant._id, stored.settings, body.full);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: routes.auditAction, target: answer.workflowId ?? answer.scheduleId, details: { full: body.full } },
      );
      return answer;
    },
  });

  router.add({
    method: 'get',
    path: `/tenants/:tenantId/${routes.path}`,
    summary: routes.getSummary,
    tag: 'catalog',
    role: 'viewer',
    params: tenantParams,
    response: z.object({
      modifiedSince: z.string().optional(),
      mark: z.object({ updatedAt: z.string(), customerId: z.string() }).optional(),
      lastReport: z.record(z.string(), z.unknown()).optional(),
    }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const state = await routes.readState(deps.db, tenant._id);
      return {
        ...(state?.watermarkMs !== undefined && { modifiedSince: formatIntacctTimestamp(state.watermarkMs) }),
        ...(state?.mark !== undefined && { mark: { updatedAt: state.mark.updatedAt, customerId: state.mark.customerId } }),
        ...(state?.lastReport !== undefined && { lastReport: { ...state.lastReport } }),
      };
    },
  });
}
