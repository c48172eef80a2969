import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/index.js';
import { productDataConverter } from '../config/payload-encryption.js';
import { temporalAddress, temporalConnectionOptions } from '../config/temporal.js';
import type { createActivities } from '../activities/index.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { ProcessTracing } from '../observability/tracing.js';
import { activityMetrics } from './activity-metrics.js';
import { activityLogsWithoutTaskToken } from './logging.js';
import { workerTracing } from './tracing.js';

const require = createRequire(import.meta.url);

/** The workflow bundle's entry; the worker's webpack bundler resolves the `.ts` sources. */
export const workflowsPath = require.resolve('../workflows/index.ts');

export interface ProductWorkerOptions {
  config: Pick<Config, 'temporal' | 'worker' | 'payloadCodec'>;
  connection: NativeConnection;
  activities: ReturnType<typeof createActivities>;
  /** The worker's series: every activity attempt is measured (see workers/activity-metrics.ts). */
  metrics?: WorkerMetrics;
  /** The process's tracing, when on: workflows and activities become spans of the trace that started them (workers/tracing.ts). */
  tracing?: ProcessTracing | undefined;
  /** Extra options for tests (identity, a prebuilt bundle, ...). */
  overrides?: Partial<WorkerOptions>;
}

export async function connectWorkerToTemporal(config: Pick<Config, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config.temporal, temporalAddress(config.temporal)));
}

/**
 * One worker serving every workflow and activity of the product on the configured task queue.
 * Payloads are encrypted (config/payload-encryption.ts). Activity log lines leave out Temporal task tokens, with `metrics` every activity attempt is
 * measured, and with `tracing` workflows and activities are traced (interceptors a test adds come after).
 */
export async function createProductWorker(options: ProductWorkerOptions): Promise<Worker> {
  const { config, overrides } = options;
  const tracing = options.tracing && workerTracing(options.tracing);
  return Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath,
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds} seconds`,
    dataConverter: productDataConverter(config),
    ...overrides,
    ...(tracing && { sinks: { ...overrides?.sinks, ...tracing.sinks } }),
    interceptors: {
      ...overrides?.interceptors,
      ...(tracing && { workflowModules: [...tracing.workflowModules, ...(overrides?.interceptors?.workflowModules ?? [])] }),
      activity: [
        // Outermost, so the activity's span covers what the other interceptors measure and log.
        ...(tracing?.activity ?? []),
        activityLogsWithoutTaskToken,
        ...(options.metrics ? [activityMetrics(options.metrics)] : []),
        ...(overrides?.interceptors?.activity ?? []),
      ],
    },
  });
}
