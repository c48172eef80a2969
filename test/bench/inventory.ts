import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { TenantConnections } from '../../activities/tenant-connections.js';
import { loadConfig } from '../../config/index.js';
import { InMemoryTransactionCounter } from '../../connectors/intacct/index.js';
import { demoTenant, seedDemoTenant } from '../../sandbox/demo-tenant.js';
import { provisionRuntime } from '../../sandbox/runtime/provision.js';
import { findFreePort, startFerretDb, startTemporalDevServer, type LocalServer } from '../../sandbox/runtime/servers.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../../store/database.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../workers/worker.js';
import {
  inventoryReconcileWorkflowId,
  type InventoryReconcileInput,
  type InventoryReport,
} from '../../workflows/inventory-reconcile-contract.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';
import { productDataConverter } from '../../config/payload-encryption.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

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

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Peak RSS and heap of this process, sampled every 100 ms while `body` runs. */
export async function sampled<T>(body: () => Promise<T>): Promise<{ result: T; peakRssMb: number; peakHeapUsedMb: number }> {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await body();
    sample();
    return { result, peakRssMb: mb(peakRss), peakHeapUsedMb: mb(peakHeap) };
  } finally {
    clearInterval(timer);
  }
}

/** Peak RSS of another process (Linux `VmHWM`), when it can be read. */
export async function peakRssOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the sandboxes' process and reads their URLs from its first line. */
export async function startSandboxProcess(): Promise<{ child: ChildProcess; urls: { intacct: string; bigcommerce: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'inventory-sandboxes.ts')], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const urls = await new Promise<{ intacct: string; bigcommerce: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandboxes' process exited (${code}) before it was ready`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as { intacct: string; bigcommerce: string }));
  });
  return { child, urls };
}

export async function control(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${route}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

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
  const started: LocalServer[] = [];
  let workDir: string | undefined;
  let sandboxes: ChildProcess | undefined;
  try {
    let { temporalAddress, mongoUri } = options;
    const base = loadConfig();
    if (temporalAddress === undefined || mongoUri === undefined) {
      const binaries = await provisionRuntime({
        runtimeDir: base.runtime.dir,
        need: { temporalCli: temporalAddress === undefined, temporalTestServer: false, ferretDb: mongoUri === undefined },
        log,
      });
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-inventory-'));
      const dir = workDir;
      const [temporal, mongo] = await Promise.all([
        temporalAddress === undefined
          ? startTemporalDevServer({
              cliPath: binaries.temporalCli,
              port: await findFreePort(),
              uiPort: undefined,
              databaseFile: undefined,
              namespace: base.temporal.namespace,
              searchAttributes: searchAttributeRegistrations,
              logFile: path.join(dir, 'temporal.log'),
            })
          : undefined,
        mongoUri === undefined
          ? startFerretDb({
              ferretDbPath: binaries.ferretDb,
              port: await findFreePort(),
              dataDir: path.join(dir, 'ferretdb'),
              logFile: path.join(dir, 'ferretdb.log'),
            })
          : undefined,
      ]);
      if (temporal) started.push(temporal);
      if (mongo) started.push(mongo);
      temporalAddress ??= temporal!.address;
      mongoUri ??= mongo!.uri;
    }

    const suffix = randomUUID().slice(0, 8);
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongoUri,
      TEMPORAL_TASK_QUEUE: `bench-inventory-${suffix}`,
      MONGODB_DATABASE: `bench_inventory_${suffix}`,
      LOG_LEVEL: 'silent',
    });
    const sandboxProcess = await startSandboxProcess();
    sandboxes = sandboxProcess.child;
    const { urls } = sandboxProcess;

    const seedStarted = performance.now();
    await control(urls.intacct, 'POST', '/__control/reset', { extraItems: options.skus });
    await control(urls.bigcommerce, 'POST', '/_control/reset', { extraProducts: options.skus, extraStock: { modulo: 97, driftEvery } });
    const seedMs = Math.round(performance.now() - seedStarted);
    log(`seeded ${options.skus} SKUs in both sandboxes in ${seedMs} ms`);

    const database = openDatabase({ uri: mongoUri, database: config.mongo.database });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
    try {
      await ensureIndexes(database.db);
      const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
      await seedDemoTenant(database.db, cipher, urls);
      const current = (await readSettings(database.db, demoTenant.id))!;
      // A yearly schedule: nothing but the benchmark starts a reconciliation.
      await writeSettings(
        database.db,
        demoTenant.id,
        { ...current.settings, inventory: { ...current.settings.inventory, enabled: true, schedule: '0 3 1 1 *' } },
        { expectedVersion: current.version, changedBy: 'bench' },
      );

      const transactions = new InMemoryTransactionCounter();
      const connections = new TenantConnections({
        db: database.db,
        cipher,
        connectors: new ConnectorClients({ endpoints: sandboxEndpoints(urls), intacctTransactionCounter: transactions }),
      });
      const workerConnection = await connectWorkerToTemporal(config);
      const worker = await createProductWorker({
        config,
        connection: workerConnection,
        activities: createActivities({ db: database.db, connections, temporal: { client, taskQueue: config.temporal.taskQueue } }),
      });
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
        };
        log(`${label} run: ${JSON.stringify(figures)}`);
        return figures;
      };

      const { first, second } = await worker.runUntil(async () => ({ first: await reconcile('first'), second: await reconcile('second') }));
      await workerConnection.close();
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
        baselineRssMb: mb(baseline.rss),
        baselineHeapUsedMb: mb(baseline.heapUsed),
        sandboxesPeakRssMb: await peakRssOf(sandboxes.pid),
        first,
        second,
        note: 'worker, Temporal client and bench in one process (RSS includes the workflow bundle and V8); sandboxes in a child process; Temporal dev server and FerretDB on the same machine',
      };
    } finally {
      await connection.close();
      await database.db.dropDatabase().catch(() => undefined);
      await database.close();
    }
  } finally {
    if (sandboxes && sandboxes.exitCode === null) {
      const exited = new Promise((resolve) => sandboxes!.once('exit', resolve));
      sandboxes.stdin?.end();
      sandboxes.kill('SIGTERM');
      await exited;
    }
    for (const server of started.reverse()) await server.stop().catch(() => undefined);
    if (workDir !== undefined) await fs.rm(workDir, { recursive: true, force: true });
  }
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
