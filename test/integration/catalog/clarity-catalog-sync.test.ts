import { describe, expect, it } from 'vitest';
import { ClarityClient } from '../../../connectors/clarity/index.js';
import { storefrontItemIntakeWorkflowId } from '../../../workflows/storefront-item-intake-contract.js';
import { useCatalogFixture, type CatalogFixture } from '../../support/catalog-fixture.js';
import { sandboxCredentials } from '../../support/order-sync-fixture.js';

/**
 * Catalog sync to Clarity end to end: the product's worker on the dev server, FerretDB, the
 * Intacct and Clarity sandboxes over HTTP, the tenant's schedule, and the Clarity webhook
 * receiver subscribed to the sandbox's events (so an echo of the sync's own write would arrive
 * and start an intake). What reached Clarity is read back through its API and request log.
 */
describe('catalog sync: Intacct items → Clarity products on the schedule', () => {
  let catalog: CatalogFixture;
  useCatalogFixture('clarity', (started) => (catalog = started));

  type LoggedRequest = {
    method: string;
    path: string;
    status: number | undefined;
    idempotencyKey: string | undefined;
    fault: string | undefined;
  };
  const productWrites = async () =>
    ((await catalog.clarity('GET', '/requests')) as { data: LoggedRequest[] }).data.filter(
      (request) => request.method === 'PATCH' && request.path.startsWith('/api/v1/products/'),
    );
  /** The product as Clarity's API gives it (read with the demo client, as a merchant's tool would). */
  const product = (sku: string) =>
    new ClarityClient({ baseUrl: catalog.stack.sandboxes.clarity.url, credentials: sandboxCredentials.clarity }).getProduct(sku);

  it('when an Intacct price changes, then the scheduled run carries it to the Clarity product once, the next run writes nothing, and nothing echoes back', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true }, { webhooks: true });
    // The demo store's white T-shirt and the discontinued poster differ from Intacct, which owns names and prices by default.
    const first = await catalog.runCatalogSchedule(tenantId);
    expect(first).toMatchObject({ tenantId, storefront: 'clarity', outcome: 'completed', failed: 0, variantsWritten: 0 });
    expect(first.productsWritten).toBeGreaterThan(0);

    await catalog.intacct('PATCH', '/records/ITEM/TSHIRT-BLK-M', { fields: { BASEPRICE: '26' } });
    // The first write's answer is lost after Clarity committed it: the retry under the same key is replayed, not written again.
    await catalog.clarity('POST', '/faults', {
      kind: 'lost_response',
      method: 'PATCH',
      pathPrefix: '/api/v1/products/TSHIRT-BLK-M',
      times: 1,
    });
    const writesBefore = (await productWrites()).length;
    const second = await catalog.runCatalogSchedule(tenantId);

    expect(second).toMatchObject({ outcome: 'completed', productsWritten: 1, variantsWritten: 0, productBatches: 1, failed: 0 });
    const writes = (await productWrites()).slice(writesBefore);
    expect(writes.map((write) => write.path)).toEqual(['/api/v1/products/TSHIRT-BLK-M', '/api/v1/products/TSHIRT-BLK-M']);
    expect(writes[0]!.fault).toBe('lost_response');
    expect(new Set(writes.map((write) => write.idempotencyKey)).size).toBe(1);
    expect(writes[1]!.status).toBe(200);
    expect(await product('TSHIRT-BLK-M')).toMatchObject({ price: '26.00', name: 'Classic T-Shirt, Black, M', active: true });

    const third = await catalog.runCatalogSchedule(tenantId);
    expect(third).toMatchObject({ outcome: 'completed', productsWritten: 0, failed: 0 });
    expect(third.unchanged).toBeGreaterThan(0);
    expect((await productWrites()).length).toBe(writesBefore + 2);

    // No write of the sync came back as a product.updated, so no intake ever started.
    const deliveries = (await catalog.clarity('GET', '/webhook-deliveries')) as { data: Array<{ eventType: string }> };
    expect(deliveries.data.filter((delivery) => delivery.eventType === 'product.updated')).toEqual([]);
    await expect(
      catalog.stack.client.workflow
        .getHandle(storefrontItemIntakeWorkflowId(tenantId, { kind: 'claritySku', sku: 'TSHIRT-BLK-M' }))
        .describe(),
    ).rejects.toThrow();
  });
});
