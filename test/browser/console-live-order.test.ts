import { describe, expect, it } from 'vitest';
import { storefrontWebhooksAttentionKey } from '../../activities/webhook-health.js';
import { parkForAttention } from '../../store/attention.js';
import { useBrowser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { mapJaneToIntacctCustomer, useEndToEndTenant, type OrderToCashStack } from '../support/order-to-cash-stack.js';
import '../support/quiet-runtime.js';

/** The end-to-end stack's bootstrap admin key (test/support/order-to-cash-stack.ts). */
const adminKey = 'e2e-bootstrap-key-0123456789abcdef';

/**
 * What an operator watches when the shop sells: an order placed in the BigCommerce sandbox
 * reaches Intacct through the real webhook, workflow and activities, and the console's sync log
 * shows it synced, with the Intacct document on the order's page.
 */
describe('console in Chromium: an order placed in the store appears as synced', () => {
  const browser = useBrowser();
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    { storefront: 'bigcommerce', prepare: (started, tenant) => mapJaneToIntacctCustomer(started, tenant) },
    (started) => ({ stack, tenantId } = started),
  );

  it('when a paid BigCommerce order moves to a syncing status, then the sync log lists it synced and its page names the Intacct document', async () => {
    const page = await browser.newPage(stack.api.url.replace('127.0.0.1', 'localhost'));
    await signIn(page, adminKey, `/console/tenants/${tenantId}/orders`);
    const rowOf = (orderId: string) =>
      page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: orderId, exact: true }) });
    expect(await rowOf('100').count()).toBe(0);

    // The sandbox's order 100 is paid; a status the tenant syncs fires store/order/statusUpdated.
    expect((await stack.bigCommerce('PUT', '/v2/orders/100', { status_id: 9 })).status).toBe(200);

    const cells = await eventually(
      async () => {
        await page.reload();
        return rowOf('100').locator('td').allInnerTexts();
      },
      { until: (texts) => texts[1] === 'synced', what: 'order 100 listed as synced in the sync log', timeoutMs: 90_000, intervalMs: 1_000 },
    );
    const document = cells[2]!;
    expect(document).toMatch(/^Sales Order-/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await rowOf('100').getByRole('link', { name: '100', exact: true }).click();
    await expect(page.locator('main').innerText()).resolves.toContain(document);
    const inIntacct = (await stack.intacctRecords('SODOCUMENT')).filter((record) => record.PONUMBER === '100');
    expect(inIntacct.map((record) => record.DOCID)).toEqual([document]);
  });

  it('when the overview is opened, then it lists every schedule with its state, and a webhook problem the sweep found is named', async () => {
    // Settings saved through the admin API bring every schedule in step (the stack wrote the first ones directly).
    const current = await stack.admin('GET', `/tenants/${tenantId}/settings`);
    const saved = await stack.admin('PATCH', `/tenants/${tenantId}/settings`, {
      version: current.body.version,
      settings: { timezone: 'UTC' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const page = await browser.newPage(stack.api.url.replace('127.0.0.1', 'localhost'));
    await signIn(page, adminKey, `/console/tenants/${tenantId}`);
    const schedules = page.locator('#schedules-heading + table tbody tr');
    const cellsOf = async (name: string) => schedules.filter({ hasText: name }).locator('td').allInnerTexts();
    await expect(schedules.locator('td:first-child').allInnerTexts()).resolves.toEqual([
      'Order sweep',
      'Inventory reconciliation',
      'Month-end reconciliation',
      'Item sync',
      'Price list sync',
      'Customer sync',
      'Clarity customer poll',
      'Daily summary',
    ]);
    // Paused by the settings, each saying why (the tenant has no close settings and no item sync).
    expect((await cellsOf('Month-end reconciliation'))[1]).toBe('paused: close.gateways is empty (no payouts are posted)');
    expect((await cellsOf('Item sync'))[1]).toBe('paused: catalog.items.enabled is false');
    expect((await cellsOf('Daily summary'))[1]).toBe('paused: no alert channel takes the daily_summary rule');
    expect((await cellsOf('Clarity customer poll'))[1]).toMatch(/^paused: /);
    const webhooks = page.locator('#connections-heading + table tbody tr').filter({ hasText: 'Webhooks' }).locator('td').nth(1);
    await expect(webhooks.innerText()).resolves.toBe('registered');

    // What the sweep's webhook check records when the store deactivated hooks (activities/webhook-health.ts).
    await parkForAttention(stack.database.db, {
      tenantId,
      ...storefrontWebhooksAttentionKey,
      code: 'storefront_webhooks_disabled',
      reason: 'BigCommerce deactivated the hook for store/order/created',
      fix: 'register the webhooks again',
    });
    await page.reload();
    await expect(webhooks.innerText()).resolves.toBe('registered, but the store has deactivated some');
    await webhooks.getByRole('link').click();
    await expect(page.locator('main').innerText()).resolves.toContain('BigCommerce deactivated the hook for store/order/created');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
