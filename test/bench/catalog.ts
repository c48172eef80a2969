import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../../activities/index.js';
import { TenantConnections } from '../../activities/tenant-connections.js';
import { loadConfig } from '../../config/index.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { InMemoryTransactionCounter } from '../../connectors/intacct/index.js';
import { demoTenant, seedDemoTenant } from '../../sandbox/demo-tenant.js';
import { provisionRuntime } from '../../sandbox/runtime/provision.js';
import { findFreePort, startFerretDb, startTemporalDevServer, type LocalServer } from '../../sandbox/runtime/servers.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../../store/database.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../workers/worker.js';
import { catalogSyncWorkflowId, type CatalogSyncInput, type CatalogSyncReport } from '../../workflows/catalog-sync-contract.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';
import { control, peakRssOf, sampled, startSandboxProcess } from './inventory.js';

export interface CatalogBenchOptions {
  /** Generated items in both sandboxes (besides the demo catalogue), the same SKUs, names and prices. */
  items: number;
  /** Every n-th generated item gets a new price in Intacct before the first sync. Default 10 (10 %). */
  changeEvery?: number;
  log?: (line: string) => void;
  temporalAddress?: string;
  mongoUri?: string;
}

interface LoggedRequest {
  method: string;
  path: string;
}

/**
 * Issue 20's catalog figures: a CatalogSync first run over `items` generated items (every
 * `changeEvery`-th repriced in Intacct, so the run has changes to carry), then a second run with
 * nothing changed, which must write nothing. The worker runs in this process against the
 * sandboxes in a child process (their catalogues stay out of the measured memory), as the
 * inventory bench does. Per run: duration, pages, Intacct transactions per page, store requests
 * (reads and writes) per changed item, products written, and peak RSS and heap.
 */
export async function runCatalogBench(options: CatalogBenchOptions): Promise<Record<string, unknown>> {
  const log = options.log ?? (() => undefined);
  const changeEvery = options.changeEvery ?? 10;
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
      workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-catalog-'));
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
      TEMPORAL_TASK_QUEUE: `bench-catalog-${suffix}`,
      MONGODB_DATABASE: `bench_catalog_${suffix}`,
      LOG_LEVEL: 'silent',
    });
    const sandboxProcess = await startSandboxProcess();
    sandboxes = sandboxProcess.child;
    const { urls } = sandboxProcess;

    await control(urls.intacct, 'POST', '/__control/reset', { extraItems: options.items });
    await control(urls.bigcommerce, 'POST', '/_control/reset', { extraProducts: options.items });
    let repriced = 0;
    for (let index = changeEvery; index <= options.items; index += changeEvery) {
      await control(urls.intacct, 'PATCH', `/__control/records/ITEM/SKU-${String(index).padStart(6, '0')}`, {
        fields: { BASEPRICE: '12' },
      });
      repriced += 1;
    }
    log(`seeded ${options.items} items in both sandboxes; ${repriced} repriced in Intacct`);

    const database = openDatabase({ uri: mongoUri, database: config.mongo.database });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
    try {
      await ensureIndexes(database.db);
      const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
      await seedDemoTenant(database.db, cipher, urls);
      const current = (await readSettings(database.db, demoTenant.id))!;
      await writeSettings(
        database.db,
        demoTenant.id,
        {
          ...current.settings,
          catalog: { ...current.settings.catalog, items: { ...current.settings.catalog.items, enabled: true, schedule: '0 3 1 1 *' } },
        },
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

      const storeRequests = async () => {
        const { requests } = (await control(urls.bigcommerce, 'GET', '/_control/requests')) as { requests: LoggedRequest[] };
        const catalog = requests.filter((request) => request.path.includes('/v3/catalog/'));
        return {
          reads: catalog.filter((request) => request.method === 'GET').length,
          writes: catalog.filter((request) => request.method === 'PUT').length,
        };
      };

      const sync = async (label: string) => {
        const before = await storeRequests();
        const transactionsBefore = transactions.total(demoTenant.id);
        const runStarted = performance.now();
        const {
          result: report,
          peakRssMb,
          peakHeapUsedMb,
        } = await sampled(
          () =>
            client.workflow.execute('catalogSync', {
              workflowId: `${catalogSyncWorkflowId(demoTenant.id)}:bench-${label}-${suffix}`,
              taskQueue: config.temporal.taskQueue,
              args: [{ tenantId: demoTenant.id } satisfies CatalogSyncInput],
            }) as Promise<CatalogSyncReport>,
        );
        const durationMs = Math.round(performance.now() - runStarted);
        const after = await storeRequests();
        const changed = report.productsWritten + report.variantsWritten;
        const storeReads = after.reads - before.reads;
        const storeWrites = after.writes - before.writes;
        const figures = {
          durationMs,
          itemsPerSecond: Math.round((report.intacctItems / durationMs) * 1000),
          pages: report.pages,
          intacctItems: report.intacctItems,
          changedItems: changed,
          unchanged: report.unchanged,
          failed: report.failed,
          intacctTransactions: report.intacctTransactions,
          intacctTransactionsCounted: transactions.total(demoTenant.id) - transactionsBefore,
          intacctTransactionsPerPage: report.pages === 0 ? 0 : Math.round((report.intacctTransactions / report.pages) * 100) / 100,
          storeReads,
          storeWrites,
          storeRequestsPerChangedItem: changed === 0 ? null : Math.round(((storeReads + storeWrites) / changed) * 100) / 100,
          storeWritesPerChangedItem: changed === 0 ? null : Math.round((storeWrites / changed) * 100) / 100,
          continueAsNewRuns: report.generations,
          peakRssMb,
          peakHeapUsedMb,
        };
        log(`${label} sync: ${JSON.stringify(figures)}`);
        return figures;
      };

      const { first, second } = await worker.runUntil(async () => ({ first: await sync('first'), second: await sync('second') }));
      await workerConnection.close();
      if (second.storeWrites !== 0) throw new Error(`the no-change second sync wrote to the store ${second.storeWrites} times`);
      return {
        items: options.items,
        repricedInIntacct: repriced,
        first,
        second,
        sandboxesPeakRssMb: await peakRssOf(sandboxes.pid),
        note: 'worker, Temporal client and bench in one process; sandboxes in a child process; the store at its sandbox quota',
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
