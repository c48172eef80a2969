import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Client, Connection } from '@temporalio/client';
import type { Priority } from '@temporalio/common';
import { loadConfig } from '../../config/index.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { tenantPriority } from '../../workflows/task-priority.js';
import { tenantWorkItem } from '../fixtures/workflows/fairness.js';
import { untilBacklogQueued } from '../support/task-queue-backlog.js';
import { withTestWorker } from '../support/test-worker.js';
import { BenchServers } from './bench-servers.js';
import { distribution, mapLimit, round, type Distribution } from './stats.js';

const require = createRequire(import.meta.url);

export interface TenantFairnessOptions {
  /** Tenant A's burst. Default 2,000. */
  burstOrders?: number;
  /** Tenant B's live orders. Default 20. */
  liveOrders?: number;
  /** What each order's one activity takes (a vendor call), ms. Default 20. */
  workMs?: number;
  /** Worker slots, for workflow tasks and for activities alike. Default 10. */
  slots?: number;
  temporalAddress?: string;
  log?: (line: string) => void;
}

interface Scenario {
  /** Positions (1-based) at which B's orders finished among all orders. */
  positionsOfB: Distribution;
  /** From the worker's start to each B order's finish, ms. */
  latencyOfBMs: Distribution;
  /** From the worker's start to the last order's finish, ms. */
  allServedMs: number;
}

/**
 * Tenant fairness on one shared task queue (issue 23 item 3), on a dev server with
 * `matching.enableFairness` as `npm start` runs it: tenant A's orders are queued, then tenant
 * B's live orders, and one worker serves the backlog. Four runs: B alone (the baseline); A's
 * backfill then B, as the product starts them (a backfill in the bulk lane, live orders in the
 * live lane, the tenant as fairness key: the measure); A's burst of live orders (a flash
 * sale) then B, the tenant as fairness key; and that burst with no fairness key (first come,
 * first served). Between two tenants' live orders, fairness can do no better than take them in
 * turn, so B's orders then finish in about twice their time alone: that figure shows the turn
 * taking, the backfill figure the bound the issue sets. Each order is the product's shape of
 * work, a workflow task then an activity (here a fixed wait standing for the vendor call), so the
 * figures are the queue's, not the connectors'. The worker keeps no sticky cache, so every task goes through the shared queue.
 */
export async function runTenantFairnessBench(options: TenantFairnessOptions = {}): Promise<Record<string, unknown>> {
  const burstOrders = options.burstOrders ?? 2_000;
  const liveOrders = options.liveOrders ?? 20;
  const workMs = options.workMs ?? 20;
  const slots = options.slots ?? 10;
  const servers = new BenchServers('fairness', options.log);
  try {
    const temporalAddress = await servers.temporal(options.temporalAddress);
    const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: temporalAddress, LOG_LEVEL: 'silent' });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
    try {
      const serve = async (orders: Array<{ tenant: 'A' | 'B'; priority: Priority }>): Promise<Scenario> => {
        const taskQueue = `bench-fairness-${randomUUID().slice(0, 8)}`;
        await mapLimit(orders, 20, (order, index) =>
          client.workflow.start(tenantWorkItem, {
            workflowId: `fairness-${taskQueue}-${index}`,
            taskQueue,
            args: [order.tenant, index],
            priority: order.priority,
          }),
        );
        await untilBacklogQueued(client, config.temporal.namespace, taskQueue, orders.length, 120_000);
        const finished: Array<{ tenant: string; atMs: number }> = [];
        let origin = 0;
        await withTestWorker(
          {
            config,
            taskQueue,
            workflowsPath: require.resolve('../fixtures/workflows/fairness.ts'),
            activities: {
              recordWork: async (tenant: string) => {
                await new Promise((resolve) => setTimeout(resolve, workMs));
                finished.push({ tenant, atMs: performance.now() - origin });
              },
            },
            maxCachedWorkflows: 0,
            maxConcurrentWorkflowTaskExecutions: slots,
            maxConcurrentActivityTaskExecutions: slots,
          },
          async () => {
            origin = performance.now();
            await mapLimit(orders, 50, (_order, index) => client.workflow.getHandle(`fairness-${taskQueue}-${index}`).result());
          },
        );
        const ofB = finished.flatMap((entry, position) => (entry.tenant === 'B' ? [{ position: position + 1, atMs: entry.atMs }] : []));
        return {
          positionsOfB: distribution(ofB.map((entry) => entry.position)),
          latencyOfBMs: distribution(ofB.map((entry) => entry.atMs)),
          allServedMs: Math.round(finished.at(-1)?.atMs ?? 0),
        };
      };
      const burst = (priorityOfA: Priority, priorityOfB: Priority) => [
        ...Array.from({ length: burstOrders }, () => ({ tenant: 'A' as const, priority: priorityOfA })),
        ...Array.from({ length: liveOrders }, () => ({ tenant: 'B' as const, priority: priorityOfB })),
      ];
      const liveOfB = tenantPriority('tenant-b', 'live');
      options.log?.(`fairness: tenant B's ${liveOrders} orders alone`);
      const alone = await serve(burst(liveOfB, liveOfB).filter((order) => order.tenant === 'B'));
      options.log?.(`fairness: B's ${liveOrders} queued behind tenant A's backfill of ${burstOrders}, as the product starts them`);
      const backfill = await serve(burst(tenantPriority('tenant-a', 'bulk'), liveOfB));
      options.log?.(`fairness: B's ${liveOrders} queued behind tenant A's ${burstOrders} live orders, tenant as fairness key`);
      const fair = await serve(burst(tenantPriority('tenant-a', 'live'), liveOfB));
      options.log?.(`fairness: the same without a fairness key (first come, first served)`);
      const ratioToAlone = (scenario: Scenario) => round(scenario.latencyOfBMs.p99 / Math.max(1, alone.latencyOfBMs.p99), 2);
      const withoutKey = (priority: Priority): Priority => ({ priorityKey: priority.priorityKey });
      const unfair = await serve(burst(withoutKey(tenantPriority('tenant-a', 'live')), withoutKey(liveOfB)));
      return {
        burstOrders,
        liveOrders,
        workMs,
        workerSlots: slots,
        bAlone: alone,
        bBehindBackfill: backfill,
        bBehindBurstWithFairness: fair,
        bBehindBurstWithoutFairness: unfair,
        p99LatencyRatioToAlone: {
          behindBackfill: ratioToAlone(backfill),
          withFairness: ratioToAlone(fair),
          withoutFairness: ratioToAlone(unfair),
        },
        goal: { behindBackfillAtMost: 2, met: ratioToAlone(backfill) <= 2 },
        how: "every order's workflows started (A's, then B's) and queued (the task queue's backlog counted) before one worker polls; backfill: A's workflows started in the bulk lane (priority key 4, as order discovery starts a sweep's or backfill's orders), B's in the live lane (2), the tenant as fairness key; burst: A's and B's both live; each order = a workflow task + an activity waiting workMs; positions = finishing order among all; latency = worker start → the order's activity done, in the bench process; dev server with matching.enableFairness=true, the queue's default 4 partitions",
      };
    } finally {
      await connection.close();
    }
  } finally {
    await servers.stop();
  }
}
