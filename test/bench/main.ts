import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { MongoError, MongoNetworkTimeoutError, MongoServerSelectionError } from 'mongodb';
import { loadConfig, projectRoot } from '../../config/index.js';
import { startProcessStack, type ProcessStack } from '../support/process-stack.js';
import { runCatalogBench } from './catalog.js';
import { runConsoleSyncLogBench } from './console-sync-log.js';
import { runFloorBench } from './floor.js';
import { runMappingBench } from './mapping.js';
import { runOverheadBench } from './overhead.js';
import { runAnomalyBench } from './anomalies.js';
import { liftStoreQuota, probeOrderToCash, runOrderToCashBench } from './order-to-cash.js';
import { runMemoryCurve } from './memory-curve.js';
import { inventoryMemoryBound } from './memory-bound.js';
import { runQuotaCheck } from './quota.js';
import { round } from './stats.js';
import { runWebhookAckBench } from './webhook-ack.js';
import { runWebhookBurstBench } from './webhook-burst.js';
import { runTenantFairnessBench } from './tenant-fairness.js';

/**
 * `npm run bench`: the product's performance figures in one run on this machine, printed as one
 * JSON document on stdout (progress on stderr). Flags:
 *
 *   --orders N        orders through OrderToCash, and as many floor workflows (default 200)
 *   --concurrency C   orders placed / floor workflows started at once (default 20)
 *   --rate R          webhook deliveries per second for the acknowledgement test, and as many
 *                     requests to its floor (default 100)
 *   --duration S      seconds of that test (default 60)
 *   --ack-orders-rate R  orders placed per second during it, so orders keep posting (default 1)
 *   --skus A,B        inventory reconciliation sizes (default 10000,100000,300000: issue 23's memory comparison)
 *   --only LIST       any of orders,ack,burst,fairness,inventory,mapping,console,overhead,catalog,quota,memory
 *                     (default all)
 *   --burst-rate R    webhook deliveries per second of the burst, each a new order (default 100)
 *   --burst-duration S  seconds of the burst (default 20)
 *   --fairness-burst N  tenant A's orders queued ahead of tenant B's 20 in the fairness figure (default 2000)
 *   --quota-orders N  orders of the three-worker quota check (default 60)
 *   --quota-workers N worker processes of that check (default 3)
 *   --memory-minutes M  length of the worker memory curve's run (default 10)
 *   --memory-rate R   orders per second during it (default 1)
 *   --memory-cache N  its worker's WORKER_MAX_CACHED_WORKFLOWS, reached early in the run so the curve shows the cap holding (default 100)
 *   --overhead-orders N  orders per variant of the overhead figure (default 50)
 *   --catalog-items N items behind the catalog sync figures (default 10000)
 *   --log-entries N   ledger entries behind the console's sync-log figure (default 100000)
 *
 * Each inventory size runs in a process of its own, after the order figures' stack has stopped,
 * so its peak memory is its own.
 *
 * TEMPORAL_ADDRESS and MONGODB_URI, when set, name servers to use instead of starting them.
 */
const sections = [
  'orders',
  'ack',
  'burst',
  'fairness',
  'inventory',
  'mapping',
  'console',
  'overhead',
  'catalog',
  'quota',
  'memory',
] as const;
type Section = (typeof sections)[number];

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '20' },
    rate: { type: 'string', default: '100' },
    duration: { type: 'string', default: '60' },
    'ack-orders-rate': { type: 'string', default: '1' },
    'burst-rate': { type: 'string', default: '100' },
    'burst-duration': { type: 'string', default: '20' },
    'fairness-burst': { type: 'string', default: '2000' },
    skus: { type: 'string', default: '10000,100000,300000' },
    'log-entries': { type: 'string', default: '100000' },
    'overhead-orders': { type: 'string', default: '50' },
    'catalog-items': { type: 'string', default: '10000' },
    'quota-orders': { type: 'string', default: '60' },
    'quota-workers': { type: 'string', default: '3' },
    'memory-minutes': { type: 'string', default: '10' },
    'memory-rate': { type: 'string', default: '1' },
    'memory-cache': { type: 'string', default: '100' },
    only: { type: 'string', default: sections.join(',') },
    // Internal: run the inventory sizes in this process (the parent starts one such child per size).
    'in-process': { type: 'boolean', default: false },
  },
});

