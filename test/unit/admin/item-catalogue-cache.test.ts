import { describe, expect, it } from 'vitest';
import { IntacctItemCatalogueCache } from '../../../api/admin/item-catalogue-cache.js';
import type { IntacctCatalogueItem } from '../../../connectors/intacct/index.js';

const item = (itemId: string, whenModified: string, status = 'active'): IntacctCatalogueItem => ({
  itemId,
  name: `Item ${itemId}`,
  status,
  basePrice: '10',
  unit: 'Each',
  upc: '',
  whenModified,
});

/** A stand-in Intacct: its items, and every read asked of it (the `WHENMODIFIED` it started from). */
function fakeIntacct(items: IntacctCatalogueItem[]) {
  const reads: Array<string | undefined> = [];
  const sortable = (value: string) => value.replace(/^(\d{2})\/(\d{2})\/(\d{4})(.*)$/, '$3$1$2$4');
  return {
    items,
    reads,
    async *read(_tenantId: string, since: string | undefined) {
      reads.push(since);
      const matching = items.filter((candidate) => since === undefined || sortable(candidate.whenModified) >= sortable(since));
      // Pages of two, each an awaited request, as Intacct pages its answers.
      for (let start = 0; start < matching.length; start += 2) yield await Promise.resolve(matching.slice(start, start + 2));
    },
  };
}

describe('Intacct item catalogue cache', () => {
  it('when asked first then every page is read; within the refresh period nothing is read again', async () => {
    const intacct = fakeIntacct([
      item('A-1', '01/05/2026 09:00:00'),
      item('B-2', '01/06/2026 09:00:00'),
      item('C-3', '01/04/2026 09:00:00'),
    ]);
    let now = 0;
    const cache = new IntacctItemCatalogueCache((tenantId, since) => intacct.read(tenantId, since), {
      refreshAfterMs: 1_000,
      now: () => now,
    });
    expect((await cache.index('t')).size).toBe(3);
    now = 500;
    await cache.index('t');
    expect(intacct.reads).toEqual([undefined]);
  });

  it('when the refresh period has passed then only items modified since the newest seen are read, and changes reach the index', async () => {
    const intacct = fakeIntacct([item('A-1', '01/05/2026 09:00:00'), item('B-2', '12/31/2025 23:00:00')]);
    let now = 0;
    const cache = new IntacctItemCatalogueCache((tenantId, since) => intacct.read(tenantId, since), {
      refreshAfterMs: 1_000,
      now: () => now,
    });
    expect((await cache.index('t')).has('B-2')).toBe(true);

    intacct.items.push(item('D-4', '02/01/2026 08:00:00'));
    intacct.items[1] = item('B-2', '02/01/2026 08:00:00', 'inactive');
    now = 2_000;
    const refreshed = await cache.index('t');
    expect(intacct.reads).toEqual([undefined, '01/05/2026 09:00:00']);
    expect([refreshed.has('A-1'), refreshed.has('B-2'), refreshed.has('D-4')]).toEqual([true, false, true]);

    now = 4_000;
    await cache.index('t');
    expect(intacct.reads.at(-1)).toBe('02/01/2026 08:00:00');
  });

  it("when Intacct's items carry a UPC then a storefront product with that UPC finds its item by it, whatever its SKU", async () => {
    const intacct = fakeIntacct([
      { ...item('MUG-CER-12OZ', '01/05/2026 09:00:00'), upc: ' 0036000291452 ' },
      item('MUG-2', '01/05/2026 09:00:00'),
    ]);
    const cache = new IntacctItemCatalogueCache((tenantId, since) => intacct.read(tenantId, since));
    expect((await cache.index('t')).suggest({ sku: 'BC-77731', upc: '036000291452' }, { confirmed: [] })).toEqual([
      { intacctItemId: 'MUG-CER-12OZ', confidence: 0.97, reasons: ['same UPC/GTIN'] },
    ]);
  });

  it("when only an item's UPC changed then the refreshed index finds it by the new one", async () => {
    const intacct = fakeIntacct([item('A-1', '01/05/2026 09:00:00')]);
    let now = 0;
    const cache = new IntacctItemCatalogueCache((tenantId, since) => intacct.read(tenantId, since), {
      refreshAfterMs: 1_000,
      now: () => now,
    });
    expect((await cache.index('t')).suggest({ sku: 'X', upc: '0012345678905' }, { confirmed: [] })).toEqual([]);
    intacct.items[0] = { ...item('A-1', '01/05/2026 09:00:00'), upc: '0012345678905' };
    now = 2_000;
    expect((await cache.index('t')).suggest({ sku: 'X', upc: '0012345678905' }, { confirmed: [] })).toEqual([
      { intacctItemId: 'A-1', confidence: 0.97, reasons: ['same UPC/GTIN'] },
    ]);
  });

  it('when a read fails then the failure is not kept and the next request reads again', async () => {
    let fail = true;
    const intacct = fakeIntacct([item('A-1', '01/05/2026 09:00:00')]);
    const cache = new IntacctItemCatalogueCache((tenantId, since) => {
      if (fail) throw new Error('Intacct is down');
      return intacct.read(tenantId, since);
    });
    await expect(cache.index('t')).rejects.toThrow('Intacct is down');
    fail = false;
    expect((await cache.index('t')).has('A-1')).toBe(true);
  });

  it('when tenants differ then each has its own catalogue', async () => {
    const first = fakeIntacct([item('A-1', '01/05/2026 09:00:00')]);
    const second = fakeIntacct([item('Z-9', '01/05/2026 09:00:00')]);
    const cache = new IntacctItemCatalogueCache((tenantId, since) => (tenantId === 'one' ? first : second).read(tenantId, since));
    expect([(await cache.index('one')).has('A-1'), (await cache.index('two')).has('A-1'), (await cache.index('two')).has('Z-9')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
