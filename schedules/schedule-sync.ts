import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Priority, SearchAttributePair } from '@temporalio/common';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import { readSettings } from '../store/settings.js';
import { listTenants, type Tenant } from '../store/tenants.js';
import { TenantId } from '../workflows/search-attributes.js';
import { tenantPriority } from '../workflows/task-priority.js';

/*
 * The tenants' Temporal schedules, kept in step with their settings. Both processes write them
 * (the worker for every tenant at start-up, the admin API when a tenant's settings change), so
 * they live beside both rather than inside either.
 */

/** What {@link ensureSchedule} did. */
export type ScheduleOutcome = 'created' | 'updated' | 'unchanged';

/** When it fires: fixed intervals (with a phase) or cron expressions in a time zone. */
export interface DesiredScheduleSpec {
  intervals?: Array<{ every: number; offset: number }>;
  cronExpressions?: string[];
  timezone?: string;
}

/** A per-tenant schedule as the settings want it. Pure data, built by each flow's {@link TenantSchedule} `desired`. */
export interface DesiredSchedule {
  scheduleId: string;
  spec: DesiredScheduleSpec;
  action: {
    workflowType: string;
    workflowId: string;
    taskQueue: string;
    args: unknown[];
    typedSearchAttributes: SearchAttributePair[];
    priority: Priority;
  };
  overlap: ScheduleOverlapPolicy;
  catchupWindowMs: number;
  /** Paused because the settings (or the tenant's status) say so. */
  paused: boolean;
  /** The schedule's note: why it is paused, or what it runs. */
  note: string;
}

/**
 * The memo key on the schedule's action holding the spec it was written from. Temporal compiles
 * cron expressions into calendars and does not give the text back, so this is how a cron
 * schedule is recognised as already matching its settings.
 */
export const scheduleSpecMemoKey = 'scheduleSpec';

/**
 * How an operator's pause is told apart from a pause the settings impose: its note starts so.
 * Settings that turn the flow on again do not resume a schedule an operator paused.
 */
export const operatorPauseNotePrefix = 'paused by an operator';

/** The note of an operator's pause, as {@link isPausedByOperator} recognises it. */
export function operatorPauseNote(reason: string): string {
  return `${operatorPauseNotePrefix}: ${reason}`;
}

/** True when the schedule is paused and an operator (not the settings) paused it. */
export function isPausedByOperator(state: { paused: boolean; note?: string | undefined }): boolean {
  return state.paused && (state.note ?? '').startsWith(operatorPauseNotePrefix);
}

/** The canonical text of a spec, stored in {@link scheduleSpecMemoKey}. */
export function specFingerprint(spec: DesiredScheduleSpec): string {
  return JSON.stringify({ intervals: spec.intervals ?? [], cronExpressions: spec.cronExpressions ?? [], timezone: spec.timezone ?? '' });
}

/** The spec a schedule was written from, read back from its action's memo; undefined when absent or not ours. */
export function specOfSchedule(action: { memo?: Record<string, unknown> | undefined }): DesiredScheduleSpec | undefined {
  const text = action.memo?.[scheduleSpecMemoKey];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = JSON.parse(text) as { intervals?: DesiredScheduleSpec['intervals']; cronExpressions?: string[]; timezone?: string };
    return {
      ...(parsed.intervals !== undefined && parsed.intervals.length > 0 && { intervals: parsed.intervals }),
      ...(parsed.cronExpressions !== undefined && parsed.cronExpressions.length > 0 && { cronExpressions: parsed.cronExpressions }),
      ...(parsed.timezone !== undefined && parsed.timezone !== '' && { timezone: parsed.timezone }),
    };
  } catch {
    return undefined;
  }
}

/**
 * True when the schedule already is what `desired` asks, so nothing is written. An operator's
 * pause counts as matching a schedule the settings want running.
 */
export function scheduleMatches(
  current: Pick<ScheduleDescription, 'spec' | 'action' | 'policies' | 'state'>,
  desired: DesiredSchedule,
): boolean {
  const { action } = current;
  const intervals = current.spec.intervals ?? [];
  const wantedIntervals = desired.spec.intervals ?? [];
  const stateMatches = desired.paused
    ? current.state.paused && current.state.note === desired.note
    : !current.state.paused || isPausedByOperator(current.state);
  return (
    action.type === 'startWorkflow' &&
    action.memo?.[scheduleSpecMemoKey] === specFingerprint(desired.spec) &&
    intervals.length === wantedIntervals.length &&
    intervals.every(
      (interval, index) => interval.every === wantedIntervals[index]!.every && (interval.offset ?? 0) === wantedIntervals[index]!.offset,
    ) &&
    (current.spec.timezone ?? '') === (desired.spec.timezone ?? '') &&
    current.policies.overlap === desired.overlap &&
    current.policies.catchupWindow === desired.catchupWindowMs &&
    stateMatches &&
    action.workflowType === desired.action.workflowType &&
    action.workflowId === desired.action.workflowId &&
    action.taskQueue === desired.action.taskQueue &&
    (action.priority?.fairnessKey ?? '') === (desired.action.priority.fairnessKey ?? '') &&
    (action.priority?.priorityKey ?? 0) === (desired.action.priority.priorityKey ?? 0) &&
    JSON.stringify(action.args) === JSON.stringify(desired.action.args)
  );
}

type StartAction = ScheduleOptionsStartWorkflowAction<(...args: unknown[]) => Promise<unknown>>;

