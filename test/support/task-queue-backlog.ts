import type { Client } from '@temporalio/client';
// The default import: Node's ESM loader sees no named exports in this CommonJS package (the benches run outside Vitest).
import proto from '@temporalio/proto';

/**
 * Waits until `count` workflow tasks are queued on `taskQueue`. A started workflow's first task
 * reaches the queue a moment after the start returns (the server's transfer queue moves it), so
 * a worker started at once can find only the first-started part of a backlog: what it serves
 * first then says nothing about the queue's ordering.
 */
export async function untilBacklogQueued(
  client: Client,
  namespace: string,
  taskQueue: string,
  count: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stats } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    });
    const backlog = Number(stats?.approximateBacklogCount ?? 0);
    if (backlog >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${backlog} of ${count} workflow tasks reached ${taskQueue} in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