const positive = (name: string, value: string | undefined): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive whole number (got ${value})`);
  return number;
};
const orders = positive('orders', values.orders);
const concurrency = positive('concurrency', values.concurrency);
const rate = positive('rate', values.rate);
const durationSeconds = positive('duration', values.duration);
const ackOrdersRate = Number(values['ack-orders-rate']);
if (!(ackOrdersRate >= 0) || !Number.isFinite(ackOrdersRate))
  throw new Error(`--ack-orders-rate must be a number of at least 0 (got ${values['ack-orders-rate']})`);
const burstRate = positive('burst-rate', values['burst-rate']);
const burstDurationSeconds = positive('burst-duration', values['burst-duration']);
const fairnessBurst = positive('fairness-burst', values['fairness-burst']);
const logEntries = positive('log-entries', values['log-entries']);
const overheadOrders = positive('overhead-orders', values['overhead-orders']);
const catalogItems = positive('catalog-items', values['catalog-items']);
const quotaOrders = positive('quota-orders', values['quota-orders']);
const quotaWorkers = positive('quota-workers', values['quota-workers']);
const memoryMinutes = positive('memory-minutes', values['memory-minutes']);
const memoryCache = positive('memory-cache', values['memory-cache']);
const memoryRate = Number(values['memory-rate']);
if (!(memoryRate > 0) || !Number.isFinite(memoryRate))
  throw new Error(`--memory-rate must be a positive number (got ${values['memory-rate']})`);
const skuSizes = (values.skus ?? '')
  .split(',')
  .filter(Boolean)
  .map((size) => positive('skus', size));
const only = new Set((values.only ?? '').split(',').filter(Boolean));
for (const section of only)
  if (!sections.includes(section as Section)) throw new Error(`--only takes ${sections.join(', ')} (got ${section})`);
const wants = (section: Section) => only.has(section);

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
Runtime.install({ logger: new DefaultLogger('WARN') });
const config = loadConfig();

const report: Record<string, unknown> = {
  environment: {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
    commit: gitCommit(),
    orders,
    concurrency,
    webhookRate: rate,
    ...(wants('overhead') && { overheadOrders }),
    note: 'one run on one machine: compare the ratio and the per-order counts, not the absolute figures, across machines',
  },
};

let stack: ProcessStack | undefined;
// The stack's logs and server files: removed after a run that worked, kept (and named) after one that did not.
const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'storefront-sync-bench-'));
let succeeded = false;
try {
  if (wants('orders') || wants('ack') || wants('burst')) {
    // The acknowledgement floor is an unauthenticated route: its API serves it only for this section.
    stack = await startProcessStack({ storefronts: ['bigcommerce'], benchAckFloor: wants('ack'), ...servers(), workDir, log });
    await liftStoreQuota(stack);
    const workerConcurrency = {
      maxConcurrentActivityTaskExecutions: stack.config.worker.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: stack.config.worker.maxConcurrentWorkflowTasks,
    };
    (report.environment as Record<string, unknown>).workerConcurrency = workerConcurrency;
    (report.environment as Record<string, unknown>).storeQuota =
      "BigCommerce sandbox quota lifted to 1,000,000 requests per 30 s (default 150, a store plan's limit) so the figures measure the product, not the store's plan";

    let postedOrderIds: string[] = [];

    if (wants('orders') || wants('ack')) log('probe order: warming the worker and reading which activities OrderToCash runs');
    const probe = wants('orders') || wants('ack') ? await probeOrderToCash(stack, log) : undefined;

    if (wants('orders') && probe) {
      // The floor runs before and after the product and the ratio takes their mean, so load that
      // drifts during the run (a shared machine) weighs on both sides alike.
      const floorRun = (when: string) => {
        log(`floor (${when}): ${orders} workflows of ${probe.calls.length} no-op activities, ${concurrency} started at once`);
        return runFloorBench({
          client: stack!.client,
          temporalAddress: stack!.temporalAddress,
          namespace: stack!.config.temporal.namespace,
          workflows: orders,
          calls: probe.calls,
          startConcurrency: concurrency,
          ...workerConcurrency,
          log,
        });
      };
      const floorBefore = await floorRun('before the product');
      log(`OrderToCash: ${orders} orders, ${concurrency} placed at once`);
      const product = await runOrderToCashBench(stack, {
        orders,
        placeConcurrency: concurrency,
        timeoutMs: Math.max(180_000, orders * 5_000),
        log,
      });
      postedOrderIds = product.orderIds;
      const floorAfter = await floorRun('after the product');
      const floorRate = (floorBefore.workflowsPerSecond + floorAfter.workflowsPerSecond) / 2;
      const { intacct, storefront, latencyMs, orderIds: _ids, ...throughput } = product;
      report.throughput = {
        ratio: round(throughput.ordersPerSecond / floorRate, 3),
        ratioToDocument: round(throughput.ordersPerSecondToDocument / floorRate, 3),
        product: throughput,
        floor: {
          workflowsPerSecond: round(floorRate, 2),
          activitiesPerWorkflow: probe.calls.length,
          before: floorBefore,
          after: floorAfter,
        },
        how: "product: first order placed in the BigCommerce sandbox → last order posted (its write-back, the last of its activities before the fulfilment watch), orders/s; the store's own webhooks start the workflows through the API. Floor: first start → last close of as many workflows running the same activity sequence (same options and summaries, copied from a real OrderToCash history) as no-ops, on a worker in the bench process with the same slot counts, on the same dev server; run before and after the product, their mean used. ratio = product orders/s ÷ floor workflows/s; ratioToDocument uses the last sales document instead of the last posted order",
      };
      report.webhookToDocumentLatencyMs = {
        ...latencyMs,
        how: "placed = just before the bench's POST /v2/orders; document = the Intacct sandbox's receipt time of the order's create_sotransaction (its request log, the same clock); workflow start and posted = Temporal server event times (same machine)",
      };
      report.intacctTransactions = intacct;
      report.storefrontRequests = storefront;
    }

    if (wants('ack') && probe) {
      if (postedOrderIds.length === 0) postedOrderIds = [probe.orderId];
      report.webhookAck = await runWebhookAckBench(stack, {
        rate,
        durationSeconds,
        orderIds: postedOrderIds,
        floor: true,
        ordersPerSecond: ackOrdersRate,
        log,
      });
    }

    // After the order figures: the burst's workflows park (their orders do not exist) and would weigh on them.
    if (wants('burst')) {
      log(`webhook burst: ${burstRate} deliveries/s for ${burstDurationSeconds} s, each a new order`);
      report.webhookBurst = await runWebhookBurstBench(stack, { rate: burstRate, durationSeconds: burstDurationSeconds, log });
    }

    const peak = await stack.peakMemoryMb();
    report.peakMemoryMb = {
      api: peak.api,
      worker: peak.worker,
      how: 'VmHWM (peak resident set) of the API and worker processes over the whole run above',
    };
  }

  await stack?.close();
  stack = undefined;
  // Pure computation in this process: no servers, figures of issue 21.
  if (wants('mapping') && !values['in-process']) {
    report.mapping = runMappingBench({ log });
    log('anomaly checks: generated history with injected errors');
    report.anomalyChecks = runAnomalyBench();
  }
  if (wants('fairness') && !values['in-process']) {
    log(`tenant fairness: tenant A's ${fairnessBurst} orders queued ahead of tenant B's 20`);
    report.tenantFairness = await runTenantFairnessBench({
      burstOrders: fairnessBurst,
      log,
      ...(config.temporal.address !== undefined && { temporalAddress: config.temporal.address }),
    });
  }
  if (wants('overhead') && !values['in-process']) {
    log(`overhead: ${overheadOrders} orders and the webhook acknowledgement with metrics, tracing and the codec off, then on`);
    report.overhead = await runOverheadBench({
      orders: overheadOrders,
      concurrency,
      rate,
      durationSeconds,
      workDir,
      log,
      ...servers(),
    });
  }
  if (wants('inventory')) report.inventory = values['in-process'] ? await runInventory() : await runInventoryInChildren();
  if (wants('console') && !values['in-process']) {
    log(`console: the sync log page over ${logEntries} ledger entries`);
    report.consoleSyncLog = await runConsoleSyncLogBench({ entries: logEntries, log, ...servers() });
  }
  if (wants('quota') && !values['in-process']) {
    // A stack of its own: several worker processes, the store at a plan's quota (issue 23).
    log(`quota: ${quotaWorkers} worker processes, ${quotaOrders} orders, store quota 150 per 30 s, Intacct 2 per company`);
    stack = await startProcessStack({
      storefronts: ['bigcommerce'],
      workers: quotaWorkers,
      ...servers(),
      workDir: path.join(workDir, 'quota'),
      log,
    });
    report.quota = await runQuotaCheck(stack, {
      orders: quotaOrders,
      storeQuota: { requestsPerWindow: 150, windowMs: 30_000 },
      timeoutMs: Math.max(300_000, quotaOrders * 10_000),
      log,
    });
    await stack.close();
    stack = undefined;
  }
  if (wants('memory') && !values['in-process']) {
    // A stack of its own, so the curve starts from a fresh worker.
    log(
      `memory curve: one worker caching ${memoryCache} workflows, ${memoryRate} orders/s for ${memoryMinutes} min, its memory every 10 s`,
    );
    stack = await startProcessStack({
      storefronts: ['bigcommerce'],
      ...servers(),
      workDir: path.join(workDir, 'memory'),
      environment: { WORKER_MAX_CACHED_WORKFLOWS: String(memoryCache) },
      // The workflows run in the SDK's worker threads: their heap shows only in V8's own trace.
      workerTraceGc: true,
      log,
    });
    report.memoryCurve = await runMemoryCurve(stack, { durationSeconds: memoryMinutes * 60, ordersPerSecond: memoryRate, log });
    await stack.close();
    stack = undefined;
  }
  if (wants('catalog') && !values['in-process']) {
    log(`catalog sync: ${catalogItems} items, a first sync and a no-change second sync`);
    report.catalogSync = await runCatalogBench({ items: catalogItems, log, ...servers() });
  }
  succeeded = true;
} catch (error) {
  // The harness's database client gives up after `harnessDatabaseTimeouts`: say what that means.
  // The pool's WaitQueueTimeoutError is not exported by the driver: known by its name.
  if (
    error instanceof MongoNetworkTimeoutError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof MongoError && error.name === 'WaitQueueTimeoutError')
  )
    log(
      `the bench's database stopped answering (${error.name}: ${error.message}): FerretDB deadlocked or starved (see docs/scale-out.md); its log is with the others below`,
    );
  // The sections that finished are not lost with the one that failed (the run still exits non-zero).
  report.incomplete = `a section failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  throw error;
} finally {
  await stack?.close();
  if (succeeded) await fs.rm(workDir, { recursive: true, force: true });
  else log(`logs kept in ${workDir}`);
}

process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

function servers(): { temporalAddress?: string; mongoUri?: string } {
  return {
    ...(config.temporal.address !== undefined && { temporalAddress: config.temporal.address }),
    ...(config.mongo.uri !== undefined && { mongoUri: config.mongo.uri }),
  };
}

/** Issue 8's reconciliation figures, from `inventory.ts` when it exists, in this process. */
async function runInventory(): Promise<Record<string, unknown>> {
  type InventoryBench = (options: {
    skus: number;
    log?: (line: string) => void;
    temporalAddress?: string;
    mongoUri?: string;
  }) => Promise<Record<string, unknown>>;
  let runInventoryBench: InventoryBench;
  try {
    const modulePath = './inventory.js';
    ({ runInventoryBench } = (await import(modulePath)) as { runInventoryBench: InventoryBench });
  } catch (error) {
    log(`inventory bench not available: ${(error as Error).message}`);
    return { available: false, reason: 'test/bench/inventory.ts (runInventoryBench) is not available' };
  }
  const where = servers();
  const results: Record<string, unknown> = {};
  for (const skus of skuSizes) {
    log(`inventory reconciliation: ${skus} SKUs`);
    results[String(skus)] = await runInventoryBench({ skus, log, ...where });
  }
  return results;
}

/** Each size in a fresh `--in-process` child of this script: its progress on our stderr, its figures merged. */
async function runInventoryInChildren(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const skus of skuSizes) {
    const child = spawn(
      process.execPath,
      // --expose-gc: the child forces a full collection every few seconds to read what it keeps (sandbox-worker.ts `sampled`).
      [
        '--expose-gc',
        '--import',
        'tsx',
        path.join(projectRoot, 'test/bench/main.ts'),
        '--only',
        'inventory',
        '--skus',
        String(skus),
        '--in-process',
      ],
      {
        cwd: projectRoot,
        env: process.env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the ${skus}-SKU inventory bench exited with ${code}`);
    const inventory = (JSON.parse(stdout) as { inventory: Record<string, unknown> }).inventory;
    if (inventory.available === false) return inventory;
    results[String(skus)] = inventory[String(skus)];
  }
  return { ...results, memoryBound: inventoryMemoryBound(results) };
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: projectRoot, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}
