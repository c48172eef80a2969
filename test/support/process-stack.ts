import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Db } from 'mongodb';
import { loadConfig, projectRoot, type Config } from '../../config/index.js';
import { demoAdjustmentItems, demoOrderSync } from '../../sandbox/demo-tenant.js';
import { startBigCommerceSandbox, type RunningBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../sandbox/clarity/index.js';
import { startIntacctSandbox, type RunningIntacctSandbox } from '../../sandbox/intacct/index.js';
import { startStripeSandbox, type RunningStripeSandbox } from '../../sandbox/stripe/index.js';
import { provisionRuntime } from '../../sandbox/runtime/provision.js';
import {
  ferretDbStorage,
  findFreePort,
  startFerretDb,
  startTemporalDevServer,
  waitForHttpOk,
  type LocalMongo,
  type LocalTemporal,
} from '../../sandbox/runtime/servers.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { openDatabase, type Database } from '../../store/database.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';
import { eventually } from './eventually.js';
import { heapKeptAllThreadsMb } from './gc-trace.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';
import { sandboxCredentials } from './sandbox-credentials.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { requestJson, type JsonAnswer } from './json-requests.js';

/**
 * Timeouts of the harness's own database client (the bench's and the chaos run's reads and
 * counts): a FerretDB that stops answering (see docs/scale-out.md, its deadlock on SQLite) fails
 * the run within a minute with a timeout naming the database, where the driver would wait for
 * ever. No command of theirs takes near a minute on a healthy database.
 */
export const harnessDatabaseTimeouts = { serverSelectionTimeoutMs: 10_000, socketTimeoutMs: 60_000, waitQueueTimeoutMs: 60_000 };

/**
 * The product as it runs in production, on this machine: the API and the worker as separate
 * Node processes (so a worker can be killed with SIGKILL and memory measured per process),
 * a Temporal dev server with its history on disk (so it can be restarted mid-run), FerretDB,
 * and the three sandboxes in this process. Tenants are created the way an operator creates
 * them: through the admin API. Used by `npm run chaos` and `npm run bench`, and by the tests
 * that run small versions of them.
 */
export interface ProcessStackOptions {
  /** Use this Temporal server instead of starting one (then it cannot be restarted). */
  temporalAddress?: string;
  /** Use this MongoDB instead of starting FerretDB. */
  mongoUri?: string;
  /** Where logs, the dev server's history and FerretDB's files go; a fresh temporary folder by default. */
  workDir?: string;
  /** Storefront tenants to create, one each (default both). */
  storefronts?: Array<StorefrontKind>;
  /** `orderSync` settings merged over the defaults, per storefront. */
  orderSync?: Record<string, unknown>;
  /** Extra environment for the API and worker processes (LOG_LEVEL, WORKER_MAX_CONCURRENT_ACTIVITIES, ...). */
  environment?: Record<string, string>;
  /** Webhook retry delays of the storefront sandboxes (default: their compressed real schedules). */
  webhookRetryScheduleMs?: number[];
  /** Per storefront sandbox, instead of {@link webhookRetryScheduleMs} (their schedules differ: Clarity's starts with the first attempt). */
  webhookRetrySchedules?: { bigcommerce?: number[]; clarity?: number[] };
  /** A Stripe sandbox too (`sandboxes.stripe`), allowed to the processes' connectors; the tenants are not connected to it. */
  stripe?: boolean;
  /** Worker processes polling the one task queue (default 1): what `docker compose --scale worker=N` runs. */
  workers?: number;
  /**
   * API processes (default 1). With more than one, `apiUrl` is a round-robin proxy in front of
   * them (`round-robin-proxy.ts`): the stores' webhook deliveries and the admin calls alternate
   * between them, as behind a load balancer.
   */
  apis?: number;
  /**
   * The API processes serve the bench's acknowledgement floor (BENCH_ACK_FLOOR,
   * `api/bench-ack-floor-routes.ts`): an unauthenticated route, so only stacks that measure it ask.
   */
  benchAckFloor?: boolean;
  /**
   * The worker processes run with V8's `--trace-gc`, so `workerHeapKeptAllThreadsMb` can read
   * what each of their threads kept, the SDK's workflow threads included (the bench's memory curve).
   */
  workerTraceGc?: boolean;
  log?: (line: string) => void;
}

export interface StackTenant {
  tenantId: string;
  storefront: StorefrontKind;
}

export interface ProcessStack {
  workDir: string;
  /** The configuration the API and worker processes were given. */
  config: Config;
  apiUrl: string;
  adminKey: string;
  temporalAddress: string;
  mongoUri: string;
  client: Client;
  db: Db;
  cipher: CredentialCipher;
  sandboxes: {
    intacct: RunningIntacctSandbox;
    bigcommerce: RunningBigCommerceSandbox;
    clarity: RunningClaritySandbox;
    stripe?: RunningStripeSandbox;
  };
  tenants: StackTenant[];
  tenant(storefront: StorefrontKind): string;
  /** A JSON call to the product's admin API with the bootstrap key. */
  admin(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
  /** A JSON call to the BigCommerce sandbox's demo store (`/v2/...`, `/v3/...`, `/_control/...`). */
  bigCommerce(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
  /** A JSON call to the Clarity sandbox's `/_sandbox` control API. */
  clarity(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
  /** A JSON call to the Intacct sandbox's `/__control` API. */
  intacctControl(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
  /** The Intacct sandbox's records of one object (no API transaction). */
  intacctRecords(object: string): Promise<Array<Record<string, string>>>;
  /** How many worker and API processes the stack runs (each may be down for a while after a kill). */
  processes: { workers: number; apis: number };
  /** Kills worker process `index` (default 0) with SIGKILL (no drain, no goodbye) and waits for it to be gone. */
  killWorker(index?: number): Promise<void>;
  /** Starts worker process `index` (default 0) again after {@link killWorker}; resolves once it polls. */
  startWorker(index?: number): Promise<void>;
  /** Kills API process `index` with SIGKILL; with several, the proxy hands its requests to the others. */
  killApi(index: number): Promise<void>;
  /** Starts API process `index` again after {@link killApi}; resolves once it is ready. */
  startApi(index: number): Promise<void>;
  /** Requests the proxy handed to each API process (empty with one API process: no proxy). */
  apiRequests(): Record<string, number>;
  /** Stops the dev server and starts it again on the same port and history file. */
  restartTemporal(): Promise<void>;
  /** Highest resident memory (VmHWM) any API and any worker process reached so far, in MB, over all their incarnations. */
  peakMemoryMb(): Promise<{ api: number; worker: number }>;
  /** Resident memory (VmRSS) of each worker process now, in MB (0 for one that is down). */
  workerMemoryMb(): Promise<number[]>;
  /**
   * The heap each worker process kept after its last full collection, in MB, from its own
   * `nodejs_heap_after_full_gc_bytes` (undefined for one that is down or has not collected yet).
   */
  workerHeapKeptMb(): Promise<Array<number | undefined>>;
  /**
   * The heap each worker process kept over all its threads (main and workflow threads), in MB:
   * the sum of each thread's last full collection in its `--trace-gc` output (see `gc-trace.ts`);
   * undefined for one that is down, has not collected yet, or a stack without `workerTraceGc`.
   */
  workerHeapKeptAllThreadsMb(): Promise<Array<number | undefined>>;
  /** Every log file the stack's processes wrote (for the secrets scan). */
  logFiles(): string[];
  close(): Promise<void>;
}

export type { JsonAnswer } from './json-requests.js';

const say = (options: ProcessStackOptions, line: string) => options.log?.(line);

export async function startProcessStack(options: ProcessStackOptions = {}): Promise<ProcessStack> {
  const workDir = options.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'storefront-sync-stack-')));
  await fs.mkdir(workDir, { recursive: true });
  const closers: Array<() => Promise<unknown>> = [];
  const logFiles: string[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };

  try {
    // The caller's FERRETDB_BACKEND picks the storage of the FerretDB started here (bench, chaos run).
    const base = loadConfig({ LOG_LEVEL: 'silent', FERRETDB_BACKEND: process.env.FERRETDB_BACKEND });
    const needTemporal = options.temporalAddress === undefined;
    const needMongo = options.mongoUri === undefined;
    const binaries =
      needTemporal || needMongo
        ? await provisionRuntime({
            runtimeDir: base.runtime.dir,
            overrides: {
              ...(base.runtime.temporalCliPath !== undefined && { temporalCli: base.runtime.temporalCliPath }),
              ...(base.runtime.ferretDbPath !== undefined && { ferretDb: base.runtime.ferretDbPath }),
            },
            need: {
              temporalCli: needTemporal,
              temporalTestServer: false,
              ferretDb: needMongo,
              postgresBin: needMongo && base.runtime.ferretDbBackend === 'postgresql',
            },
          })
        : undefined;

    // The dev server keeps its history in a file, so a restart finds every workflow where it was.
    let temporal: LocalTemporal | undefined;
    const temporalPort = needTemporal ? await findFreePort() : undefined;
    const startTemporal = async () => {
      const logFile = path.join(workDir, 'temporal.log');
      temporal = await startTemporalDevServer({
        cliPath: binaries!.temporalCli,
        port: temporalPort!,
        uiPort: undefined,
        databaseFile: path.join(workDir, 'temporal.sqlite'),
        namespace: base.temporal.namespace,
        searchAttributes: searchAttributeRegistrations,
        logFile,
      });
    };
    let mongo: LocalMongo | undefined;
    await Promise.all([
      needTemporal ? startTemporal() : undefined,
      needMongo
        ? (async () => {
            mongo = await startFerretDb({
              ferretDbPath: binaries!.ferretDb,
              port: await findFreePort(),
              dataDir: path.join(workDir, 'ferretdb'),
              storage: ferretDbStorage(base.runtime.ferretDbBackend, binaries!),
              logFile: path.join(workDir, 'ferretdb.log'),
            });
          })()
        : undefined,
    ]);
    closers.push(async () => mongo?.stop());
    closers.push(async () => temporal?.stop());
    const temporalAddress = options.temporalAddress ?? temporal!.address;
    const mongoUri = options.mongoUri ?? mongo!.uri;
    say(options, `Temporal ${temporalAddress}, MongoDB ${mongoUri}`);

    const sandboxOptions = { port: 0, host: '127.0.0.1', controlEnabled: true };
    const retries = (storefront: StorefrontKind) => {
      const schedule = options.webhookRetrySchedules?.[storefront] ?? options.webhookRetryScheduleMs;
      return schedule === undefined ? {} : { webhookRetryScheduleMs: schedule };
    };
    const [intacct, bigcommerce, clarity] = await Promise.all([
      startIntacctSandbox(sandboxOptions),
      startBigCommerceSandbox({ ...sandboxOptions, ...retries('bigcommerce') }),
      startClaritySandbox({ ...sandboxOptions, ...retries('clarity') }),
    ]);
    closers.push(() => Promise.allSettled([intacct.close(), bigcommerce.close(), clarity.close()]));
    const stripe = options.stripe === true ? await startStripeSandbox(sandboxOptions) : undefined;
    if (stripe) closers.push(() => stripe.close());

    const adminKey = `stack-admin-${randomBytes(12).toString('base64url')}`;
    const apiPorts: number[] = [];
    for (let index = 0; index < Math.max(1, options.apis ?? 1); index += 1) apiPorts.push(await findFreePort());
    const apiPort = apiPorts[0]!;
    const environment: Record<string, string> = {
      TEMPORAL_ADDRESS: temporalAddress,
      MONGODB_URI: mongoUri,
      MONGODB_DATABASE: `stack_${randomUUID().slice(0, 8)}`,
      TEMPORAL_TASK_QUEUE: `stack-${randomUUID().slice(0, 8)}`,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'info',
      // Sandbox mode allows exactly the sandboxes' addresses: tell the processes where they listen.
      INTACCT_SANDBOX_PORT: String(intacct.port),
      BIGCOMMERCE_SANDBOX_PORT: String(bigcommerce.port),
      CLARITY_SANDBOX_PORT: String(clarity.port),
      ...(stripe && { STRIPE_SANDBOX_PORT: String(stripe.port) }),
      ...(options.benchAckFloor === true && { BENCH_ACK_FLOOR: 'true' }),
      ...options.environment,
    };
    const config = loadConfig(environment);
    const database: Database = openDatabase({ uri: mongoUri, database: config.mongo.database, ...harnessDatabaseTimeouts });
    closers.push(() => database.close());
    const connection = await Connection.connect({ address: temporalAddress });
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });

    const childEnv = { ...process.env, ...environment };
    // Each process slot keeps its current incarnation; the peaks of killed ones are kept too.
    const apis: Array<NodeProcess | undefined> = apiPorts.map(() => undefined);
    const apiIncarnations = apiPorts.map(() => 0);
    const peaks = { api: 0, worker: 0 };
    const startApi = async (index: number) => {
      apiIncarnations[index] = apiIncarnations[index]! + 1;
      const name = apiPorts.length === 1 ? 'api' : `api-${index + 1}`;
      const logName = apiIncarnations[index] === 1 ? `${name}.log` : `${name}-${apiIncarnations[index]}.log`;
      const api = new NodeProcess(name, 'api/main.ts', { ...childEnv, API_PORT: String(apiPorts[index]) }, path.join(workDir, logName));
      logFiles.push(api.logFile);
      apis[index] = api;
      api.start();
      await waitForHttpOk(`http://127.0.0.1:${apiPorts[index]}/readyz`, 90_000);
    };
    closers.push(() => Promise.all(apis.map((api) => api?.stop() ?? Promise.resolve())));
    // One after the other: each starts by creating indexes and bootstrapping, which need not race.
    for (const index of apiPorts.keys()) await startApi(index);
    let apiUrl = `http://127.0.0.1:${apiPort}`;
    let apiRequests = (): Record<string, number> => ({});
    if (apiPorts.length > 1) {
      const proxy = await startRoundRobinProxy(() => apiPorts.map((port) => `http://127.0.0.1:${port}`));
      closers.push(() => proxy.close());
      apiUrl = proxy.url;
      apiRequests = () => proxy.forwarded();
    }

    let workerIncarnation = 0;
    const workers: Array<NodeProcess | undefined> = Array.from({ length: Math.max(1, options.workers ?? 1) }, () => undefined);
    const workerMetricsPorts: Array<string | undefined> = workers.map(() => undefined);
    const startWorker = async (index = 0) => {
      if (index < 0 || index >= workers.length) throw new Error(`the stack has no worker ${index}`);
      workerIncarnation += 1;
      // A free metrics port for each worker (two cannot share one, nor a stack another's), unless the caller chose one.
      const given = index === 0 && options.environment?.WORKER_METRICS_PORT !== undefined;
      const env = given ? childEnv : { ...childEnv, WORKER_METRICS_PORT: String(await findFreePort()) };
      workerMetricsPorts[index] = env.WORKER_METRICS_PORT;
      const worker = new NodeProcess(
        'worker',
        'workers/main.ts',
        env,
        path.join(workDir, `worker-${workerIncarnation}.log`),
        options.workerTraceGc === true ? ['--trace-gc'] : [],
      );
      logFiles.push(worker.logFile);
      workers[index] = worker;
      worker.start();
      // Generous: on a loaded machine a worker bundling its workflows can take minutes.
      await waitForPoller(client, config.temporal.taskQueue, worker.pid, 180_000);
    };
    closers.push(() => Promise.all(workers.map((worker) => worker?.stop() ?? Promise.resolve())));
    for (const index of workers.keys()) await startWorker(index);
    say(
      options,
      `${apis.length === 1 ? 'API' : `${apis.length} API processes behind`} ${apiUrl} and ${workers.length === 1 ? 'a worker' : `${workers.length} workers`} running; logs in ${workDir}`,
    );

    const admin = (method: string, route: string, body?: unknown) =>
      requestJson(`${apiUrl}/api/v1${route}`, method, { authorization: `Bearer ${adminKey}` }, body);
    const expectOk = (answer: JsonAnswer, what: string) => {
      if (answer.status >= 300) throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer;
    };

    const tenants: StackTenant[] = [];
    for (const storefront of options.storefronts ?? ['bigcommerce', 'clarity']) {
      const tenantId = `chaos-${storefront === 'bigcommerce' ? 'bc' : 'cl'}-${randomUUID().slice(0, 6)}`;
      expectOk(
        await admin('POST', '/tenants', {
          id: tenantId,
          name: `Stack tenant ${tenantId}`,
          connection: connectionOf(storefront, { intacct: intacct.url, bigcommerce: bigcommerce.url, clarity: clarity.url }),
          settings: settingsOf(storefront, options.orderSync ?? {}),
        }),
        `creating tenant ${tenantId}`,
      );
      expectOk(await admin('PUT', `/tenants/${tenantId}/credentials/intacct`, sandboxCredentials.intacct), 'storing Intacct credentials');
      expectOk(
        await admin('PUT', `/tenants/${tenantId}/credentials/${storefront}`, sandboxCredentials[storefront]),
        'storing storefront credentials',
      );
      for (const { key, row } of demoAdjustmentItems)
        expectOk(await admin('PUT', `/tenants/${tenantId}/mappings/adjustmentItems/rows/${key}`, row), 'mapping adjustment items');
      expectOk(await admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: apiUrl }), 'registering webhooks');
      tenants.push({ tenantId, storefront });
    }

    return {
      workDir,
      config,
      apiUrl,
      adminKey,
      temporalAddress,
      mongoUri,
      client,
      db: database.db,
      cipher: new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId),
      sandboxes: { intacct, bigcommerce, clarity, ...(stripe && { stripe }) },
      tenants,
      tenant(storefront) {
        const found = tenants.find((tenant) => tenant.storefront === storefront);
        if (!found) throw new Error(`the stack has no ${storefront} tenant`);
        return found.tenantId;
      },
      admin,
      bigCommerce: (method, route, body) =>
        requestJson(
          `${bigcommerce.url}${route.startsWith('/_control') ? '' : '/stores/demostore'}${route}`,
          method,
          { 'x-auth-token': sandboxCredentials.bigcommerce.accessToken },
          body,
        ),
      clarity: (method, route, body) => requestJson(`${clarity.url}/_sandbox${route}`, method, {}, body),
      intacctControl: (method, route, body) => requestJson(`${intacct.url}/__control${route}`, method, {}, body),
      intacctRecords: async (object) =>
        ((await requestJson(`${intacct.url}/__control/records/${object}`, 'GET', {})).body as { records: Array<Record<string, string>> })
          .records,
      processes: { workers: workers.length, apis: apis.length },
      async killWorker(index = 0) {
        const worker = workers[index];
        if (!worker) return;
        peaks.worker = Math.max(peaks.worker, await worker.peakMemoryMb());
        await worker.kill('SIGKILL');
        workers[index] = undefined;
      },
      startWorker,
      async killApi(index) {
        const api = apis[index];
        if (!api) return;
        peaks.api = Math.max(peaks.api, await api.peakMemoryMb());
        await api.kill('SIGKILL');
        apis[index] = undefined;
      },
      startApi,
      apiRequests: () => apiRequests(),
      async restartTemporal() {
        if (!temporal) throw new Error('this stack uses a Temporal server it did not start; it cannot restart it');
        await temporal.stop();
        await startTemporal();
      },
      async peakMemoryMb() {
        const peakOf = async (processes: Array<NodeProcess | undefined>, before: number) =>
          Math.max(before, ...(await Promise.all(processes.map((running) => running?.peakMemoryMb() ?? Promise.resolve(0)))));
        return { api: await peakOf(apis, peaks.api), worker: await peakOf(workers, peaks.worker) };
      },
      workerMemoryMb: () => Promise.all(workers.map((worker) => worker?.residentMemoryMb() ?? Promise.resolve(0))),
      workerHeapKeptMb: () =>
        Promise.all(
          workerMetricsPorts.map(async (port, index) => {
            if (port === undefined || workers[index] === undefined) return undefined;
            const answer = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
            const kept = answer?.ok ? /^nodejs_heap_after_full_gc_bytes\{[^}]*\} (\d+)/m.exec(await answer.text()) : null;
            return kept ? Math.round(Number(kept[1]) / 2 ** 20) : undefined;
          }),
        ),
      workerHeapKeptAllThreadsMb: () =>
        Promise.all(
          workers.map(async (worker) => {
            if (options.workerTraceGc !== true || worker === undefined) return undefined;
            return heapKeptAllThreadsMb(await fs.readFile(worker.logFile, 'utf8').catch(() => ''));
          }),
        ),
      logFiles: () => [...logFiles],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function connectionOf(storefront: StorefrontKind, urls: { intacct: string; bigcommerce: string; clarity: string }) {
  return {
    storefront:
      storefront === 'bigcommerce'
        ? { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: urls.bigcommerce }
        : { kind: 'clarity', baseUrl: urls.clarity },
    intacct: { companyId: 'DEMO-CO', endpointUrl: `${urls.intacct}/ia/xml/xmlgw.phtml` },
  };
}

