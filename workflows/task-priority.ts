import type { Priority } from '@temporalio/common';

/**
 * Which queue lane a workflow's tasks take. `live`: work a person or a store is waiting on now
 * (webhooks, an operator's resync or retry, a payout the processor just paid). `bulk`: work that
 * may wait its turn (sweeps, backfills, scheduled reconciliations and syncs).
 */
export type WorkLane = 'live' | 'bulk';

/** Temporal's priority keys run 1 (first) to 5; 3 is the default. Live work goes ahead of bulk. */
const priorityKeys: Record<WorkLane, number> = { live: 2, bulk: 4 };

/**
 * The priority every workflow of a tenant is started with: the tenant as the fairness key, and
 * the lane as the priority key. With fairness on (the server's `matching.enableFairness`),
 * Temporal dispatches a backlog round-robin across fairness keys, so one tenant's backfill of
 * thousands of orders takes its share of the workers, and another tenant's live order waits
 * behind a few of its tasks rather than all of them. Activities inherit the workflow's priority,
 * so the whole run keeps its place. One task queue serves every tenant: no per-tenant workers.
 */
export function tenantPriority(tenantId: string, lane: WorkLane): Priority {
  return { fairnessKey: tenantId, priorityKey: priorityKeys[lane] };
}
