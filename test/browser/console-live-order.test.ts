import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { mapJaneToIntacctCustomer, useEndToEndTenant, type OrderToCashStack } from '../integration/order-to-cash/e2e-support.js';
import '../support/quiet-runtime.js';

/** The end-to-end stack's bootstrap admin key (test/integration/order-to-cash/e2e-support.ts). */
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
});
