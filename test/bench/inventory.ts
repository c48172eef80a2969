import { pathToFileURL } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import {
  inventoryReconcileWorkflowId,
  type InventoryReconcileInput,
  type InventoryReport,
} from '../../workflows/inventory-reconcile-contract.js';
import { demoTenant } from '../../sandbox/demo-tenant.js';
import { distribution } from './stats.js';
import { control, mb, peakRssOf, sampled, withSandboxWorker } from './sandbox-worker.js';

export interface InventoryBenchOptions {
  /** Generated SKUs in both sandboxes (besides the demo catalogue). */
  skus: number;
  log?: (line: string) => void;
  /** A running Temporal frontend; a dev server is started when absent. */
  temporalAddress?: string;
  /** A running MongoDB-wire server; FerretDB is started when absent. */
  mongoUri?: string;
  /** Every n-th generated SKU has drifted in the storefront. Default 10 (10 %). */
  driftEvery?: number;
}

/** Seconds of the first run left out of `heapKeptAfterWarmUpMb`. */
const warmUpSeconds = 10;

interface BigCommerceState {
  inventoryWrites: { maxInFlight: number; committed: number; itemsCommitted: number };
  rateLimit: { requestsPerWindow: number; windowMs: number; refused: number; peakInWindow: number };
}

/**
 * One InventoryReconcile over `skus` generated SKUs (every `driftEvery`-th drifted in the
 * BigCommerce sandbox), then a second one with nothing changed, by the product's worker in this
 * process against the Intacct and BigCommerce sandboxes in a child process (so their catalogues
 * stay out of the measured memory). Temporal and MongoDB are the ones given, or started here.
 * Returns each run's figures: duration, pages, batches, pushed, Intacct transactions, history,
 * the storefront's requests and 429s, and this process's peak RSS and heap during the run.
 */
