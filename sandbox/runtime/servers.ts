import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import type { FerretDbBackend } from '../../config/index.js';
import { localFerretDbUri } from '../../config/mongo.js';
import { temporalIsServing } from '../../config/temporal.js';
import type { RuntimePaths } from './provision.js';

/** A server process this project started, and the way to stop it. */
export interface LocalServer {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited; SIGTERM first, SIGKILL after the grace period. */
  stop(): Promise<void>;
}

export interface LocalTemporal extends LocalServer {
  address: string;
  uiUrl: string | undefined;
}

export interface LocalMongo extends LocalServer {
  uri: string;
}

/** A port that was free a moment ago (the OS picks it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Raised when a port the stack needs is taken; names the variable that moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly variable: string,
    what: string,
  ) {
    super(`port ${port} (${what}) is already in use; stop what holds it or set ${variable} to another port`);
  }
}

export async function assertPortFree(port: number, variable: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortInUseError(port, variable, what) : error),
    );
    // Bind to all interfaces: a server on either loopback or a public address blocks us.
    server.listen(port, () => server.close(() => resolve()));
  });
}

export interface TemporalDevServerOptions {
  cliPath: string;
  port: number;
  /** undefined runs headless (no Web UI). */
  uiPort: number | undefined;
  /** SQLite file that keeps history across restarts; undefined keeps everything in memory. */
  databaseFile: string | undefined;
  namespace: string;
  searchAttributes: Record<string, string>;
  /** The remote codec the Web UI decodes payloads with (`--ui-codec-endpoint`): the API's `/codec`. */
  codecEndpoint?: string;
  logFile: string;
  readyTimeoutMs?: number;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers health checks. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<LocalTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    // Task queue fairness: workflows carry the tenant as fairness key (workflows/task-priority.ts),
    // so one tenant's backlog does not hold back another tenant's live orders.
    '--dynamic-config-value',
    'matching.enableFairness=true',
  ];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  if (options.uiPort !== undefined && options.codecEndpoint !== undefined) args.push('--ui-codec-endpoint', options.codecEndpoint);
  if (options.databaseFile !== undefined) {
    await fs.mkdir(path.dirname(options.databaseFile), { recursive: true });
    args.push('--db-filename', options.databaseFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  for (const [name, type] of Object.entries(options.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);

  const address = `127.0.0.1:${options.port}`;
  // The CLI picks its HTTP API and metrics ports itself, at random; another process can take
  // one between its pick and its bind, and a short-lived outgoing connection can hold the one we
  // checked free. A bind error is then worth another start a moment later (which picks other
  // random ports). The CLI may panic after the failed bind, pushing the bind error out of the
  // log's tail that the error quotes, so the whole log is read.
  for (let attempt = 1; ; attempt += 1) {
    const child = await spawnLogged('temporal', options.cliPath, args, options.logFile);
    const server = managed('Temporal dev server', child);
    try {
      await waitUntilReady(server, child, options.logFile, options.readyTimeoutMs ?? 60_000, () => temporalIsHealthy(address));
    } catch (error) {
      const log = await fs.readFile(options.logFile, 'utf8').catch(() => '');
      if (attempt < 3 && /address already in use/.test(`${error instanceof Error ? error.message : ''}\n${log}`)) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      throw error;
    }
    return {
      ...server,
      address,
      uiUrl: options.uiPort === undefined ? undefined : `http://localhost:${options.uiPort}`,
    };
  }
}

/** Where FerretDB keeps documents: SQLite files, or an embedded PostgreSQL started from `postgresBin` beside it. */
export type FerretDbStorage = { backend: 'sqlite' } | { backend: 'postgresql'; postgresBin: string };

/** The storage FERRETDB_BACKEND names, with the provisioned PostgreSQL binaries for `postgresql`. */
export function ferretDbStorage(backend: FerretDbBackend, binaries: Pick<RuntimePaths, 'postgresBin'>): FerretDbStorage {
  return backend === 'postgresql' ? { backend, postgresBin: binaries.postgresBin } : { backend };
}

export interface FerretDbOptions {
  ferretDbPath: string;
  port: number;
  /** Folder for FerretDB's state and its SQLite files, or the embedded PostgreSQL's cluster (`postgresql/`). */
  dataDir: string;
  /** SQLite unless told. */
  storage?: FerretDbStorage;
  /** FerretDB's log; the embedded PostgreSQL logs to `postgresql.log` beside it. */
  logFile: string;
  readyTimeoutMs?: number;
}

/**
 * Starts FerretDB (telemetry and the debug listener off) on SQLite, or on an embedded PostgreSQL
 * that it starts first and stops after FerretDB. Its `uri` caps each client's connections (see
 * `ferretDbMaxPoolSize`).
 */
export async function startFerretDb(options: FerretDbOptions): Promise<LocalMongo> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const storage = options.storage ?? { backend: 'sqlite' };
  const postgres =
    storage.backend === 'postgresql'
      ? await startEmbeddedPostgres({
          binDir: storage.postgresBin,
          dataDir: path.join(options.dataDir, 'postgresql'),
          port: await findFreePort(),
          logFile: path.join(path.dirname(options.logFile), 'postgresql.log'),
        })
      : undefined;
  const args = [
    ...(postgres === undefined
      ? ['--handler=sqlite', `--sqlite-url=file:${options.dataDir}/`]
      : ['--handler=postgresql', `--postgresql-url=${postgres.url}`]),
    `--state-dir=${options.dataDir}`,
    `--listen-addr=127.0.0.1:${options.port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=ERROR',
    '--log-format=json',
  ];
  const uri = localFerretDbUri(options.port);
  try {
    const child = await spawnLogged('ferretdb', options.ferretDbPath, args, options.logFile);
    const server = managed('FerretDB', child);
    await waitUntilReady(server, child, options.logFile, options.readyTimeoutMs ?? 30_000, () => mongoIsReachable(uri));
    return {
      ...server,
      uri,
      async stop() {
        await server.stop();
        await postgres?.stop();
      },
    };
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}

export interface EmbeddedPostgresOptions {
  /** The folder of PostgreSQL's binaries (provisioned: `RuntimePaths.postgresBin`). */
  binDir: string;
  /** The cluster's folder: created with `initdb` when empty, reused as it is otherwise. */
  dataDir: string;
  port: number;
  logFile: string;
  readyTimeoutMs?: number;
}

export interface LocalPostgres extends LocalServer {
  /** The `postgres` database, user `ferretdb`, trusted on loopback only, with FerretDB's pool size. */
  url: string;
}

/**
 * FerretDB's PostgreSQL connections (its own default is 50). Its update commands hold a connection
 * for their read while they wait for another for their write, on PostgreSQL as on SQLite, so as
 * many in flight at once deadlock it (measured: one `bulkWrite` of 60 matching updates never
 * answered with 50). 100, as SQLite's, keeps `ferretDbMaxPoolSize` per process right for both.
 */
const ferretDbPostgresPool = 100;

/** PostgreSQL refuses to run as root: as root, the cluster belongs to and the server runs as `nobody`. */
const unprivilegedUser = { uid: 65534, gid: 65534 };

/**
 * Starts a PostgreSQL server on 127.0.0.1 only (no Unix socket), creating its cluster first if
 * there is none. Stopped with a fast shutdown (SIGINT): it rolls back what is in flight rather
 * than waiting for clients to leave.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<LocalPostgres> {
  const user = process.getuid?.() === 0 ? unprivilegedUser : undefined;
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (user !== undefined) {
    await fs.chown(options.dataDir, user.uid, user.gid);
    // `nobody` must reach both the cluster and the binaries, wherever the checkout is (a fresh clone may sit in a 0700 folder).
    await letOthersTraverse(path.dirname(options.dataDir));
    await letOthersTraverse(options.binDir);
  }
  const initialised = await fs.stat(path.join(options.dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    const initdb = path.join(options.binDir, 'initdb');
    const args = ['-D', options.dataDir, '-U', 'ferretdb', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-instructions'];
    const child = await spawnLogged('initdb', initdb, args, options.logFile, user);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`initdb exited (${code}); see ${options.logFile}:\n${await tail(options.logFile)}`);
  }
  const args = [
    '-D',
    options.dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(options.port),
    '-k',
    '',
    '-c',
    `max_connections=${ferretDbPostgresPool + 10}`,
  ];
  const child = await spawnLogged('postgres', path.join(options.binDir, 'postgres'), args, options.logFile, user);
  const server = managed('PostgreSQL', child, 10_000, 'SIGINT');
  const pgIsReady = path.join(options.binDir, 'pg_isready');
  await waitUntilReady(server, child, options.logFile, options.readyTimeoutMs ?? 30_000, () =>
    exitsZero(pgIsReady, ['-q', '-h', '127.0.0.1', '-p', String(options.port), '-U', 'ferretdb', '-d', 'postgres']),
  );
  return { ...server, url: `postgres://ferretdb@127.0.0.1:${options.port}/postgres?pool_max_conns=${ferretDbPostgresPool}` };
}

/** Adds search permission for others to `dir` and its ancestors that lack it (mkdtemp makes 0700 folders). */
async function letOthersTraverse(dir: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) await fs.chmod(current, (mode & 0o7777) | 0o001);
    if (current === path.dirname(current)) return;
  }
}

