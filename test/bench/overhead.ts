import fs from 'node:fs/promises';
import path from 'node:path';
import { findFreePort } from '../../sandbox/runtime/servers.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { startProcessStack, type ProcessStack } from '../support/process-stack.js';
import { liftStoreQuota, probeOrderToCash, runOrderToCashBench } from './order-to-cash.js';
import { round } from './stats.js';
import type { AckStream } from './ack-goal.js';
import { runWebhookAckBench } from './webhook-ack.js';

export interface OverheadOptions {
  orders: number;
  concurrency: number;
  rate: number;
  durationSeconds: number;
  temporalAddress?: string;
  mongoUri?: string;
  workDir: string;
  log: (line: string) => void;
}

interface VariantFigures {
  ordersPerSecond: number;
  ordersPerSecondToDocument: number;
  placedToPostedP50Ms: number;
  /** The receiver's acknowledgements (no floor: both variants are compared with each other). */
  webhookAck: AckStream;
}

/** Reads both `/metrics` endpoints every second, as Prometheus would, until stopped; counts the scrapes that answered 200. */
function scrapeEverySecond(urls: string[]): { stop(): Promise<number> } {
  let scrapes = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const url of urls) {
        const response = await fetch(url).catch(() => undefined);
        if (response?.status === 200) scrapes += 1;
        await response?.text();
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return scrapes;
    },
  };
}

/** One variant's run; `watch` starts on the running stack (the scraper) and is stopped before the stack closes. */
async function runVariant(
  name: 'off' | 'on',
  environment: Record<string, string>,
  options: OverheadOptions,
  watch?: (stack: ProcessStack) => { stop(): Promise<number> },
): Promise<VariantFigures & { watched: number }> {
  const workDir = path.join(options.workDir, `overhead-${name}`);
  await fs.mkdir(workDir, { recursive: true });
  let stack: ProcessStack | undefined;
  let watching: { stop(): Promise<number> } | undefined;
  try {
    stack = await startProcessStack({
      storefronts: ['bigcommerce'],
      workDir,
      log: options.log,
      environment,
      ...(options.temporalAddress !== undefined && { temporalAddress: options.temporalAddress }),
      ...(options.mongoUri !== undefined && { mongoUri: options.mongoUri }),
    });
    await liftStoreQuota(stack);
    watching = watch?.(stack);
    options.log(`overhead (${name}): probe order to warm the worker`);
    const probe = await probeOrderToCash(stack, options.log);
    options.log(`overhead (${name}): ${options.orders} orders, ${options.concurrency} placed at once`);
    const product = await runOrderToCashBench(stack, {
      orders: options.orders,
      placeConcurrency: options.concurrency,
      timeoutMs: Math.max(180_000, options.orders * 5_000),
      log: options.log,
    });
    options.log(`overhead (${name}): webhook acknowledgement, ${options.rate} requests/s for ${options.durationSeconds} s`);
    const ack = await runWebhookAckBench(stack, {
      rate: options.rate,
      durationSeconds: options.durationSeconds,
      orderIds: product.orderIds.length > 0 ? product.orderIds : [probe.orderId],
      floor: false,
      ordersPerSecond: 0,
    });
    return {
      watched: (await watching?.stop()) ?? 0,
      ordersPerSecond: product.ordersPerSecond,
      ordersPerSecondToDocument: product.ordersPerSecondToDocument,
      placedToPostedP50Ms: product.latencyMs.placedToPosted.p50,
      webhookAck: ack.receiver,
    };
  } finally {
    await watching?.stop();
    await stack?.close();
  }
}

/**
 * What metrics, tracing and the payload codec cost: the same order load and webhook
 * acknowledgement run twice, each on a fresh process stack (API and worker processes, dev server,
 * FerretDB, sandboxes). "off": payloads unencrypted (PAYLOAD_CODEC_DISABLED), no OTLP endpoint,
 * nobody reading `/metrics`. "on": payloads encrypted, every request, workflow, activity and
 * vendor call traced and exported to a local OTLP/HTTP collector, and both `/metrics` endpoints
 * scraped every second. The series themselves are counted in both (the product has no switch for
 * them; they are in-memory increments).
 */
export async function runOverheadBench(options: OverheadOptions): Promise<Record<string, unknown>> {
  const { watched: _none, ...off } = await runVariant(
    'off',
    { PAYLOAD_CODEC_DISABLED: 'true', WORKER_METRICS_PORT: String(await findFreePort()) },
    options,
  );
  const collector = await startOtlpReceiver();
  const workerMetricsPort = await findFreePort();
  let on: VariantFigures & { watched: number };
  try {
    on = await runVariant(
      'on',
      { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, WORKER_METRICS_PORT: String(workerMetricsPort) },
      options,
      (stack) => scrapeEverySecond([`${stack.apiUrl}/metrics`, `http://127.0.0.1:${workerMetricsPort}/metrics`]),
    );
  } finally {
    await collector.close();
  }
  const { watched: scrapes, ...onFigures } = on;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : round(a / b, 3));
  return {
    off,
    on: { ...onFigures, spansExported: collector.spans.length, metricsScrapes: scrapes },
    throughputRatio: ratio(on.ordersPerSecond, off.ordersPerSecond),
    throughputRatioToDocument: ratio(on.ordersPerSecondToDocument, off.ordersPerSecondToDocument),
    webhookAckP50Ratio: ratio(on.webhookAck.latencyMs.p50, off.webhookAck.latencyMs.p50),
    webhookAckP99Ratio: ratio(on.webhookAck.latencyMs.p99, off.webhookAck.latencyMs.p99),
    how: 'the same order load and webhook acknowledgement on two fresh process stacks, one after the other. off: PAYLOAD_CODEC_DISABLED, no OTEL_EXPORTER_OTLP_ENDPOINT, /metrics never read. on: payloads AES-256-GCM encrypted, traces exported over OTLP/HTTP to a collector in the bench process, the API and worker /metrics scraped every second. Metric series are counted in both (no switch). throughputRatio = on orders/s ÷ off orders/s (1 = no cost); the ack ratios are on ÷ off latency (1 = no cost)',
  };
}
