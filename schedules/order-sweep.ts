import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  orderSweepRunWorkflowId,
  orderSweepScheduleId,
  orderSweepWorkflowType,
  type OrderSweepInput,
} from '../workflows/order-sweep-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import {
  ensureForEveryTenant,
  ensureSchedule,
  type DesiredSchedule,
  type EnsureAllSchedulesResult,
  type ScheduleOutcome,
} from './schedule-sync.js';

/**
 * How late a missed sweep may still run after Temporal was down. Short on purpose: the next
 * sweep covers the same orders (its window starts at the cursor), so a burst of stale sweeps
 * after an outage would only repeat work.
 */
export const sweepCatchupWindowMs = 10 * 60_000;

/** What {@link ensureSweepSchedule} did. */
export type SweepScheduleOutcome = ScheduleOutcome;

export interface EnsureSweepScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose sweep is turned off. */
  tenantDisabled?: boolean;
}

/** The sweep schedule the tenant's settings ask for (pure: the id, interval, phase, state and action). */
export function desiredSweepSchedule(
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'orderSync'>,
  options: EnsureSweepScheduleOptions = {},
): DesiredSchedule {
  const { enabled, everyMinutes } = settings.orderSync.sweep;
  const everyMs = everyMinutes * 60_000;
  const input: OrderSweepInput = { tenantId };
  return {
    scheduleId: orderSweepScheduleId(tenantId),
    spec: { intervals: [{ every: everyMs, offset: phaseOf(tenantId, everyMs) }] },
    action: {
      workflowType: orderSweepWorkflowType,
      workflowId: orderSweepRunWorkflowId(tenantId),
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
    // SKIP: a sweep still paging when the next is due makes the next one redundant.
    overlap: 'SKIP',
    catchupWindowMs: sweepCatchupWindowMs,
    paused: !enabled || options.tenantDisabled === true,
    note:
      options.tenantDisabled === true
        ? 'paused: the tenant is disabled'
        : enabled
          ? `sweeps every ${everyMinutes} minutes`
          : 'paused: orderSync.sweep.enabled is false',
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
  return ensureSchedule(client, desiredSweepSchedule(taskQueue, tenantId, settings, options));
}

export type EnsureAllSweepSchedulesResult = EnsureAllSchedulesResult;

/** {@link ensureSweepSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllSweepSchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSweepSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensureSweepSchedule(client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}
