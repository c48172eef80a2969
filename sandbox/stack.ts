import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, projectRoot, type Config } from '../config/index.js';
import { mongoUri } from '../config/mongo.js';
import { productDataConverter } from '../config/payload-encryption.js';
import { temporalAddress, temporalConnectionOptions } from '../config/temporal.js';
import { searchAttributeRegistrations } from '../workflows/search-attributes.js';
import { selfCheck, selfCheckWorkflowId } from '../workflows/self-check.js';
import { provisionRuntime } from './runtime/provision.js';
import {
  assertPortFree,
  ferretDbStorage,
  managed,
  startFerretDb,
  startTemporalDevServer,
  waitForHttpOk,
  type LocalServer,
} from './runtime/servers.js';
import { CredentialCipher } from '../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../store/database.js';
import { demoTenant, seedDemoTenant } from './demo-tenant.js';
import { describeSandboxes, startSandboxes } from './sandboxes.js';
import { removeLocalState } from './state-file.js';

/**
 * `npm start`: the whole product on this machine. Starts what is not configured elsewhere
 * (Temporal dev server, FerretDB), then the worker and the API as child processes, proves the
 * path end to end with a self-check workflow, and prints every URL. SIGINT or SIGTERM stops
 * every process it started, in reverse order. The sandboxes keep their state under the data
 * folder across restarts, as the Temporal dev server and FerretDB do; `--fresh` starts the
 * sandboxes, and the Temporal and MongoDB data the stack keeps itself, from scratch.
 */
const say = (line: string) => process.stdout.write(`[stack] ${line}\n`);

/**
 * PostgreSQL became the local FerretDB's default storage after SQLite (docs/scale-out.md). A
 * checkout started before keeps its demo data in SQLite files that the new default does not read:
 * say so once, on the first start that has no PostgreSQL cluster yet, rather than seem to lose it.
 */
function announceEarlierSqliteData(ferretDbDir: string, backend: 'sqlite' | 'postgresql'): void {
  if (backend !== 'postgresql' || fs.existsSync(path.join(ferretDbDir, 'postgresql'))) return;
  const sqliteFiles = fs.existsSync(ferretDbDir) ? fs.readdirSync(ferretDbDir).filter((file) => file.endsWith('.sqlite')) : [];
  if (sqliteFiles.length === 0) return;
  say(
    `FerretDB now keeps its data in an embedded PostgreSQL; the SQLite files of earlier starts stay in ${path.relative(process.cwd(), ferretDbDir)}, and FERRETDB_BACKEND=sqlite npm start uses them`,
  );
}
/** `npm start -- --fresh`: the demo world from its seed instead of as the last run left it. */
const fresh = process.argv.slice(2).includes('--fresh');
const started: LocalServer[] = [];
let shuttingDown = false;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const runsTemporal = config.temporal.address === undefined;
  const runsMongo = config.mongo.uri === undefined;

  await assertPortFree(config.api.port, 'API_PORT', 'product API');
  if (runsTemporal) {
    await assertPortFree(config.temporal.localPort, 'TEMPORAL_PORT', 'Temporal frontend');
    await assertPortFree(config.temporal.localUiPort, 'TEMPORAL_UI_PORT', 'Temporal Web UI');
  }
  if (runsMongo) await assertPortFree(config.mongo.localPort, 'MONGODB_PORT', 'MongoDB (FerretDB)');
  const runsSandboxes = config.mode === 'sandbox';

  const binaries = await provisionRuntime({
    runtimeDir: config.runtime.dir,
    overrides: {
      ...(config.runtime.temporalCliPath !== undefined && { temporalCli: config.runtime.temporalCliPath }),
      ...(config.runtime.ferretDbPath !== undefined && { ferretDb: config.runtime.ferretDbPath }),
    },
    need: {
      temporalCli: runsTemporal,
      temporalTestServer: false,
      ferretDb: runsMongo,
      postgresBin: runsMongo && config.runtime.ferretDbBackend === 'postgresql',
    },
    log: (line) => say(`provision: ${line}`),
  });

  const logDir = path.join(config.runtime.dir, 'logs');
  const dataDir = config.runtime.dataDir;
  const sandboxStateDir = path.join(dataDir, 'sandboxes');
  if (fresh) {
    // A fresh demo world is fresh on both sides: vendors' records and the product's memory of
    // them. Only what this stack runs itself is removed, never a configured MongoDB or Temporal.
    const removed = [
      sandboxStateDir,
      ...(runsTemporal ? ['temporal.sqlite', 'temporal.sqlite-wal', 'temporal.sqlite-shm'].map((file) => path.join(dataDir, file)) : []),
      ...(runsMongo ? [path.join(dataDir, 'ferretdb')] : []),
    ];
    for (const target of removed) removeLocalState(target);
    say(`--fresh: removed ${removed.map((target) => path.relative(process.cwd(), target)).join(', ')}`);
  }
  if (runsMongo) announceEarlierSqliteData(path.join(dataDir, 'ferretdb'), config.runtime.ferretDbBackend);
  const [temporal, mongo] = await Promise.all([
    runsTemporal
      ? startTemporalDevServer({
          cliPath: binaries.temporalCli,
          port: config.temporal.localPort,
          uiPort: config.temporal.localUiPort,
          databaseFile: path.join(dataDir, 'temporal.sqlite'),
          namespace: config.temporal.namespace,
          searchAttributes: searchAttributeRegistrations,
          // Temporal UI asks the API to decrypt the payloads it shows (docs/security.md "Payload encryption").
          codecEndpoint: `http://localhost:${config.api.port}/codec`,
          logFile: path.join(logDir, 'temporal.log'),
        })
      : undefined,
    runsMongo
      ? startFerretDb({
          ferretDbPath: binaries.ferretDb,
          port: config.mongo.localPort,
          dataDir: path.join(dataDir, 'ferretdb'),
          storage: ferretDbStorage(config.runtime.ferretDbBackend, binaries),
          logFile: path.join(logDir, 'ferretdb.log'),
        })
      : undefined,
  ]);
  if (temporal) started.push(temporal);
  if (mongo) started.push(mongo);

  let sandboxUrls: Awaited<ReturnType<typeof startSandboxes>>['urls'] | undefined;
  if (runsSandboxes) {
    const sandboxes = await startSandboxes(config, { stateDir: sandboxStateDir });
    started.push({ name: 'sandboxes', pid: process.pid, stop: () => sandboxes.close() });
    sandboxUrls = sandboxes.urls;
    const database = openDatabase({ uri: mongoUri(config), database: config.mongo.database });
    try {
      await ensureIndexes(database.db);
      const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
      const { created } = await seedDemoTenant(database.db, cipher, sandboxUrls);
      say(`demo tenant "${demoTenant.id}" ${created ? 'created' : 'already there'}`);
    } finally {
      await database.close();
    }
  }

  const childEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress(config.temporal),
    MONGODB_URI: mongoUri(config),
    // The API and worker allow the sandboxes' addresses only: the ports they really listen on.
    ...(sandboxUrls && {
      INTACCT_SANDBOX_PORT: new URL(sandboxUrls.intacct).port,
      BIGCOMMERCE_SANDBOX_PORT: new URL(sandboxUrls.bigcommerce).port,
      CLARITY_SANDBOX_PORT: new URL(sandboxUrls.clarity).port,
      STRIPE_SANDBOX_PORT: new URL(sandboxUrls.stripe).port,
    }),
  };
  started.push(startNodeProcess('worker', 'workers/main.ts', childEnv));
  started.push(startNodeProcess('API', 'api/main.ts', childEnv));

  const apiUrl = `http://localhost:${config.api.port}`;
  await waitForHttpOk(`${apiUrl}/readyz`, 60_000);
  await runSelfCheck(config);
  if (sandboxUrls && config.admin.bootstrapApiKey !== undefined) await registerDemoWebhooks(apiUrl, config.admin.bootstrapApiKey);

  say(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  say(`  product API        ${apiUrl}  (/healthz, /readyz)`);
  say(`  operator console   ${apiUrl}/console  (sign in with an admin API key${sandboxUrls ? ' such as the one below' : ''})`);
  say(`  Temporal frontend  ${temporalAddress(config.temporal)}  namespace ${config.temporal.namespace}`);
  if (temporal?.uiUrl) say(`  Temporal Web UI    ${temporal.uiUrl}`);
  say(`  MongoDB            ${runsMongo ? `${mongoUri(config)} (FerretDB)` : 'as configured by MONGODB_URI'}`);
  say(`  logs               ${logDir}`);
  if (sandboxUrls) {
    for (const line of describeSandboxes(sandboxUrls, config.sandbox.controlEnabled)) say(line);
    say(
      `  admin API          ${apiUrl}/api/v1  Authorization: Bearer ${config.admin.bootstrapApiKey ?? '(ADMIN_API_KEY)'}  (tenant "${demoTenant.id}"; OpenAPI at /api/v1/openapi.json)`,
    );
  }
  say('Ctrl-C stops everything.');
}

