import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { localFerretDbUri } from '../../config/mongo.js';
import { temporalIsServing } from '../../config/temporal.js';

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
  // one between its pick and its bind. The ports we choose were checked free, so a bind error
  // means a random one was taken: starting again picks others.
  for (let attempt = 1; ; attempt += 1) {
    const child = await spawnLogged('temporal', options.cliPath, args, options.logFile);
    const server = managed('Temporal dev server', child);
    try {
      await waitUntilReady(server, child, options.logFile, options.readyTimeoutMs ?? 60_000, () => temporalIsHealthy(address));
    } catch (error) {
      if (attempt < 3 && /address already in use/.test(error instanceof Error ? error.message : '')) continue;
      throw error;
    }
    return {
      ...server,
      address,
      uiUrl: options.uiPort === undefined ? undefined : `http://localhost:${options.uiPort}`,
    };
  }
}

export interface FerretDbOptions {
  ferretDbPath: string;
  port: number;
  /** Folder for FerretDB's SQLite files and state. */
  dataDir: string;
  logFile: string;
  readyTimeoutMs?: number;
}

/**
 * Starts FerretDB on its SQLite backend (telemetry and the debug listener off). Its `uri` caps each
 * client's connections (see `ferretDbMaxPoolSize`).
 */
export async function startFerretDb(options: FerretDbOptions): Promise<LocalMongo> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${options.dataDir}/`,
    `--state-dir=${options.dataDir}`,
    `--listen-addr=127.0.0.1:${options.port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=ERROR',
    '--log-format=json',
  ];
  const uri = localFerretDbUri(options.port);
  const child = await spawnLogged('ferretdb', options.ferretDbPath, args, options.logFile);
  const server = managed('FerretDB', child);
  await waitUntilReady(server, child, options.logFile, options.readyTimeoutMs ?? 30_000, () => mongoIsReachable(uri));
  return { ...server, uri };
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

async function spawnLogged(name: string, executable: string, args: string[], logFile: string): Promise<ChildProcess> {
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start ${name} (${executable}): ${error.message}`)));
  });
  return child;
}

/**
 * A started child process as a server the stack can stop: SIGTERM, then SIGKILL if it has not
 * exited within `graceMs`, so a stuck server never holds the stack's shutdown.
 */
export function managed(name: string, child: ChildProcess, graceMs = 10_000): LocalServer {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
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
