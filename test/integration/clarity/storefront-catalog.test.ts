import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storefrontCatalog } from '../../../activities/storefront-catalog.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../../sandbox/clarity/index.js';
import { control, demoClient, requestLog } from './support.js';

/** Clarity behind CatalogSync's storefront port, against the sandbox over HTTP. */
let sandbox: RunningClaritySandbox;

beforeAll(async () => {
  sandbox = await startClaritySandbox({ port: 0, controlEnabled: true });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await control(sandbox.url, 'POST', '/reset');
});

const catalogIn = (currency: string) => storefrontCatalog({ kind: 'clarity', client: demoClient(sandbox.url) }, currency, () => undefined);

describe('Clarity as a storefront catalog', () => {
  it('when SKUs are read, then each known one is a product with its version, an unknown one is absent, one request each', async () => {
    const read = await catalogIn('USD').read(['CAP-NVY-OS', 'NO-SUCH-SKU', 'POSTER-CITY-A2']);
    expect(Object.fromEntries(read.entries)).toEqual({
      'CAP-NVY-OS': {
        kind: 'product',
        sku: 'CAP-NVY-OS',
        productId: 'P-507',
        name: 'Baseball Cap, Navy, One Size',
        priceMinor: 1999,
        costMinor: undefined,
        visible: true,
        version: '2026-10-01T09:00:00.000Z',
      },
      'POSTER-CITY-A2': expect.objectContaining({ kind: 'product', visible: false }),
    });
    expect(read).toMatchObject({ unreadable: [], requests: 3 });
  });

  it('when the tenant’s base currency is not the product’s, then the SKU is reported unreadable, not compared', async () => {
    const read = await catalogIn('EUR').read(['CAP-NVY-OS']);
    expect(read.entries.size).toBe(0);
    expect(read.unreadable).toEqual([
      { sku: 'CAP-NVY-OS', reason: "Clarity prices CAP-NVY-OS in USD, not the tenant's base currency EUR" },
    ]);
  });

  it('when products are written, then the refused ones are reported and the rest saved, each under a key stable across retries', async () => {
    const catalog = catalogIn('USD');
    const changes = [
      { sku: 'CAP-NVY-OS', productId: 'P-507', version: '2026-10-01T09:00:00.000Z', priceMinor: 2150, visible: false },
      { sku: 'NO-SUCH-SKU', productId: 'P-0', priceMinor: 100 },
      { sku: 'TOTE-NAT-OS', productId: 'P-508', name: 'x'.repeat(251) },
    ];
    const result = await catalog.writeProducts(changes);
    expect(result).toMatchObject({ written: 1, requests: 3 });
    expect(result.failed.map((failure) => failure.sku)).toEqual(['NO-SUCH-SKU', 'TOTE-NAT-OS']);
    expect((await catalog.read(['CAP-NVY-OS'])).entries.get('CAP-NVY-OS')).toMatchObject({ priceMinor: 2150, visible: false });

    await catalog.writeProducts(changes.slice(0, 1));
    const writes = (await requestLog(sandbox.url)).filter((entry) => entry.method === 'PATCH' && entry.path.endsWith('/CAP-NVY-OS'));
    expect(writes).toHaveLength(2);
    expect(writes[0]!.idempotencyKey).toBe(writes[1]!.idempotencyKey);
  });
});
