import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { missingSkuAttentionKey } from '../../../activities/storefront-item-intake.js';
import { bigCommerceSecretHeader } from '../../../api/webhooks/bigcommerce.js';
import { findAttentionItem } from '../../../store/attention.js';
import { readCatalogSyncState } from '../../../store/catalog-sync-state.js';
import { saveCredentials } from '../../../store/credentials.js';
import { intacctUsageMonth, saveIntacctUsageTally } from '../../../store/intacct-usage.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import type { CatalogSyncReport } from '../../../workflows/catalog-sync-contract.js';
import { storefrontItemIntakeWorkflowId, type StorefrontItemIntakeResult } from '../../../workflows/storefront-item-intake-contract.js';
import { useCatalogFixture, type CatalogFixture } from '../../support/catalog-fixture.js';
import { eventually } from '../../support/eventually.js';

/**
 * Catalog sync end to end: the product's worker (every workflow, real activities) on the dev
 * server, FerretDB, the Intacct and BigCommerce sandboxes over HTTP, the tenant's schedule, and
 * the BigCommerce webhook receiver with the sandbox delivering to it. What reached each system is
 * read back through its own API and request log.
 */
describe('catalog sync: Intacct items → BigCommerce on the schedule, new BigCommerce SKUs → Intacct items by webhook', () => {
  let catalog: CatalogFixture;
  useCatalogFixture('bigcommerce', (started) => (catalog = started));

  /** BigCommerce catalog writes the store has answered so far. */
  const catalogWrites = async () => {
    const { requests } = (await catalog.bigCommerce('GET', '/_control/requests')) as { requests: Array<{ method: string; path: string }> };
    return {
      products: requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/v3/catalog/products')).length,
      variants: requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/v3/catalog/variants')).length,
    };
  };
  const product = async (id: number) =>
    (
      (await catalog.bigCommerce('GET', `/stores/demostore/v3/catalog/products?id:in=${id}&include=variants`)) as {
        data: Array<Record<string, unknown>>;
      }
    ).data[0] as { name: string; price: number; is_visible: boolean; variants: Array<{ id: number; sku: string; price: number }> };

  it('when an Intacct price changes, then the scheduled run carries it to BigCommerce once, and the next run writes nothing', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true });
    const first = await catalog.runCatalogSchedule(tenantId);
    // The demo store's names differ from Intacct's, which owns them by default: the first run aligns them.
    expect(first).toMatchObject({ tenantId, outcome: 'completed', failed: 0, variantsWritten: 0, productBatches: 1 });
    expect(first.productsWritten).toBeGreaterThan(0);
    expect((await product(112)).name).toBe('Ceramic Mug, 12 oz');
    expect(first.intacctTransactions).toBe(first.pages);

    await catalog.intacct('PATCH', '/records/ITEM/MUG-CER-12OZ', { fields: { BASEPRICE: '15.75' } });
    await catalog.intacct('PATCH', '/records/ITEM/TSHIRT-BLK-M', { fields: { BASEPRICE: '26' } });
    const beforeChange = await catalogWrites();
    const second = await catalog.runCatalogSchedule(tenantId);

    expect(second).toMatchObject({
      outcome: 'completed',
      productsWritten: 1,
      variantsWritten: 1,
      productBatches: 1,
      variantBatches: 1,
      failed: 0,
    });
    expect(await catalogWrites()).toEqual({ products: beforeChange.products + 1, variants: beforeChange.variants + 1 });
    expect((await product(112)).price).toBe(15.75);
    const tee = await product(111);
    expect(tee.variants.find((variant) => variant.sku === 'TSHIRT-BLK-M')?.price).toBe(26);
    expect(tee.variants.find((variant) => variant.sku === 'TSHIRT-BLK-S')?.price).toBe(24);

    const third = await catalog.runCatalogSchedule(tenantId);
    expect(third).toMatchObject({ outcome: 'completed', productsWritten: 0, variantsWritten: 0, productBatches: 0, variantBatches: 0 });
    // The watermark moved to the latest change: only the two items changed since the first run are read again.
    expect(third.intacctItems).toBe(2);
    expect(third.unchanged).toBe(2);
    expect(await catalogWrites()).toEqual({ products: beforeChange.products + 1, variants: beforeChange.variants + 1 });
    expect((await readCatalogSyncState(catalog.stack.database.db, tenantId))?.lastReport).toEqual(third);
  });

  it('when the item sync is off, then the scheduled run reads and writes nothing', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: false });
    const before = await catalogWrites();
    const report = await catalog.runCatalogSchedule(tenantId);
    expect(report).toMatchObject({ outcome: 'disabled', pages: 0, intacctTransactions: 0, productsWritten: 0 });
    expect(await catalogWrites()).toEqual(before);
  });

  it('when the month has reached the Intacct budget’s soft limit, then the run is deferred: nothing is read or written, and the watermark stays', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true });
    await catalog.runCatalogSchedule(tenantId);
    const watermark = (await readCatalogSyncState(catalog.stack.database.db, tenantId))?.watermarkMs;
    const current = (await readSettings(catalog.stack.database.db, tenantId))!;
    await writeSettings(
      catalog.stack.database.db,
      tenantId,
      { ...current.settings, intacctBudget: { monthlyTransactions: 100, alertAtPercent: [80], deferNonUrgentAtPercent: 50 } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const month = intacctUsageMonth(new Date());
    await saveIntacctUsageTally(catalog.stack.database.db, {
      tenantId,
      month,
      process: 'another-worker',
      transactions: 60,
      byFunction: {},
      updatedAt: new Date(),
    });
    await catalog.intacct('PATCH', '/records/ITEM/MUG-CER-12OZ', { fields: { BASEPRICE: '17.25' } });
    const before = await catalogWrites();

    const report = await catalog.runCatalogSchedule(tenantId);

    expect(report).toMatchObject({ outcome: 'deferred', pages: 0, intacctTransactions: 0, productsWritten: 0 });
    expect(report.note).toContain(`60 Intacct transactions spent in ${month}, at or past the soft limit of 50`);
    expect(await catalogWrites()).toEqual(before);
    expect((await readCatalogSyncState(catalog.stack.database.db, tenantId))?.watermarkMs).toBe(watermark);
  });

  /** Points the store's product-creation webhooks at the receiver, for this tenant, each delivered `copies` times. */
  const deliverProductCreations = async (tenantId: string, copies: number) => {
    const secret = `whs-${randomUUID()}`;
    await saveCredentials(catalog.stack.database.db, catalog.stack.cipher, tenantId, 'webhook', {
      secrets: [{ secret, createdAt: new Date().toISOString() }],
    });
    await catalog.bigCommerce('POST', '/stores/demostore/v3/hooks', {
      scope: 'store/product/created',
      destination: `${catalog.stack.api.url}/webhooks/bigcommerce/${tenantId}`,
      is_active: true,
      headers: { [bigCommerceSecretHeader]: secret },
    });
    await catalog.bigCommerce('PUT', '/_control/webhook-behaviour', { copies });
  };
  const intakeResult = async (tenantId: string, productId: number) =>
    (await eventually(
      async () => {
        try {
          return await catalog.stack.client.workflow
            .getHandle(storefrontItemIntakeWorkflowId(tenantId, { kind: 'bigcommerceProduct', productId: String(productId) }))
            .result();
        } catch {
          return undefined;
        }
      },
      { until: (result) => result !== undefined, what: `the intake of product ${productId}`, timeoutMs: 60_000, intervalMs: 250 },
    )) as StorefrontItemIntakeResult;

  it('when a BigCommerce product is created, then its SKU becomes one inactive Intacct item however often the webhook comes, and the item sync does not echo it back', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true, createInIntacct: 'inactive' });
    await catalog.runCatalogSchedule(tenantId);
    await deliverProductCreations(tenantId, 3);
    const before = await catalogWrites();

    const created = (await catalog.bigCommerce('POST', '/stores/demostore/v3/catalog/products', {
      name: 'Crew Socks',
      type: 'physical',
      weight: 0.2,
      price: 9,
      cost_price: 3.1,
      sku: 'SOCKS-BLK-M',
    })) as { data: { id: number } };

    const intake = await intakeResult(tenantId, created.data.id);
    expect(intake).toMatchObject({ outcome: 'completed', known: [], raised: [], failed: [] });
    expect(await catalog.intacctItem('SOCKS-BLK-M')).toMatchObject({
      ITEMID: 'SOCKS-BLK-M',
      NAME: 'Crew Socks',
      STATUS: 'inactive',
      ITEMTYPE: 'Inventory',
      BASEPRICE: '9.00',
      STANDARD_COST: '3.10',
    });
    expect(await catalog.itemCreates('SOCKS-BLK-M')).toBe(1);

    // The item Intacct now has changed since the last run: the next run reads it, knows it for the product's own, and writes nothing.
    const sync = await catalog.runCatalogSchedule(tenantId);
    expect(sync).toMatchObject({ ownWrites: 1, productsWritten: 0, variantsWritten: 0 });
    expect(await catalogWrites()).toEqual(before);
    expect((await product(created.data.id)).is_visible).toBe(true);
  });

  it('when item creation is off, then a new product raises one attention item per missing SKU and creates nothing', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true, createInIntacct: 'off' });
    await deliverProductCreations(tenantId, 2);

    const created = (await catalog.bigCommerce('POST', '/stores/demostore/v3/catalog/products', {
      name: 'Wool Beanie',
      type: 'physical',
      weight: 0.1,
      price: 15,
      variants: [
        { sku: 'BEANIE-RED', option_values: [{ option_display_name: 'Colour', label: 'Red' }] },
        { sku: 'MUG-CER-12OZ-GIFT', option_values: [{ option_display_name: 'Colour', label: 'Gift box' }] },
      ],
    })) as { data: { id: number } };

    const intake = await intakeResult(tenantId, created.data.id);
    expect(intake).toMatchObject({ outcome: 'completed', created: [], raised: ['BEANIE-RED', 'MUG-CER-12OZ-GIFT'] });
    for (const sku of ['BEANIE-RED', 'MUG-CER-12OZ-GIFT']) {
      expect(await findAttentionItem(catalog.stack.database.db, missingSkuAttentionKey(tenantId, sku))).toMatchObject({
        state: 'open',
        code: 'unknown_sku',
      });
      expect(await catalog.intacctItem(sku)).toBeUndefined();
    }
  });

  it('when an Intacct item is flagged for the web and the store lacks its SKU, then one run creates its product once, the next creates nothing, and its webhook starts no intake', async () => {
    const tenantId = await catalog.catalogTenant({
      enabled: true,
      createInStorefront: { enabled: true, flagField: 'WEB_ENABLED', flagValue: 'true', visibility: 'visible' },
    });
    const newItem = (itemId: string, name: string, webEnabled: string) =>
      catalog.intacct('POST', '/records/ITEM', {
        fields: {
          ITEMID: itemId,
          NAME: name,
          STATUS: 'active',
          ITEMTYPE: 'Inventory',
          BASEPRICE: '12.50',
          STANDARD_COST: '4',
          WEB_ENABLED: webEnabled,
        },
      });
    await newItem('SOCKS-WOOL-WEB', 'Wool Socks', 'true');
    await newItem('SCARF-PLAIN', 'Plain Scarf', 'false');
    await deliverProductCreations(tenantId, 1);
    const bySku = async (sku: string) =>
      (
        (await catalog.bigCommerce('GET', `/stores/demostore/v3/catalog/products?sku=${sku}`)) as {
          data: Array<{ id: number; name: string; price: number; is_visible: boolean; type: string }>;
        }
      ).data;
    const productCreates = async () =>
      ((await catalog.bigCommerce('GET', '/_control/requests')) as { requests: Array<{ method: string; path: string }> }).requests.filter(
        (request) => request.method === 'POST' && request.path.endsWith('/v3/catalog/products'),
      ).length;

    const first = await catalog.runCatalogSchedule(tenantId);

    expect(first).toMatchObject({ outcome: 'completed', productsCreated: 1, failed: 0 });
    expect(await productCreates()).toBe(1);
    const [created] = await bySku('SOCKS-WOOL-WEB');
    expect(created).toMatchObject({ name: 'Wool Socks', price: 12.5, is_visible: true, type: 'physical' });
    expect(await bySku('SCARF-PLAIN')).toEqual([]);
    // Delivered and answered: an intake it had started would exist by now.
    await eventually(
      async () =>
        (
          (await catalog.bigCommerce('GET', '/_control/webhooks')) as {
            deliveries: Array<{ scope: string; state: string; data?: { id?: number } }>;
          }
        ).deliveries,
      {
        until: (deliveries) =>
          deliveries.some(
            (delivery) => delivery.scope === 'store/product/created' && delivery.data?.id === created!.id && delivery.state === 'delivered',
          ),
        what: `the created webhook of product ${created!.id}`,
        timeoutMs: 30_000,
        intervalMs: 100,
      },
    );
    await expect(
      catalog.stack.client.workflow
        .getHandle(storefrontItemIntakeWorkflowId(tenantId, { kind: 'bigcommerceProduct', productId: String(created!.id) }))
        .describe(),
    ).rejects.toThrow(/not found/i);

    await catalog.intacct('PATCH', '/records/ITEM/SOCKS-WOOL-WEB', { fields: { BASEPRICE: '13' } });
    const second = await catalog.runCatalogSchedule(tenantId);
    expect(second).toMatchObject({ outcome: 'completed', productsCreated: 0, productsWritten: 1, failed: 0 });
    expect(await productCreates()).toBe(1);
    expect(await bySku('SOCKS-WOOL-WEB')).toMatchObject([{ id: created!.id, price: 13 }]);
  });

  it('when an operator asks for a full sync through the admin API, then every item is read again and only the differences are written', async () => {
    const refused = await catalog.stack.admin('POST', `/tenants/${await catalog.catalogTenant({ enabled: false })}/catalog/items/sync`, {});
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'catalog_sync_disabled' } } });

    const tenantId = await catalog.catalogTenant({ enabled: true });
    await catalog.runCatalogSchedule(tenantId);
    await catalog.intacct('PATCH', '/records/ITEM/CAP-NVY-OS', { fields: { BASEPRICE: '21' } });
    const before = await catalogWrites();

    const answer = await catalog.stack.admin('POST', `/tenants/${tenantId}/catalog/items/sync`, { full: true });
    expect(answer).toMatchObject({ status: 202, body: { workflowId: `catalog-sync:${tenantId}:full`, outcome: 'started' } });
    const report = (await catalog.stack.client.workflow.getHandle(`catalog-sync:${tenantId}:full`).result()) as CatalogSyncReport;

    const items = ((await catalog.intacct('GET', '/records/ITEM')) as { records: unknown[] }).records.length;
    expect(report).toMatchObject({ intacctItems: items, productsWritten: 1, variantsWritten: 0 });
    expect(report.modifiedSince).toBeUndefined();
    expect(await catalogWrites()).toEqual({ products: before.products + 1, variants: before.variants });
    expect((await product(114)).price).toBe(21);
    const state = await catalog.stack.admin('GET', `/tenants/${tenantId}/catalog/items/sync`);
    expect(state).toMatchObject({ status: 200, body: { lastReport: { runId: report.runId, productsWritten: 1 } } });
    expect(state.body.modifiedSince).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('when a run spans several continue-as-new generations, then it reads each page once and writes what one run would', async () => {
    const tenantId = await catalog.catalogTenant({ enabled: true });
    const report = (await catalog.stack.client.workflow.execute('catalogSync', {
      workflowId: `catalog-sync:${tenantId}:paged-${randomUUID().slice(0, 8)}`,
      taskQueue: catalog.stack.config.temporal.taskQueue,
      args: [{ tenantId, pageSize: 4, pagesPerRun: 2 }],
    })) as CatalogSyncReport;
    const items = ((await catalog.intacct('GET', '/records/ITEM')) as { records: unknown[] }).records.length;
    expect(report).toMatchObject({ outcome: 'completed', intacctItems: items, pages: Math.ceil(items / 4), failed: 0 });
    expect(report.generations).toBeGreaterThan(2);
    expect(report.intacctTransactions).toBe(report.pages);
    // The same changes as one run over one page: the demo store's names and the gift card's cost.
    expect(report.productsWritten).toBeGreaterThan(0);
    expect((await product(112)).name).toBe('Ceramic Mug, 12 oz');
    const again = await catalog.runCatalogSchedule(tenantId);
    expect(again).toMatchObject({ productsWritten: 0, variantsWritten: 0 });
  });
});
