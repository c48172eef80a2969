import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInventoryReport } from '../../store/inventory-reports.js';
import { recordLedgerEntry } from '../../store/ledger.js';
import type { InventoryReport } from '../../workflows/inventory-reconcile-contract.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';

/** The sync log's other lists (refunds, inventory runs) and the order page's link to the storefront. */
describe('console in Chromium: refunds and inventory runs in the sync log, the storefront link', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'acme', 'Acme Outdoor');
    await createTenant(api, 'other', 'Other Co');
    const { db } = api.database;
    await recordLedgerEntry(
      db,
      { tenantId: 'acme', entity: 'order', externalId: '5001' },
      { state: 'synced', intacctDocumentId: 'SO-5001' },
    );
    await recordLedgerEntry(
      db,
      { tenantId: 'acme', entity: 'refund', externalId: 'R-1' },
      { state: 'synced', orderExternalId: '5001', amount: 1250, currency: 'USD', intacctDocumentId: 'CM-1' },
    );
    await recordLedgerEntry(
      db,
      { tenantId: 'acme', entity: 'refund', externalId: 'R-2' },
      {
        state: 'parked',
        orderExternalId: '5001',
        amount: 300,
        currency: 'JPY',
        lastError: { code: 'closed_period', message: 'The period is <closed>', at: new Date() },
      },
    );
    await recordLedgerEntry(db, { tenantId: 'other', entity: 'refund', externalId: 'R-OTHER' }, { state: 'synced' });
    const report: InventoryReport = {
      runId: 'run-1',
      tenantId: 'acme',
      storefront: 'bigcommerce',
      outcome: 'completed',
      startedAt: '2026-03-02T03:00:00.000Z',
      finishedAt: '2026-03-02T03:00:09.000Z',
      durationMs: 9_000,
      pages: 1,
      intacctItems: 3,
      compared: 3,
      changed: 1,
      pushed: 1,
      failed: 0,
      unmapped: 0,
      filtered: 0,
      notInStorefront: 0,
      batches: 1,
      intacctTransactions: 1,
      largestDrifts: [],
      failedSamples: [],
      unmappedSamples: [],
      notInStorefrontSamples: [],
      generations: 0,
    };
    await insertInventoryReport(db, report);
    await insertInventoryReport(db, { ...report, tenantId: 'other', runId: 'run-other' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when the refunds list is opened and filtered, then it shows each refund, newest first, with its order, amount and document, and no other tenant’s', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme/orders');
    await page.getByRole('link', { name: 'Refunds' }).click();
    const rows = page.locator('main table tbody tr');
    expect(await rows.nth(1).locator('td').allInnerTexts()).toEqual([
      'R-1',
      '5001',
      'synced',
      '12.50 USD',
      'CM-1',
      '0',
      '',
      expect.any(String),
    ]);
    expect(await rows.nth(0).locator('td').allInnerTexts()).toEqual([
      'R-2',
      '5001',
      'parked',
      '300 JPY',
      '',
      '0',
      // The code only: the list's read model keeps no vendor text (the order's page shows the message).
      'closed_period',
      expect.any(String),
    ]);
    expect(await rows.count()).toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('State').selectOption('parked');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('main table tbody tr td:first-child').allInnerTexts()).toEqual(['R-2']);
    await rows.first().getByRole('link', { name: '5001' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Order 5001');
  });

  it('when the inventory runs list is opened, then it shows the tenant’s reports linking to each', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme/inventory-runs');
    expect(await page.locator('main table tbody tr td:first-child').allInnerTexts()).toEqual(['2026-03-02 03:00 UTC']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '2026-03-02 03:00 UTC' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Inventory run run-1');
    expect((await page.goto('/console/tenants/acme/inventory/reports/run-other'))?.status()).toBe(404);
  });

  it('when an order of a BigCommerce tenant is opened, then it links to the order in the store’s control panel', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/acme/orders/5001');
    const link = page.getByRole('link', { name: 'Order 5001 in the BigCommerce control panel' });
    await expect(link.getAttribute('href')).resolves.toBe('https://store-acme.mybigcommerce.com/manage/orders/5001');
    await expect(page.locator('.timeline').innerText()).resolves.toContain('refund R-1: synced (CM-1)');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
