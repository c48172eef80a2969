import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { createActivities } from '../../activities/index.js';
import { TenantConnections } from '../../activities/tenant-connections.js';
import { loadConfig, type Config } from '../../config/index.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { InMemoryTransactionCounter } from '../../connectors/intacct/index.js';
import { demoTenant, seedDemoTenant } from '../../sandbox/demo-tenant.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../../store/database.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../workers/worker.js';
import { harnessDatabaseTimeouts } from '../support/process-stack.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';
import { BenchServers } from './bench-servers.js';

/**
 * The product's worker in this process against the Intacct and BigCommerce sandboxes in a child
 * process (their catalogues stay out of the measured memory): what the inventory and catalog
 * benches share, with the measuring helpers they use.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Peak RSS and heap of this process, sampled every 100 ms while `body` runs, and the heap left
 * after each full (mark-compact) collection. The sampled peak includes garbage not yet
 * collected, so it rises with V8's room between collections, which grows over a long run; the
 * heap after a full collection is what the process keeps, the figure that must not grow with
 * the catalogue. `heapAfterFullGcMb` gives its first, last and largest value over the
 * collections V8 chose to run (none when none ran).
 *
 * V8 runs those when it likes, so at one size they may all fall mid-page and at another between
 * pages. With `--expose-gc` (the bench's inventory children) a full collection is also forced
 * every {@link forcedCollectionEveryMs}: `heapAfterForcedGcMb` is the heap each left and when,
 * the same sampling at every catalogue size.
 */
export const forcedCollectionEveryMs = 2_000;

export async function sampled<T>(body: () => Promise<T>): Promise<{
  result: T;
  peakRssMb: number;
  peakHeapUsedMb: number;
  heapAfterFullGcMb?: { first: number; last: number; peak: number; collections: number };
  heapAfterForcedGcMb?: Array<{ atSeconds: number; mb: number }>;
}> {
  let peakRss = 0;
  let peakHeap = 0;
  const afterFullGc: number[] = [];
  const afterForcedGc: Array<{ atSeconds: number; mb: number }> = [];
  const started = performance.now();
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number; flags?: number } }).detail;
      const forced = ((detail?.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0;
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR && !forced) afterFullGc.push(process.memoryUsage().heapUsed);
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  const collect = (globalThis as { gc?: () => void }).gc;
  const forcing =
    collect &&
    setInterval(() => {
      collect();
      afterForcedGc.push({ atSeconds: Math.round((performance.now() - started) / 100) / 10, mb: mb(process.memoryUsage().heapUsed) });
    }, forcedCollectionEveryMs);
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await body();
    sample();
    return {
      result,
      peakRssMb: mb(peakRss),
      peakHeapUsedMb: mb(peakHeap),
      ...(afterFullGc.length > 0 && {
        heapAfterFullGcMb: {
          first: mb(afterFullGc[0]!),
          last: mb(afterFullGc.at(-1)!),
          peak: mb(Math.max(...afterFullGc)),
          collections: afterFullGc.length,
        },
      }),
      ...(collect && { heapAfterForcedGcMb: afterForcedGc }),
    };
  } finally {
    clearInterval(timer);
    if (forcing) clearInterval(forcing);
    collections.disconnect();
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

export interface SandboxUrls {
  intacct: string;
  bigcommerce: string;
}

/** Starts the sandboxes' process and reads their URLs from its first line. */
async function startSandboxProcess(): Promise<{ child: ChildProcess; urls: SandboxUrls }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'inventory-sandboxes.ts')], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const urls = await new Promise<SandboxUrls>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandboxes' process exited (${code}) before it was ready`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as SandboxUrls));
  });
  return { child, urls };
}

async function stopSandboxProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  child.kill('SIGTERM');
  await exited;
}

/** A sandbox control call (`/__control/…` on Intacct's, `/_control/…` on BigCommerce's). */
export async function control(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${route}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** What a bench body measures with: the demo tenant's worker running, and the sandboxes it talks to. */
export interface SandboxWorkerBench {
  urls: SandboxUrls;
  config: Config;
  client: Client;
  db: Db;
  worker: Worker;
  /** Intacct transactions counted at the connector, per tenant. */
  transactions: InMemoryTransactionCounter;
  /** Unique to this run: in workflow ids, the task queue and the database name. */
  suffix: string;
  /** The sandboxes' process, for its peak memory. */
  sandboxesPid: number | undefined;
}

export interface SandboxWorkerOptions {
  /** Names the task queue, database and scratch folder. */
  name: string;
  /** A running Temporal frontend; a dev server is started when absent. */
  temporalAddress?: string | undefined;
  /** A running MongoDB-wire server; FerretDB is started when absent. */
  mongoUri?: string | undefined;
  log: (line: string) => void;
  /** Seeds the sandboxes (through their control routes) before the demo tenant is set up. */
  seed: (urls: SandboxUrls) => Promise<void>;
  /** The demo tenant's settings for the run (enable the flow, on a schedule that never fires during it). */
  settings: (current: TenantSettings) => TenantSettings;
}

/**
 * Runs `body` with the demo tenant set up against freshly seeded sandboxes and the product's
 * worker created (not yet running: the body runs it with `worker.runUntil`), then stops and
 * removes everything it started, the run's database included.
 */
export async function withSandboxWorker<T>(options: SandboxWorkerOptions, body: (bench: SandboxWorkerBench) => Promise<T>): Promise<T> {
  const servers = new BenchServers(options.name, options.log);
  let sandboxes: ChildProcess | undefined;
  try {
    const [temporalAddress, mongoUri] = await Promise.all([servers.temporal(options.temporalAddress), servers.mongo(options.mongoUri)]);
    const suffix = randomUUID().slice(0, 8);
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongoUri,
      TEMPORAL_TASK_QUEUE: `bench-${options.name}-${suffix}`,
      MONGODB_DATABASE: `bench_${options.name}_${suffix}`,
      LOG_LEVEL: 'silent',
    });
    const sandboxProcess = await startSandboxProcess();
    sandboxes = sandboxProcess.child;
    const { urls } = sandboxProcess;
    await options.seed(urls);

    const database = openDatabase({ uri: mongoUri, database: config.mongo.database, ...harnessDatabaseTimeouts });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
    try {
      await ensureIndexes(database.db);
      const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
      await seedDemoTenant(database.db, cipher, urls);
      const current = (await readSettings(database.db, demoTenant.id))!;
      await writeSettings(database.db, demoTenant.id, options.settings(current.settings), {
        expectedVersion: current.version,
        changedBy: 'bench',
      });
      const transactions = new InMemoryTransactionCounter();
      const connections = new TenantConnections({
        db: database.db,
        cipher,
        connectors: new ConnectorClients({ endpoints: sandboxEndpoints(urls), intacctTransactionCounter: transactions }),
      });
      const workerConnection = await connectWorkerToTemporal(config);
      try {
        const worker = await createProductWorker({
          config,
          connection: workerConnection,
          activities: createActivities({ db: database.db, connections, temporal: { client, taskQueue: config.temporal.taskQueue } }),
        });
        return await body({ urls, config, client, db: database.db, worker, transactions, suffix, sandboxesPid: sandboxes.pid });
      } finally {
        await workerConnection.close();
      }
    } finally {
      await connection.close();
      await database.db.dropDatabase().catch(() => undefined);
      await database.close();
    }
  } finally {
    if (sandboxes) await stopSandboxProcess(sandboxes);
    await servers.stop();
  }
}