function scheduleOptions(desired: DesiredSchedule, state: { paused: boolean; note: string }): ScheduleUpdateOptions<StartAction> {
  return {
    spec: {
      ...(desired.spec.intervals && { intervals: desired.spec.intervals }),
      ...(desired.spec.cronExpressions && { cronExpressions: desired.spec.cronExpressions }),
      ...(desired.spec.timezone !== undefined && { timezone: desired.spec.timezone }),
    },
    action: { type: 'startWorkflow', ...desired.action, memo: { [scheduleSpecMemoKey]: specFingerprint(desired.spec) } },
    policies: { overlap: desired.overlap, catchupWindow: desired.catchupWindowMs, pauseOnFailure: false },
    state,
  };
}

/**
 * Makes one schedule match `desired`: creates it, updates it, or leaves it alone when it
 * already matches; safe to call from several processes at once. The settings pause and resume
 * it, except that a schedule an operator paused stays paused until an operator resumes it (or
 * the settings pause it for their own reason).
 */
export async function ensureSchedule(client: Client, desired: DesiredSchedule): Promise<ScheduleOutcome> {
  const handle = client.schedule.getHandle(desired.scheduleId);
  let current: ScheduleDescription | undefined;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (current === undefined) {
    try {
      await client.schedule.create({
        scheduleId: desired.scheduleId,
        ...scheduleOptions(desired, { paused: desired.paused, note: desired.note }),
      });
      return 'created';
    } catch (error) {
      // Another process created it between our describe and create: update theirs instead.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      current = await handle.describe();
    }
  }
  if (scheduleMatches(current, desired)) return 'unchanged';
  const keepOperatorPause = !desired.paused && isPausedByOperator(current.state);
  const state = keepOperatorPause ? { paused: true, note: current.state.note ?? '' } : { paused: desired.paused, note: desired.note };
  await handle.update(() => scheduleOptions(desired, state));
  // An update carries the state too, but pause and unpause are the calls documented to change it.
  if (state.paused && (!current.state.paused || current.state.note !== state.note)) await handle.pause(state.note);
  else if (!state.paused && current.state.paused) await handle.unpause(state.note);
  return 'updated';
}

/** What every tenant schedule is told besides its settings. */
export interface TenantScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose flow is turned off. */
  tenantDisabled?: boolean;
}

/**
 * One flow's per-tenant schedule (the sweep on an interval; the others on a cron, built by
 * `cronTenantSchedule`): how the tenant's settings become the schedule they ask for. The rest (create, update, leave alone, keep
 * an operator's pause, every tenant at start-up) is the same for all of them, below.
 */
export interface TenantSchedule<S> {
  /** The flow's name in logs and warnings, e.g. "sweep". */
  readonly name: string;
  /** The schedule the settings ask for (pure). */
  readonly desired: (taskQueue: string, tenantId: string, settings: S, options?: TenantScheduleOptions) => DesiredSchedule;
}

/** The settings' verdict on a tenant schedule: paused and why, or running and what it runs. */
export function tenantScheduleState(
  options: TenantScheduleOptions,
  /** Why the flow's own settings pause it; undefined when they want it running. */
  pausedBecause: string | undefined,
  /** What the schedule does while running, for its note. */
  runs: string,
): Pick<DesiredSchedule, 'paused' | 'note'> {
  if (options.tenantDisabled === true) return { paused: true, note: 'paused: the tenant is disabled' };
  if (pausedBecause !== undefined) return { paused: true, note: `paused: ${pausedBecause}` };
  return { paused: false, note: runs };
}

/** A tenant schedule's action: start the flow's workflow for the tenant, tagged with its id for visibility queries. */
export function startTenantWorkflow(
  taskQueue: string,
  tenantId: string,
  workflowType: string,
  workflowId: string,
  input: unknown,
): DesiredSchedule['action'] {
  return {
    workflowType,
    workflowId,
    taskQueue,
    args: [input],
    typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    priority: tenantPriority(tenantId, 'bulk'),
  };
}

/**
 * Makes the tenant's schedule of one flow match its settings: created, updated, or left alone;
 * an operator's pause stays. Safe to call from several processes at once.
 */
export function ensureTenantSchedule<S>(
  schedule: TenantSchedule<S>,
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: S,
  options: TenantScheduleOptions = {},
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, schedule.desired(taskQueue, tenantId, settings, options));
}

/** {@link ensureTenantSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export function ensureTenantScheduleForEveryTenant(
  schedule: TenantSchedule<TenantSettings>,
  client: Client,
  db: Db,
  taskQueue: string,
): Promise<EnsureAllSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensureTenantSchedule(schedule, client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}

/** What an ensure-for-every-tenant pass did. */
export interface EnsureAllSchedulesResult {
  /** Tenant id → what was done. */
  ensured: Record<string, ScheduleOutcome>;
  /** Tenants whose schedule could not be ensured, with the reason; the others are unaffected. */
  failed: Array<{ tenantId: string; error: string }>;
}

/**
 * Runs `ensureOne` for every tenant that has settings (a disabled tenant too, so its schedule is
 * paused); one tenant's failure does not stop the rest.
 */
export async function ensureForEveryTenant(
  db: Db,
  ensureOne: (tenant: Tenant, settings: TenantSettings) => Promise<ScheduleOutcome>,
): Promise<EnsureAllSchedulesResult> {
  const result: EnsureAllSchedulesResult = { ensured: {}, failed: [] };
  for (const tenant of await listTenants(db)) {
    const stored = await readSettings(db, tenant._id);
    if (stored === null) continue;
    try {
      result.ensured[tenant._id] = await ensureOne(tenant, stored.settings);
    } catch (error) {
      result.failed.push({ tenantId: tenant._id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
