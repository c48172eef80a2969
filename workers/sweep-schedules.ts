import { createHash } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleUpdateOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import { readSettings } from '../store/settings.js';
import { listTenants } from '../store/tenants.js';
import { orderSweepRunWorkflowId, orderSweepScheduleId, orderSweepWorkflowType, type OrderSweepInput } from '../workflows/order-sweep-contract.js';
import { TenantId } from '../workflows/search-attributes.js';

/**
 * How late a missed sweep may still run after Temporal was down. Short on purpose: the next
 * sweep covers the same orders (its window starts at the cursor), so a burst of stale sweeps
 * after an outage would only repeat work.
 */
export const sweepCatchupWindowMs = 10 * 60_000;

/** What {@link ensureSweepSchedule} did. */
export type SweepScheduleOutcome = 'created' | 'updated' | 'unchanged';

export interface EnsureSweepScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose sweep is turned off. */
  tenantDisabled?: boolean;
}

interface DesiredSchedule {
  everyMs: number;
  offsetMs: number;
  paused: boolean;
  note: string;
  action: ScheduleOptionsStartWorkflowAction<(input: OrderSweepInput) => Promise<unknown>>;
}

function desiredSchedule(taskQueue: string, tenantId: string, settings: Pick<TenantSettings, 'orderSync'>, options: EnsureSweepScheduleOptions): DesiredSchedule {
  const { enabled, everyMinutes } = settings.orderSync.sweep;
  const everyMs = everyMinutes * 60_000;
  const paused = !enabled || options.tenantDisabled === true;
  const note = options.tenantDisabled === true ? 'paused: the tenant is disabled' : enabled ? `sweeps every ${everyMinutes} minutes` : 'paused: orderSync.sweep.enabled is false';
  return {
    everyMs,
    offsetMs: phaseOf(tenantId, everyMs),
    paused,
    note,
    action: {
      type: 'startWorkflow',
      workflowType: orderSweepWorkflowType,
      workflowId: orderSweepRunWorkflowId(tenantId),
      taskQueue,
      args: [{ tenantId }],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
  };
}

/**
 * A whole-second offset within the interval, fixed per tenant: tenants on the same interval
 * sweep at different moments instead of all hitting Temporal and the storefronts at once.
 */
function phaseOf(tenantId: string, everyMs: number): number {
  const hash = createHash('sha256').update(tenantId).digest().readUInt32BE(0);
  return (hash % (everyMs / 1000)) * 1000;
}

function matches(current: ScheduleDescription, desired: DesiredSchedule): boolean {
  const interval = current.spec.intervals?.[0];
  const action = current.action;
  return (
    current.spec.intervals?.length === 1 &&
    interval?.every === desired.everyMs &&
    (interval.offset ?? 0) === desired.offsetMs &&
    current.policies.overlap === 'SKIP' &&
    current.policies.catchupWindow === sweepCatchupWindowMs &&
    current.state.paused === desired.paused &&
    action.workflowType === desired.action.workflowType &&
    action.workflowId === desired.action.workflowId &&
    action.taskQueue === desired.action.taskQueue
  );
}

function updateOptions(desired: DesiredSchedule): ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<(input: OrderSweepInput) => Promise<unknown>>> {
  return {
    spec: { intervals: [{ every: desired.everyMs, offset: desired.offsetMs }] },
    action: desired.action,
    // SKIP: a sweep still paging when the next is due makes the next one redundant.
    policies: { overlap: 'SKIP', catchupWindow: sweepCatchupWindowMs, pauseOnFailure: false },
    state: { paused: desired.paused, note: desired.note },
  };
}

/**
 * Makes the tenant's sweep schedule (`order-sweep:{tenantId}`) match its settings: every
 * `orderSync.sweep.everyMinutes`, overlap SKIP, a short catch-up window, starting
 * `orderSweep`, paused while the sweep is off or the tenant disabled. Creates it, updates it,
 * or leaves it alone when it already matches; safe to call from several processes at once.
 */
export async function ensureSweepSchedule(
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'orderSync'>,
  options: EnsureSweepScheduleOptions = {},
): Promise<SweepScheduleOutcome> {
  const desired = desiredSchedule(taskQueue, tenantId, settings, options);
  const scheduleId = orderSweepScheduleId(tenantId);
  const handle = client.schedule.getHandle(scheduleId);
  let current: ScheduleDescription | undefined;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (current === undefined) {
    try {
      await client.schedule.create({ scheduleId, ...updateOptions(desired) });
      return 'created';
    } catch (error) {
      // Another process created it between our describe and create: update theirs instead.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      current = await handle.describe();
    }
  }
  if (matches(current, desired)) return 'unchanged';
  await handle.update(() => updateOptions(desired));
  // An update carries the state too, but pause and unpause are the calls documented to change it.
  if (current.state.paused !== desired.paused) {
    if (desired.paused) await handle.pause(desired.note);
    else await handle.unpause(desired.note);
  }
  return 'updated';
}

export interface EnsureAllSweepSchedulesResult {
  /** Tenant id → what was done. */
  ensured: Record<string, SweepScheduleOutcome>;
  /** Tenants whose schedule could not be ensured, with the reason; the others are unaffected. */
  failed: Array<{ tenantId: string; error: string }>;
}

/** {@link ensureSweepSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllSweepSchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSweepSchedulesResult> {
  const result: EnsureAllSweepSchedulesResult = { ensured: {}, failed: [] };
  for (const tenant of await listTenants(db)) {
    const stored = await readSettings(db, tenant._id);
    if (stored === null) continue;
    try {
      result.ensured[tenant._id] = await ensureSweepSchedule(client, taskQueue, tenant._id, stored.settings, { tenantDisabled: tenant.status === 'disabled' });
    } catch (error) {
      result.failed.push({ tenantId: tenant._id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
