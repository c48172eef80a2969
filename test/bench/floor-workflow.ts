import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities.js';

/**
 * One activity call of the floor workflow, copied from a real OrderToCash history: the same
 * timeouts and retry policy the product's call was scheduled with (its latency class), so the
 * floor pays the same Temporal bookkeeping per call and only the work inside is missing.
 */
export interface FloorActivityCall {
  /** The product activity this call stands in for (for the summary and the report only). */
  standsFor: string;
  startToCloseTimeoutMs: number;
  retry: { initialIntervalMs: number; backoffCoefficient: number; maximumIntervalMs: number; maximumAttempts?: number };
}

export interface FloorWorkflowInput {
  calls: FloorActivityCall[];
}

export interface FloorWorkflowResult {
  activities: number;
}

const floor = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The bare-Temporal baseline of `npm run bench`: the same number of activities, one after
 * another, as an OrderToCash run executes up to the posted order, each a no-op with the
 * product's activity options and a summary. Nothing else: no queries, signals or search
 * attributes, which are part of what the product's figure pays for.
 */
export async function benchFloor(input: FloorWorkflowInput): Promise<FloorWorkflowResult> {
  for (const call of input.calls) {
    const options: ActivityOptions = {
      startToCloseTimeout: call.startToCloseTimeoutMs,
      retry: {
        initialInterval: call.retry.initialIntervalMs,
        backoffCoefficient: call.retry.backoffCoefficient,
        maximumInterval: call.retry.maximumIntervalMs,
        ...(call.retry.maximumAttempts !== undefined && { maximumAttempts: call.retry.maximumAttempts }),
      },
      summary: `No-op standing in for ${call.standsFor}`,
    };
    await floor.benchNoop.executeWithOptions(options, []);
  }
  return { activities: input.calls.length };
}
