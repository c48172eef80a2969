import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortGraceMs, operationLimit } from '../../../store/operation-limit.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

/**
 * A limited operation against the run's FerretDB (1.24, on either backend) ends, and its connection is free
 * again: through a client of one pooled connection, the next operation is answered while the
 * slow one, unlimited, would still be running. The slow operation is a filter FerretDB cannot
 * hand to its backend (a regular expression), so it reads and matches every document itself.
 */

const config = testConfig();
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let client: MongoClient;
let slow: Collection<{ _id: number; text: string; touched?: boolean }>;
const poolEvents: string[] = [];

const scanEverything = { text: { $regex: 'matches-nothing$' } };
const limitMs = 100;
const maxDocuments = 60_000;

async function timed<T>(work: () => Promise<T>): Promise<{ elapsedMs: number; outcome: T | Error }> {
  const startedAt = performance.now();
  const outcome = await work().catch((error: unknown) => error as Error);
  return { elapsedMs: performance.now() - startedAt, outcome };
}

beforeAll(async () => {
  database = await openTestDatabase(config);
  client = new MongoClient(config.mongo.uri!, { maxPoolSize: 1 });
  for (const event of ['connectionCheckedIn', 'connectionClosed'] as const) client.on(event, () => poolEvents.push(event));
  slow = client.db(config.mongo.database).collection('slow_scans');
  // Enough documents that an unlimited scan clearly outlasts a limited one plus the driver's
  // grace, on whatever machine runs the test: added until one takes three times that.
  const filler = 'x'.repeat(4_000);
  for (let start = 0; start < maxDocuments; start += 3_000) {
    await slow.insertMany(Array.from({ length: 3_000 }, (_, index) => ({ _id: start + index, text: `${filler}${start + index}` })));
    const scan = await timed(() => slow.updateOne(scanEverything, { $set: { touched: true } }));
    if (scan.elapsedMs > 3 * (limitMs + abortGraceMs)) break;
  }
}, 300_000);

afterAll(async () => {
  await client?.close();
  await database?.drop();
});

describe('a time limit on one database operation, against FerretDB', () => {
  it('when a find outlasts its limit then FerretDB ends it and its connection goes back to the pool', async () => {
    const unlimited = await timed(() => slow.find(scanEverything).toArray());
    expect(unlimited.outcome).toEqual([]);
    expect(unlimited.elapsedMs).toBeGreaterThan(4 * limitMs);
    poolEvents.length = 0;

    const limited = await timed(() => slow.find(scanEverything, { ...operationLimit(limitMs) }).toArray());

    expect(limited.outcome).toMatchObject({ codeName: 'MaxTimeMSExpired' });
    expect(limited.elapsedMs).toBeLessThan(unlimited.elapsedMs);
    expect(poolEvents).toEqual(['connectionCheckedIn']);
    expect(await slow.findOne({ _id: 1 })).toMatchObject({ _id: 1 });
  });

  it('when an update outlasts its limit, which FerretDB ignores, then the driver gives up on it and the pool serves the next one at once', async () => {
    const unlimited = await timed(() => slow.updateOne(scanEverything, { $set: { touched: true } }));
    expect(unlimited.outcome).toMatchObject({ matchedCount: 0 });
    expect(unlimited.elapsedMs).toBeGreaterThan(2 * (limitMs + abortGraceMs));
    poolEvents.length = 0;

    const startedAt = performance.now();
    const limited = await timed(() => slow.updateOne(scanEverything, { $set: { touched: true } }, { ...operationLimit(limitMs) }));
    const next = await slow.findOne({ _id: 2 });
    const nextAnsweredAfterMs = performance.now() - startedAt;

    expect(limited.outcome).toMatchObject({ name: 'MongoOperationTimeoutError' });
    expect(limited.elapsedMs).toBeGreaterThanOrEqual(limitMs + abortGraceMs - 20);
    // The one connection, still waiting for the update's answer, was closed; the pool opened another.
    expect(poolEvents).toContain('connectionClosed');
    expect(next).toMatchObject({ _id: 2 });
    expect(nextAnsweredAfterMs).toBeLessThan(unlimited.elapsedMs);
  });
});