export async function runInventoryBench(options: InventoryBenchOptions): Promise<Record<string, unknown>> {
  const log = options.log ?? (() => undefined);
  const driftEvery = options.driftEvery ?? 10;
  let seedMs = 0;
  return withSandboxWorker(
    {
      name: 'inventory',
      temporalAddress: options.temporalAddress,
      mongoUri: options.mongoUri,
      log,
      seed: async (urls) => {
        const seedStarted = performance.now();
        await control(urls.intacct, 'POST', '/__control/reset', { extraItems: options.skus });
        await control(urls.bigcommerce, 'POST', '/_control/reset', { extraProducts: options.skus, extraStock: { modulo: 97, driftEvery } });
        seedMs = Math.round(performance.now() - seedStarted);
        log(`seeded ${options.skus} SKUs in both sandboxes in ${seedMs} ms`);
      },
      // A yearly schedule: nothing but the benchmark starts a reconciliation.
      settings: (current) => ({ ...current, inventory: { ...current.inventory, enabled: true, schedule: '0 3 1 1 *' } }),
    },
    async ({ urls, config, client, worker, transactions, suffix, sandboxesPid }) => {
      const baseline = process.memoryUsage();

      const reconcile = async (label: string) => {
        const workflowId = `${inventoryReconcileWorkflowId(demoTenant.id)}:bench-${label}-${suffix}`;
        const transactionsBefore = transactions.total(demoTenant.id);
        const stateBefore = (await control(urls.bigcommerce, 'GET', '/_control/state')) as BigCommerceState;
        const runStarted = performance.now();
        const {
          result: report,
          peakRssMb,
          peakHeapUsedMb,
          heapAfterFullGcMb,
          heapAfterForcedGcMb,
        } = await sampled(
          () =>
            client.workflow.execute('inventoryReconcile', {
              workflowId,
              taskQueue: config.temporal.taskQueue,
              args: [{ tenantId: demoTenant.id } satisfies InventoryReconcileInput],
            }) as Promise<InventoryReport>,
        );
        const durationMs = Math.round(performance.now() - runStarted);
        const state = (await control(urls.bigcommerce, 'GET', '/_control/state')) as BigCommerceState;
        const runs: Array<{ historyLength: number; historySize?: number }> = [];
        for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(execution);
        const figures = {
          durationMs,
          reportDurationMs: report.durationMs,
          skusPerSecond: Math.round((report.compared / durationMs) * 1000),
          pages: report.pages,
          intacctItems: report.intacctItems,
          compared: report.compared,
          changed: report.changed,
          batches: report.batches,
          pushed: report.pushed,
          failed: report.failed,
          intacctTransactions: report.intacctTransactions,
          intacctTransactionsCounted: transactions.total(demoTenant.id) - transactionsBefore,
          continueAsNewRuns: report.generations,
          largestRunHistoryEvents: Math.max(...runs.map((run) => run.historyLength)),
          largestRunHistoryKb: Math.round(Math.max(...runs.map((run) => run.historySize ?? 0)) / 1024),
          storefrontWritesCommitted: state.inventoryWrites.committed - stateBefore.inventoryWrites.committed,
          storefrontWritesMaxInFlight: state.inventoryWrites.maxInFlight,
          storefront429s: state.rateLimit.refused,
          storefrontPeakRequestsInWindow: `${state.rateLimit.peakInWindow}/${state.rateLimit.requestsPerWindow} per ${state.rateLimit.windowMs} ms`,
          peakRssMb,
          peakHeapUsedMb,
          heapAfterFullGcMb,
          ...(heapAfterForcedGcMb && { heapAfterForcedGcMb: distribution(heapAfterForcedGcMb.map((forced) => forced.mb)) }),
        };
        log(`${label} run: ${JSON.stringify(figures)}`);
        return { ...figures, forced: heapAfterForcedGcMb ?? [] };
      };

      const { first: firstWithSamples, second: secondWithSamples } = await worker.runUntil(async () => ({
        first: await reconcile('first'),
        second: await reconcile('second'),
      }));
      const { forced: firstForced, ...first } = firstWithSamples;
      const { forced: secondForced, ...second } = secondWithSamples;
      // Warm-up is the first seconds of the first run: the workflow bundle's first use, the
      // connections, the JIT. What the worker keeps after that must not depend on the catalogue.
      const afterWarmUp = [...firstForced.filter((forced) => forced.atSeconds >= warmUpSeconds), ...secondForced].map(
        (forced) => forced.mb,
      );
      const drifted = Math.floor(options.skus / driftEvery);
      return {
        skus: options.skus,
        driftedSkus: drifted,
        seedMs,
        durationMs: first.durationMs,
        pages: first.pages,
        batches: first.batches,
        pushed: first.pushed,
        intacctTransactions: first.intacctTransactions,
        peakRssMb: first.peakRssMb,
        peakHeapUsedMb: first.peakHeapUsedMb,
        heapAfterFullGcMb: first.heapAfterFullGcMb,
        ...(afterWarmUp.length > 0 && { heapKeptAfterWarmUpMb: { ...distribution(afterWarmUp), warmUpSeconds } }),
        baselineRssMb: mb(baseline.rss),
        baselineHeapUsedMb: mb(baseline.heapUsed),
        sandboxesPeakRssMb: await peakRssOf(sandboxesPid),
        first,
        second,
        note: 'worker, Temporal client and bench in one process (RSS includes the workflow bundle and V8); sandboxes in a child process; Temporal dev server and FerretDB on the same machine',
      };
    },
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // The SDK's INFO lines (bundle, worker state) would bury the figures; a caller such as `npm run bench` installs its own.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  const figures = await runInventoryBench({
    skus: Number(argument('skus') ?? 10_000),
    ...(argument('drift-every') !== undefined && { driftEvery: Number(argument('drift-every')) }),
    ...(process.env.TEMPORAL_ADDRESS !== undefined && { temporalAddress: process.env.TEMPORAL_ADDRESS }),
    ...(process.env.MONGODB_URI !== undefined && { mongoUri: process.env.MONGODB_URI }),
    log: (line) => process.stderr.write(`[bench:inventory] ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