/** The demo tenant's order-sync settings, for either storefront. */
function settingsOf(storefront: StorefrontKind, orderSync: Record<string, unknown>) {
  return {
    orderSync: {
      ...demoOrderSync(storefront),
      ...orderSync,
    },
    timezone: 'America/Chicago',
  };
}

/** One of the product's Node processes, its output in a log file. */
class NodeProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private lastPeakMb = 0;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    private readonly nodeFlags: readonly string[] = [],
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  start(): void {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...this.nodeFlags, '--import', 'tsx', path.join(projectRoot, this.entry)], {
      cwd: projectRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        out.end();
        resolve();
      }),
    );
    this.child = child;
  }

  /** VmRSS from /proc: the resident memory now (0 once the process is gone or off Linux). */
  async residentMemoryMb(): Promise<number> {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null) return 0;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(await fs.readFile(`/proc/${pid}/status`, 'utf8'));
      return match ? Math.round(Number(match[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  }

  /** VmHWM from /proc: the most resident memory the process has had. */
  async peakMemoryMb(): Promise<number> {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null) return this.lastPeakMb;
    try {
      const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) this.lastPeakMb = Math.max(this.lastPeakMb, Math.round(Number(match[1]) / 1024));
    } catch {
      // gone or not Linux: the last reading stands
    }
    return this.lastPeakMb;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Resolves once the worker process polls the task queue. Temporal names a poller
 * `{pid}@{host}`; a killed worker's poller lingers in the list for a while, so the pid tells
 * the new one apart.
 */
async function waitForPoller(client: Client, taskQueue: string, pid: number, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const answer = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: 1,
      });
      return answer.pollers?.some((poller) => poller.identity?.startsWith(`${pid}@`)) ?? false;
    },
    { what: `the worker process ${pid} to poll ${taskQueue}`, timeoutMs, intervalMs: 250 },
  );
}
