import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkForAttention } from '../../store/attention.js';
import { intacctUsageMonth, recordIntacctBudgetCrossing, saveIntacctUsageTally } from '../../store/intacct-usage.js';
import { recordLedgerEntry } from '../../store/ledger.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, issueKey, signIn } from '../support/browser-console.js';

/** The console with JavaScript off: every page reads, filters and pages, and a form still acts. */
describe('console in Chromium without JavaScript: overview, sync log filters and pages, an action', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  const orders = Array.from({ length: 62 }, (_, index) => `${5000 + index}`);

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'acme', 'Acme Outdoor');
    const { db } = api.database;
    for (const [index, orderId] of orders.entries()) {
      const state = index % 10 === 0 ? 'parked' : 'synced';
      await recordLedgerEntry(
        db,
        { tenantId: 'acme', entity: 'order', externalId: orderId },
        {
          state,
          ...(state === 'synced' && { intacctDocumentId: `SO-${orderId}` }),
        },
      );
    }
    await parkForAttention(db, {
      tenantId: 'acme',
      entity: 'order',
      externalId: orders[0]!,
      code: 'totals_do_not_balance',
      reason: 'the lines sum to 20.00 but the order says 20.01',
      fix: 'correct the order in the storefront, then retry',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const rowsOf = async (page: Page) => page.locator('main table tbody tr td:first-child').allInnerTexts();

  it('when the overview is opened, then it shows orders by sync state today and over 7 days, and open attention by code', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    const row = (state: string) => page.locator('#orders-heading + table tbody tr').filter({ hasText: state }).locator('td');
    expect(await row('synced').allInnerTexts()).toEqual(['synced', '55', '55']);
    expect(await row('parked').allInnerTexts()).toEqual(['parked', '7', '7']);
    expect(await page.locator('#attention-heading ~ table tbody tr td').allInnerTexts()).toEqual(['totals_do_not_balance', '1']);
  });

  it('when the month has spent Intacct transactions past a threshold and the soft limit, then the overview says so with the figures', async () => {
    const { db } = api.database;
    const current = (await readSettings(db, 'acme'))!;
    await writeSettings(
      db,
      'acme',
      { ...current.settings, intacctBudget: { monthlyTransactions: 2000, alertAtPercent: [80], deferNonUrgentAtPercent: 90 } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const month = intacctUsageMonth(new Date());
    await saveIntacctUsageTally(db, {
      tenantId: 'acme',
      month,
      process: 'worker-1',
      transactions: 1850,
      byFunction: {},
      updatedAt: new Date(),
    });
    await recordIntacctBudgetCrossing(db, {
      tenantId: 'acme',
      month,
      thresholdPercent: 80,
      budget: 2000,
      transactions: 1600,
      crossedAt: new Date(),
    });

    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, bootstrapKey, '/console/tenants/acme');
    const card = page.locator('section', { has: page.locator('#intacct-usage-heading') });
    await expect(card.innerText()).resolves.toContain('1,850 of a budget of 2,000 (92.5 %).');
    await expect(card.innerText()).resolves.toContain('Thresholds crossed: 80 %.');
    await expect(card.innerText()).resolves.toContain(
      'The soft limit (90 %) is reached: inventory reconciles and catalog syncs are deferred',
    );
  });

  it('when the sync log is paged, then the newest 50 orders come first and "Next page" brings the other 12 once, newest first', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, bootstrapKey, '/console/tenants/acme/orders');
    const newestFirst = [...orders].reverse();
    const first = await rowsOf(page);
    expect(first).toEqual(newestFirst.slice(0, 50));
    await page.getByRole('link', { name: 'Next page' }).click();
    expect(await rowsOf(page)).toEqual(newestFirst.slice(50));
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
  });

  it('when the sync log is filtered by state, id and day, then only matching orders are listed', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, bootstrapKey, '/console/tenants/acme/orders');
    await page.getByLabel('State').selectOption('parked');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rowsOf(page)).toEqual(orders.filter((_, index) => index % 10 === 0).reverse());

    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Order id').fill('5031');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await rowsOf(page)).toEqual(['5031']);

    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`/console/tenants/acme/orders?from=${today}&to=${today}&state=synced`);
    expect(await rowsOf(page)).toHaveLength(50);
    await page.goto('/console/tenants/acme/orders?to=2001-01-01');
    await expect(page.locator('main').innerText()).resolves.toContain('No orders match these filters.');
  });

  it('when an operator resolves an item with a plain form post, then the page comes back saying so and the queue is empty', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, await issueKey(api, 'operator', 'acme'), '/console/tenants/acme/attention');
    await page.getByRole('button', { name: `Mark resolved order ${orders[0]}` }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(`Order ${orders[0]} marked resolved.`);
    await expect(page.locator('main').innerText()).resolves.toContain('Nothing waits for a person.');
  });

  it('when a form is posted without JavaScript, then the answer is a redirect to a page, and reloading it neither posts again nor repeats the notice', async () => {
    const { db } = api.database;
    await parkForAttention(db, {
      tenantId: 'acme',
      entity: 'order',
      externalId: orders[10]!,
      code: 'unknown_sku',
      reason: 'SKU X-1 has no Intacct item',
      fix: 'add the SKU to the items mapping table, then retry',
    });
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, await issueKey(api, 'operator', 'acme'), '/console/tenants/acme/attention?code=unknown_sku');
    const answers: Array<{ method: string; status: number }> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document')
        answers.push({ method: response.request().method(), status: response.status() });
    });
    await page.getByRole('button', { name: `Mark resolved order ${orders[10]}` }).click();
    expect(answers).toEqual([
      { method: 'POST', status: 303 },
      { method: 'GET', status: 200 },
    ]);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/console/tenants/acme/attention?code=unknown_sku');
    await expect(page.getByRole('status').innerText()).resolves.toBe(`Order ${orders[10]} marked resolved.`);

    answers.length = 0;
    await page.reload();
    expect(answers.map((answer) => answer.method)).toEqual(['GET']);
    expect(await page.getByRole('status').count()).toBe(0);
    expect(await page.getByText(`Order ${orders[10]} marked resolved.`).count()).toBe(0);
  });

  it('when a group is counted without JavaScript, then the count is a page of its own that a reload shows again without posting', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, await issueKey(api, 'operator', 'acme'), '/console/tenants/acme/attention');
    await parkForAttention(api.database.db, {
      tenantId: 'acme',
      entity: 'order',
      externalId: orders[20]!,
      code: 'closed_period',
      reason: 'the period is closed',
      fix: 'open the period in Intacct, then retry',
    });
    await page.reload();
    await page.getByLabel('Code').selectOption('closed_period');
    await page.getByRole('button', { name: 'Count items' }).click();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/console/tenants/acme/attention');
    expect(Object.fromEntries(url.searchParams)).toEqual({ code: 'closed_period', count: 'true' });
    const count = page.locator('main div.card[role="status"]');
    await expect(count.innerText()).resolves.toContain(
      '1 open orders and refunds with code closed_period match; a retry takes 1 of them now.',
    );
    await page.reload();
    await expect(count.innerText()).resolves.toContain('1 open orders and refunds with code closed_period match');
    await expect(page.getByRole('button', { name: 'Retry 1 items' }).isVisible()).resolves.toBe(true);
  });
});
