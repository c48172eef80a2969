import type { RuntimeOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import type { Config } from '../config/index.js';
import type { Logger } from '../config/logger.js';
import { IntacctUsageMeter, type IntacctBudgetCrossingListener } from '../observability/intacct-usage-meter.js';
import { createWorkerMetrics, type WorkerGaugeSources, type WorkerMetrics } from '../observability/metrics.js';
import { serveMetrics, type RunningMetricsServer } from '../observability/metrics-server.js';
import { raiseIntacctBudgetAlert } from '../store/alert-outbox.js';
import { countOpenAttention } from '../store/attention.js';
import { intacctUsageMonth, listIntacctUsageOfMonth } from '../store/intacct-usage.js';
import type { AttentionEvents } from '../activities/attention-events.js';

/**
 * The Temporal SDK's own metrics (task slots, polls, schedule-to-start and execution latencies,
 * `temporal_…`) on its Prometheus endpoint, when TEMPORAL_METRICS_ADDRESS names one; durations
 * in seconds, as Prometheus expects. The SDK binds it itself, in the worker process.
 */
export function temporalTelemetryOptions(metrics: Config['metrics']): RuntimeOptions['telemetryOptions'] {
  if (metrics.temporalSdkAddress === undefined) return undefined;
  return {
    metrics: {
      metricPrefix: 'temporal_',
      prometheus: { bindAddress: metrics.temporalSdkAddress, useSecondsForDurations: true, countersTotalSuffix: true },
    },
  };
}

/** The figures every worker reads from MongoDB at a scrape. */
export function storedGaugeSources(db: Db, now: () => Date = () => new Date()): WorkerGaugeSources {
  return {
    openAttention: () => countOpenAttention(db),
    intacctMonthUsage: async () =>
      (await listIntacctUsageOfMonth(db, intacctUsageMonth(now()))).map((usage) => ({
        tenantId: usage.tenantId,
        transactions: usage.transactions,
        budget: usage.budget,
      })),
  };
}

/** Attention items opened and resolved, counted by the worker's series. */
export function countedAttentionEvents(metrics: WorkerMetrics): AttentionEvents {
  return {
    opened: (item) => metrics.attentionOpened.inc({ tenant: item.tenantId, entity: item.entity, code: item.code }),
    resolved: (item) => metrics.attentionResolved.inc({ tenant: item.tenantId, entity: item.entity, code: item.code }),
  };
}

export interface WorkerObservability {
  metrics: WorkerMetrics;
  /** The process's Intacct transaction counter (hand it to ConnectorClients). */
  intacctUsage: IntacctUsageMeter;
  attentionEvents: AttentionEvents;
  /** The worker's `/metrics`, unless its port could not be bound. */
  server: RunningMetricsServer | undefined;
  /** Adds the pending Intacct counts and closes the endpoint. */
  stop(): Promise<void>;
}

/**
 * The worker's series, its Intacct usage meter and its `GET /metrics` on WORKER_METRICS_HOST:PORT.
 * A port already taken (a second worker on the host) is logged and the worker runs without it:
 * metrics are never a reason not to sync.
 */
export async function startWorkerObservability(options: {
  config: Pick<Config, 'metrics'>;
  db: Db;
  logger: Logger;
  onIntacctBudgetCrossed?: IntacctBudgetCrossingListener;
  flushEveryMs?: number;
}): Promise<WorkerObservability> {
  const { config, db, logger } = options;
  const metrics = createWorkerMetrics(storedGaugeSources(db));
  const intacctUsage = new IntacctUsageMeter({
    db,
    logger,
    transactions: metrics.intacctTransactions,
    crossings: metrics.intacctBudgetCrossings,
    // Told once per tenant, month and threshold across processes; the alert is keyed the same way.
    onThresholdCrossed: async (crossing) => {
      await raiseIntacctBudgetAlert(db, crossing);
      await options.onIntacctBudgetCrossed?.(crossing);
    },
    ...(options.flushEveryMs !== undefined && { flushEveryMs: options.flushEveryMs }),
  }).start();
  let server: RunningMetricsServer | undefined;
  try {
    server = await serveMetrics(metrics.registry, { ...config.metrics.worker, token: config.metrics.token });
    logger.info({ url: server.url }, 'worker metrics listening');
  } catch (error) {
    logger.warn(
      { err: error, host: config.metrics.worker.host, port: config.metrics.worker.port },
      'worker metrics endpoint could not listen (set WORKER_METRICS_PORT); the worker runs without it',
    );
  }
  return {
    metrics,
    intacctUsage,
    attentionEvents: countedAttentionEvents(metrics),
    server,
    async stop() {
      await Promise.allSettled([intacctUsage.stop(), server?.close()]);
    },
  };
}
