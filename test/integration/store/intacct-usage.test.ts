import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntacctUsageMeter } from '../../../observability/intacct-usage-meter.js';
import {
  ensureIntacctUsageIndexes,
  listIntacctBudgetCrossings,
  readIntacctUsage,
  type IntacctBudgetCrossing,
} from '../../../store/intacct-usage.js';
import { openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';

/** The month's Intacct count shared by every worker, on FerretDB: two meters stand for two worker processes. */
describe('the Intacct usage month', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
    await ensureIntacctUsageIndexes(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const meter = (told: IntacctBudgetCrossing[], now: () => Date) =>
    new IntacctUsageMeter({
      db: database.db,
      budgetOf: () => Promise.resolve({ monthlyTransactions: 10, alertAtPercent: [80, 100] }),
      onThresholdCrossed: (crossing) => void told.push(crossing),
      now,
    });

  it('when two workers count the same tenant at once past both thresholds, then the month holds every transaction and each threshold is recorded and told once', async () => {
    const tenantId = uniqueId('usage');
    const told: IntacctBudgetCrossing[] = [];
    const now = () => new Date('2026-12-06T12:00:00Z');
    const workers = [meter(told, now), meter(told, now)];
    for (let round = 0; round < 3; round++) {
      for (const worker of workers) worker.record(tenantId, ['readByQuery', 'create_sotransaction']);
      await Promise.all(workers.map((worker) => worker.flush()));
    }
    const usage = await readIntacctUsage(database.db, tenantId, '2026-12');
    expect(usage).toMatchObject({ transactions: 12, byFunction: { readByQuery: 6, create_sotransaction: 6 }, budget: 10 });
    expect(told.map((crossing) => crossing.thresholdPercent).sort()).toEqual([100, 80]);
    expect((await listIntacctBudgetCrossings(database.db, tenantId)).map((crossing) => crossing.thresholdPercent)).toEqual([80, 100]);
  });

  it('when the month turns, then the count starts again and the thresholds can be crossed again in the new month', async () => {
    const tenantId = uniqueId('usage');
    const told: IntacctBudgetCrossing[] = [];
    let instant = new Date('2026-11-30T23:59:59Z');
    const worker = meter(told, () => instant);
    worker.record(
      tenantId,
      Array.from({ length: 9 }, () => 'readByQuery'),
    );
    instant = new Date('2026-12-01T00:00:01Z');
    worker.record(tenantId, ['readByQuery']);
    await worker.flush();
    expect((await readIntacctUsage(database.db, tenantId, '2026-11'))?.transactions).toBe(9);
    expect((await readIntacctUsage(database.db, tenantId, '2026-12'))?.transactions).toBe(1);
    expect(told.map((crossing) => `${crossing.month} ${crossing.thresholdPercent}`)).toEqual(['2026-11 80']);
  });
});
