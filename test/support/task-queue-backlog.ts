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

/** The largest backlog a task queue held while sampled, and the age of its oldest task then. */
export interface BacklogPeak {
  count: number;
  oldestSeconds: number;
}

/**
 * Samples the workflow and activity backlogs of `taskQueue` every `intervalMs` until `stop()`,
 * which gives each kind's peak: which of the two a load queues on (workflow tasks behind
 * signals, or activity tasks behind looks) and how long a task waited there.
 */
export function sampleBacklogs(
  client: Client,
  namespace: string,
  taskQueue: string,
  intervalMs = 2_000,
): { stop(): Promise<{ workflow: BacklogPeak; activity: BacklogPeak; samples: number }> } {
  const kinds = proto.temporal.api.enums.v1.TaskQueueType;
  const peaks = { workflow: { count: 0, oldestSeconds: 0 }, activity: { count: 0, oldestSeconds: 0 } };
  let samples = 0;
  let stopped = false;
  const sampleOnce = async () => {
    for (const [kind, type] of [
      ['workflow', kinds.TASK_QUEUE_TYPE_WORKFLOW],
      ['activity', kinds.TASK_QUEUE_TYPE_ACTIVITY],
    ] as const) {
      const { stats } = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: type,
        reportStats: true,
      });
      const peak = peaks[kind];
      peak.count = Math.max(peak.count, Number(stats?.approximateBacklogCount ?? 0));
      peak.oldestSeconds = Math.max(peak.oldestSeconds, Number(stats?.approximateBacklogAge?.seconds ?? 0));
    }
    samples += 1;
  };
  const loop = (async () => {
    while (!stopped) {
      // A sample the loaded server did not answer is skipped: the peaks are what was seen.
      await sampleOnce().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { ...peaks, samples };
    },
  };
}
