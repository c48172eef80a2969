import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { projectRoot, type Config } from '../../config/index.js';
import { connectWorkerToTemporal } from '../../workers/worker.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { sandboxPayloadKey } from '../../config/payload-codec.js';

/**
 * The product's data converter over the sandbox payload key, for workers and clients that have no
 * configuration of their own (the time-skipping environment's): every party of a test encrypts
 * and decrypts alike, as the product's processes do.
 */
export function sandboxDataConverter(): DataConverter {
  return productDataConverter({
    payloadCodec: { keys: new Map([[sandboxPayloadKey.id, sandboxPayloadKey.key]]), activeKeyId: sandboxPayloadKey.id },
  });
}
import { sandboxPortsEnvironment } from './vendor-endpoints.js';

/**
 * A Temporal worker for a test: the product's workflows or a fixture's, the product's
 * activities or stand-ins, encrypting payloads as the product does. Where it polls comes from the test's `config` (server, namespace and
 * task queue, connected the product's way), or from a `connection` the test owns (the
 * time-skipping environment's), or from a bare `address`. Any other option is the SDK's own.
 */
export interface TestWorkerOptions extends Omit<WorkerOptions, 'connection' | 'taskQueue'> {
  /** The test's configuration (`testConfig()`, a fixture's `config`): server, namespace and task queue. */
  config?: Pick<Config, 'temporal'> & Partial<Pick<Config, 'payloadCodec'>>;
  /** A connection the caller owns and closes; without it the worker opens one and `stop` closes it. */
  connection?: NativeConnection;
  /** The server to connect to when neither `config` nor `connection` says. */
  address?: string;
  /** The config's task queue unless given. */
  taskQueue?: string;
}

/** A worker polling in the background until `stop`. */
export interface RunningTestWorker {
  readonly worker: Worker;
  readonly taskQueue: string;
  /**
   * Shuts the worker down, waits for its run to end and closes the connection it opened. Fails
   * if the worker itself failed while running, so a broken worker fails the test that stops it.
   * Stopping twice is harmless.
   */
  stop(): Promise<void>;
}

async function createTestWorker(options: TestWorkerOptions): Promise<{ worker: Worker; taskQueue: string; close(): Promise<void> }> {
  const { config, connection: given, address, taskQueue: queue, namespace, ...workerOptions } = options;
  const taskQueue = queue ?? config?.temporal.taskQueue;
  if (taskQueue === undefined) throw new Error('a test worker needs a task queue: pass `config` or `taskQueue`');
  const connection =
    given ??
    (config !== undefined
      ? await connectWorkerToTemporal(config)
      : await NativeConnection.connect({
          address: address ?? raise('a test worker needs a server: pass `config`, `connection` or `address`'),
        }));
  const close = async () => {
    if (given === undefined) await connection.close();
  };
  try {
    const worker = await Worker.create({
      dataConverter:
        config?.payloadCodec === undefined ? sandboxDataConverter() : productDataConverter({ payloadCodec: config.payloadCodec }),
      ...workerOptions,
      connection,
      taskQueue,
      ...((namespace ?? config?.temporal.namespace) !== undefined && { namespace: namespace ?? config?.temporal.namespace }),
    });
    return { worker, taskQueue, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts a worker that polls until its `stop` (call it in `afterAll`, or after the test's body). */
export async function startTestWorker(options: TestWorkerOptions): Promise<RunningTestWorker> {
  const { worker, close } = await createTestWorker(options);
  return runInBackground(worker, close);
}

/**
 * Runs a worker created elsewhere (the product's own, from `createProductWorker`) the way
 * {@link startTestWorker} runs its own; `close` runs once it has stopped (its connection).
 */
export function runInBackground(worker: Worker, close: () => Promise<void> = () => Promise.resolve()): RunningTestWorker {
  let failure: Error | undefined;
  // Held, not left unhandled: `stop` reports a worker that failed while running.
  const running = worker.run().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });
  let stopped: Promise<void> | undefined;
  return {
    worker,
    taskQueue: worker.options.taskQueue,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await close();
        if (failure !== undefined) throw failure;
      })();
      return stopped;
    },
  };
}

/** Runs `body` while a worker polls, then stops it; fails at once if the worker fails first. */
export async function withTestWorker<T>(options: TestWorkerOptions, body: (running: { taskQueue: string }) => Promise<T>): Promise<T> {
  const { worker, taskQueue, close } = await createTestWorker(options);
  try {
    return await worker.runUntil(() => body({ taskQueue }));
  } finally {
    await close();
  }
}

/**
 * Activities that call, at each call, the same-named activity of whatever `current()` gives then:
 * one worker serves every test's scripted stand-ins (a worker's activities are fixed when it is
 * created). The names are those `current()` gives when this is called.
 */
export function delegatingActivities<Activities extends object>(current: () => Activities): Activities {
  const names = Object.keys(current());
  return Object.fromEntries(
    names.map((name) => [name, (...args: unknown[]) => (current() as Record<string, (...a: unknown[]) => unknown>)[name]!(...args)]),
  ) as Activities;
}

function raise(message: string): never {
  throw new Error(message);
}

/**
 * The product's worker as a process of its own (`workers/main.ts`) on the test's server, task
 * queue and database, so a test can kill it with SIGKILL mid-activity; its output is discarded.
 */
export function spawnWorkerProcess(
  config: Pick<Config, 'temporal' | 'mongo'>,
  sandboxes: { intacct: { url: string }; bigcommerce: { url: string }; clarity: { url: string }; stripe?: { url: string } | undefined },
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      // The worker allows these sandboxes' addresses and no other.
      ...sandboxPortsEnvironment({
        intacct: sandboxes.intacct.url,
        bigcommerce: sandboxes.bigcommerce.url,
        clarity: sandboxes.clarity.url,
        ...(sandboxes.stripe && { stripe: sandboxes.stripe.url }),
      }),
      TEMPORAL_ADDRESS: config.temporal.address!,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      MONGODB_URI: config.mongo.uri!,
      MONGODB_DATABASE: config.mongo.database,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
}
