import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOwnInventoryWrites, sweepOwnInventoryWrites, wasWrittenByUs } from '../../../store/own-inventory-writes.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';

/** The product's record of its own stock pushes, on FerretDB: each outcome of recording, looking up and sweeping. */
describe('own inventory writes', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const minute = 60_000;
  /** The start of a minute, so tests can place writes on either side of a minute's edge. */
  const at = (minutes: number, plusMs = 0) => new Date(Math.floor(Date.now() / minute) * minute + minutes * minute + plusMs);

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when a batch names a product and its variant, then each is known as ours and another variant, product or tenant is not', async () => {
    const now = at(0, 30_000);
    await recordOwnInventoryWrites(
      database.db,
      'a',
      [{ productId: '1', variantId: '10' }, { productId: '1' }, { productId: '2' }, { productId: '2' }],
      now,
    );

    expect(await wasWrittenByUs(database.db, 'a', { productId: '1', variantId: '10' }, 120_000, now)).toBe(true);
    expect(await wasWrittenByUs(database.db, 'a', { productId: '1' }, 120_000, now)).toBe(true);
    expect(await wasWrittenByUs(database.db, 'a', { productId: '2' }, 120_000, now)).toBe(true);
    expect(await wasWrittenByUs(database.db, 'a', { productId: '1', variantId: '11' }, 120_000, now)).toBe(false);
    expect(await wasWrittenByUs(database.db, 'a', { productId: '3' }, 120_000, now)).toBe(false);
    expect(await wasWrittenByUs(database.db, 'b', { productId: '2' }, 120_000, now)).toBe(false);
  });

  it('when the push is older than the window, even within the same minute as its edge, then it is not ours', async () => {
    await recordOwnInventoryWrites(database.db, 'edge', [{ productId: '1' }], at(10, 5_000));

    expect(await wasWrittenByUs(database.db, 'edge', { productId: '1' }, 60_000, at(11, 4_000))).toBe(true);
    expect(await wasWrittenByUs(database.db, 'edge', { productId: '1' }, 60_000, at(11, 6_000))).toBe(false);
    expect(await wasWrittenByUs(database.db, 'edge', { productId: '1' }, 120_000, at(12, 4_000))).toBe(true);
  });

  it('when the same key is pushed twice in one minute, then the later push counts', async () => {
    await recordOwnInventoryWrites(database.db, 'twice', [{ productId: '1' }, { productId: '2' }], at(20, 1_000));
    await recordOwnInventoryWrites(database.db, 'twice', [{ productId: '1' }, { productId: '3' }], at(20, 50_000));

    // 30 s after the second push: only it is inside a 40 s window.
    expect(await wasWrittenByUs(database.db, 'twice', { productId: '1' }, 40_000, at(21, 20_000))).toBe(true);
    expect(await wasWrittenByUs(database.db, 'twice', { productId: '2' }, 40_000, at(21, 20_000))).toBe(false);
    expect(await wasWrittenByUs(database.db, 'twice', { productId: '3' }, 40_000, at(21, 20_000))).toBe(true);
  });

  it("when the writer's clock runs ahead of the reader's, then its push is still found", async () => {
    await recordOwnInventoryWrites(database.db, 'skew', [{ productId: '1' }], at(31, 10_000));

    expect(await wasWrittenByUs(database.db, 'skew', { productId: '1' }, 120_000, at(30, 50_000))).toBe(true);
  });

  it('when the window spans hours, then a push inside it is found and one before it is not', async () => {
    await recordOwnInventoryWrites(database.db, 'long', [{ productId: '1' }], at(-150));
    await recordOwnInventoryWrites(database.db, 'long', [{ productId: '2' }], at(-250));

    expect(await wasWrittenByUs(database.db, 'long', { productId: '1' }, 4 * 60 * minute, at(0))).toBe(true);
    expect(await wasWrittenByUs(database.db, 'long', { productId: '2' }, 4 * 60 * minute, at(0))).toBe(false);
  });

  it('when the sweep runs, then pushes older than its cutoff are forgotten and newer ones kept', async () => {
    await recordOwnInventoryWrites(database.db, 'sweep', [{ productId: '1' }, { productId: '2' }], at(-500));
    await recordOwnInventoryWrites(database.db, 'sweep', [{ productId: '3' }], at(0));

    expect(await sweepOwnInventoryWrites(database.db, at(-400))).toBeGreaterThanOrEqual(2);
    expect(await wasWrittenByUs(database.db, 'sweep', { productId: '1' }, 1000 * minute, at(0))).toBe(false);
    expect(await wasWrittenByUs(database.db, 'sweep', { productId: '3' }, 2 * minute, at(0))).toBe(true);
  });

  it("when a large run's pushes expire, then one sweep forgets more of them than SQLite takes variables in one statement", async () => {
    const keys = 34_000;
    for (let first = 0; first < keys; first += 2000) {
      await recordOwnInventoryWrites(
        database.db,
        'large',
        Array.from({ length: 2000 }, (_, index) => ({ productId: String(first + index) })),
        at(-900, first),
      );
    }

    expect(await sweepOwnInventoryWrites(database.db, at(-800))).toBe(keys);
    expect(await wasWrittenByUs(database.db, 'large', { productId: '0' }, 1000 * minute, at(0))).toBe(false);
  }, 120_000);
});
