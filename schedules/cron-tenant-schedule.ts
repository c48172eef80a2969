import type { TenantSettings } from '../store/schemas/settings.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/** What a cron-driven tenant schedule says of its own; {@link cronTenantSchedule} adds the rest. */
export interface CronTenantScheduleDefinition<S extends Pick<TenantSettings, 'timezone'>> {
  /** The flow's name in logs and warnings, e.g. "catalog". */
  name: string;
  scheduleId: (tenantId: string) => string;
  workflowType: string;
  /** The started run's id (Temporal appends the scheduled time). */
  workflowId: (tenantId: string) => string;
  /** The workflow's input, the same for every run. */
  input: (tenantId: string) => unknown;
  /** The cron the settings ask for, read in the tenant's `timezone`. */
  cron: (settings: S) => string;
  /** How late a run missed while Temporal was down may still start. */
  catchupWindowMs: number;
  /** Why the flow's own settings pause the schedule; undefined when they want it running. */
  pausedBecause: (settings: S) => string | undefined;
  /** What a run does, for the running schedule's note ("syncs items"); the cron and time zone follow it. */
  runs: string | ((settings: S) => string);
}

/** A cron-driven tenant schedule, with its note for the operations views. */
export interface CronTenantSchedule<S> extends TenantSchedule<S> {
  /** Why the settings pause the schedule, or what it runs when they do not. */
  readonly note: (settings: S, options?: TenantScheduleOptions) => string;
}

/**
 * A per-tenant schedule on a cron from the tenant's settings, in the tenant's time zone, overlap
 * SKIP (a run still going when the next is due makes the next redundant: it would read or report
 * the same), paused with the reason as its note while the settings or the tenant's status say so.
 */
export function cronTenantSchedule<S extends Pick<TenantSettings, 'timezone'>>(
  definition: CronTenantScheduleDefinition<S>,
): CronTenantSchedule<S> {
  const { runs } = definition;
  const state = (settings: S, options: TenantScheduleOptions) =>
    tenantScheduleState(
      options,
      definition.pausedBecause(settings),
      `${typeof runs === 'string' ? runs : runs(settings)} on "${definition.cron(settings)}" (${settings.timezone})`,
    );
  return {
    name: definition.name,
    desired: (taskQueue, tenantId, settings, options = {}): DesiredSchedule => ({
      scheduleId: definition.scheduleId(tenantId),
      spec: { cronExpressions: [definition.cron(settings)], timezone: settings.timezone },
      action: startTenantWorkflow(
        taskQueue,
        tenantId,
        definition.workflowType,
        definition.workflowId(tenantId),
        definition.input(tenantId),
      ),
      overlap: 'SKIP',
      catchupWindowMs: definition.catchupWindowMs,
      ...state(settings, options),
    }),
    note: (settings, options = {}) => state(settings, options).note,
  };
}