function exitsZero(executable: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(executable, args, { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** True when the Temporal frontend at `address` answers a gRPC health check. */
export async function temporalIsHealthy(address: string, timeoutMs = 2_000): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    return await temporalIsServing(connection, timeoutMs);
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/** True when a MongoDB-wire server at `uri` answers `ping`. */
export async function mongoIsReachable(uri: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function spawnLogged(
  name: string,
  executable: string,
  args: string[],
  logFile: string,
  user?: { uid: number; gid: number },
): Promise<ChildProcess> {
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'], ...user });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start ${name} (${executable}): ${error.message}`)));
  });
  return child;
}

/**
 * A started child process as a server the stack can stop: `stopSignal` (SIGTERM unless told),
 * then SIGKILL if it has not exited within `graceMs`, so a stuck server never holds the stack's
 * shutdown.
 */
export function managed(name: string, child: ChildProcess, graceMs = 10_000, stopSignal: NodeJS.Signals = 'SIGTERM'): LocalServer {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(stopSignal);
      const killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

async function waitUntilReady(
  server: LocalServer,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${server.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${logFile}:\n${await tail(logFile)}`,
      );
    }
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`${server.name} was not ready after ${timeoutMs} ms; see ${logFile}:\n${await tail(logFile)}`);
}

async function tail(file: string, lines = 20): Promise<string> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Resolves once `url` answers 2xx (an API's /readyz); fails after `timeoutMs` with the last answer. */
export async function waitForHttpOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms (last answer: ${last})`);
}
