import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Client } from '@temporalio/client';
import { createFloorActivities } from './floor-activities.js';
import type { FloorActivityCall } from './floor-workflow.js';
import { readHistoryFacts, timeBreakdown, type TimeBreakdown } from './history.js';
import { mapLimit, round } from './stats.js';
import { withTestWorker } from '../support/test-worker.js';

const require = createRequire(import.meta.url);
const floorWorkflowsPath = require.resolve('./floor-workflow.ts');

export interface FloorBenchOptions {
  client: Client;
  temporalAddress: string;
  namespace: string;
  workflows: number;
  calls: FloorActivityCall[];
  /** Started at once, as many as the product's orders placed at once. */
  startConcurrency: number;
  /** The product worker's slots, so both sides run with the same concurrency. */
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
  log: (line: string) => void;
}

export interface FloorRun {
  workflows: number;
  activitiesPerWorkflow: number;
  seconds: number;
  workflowsPerSecond: number;
  /** Where each floor workflow's time went (see the product's `timePerOrder`). */
  timePerWorkflow: TimeBreakdown;
}

/**
 * The bare-Temporal floor: `workflows` floor workflows, each the product's activity sequence as
 * no-ops, on a worker of their own in this process, on the same server, with the product
 * worker's slot counts. One warm-up workflow runs first (bundle, caches), as the product's probe
 * order does. Timed from the first start to the last close the server records.
 */
export async function runFloorBench(options: FloorBenchOptions): Promise<FloorRun> {
  const taskQueue = `bench-floor-${randomUUID().slice(0, 8)}`;
  return withTestWorker(
    {
      address: options.temporalAddress,
      namespace: options.namespace,
      taskQueue,
      workflowsPath: floorWorkflowsPath,
      activities: createFloorActivities(),
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions,
    },
    async () => {
      const run = (id: string) =>
        options.client.workflow.execute('benchFloor', { taskQueue, workflowId: id, args: [{ calls: options.calls }] });
      await run(`bench-floor:${taskQueue}:warm-up`);
      const ids = Array.from({ length: options.workflows }, (_, index) => `bench-floor:${taskQueue}:${index + 1}`);
      const startedAt = Date.now();
      const handles = await mapLimit(ids, options.startConcurrency, (workflowId) =>
        options.client.workflow.start('benchFloor', { taskQueue, workflowId, args: [{ calls: options.calls }] }),
      );
      await Promise.all(handles.map((handle) => handle.result()));
      options.log(`${ids.length} floor workflows done after ${Date.now() - startedAt} ms`);
      const histories = await mapLimit(ids, 8, (workflowId) => readHistoryFacts(options.client, workflowId));
      const seconds = (Math.max(...histories.map((facts) => facts.closedAt ?? Date.now())) - startedAt) / 1000;
      return {
        workflows: ids.length,
        activitiesPerWorkflow: options.calls.length,
        seconds: round(seconds, 2),
        workflowsPerSecond: round(ids.length / seconds, 2),
        timePerWorkflow: timeBreakdown(histories),
      };
    },
  );
}
