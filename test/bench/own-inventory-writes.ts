import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import * as ownInventoryWrites from '../../store/own-inventory-writes.js';
import { BenchServers } from './bench-servers.js';
import { harnessDatabaseTimeouts } from '../support/process-stack.js';

/** The store's functions under measurement (another implementation can be passed to compare). */
export type OwnInventoryWritesStore = Pick<
  typeof ownInventoryWrites,
  'ensureOwnInventoryWriteIndexes' | 'recordOwnInventoryWrites' | 'wasWrittenByUs' | 'sweepOwnInventoryWrites'
>;

export interface OwnInventoryWritesBenchOptions {
  /** Batches recorded one after another, each of new keys, so the collection grows. Default 50. */
  batches?: number;
  /** Keys per batch (a BigCommerce inventory write). Default 2000. */
  batchSize?: number;
  /** Webhook look-ups timed on the full collection, half of them for keys never pushed. Default 200. */
  lookups?: number;
  /** An existing MongoDB-wire server; FerretDB is started in a temporary folder when absent. */
  mongoUri?: string;
  log?: (line: string) => void;
  /** Default: `store/own-inventory-writes.ts`. */
  store?: OwnInventoryWritesStore;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * How recording the product's own stock pushes scales with the collection: `batches` batches of
 * `batchSize` new keys, each timed, then webhook look-ups (hit and miss) and a sweep on the full
 * collection. A figure that grows from the first batch to the last is a cost per document stored.
 */
export async function runOwnInventoryWritesBench(options: OwnInventoryWritesBenchOptions = {}): Promise<Record<string, unknown>> {
  const batches = options.batches ?? 50;
  const batchSize = options.batchSize ?? 2000;
  const log = options.log ?? (() => undefined);
  const { ensureOwnInventoryWriteIndexes, recordOwnInventoryWrites, wasWrittenByUs, sweepOwnInventoryWrites } =
    options.store ?? ownInventoryWrites;
  const servers = new BenchServers('own-writes', log);
  const uri = await servers.mongo(options.mongoUri);
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: harnessDatabaseTimeouts.serverSelectionTimeoutMs,
    socketTimeoutMS: harnessDatabaseTimeouts.socketTimeoutMs,
    waitQueueTimeoutMS: harnessDatabaseTimeouts.waitQueueTimeoutMs,
  });
  const dbName = `bench_own_writes_${Date.now()}`;
  try {
    await client.connect();
    const db = client.db(dbName);
    await ensureOwnInventoryWriteIndexes(db);
    const tenantId = 'bench';
    const recordMs: number[] = [];
    for (let batch = 0; batch < batches; batch += 1) {
      const items = Array.from({ length: batchSize }, (_, index) => ({ productId: String(100_000 + batch * batchSize + index) }));
      const started = performance.now();
      await recordOwnInventoryWrites(db, tenantId, items);
      recordMs.push(performance.now() - started);
      log(`batch ${batch + 1}: ${round(recordMs.at(-1)!)} ms`);
    }
    const lookups = options.lookups ?? 200;
    const lookupStarted = performance.now();
    let hits = 0;
    for (let index = 0; index < lookups; index += 1) {
      // Every other look-up is for a product never pushed.
      const productId = index % 2 === 0 ? String(100_000 + ((index * 7919) % (batches * batchSize))) : `absent-${index}`;
      if (await wasWrittenByUs(db, tenantId, { productId }, 120_000)) hits += 1;
    }
    const lookupMs = (performance.now() - lookupStarted) / lookups;
    log(`look-ups: ${round(lookupMs)} ms each`);
    const sweepStarted = performance.now();
    const swept = await sweepOwnInventoryWrites(db, new Date(Date.now() + 60_000)).catch(
      (error: unknown) => `failed: ${(error as Error).message.slice(-80)}`,
    );
    const sweepMs = performance.now() - sweepStarted;
    return {
      batches,
      batchSize,
      firstBatchMs: round(recordMs[0] ?? 0),
      medianBatchMs: round(median(recordMs)),
      lastBatchMs: round(recordMs.at(-1) ?? 0),
      lastTenBatchesMeanMs: round(recordMs.slice(-10).reduce((sum, ms) => sum + ms, 0) / Math.min(10, recordMs.length)),
      totalRecordMs: Math.round(recordMs.reduce((sum, ms) => sum + ms, 0)),
      lookupMeanMs: round(lookupMs),
      lookupHits: `${hits}/${lookups / 2}`,
      sweepMs: Math.round(sweepMs),
      swept,
    };
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await servers.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  const figures = await runOwnInventoryWritesBench({
    ...(argument('batches') !== undefined && { batches: Number(argument('batches')) }),
    ...(argument('batch-size') !== undefined && { batchSize: Number(argument('batch-size')) }),
    ...(argument('lookups') !== undefined && { lookups: Number(argument('lookups')) }),
    ...(argument('mongo-uri') !== undefined && { mongoUri: argument('mongo-uri')! }),
    ...(argument('store') !== undefined && { store: (await import(path.resolve(argument('store')!))) as OwnInventoryWritesStore }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
