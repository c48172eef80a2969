import { describe, expect, it } from 'vitest';
import { storefrontCatalog } from '../../../activities/storefront-catalog.js';
import type { WebProductToCreate } from '../../../decisions/web-product-creation.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

/** The BigCommerce adapter's product create against the sandbox over HTTP: exactly once, whatever was lost. */
describe('BigCommerce as a storefront catalog: creating a product for an item flagged for the web', () => {
  const sandbox = useBigCommerceSandbox();
  const catalog = () =>
    storefrontCatalog({ kind: 'bigcommerce', storeHash: 'demostore', client: sandbox.client() }, 'USD', () => undefined);
  const socks: WebProductToCreate = {
    sku: 'SOCKS-WOOL-WEB',
    itemId: 'SOCKS-WOOL-WEB',
    name: 'Wool Socks',
    priceMinor: 1250,
    visible: false,
  };
  const productsWithSku = async (sku: string) => (await sandbox.client().catalog.listProducts({ skus: [sku], limit: 10 })).data;
  const posts = async () =>
    ((await sandbox.control('GET', '/requests')) as { requests: Array<{ method: string; path: string }> }).requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/v3/catalog/products'),
    ).length;

  it('when the SKU is new, then one product is created with the item’s name, price and visibility', async () => {
    const creation = await catalog().createProduct!(socks);
    expect(creation).toMatchObject({ outcome: 'created', requests: 2 });
    expect(await productsWithSku('SOCKS-WOOL-WEB')).toMatchObject([
      { name: 'Wool Socks', price: 12.5, is_visible: false, type: 'physical', sku: 'SOCKS-WOOL-WEB' },
    ]);
  });

  it('when the first create’s answer was lost, then the retry finds that product and creates no second', async () => {
    await sandbox.control('PUT', '/faults', { dropResponseNext: 1 });
    await expect(
      sandbox
        .client()
        .catalog.createProduct({ name: 'Wool Socks', type: 'physical', sku: 'SOCKS-WOOL-WEB', price: 12.5, weight: 0, is_visible: false }),
    ).rejects.toThrow();
    const [first] = await productsWithSku('SOCKS-WOOL-WEB');

    const retry = await catalog().createProduct!(socks);

    expect(retry).toEqual({ outcome: 'existing', productId: String(first!.id), requests: 1 });
    expect(await productsWithSku('SOCKS-WOOL-WEB')).toHaveLength(1);
    expect(await posts()).toBe(1);
  });

  it('when another product already has the name, then the 409 is read again and the create is reported refused', async () => {
    const taken = await catalog().createProduct!({ ...socks, sku: 'SOCKS-OTHER' });
    expect(taken.outcome).toBe('created');

    const creation = await catalog().createProduct!(socks);

    expect(creation).toMatchObject({ outcome: 'refused', requests: 3 });
    expect(creation.outcome === 'refused' && creation.reason).toMatch(/duplicate/i);
    expect(await productsWithSku('SOCKS-WOOL-WEB')).toEqual([]);
  });
});
