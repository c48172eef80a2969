import { createHash } from 'node:crypto';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  orderSweepRunWorkflowId,
  orderSweepScheduleId,
  orderSweepWorkflowType,
  type OrderSweepInput,
} from '../workflows/order-sweep-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/**
 * How late a missed sweep may still run after Temporal was down. Short on purpose: the next
 * sweep covers the same orders (its window starts at the cursor), so a burst of stale sweeps
 * after an outage would only repeat work.
 */
export const sweepCatchupWindowMs = 10 * 60_000;

/** The sweep schedule the tenant's settings ask for (pure: the id, interval, phase, state and action). */
export function desiredSweepSchedule(
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'orderSync'>,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const { enabled, everyMinutes } = settings.orderSync.sweep;
  const everyMs = everyMinutes * 60_000;
  const input: OrderSweepInput = { tenantId };
  return {
    scheduleId: orderSweepScheduleId(tenantId),
    spec: { intervals: [{ every: everyMs, offset: phaseOf(tenantId, everyMs) }] },
    action: startTenantWorkflow(taskQueue, tenantId, orderSweepWorkflowType, orderSweepRunWorkflowId(tenantId), input),
    // SKIP: a sweep still paging when the next is due makes the next one redundant.
    overlap: 'SKIP',
    catchupWindowMs: sweepCatchupWindowMs,
    ...tenantScheduleState(options, enabled ? undefined : 'orderSync.sweep.enabled is false', `sweeps every ${everyMinutes} minutes`),
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
 * The tenant's sweep schedule, `order-sweep:{tenantId}`: every `orderSync.sweep.everyMinutes`,
 * overlap SKIP, a short catch-up window, starting `orderSweep`, paused while the sweep is off or
 * the tenant disabled.
 */
export const orderSweepSchedule: TenantSchedule<Pick<TenantSettings, 'orderSync'>> = { name: 'sweep', desired: desiredSweepSchedule };