/**
 * Points the demo store's webhooks at this API (idempotent), so an order placed or moved on in
 * the BigCommerce sandbox reaches OrderToCash as it would in production.
 */
async function registerDemoWebhooks(apiUrl: string, adminKey: string): Promise<void> {
  const response = await fetch(`${apiUrl}/api/v1/tenants/${demoTenant.id}/webhooks/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ publicBaseUrl: apiUrl }),
  });
  if (!response.ok) throw new Error(`registering the demo store's webhooks failed: ${response.status} ${await response.text()}`);
  say(`demo store webhooks → ${apiUrl}/webhooks/bigcommerce/${demoTenant.id}`);
}

function startNodeProcess(name: string, entry: string, env: NodeJS.ProcessEnv): LocalServer {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, entry)], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (shuttingDown) return;
    say(`${name} exited unexpectedly (${code ?? signal}); stopping the stack`);
    void shutdown(1);
  });
  return managed(name, child, 15_000);
}

async function runSelfCheck(config: Config): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal, temporalAddress(config.temporal)));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
    const checkId = `stack-${randomUUID()}`;
    const result = await client.workflow.execute(selfCheck, {
      workflowId: selfCheckWorkflowId(checkId),
      taskQueue: config.temporal.taskQueue,
      args: [{ checkId, requestedAt: new Date().toISOString() }],
      workflowExecutionTimeout: '2 minutes',
    });
    say(`self-check passed: workflow ${result.workflowId} wrote its record to MongoDB`);
  } finally {
    await connection.close();
  }
}

async function shutdown(exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping...');
  for (const server of [...started].reverse()) {
    await server.stop().catch((error: unknown) => say(`could not stop ${server.name}: ${(error as Error).message}`));
  }
  say('stopped');
  process.exit(exitCode);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  process.stderr.write(`[stack] ${(error as Error).message}\n`);
  await shutdown(1);
});
