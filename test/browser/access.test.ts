import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkForAttention } from '../../store/attention.js';
import { recordLedgerEntry } from '../../store/ledger.js';
import { startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, csrfTokenOf, hasFocus, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';

/** Text that would run, close an attribute or add markup if a page put it in as HTML. */
const hostile = `<script>window.__pwned = 1</script>"'><img src=x onerror="window.__pwned = 2"><b>bold</b>`;

describe('console access in Chromium: roles, tenant scope, escaping, accessibility, keyboard', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  const keys: Record<'viewerA' | 'operatorA' | 'adminB', string> = { viewerA: '', operatorA: '', adminB: '' };
  const hostileOrder = `1001${hostile}`;

  beforeAll(async () => {
    api = await startAdminApi({
      console: { secureCookies: false, temporalUiUrl: 'http://temporal-ui.test:8233', temporalNamespace: 'ops' },
    });
    await createTenant(api, 'tenant-a', `Acme ${hostile}`);
    await createTenant(api, 'tenant-b', 'Beta Supplies');
    keys.viewerA = await issueKey(api, 'viewer', 'tenant-a');
    keys.operatorA = await issueKey(api, 'operator', 'tenant-a');
    keys.adminB = await issueKey(api, 'admin', 'tenant-b');
    const { db } = api.database;
    for (const [tenantId, orderId] of [
      ['tenant-a', hostileOrder],
      ['tenant-b', 'b-secret-order'],
    ] as const) {
      await recordLedgerEntry(
        db,
        { tenantId, entity: 'order', externalId: orderId },
        {
          state: 'parked',
          lastError: { code: 'unknown_sku', message: `SKU ${hostile} is not mapped`, at: new Date() },
        },
      );
      await parkForAttention(db, {
        tenantId,
        entity: 'order',
        externalId: orderId,
        code: 'unknown_sku',
        reason: `customer ${hostile} ordered SKU MUG-${hostile}`,
        fix: 'add the SKU to the item mapping table, then retry',
        details: { vendorMessage: `BL01001973 ${hostile}`, errorno: hostile },
      });
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const tenantAPages = [
    '/console/tenants/tenant-a',
    '/console/tenants/tenant-a/attention',
    '/console/tenants/tenant-a/orders',
    `/console/tenants/tenant-a/orders/${encodeURIComponent(hostileOrder)}`,
  ];

  it('when pages show order ids, tenant and customer names and vendor messages holding markup, then it is text: nothing runs and no element is added', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.operatorA, '/console/tenants/tenant-a');
    for (const path of tenantAPages) {
      await page.goto(path);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main img, main b, main script').count()).toBe(0);
      expect(await page.locator('main').innerText()).toContain(path.endsWith('tenant-a') ? `Acme ${hostile}` : hostile);
    }
    await page.goto('/console/tenants/tenant-a/attention');
    await expect(page.locator('pre.vendor').first().innerText()).resolves.toBe(`BL01001973 ${hostile}`);
  });

  it('when an order’s page is opened, then it links to the order’s workflow in Temporal UI, its id encoded', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.viewerA, `/console/tenants/tenant-a/orders/${encodeURIComponent(hostileOrder)}`);
    const link = page.getByRole('link', { name: /^Open workflow order-to-cash:tenant-a:1001/ });
    expect(await link.getAttribute('href')).toBe(
      `http://temporal-ui.test:8233/namespaces/ops/workflows/${encodeURIComponent(`order-to-cash:tenant-a:${hostileOrder}`)}`,
    );
  });

  it('when each page is checked with axe-core, then none has a serious or critical violation', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.operatorA, '/console/tenants/tenant-a');
    for (const path of tenantAPages) {
      await page.goto(path);
      expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
    }
  });

  it('when a viewer opens the attention queue, then it sees the items but no action button, and a forged POST is refused 403', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.viewerA, '/console/tenants/tenant-a/attention');
    await expect(page.getByText('add the SKU to the item mapping table, then retry').count()).resolves.toBe(1);
    expect(await page.locator('main button').count()).toBe(0);
    expect(await page.locator('main form[method="post"]').count()).toBe(0);

    const token = await csrfTokenOf(page);
    const forged = await page.evaluate(
      async ({ orderId, token }) => {
        const answer = await fetch(`/console/tenants/tenant-a/attention/order/${encodeURIComponent(orderId)}/resolve`, {
          method: 'POST',
          body: new URLSearchParams({ _csrf: token }),
        });
        return { status: answer.status, text: await answer.text() };
      },
      { orderId: hostileOrder, token },
    );
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('this needs the operator role; the key has viewer');
    const stillOpen = await api.call('GET', '/api/v1/tenants/tenant-a/attention');
    expect(stillOpen.body.items).toHaveLength(1);
  });

  it('when a key for tenant B opens tenant A’s pages, then each is 404 as for a tenant that does not exist, and its switcher lists only B', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.adminB, '/console');
    expect(new URL(page.url()).pathname).toBe('/console/tenants/tenant-b');
    expect(await page.locator('#tenant-switch').count()).toBe(0);
    for (const path of [...tenantAPages, '/console/tenants/no-such-tenant']) {
      const answer = await page.goto(path);
      expect(answer?.status()).toBe(404);
      const text = await page.locator('main').innerText();
      expect(text).not.toContain('Acme');
      expect(text).not.toContain('1001');
    }
    await page.goto('/console/tenants/tenant-b');
    const forged = await page.evaluate(
      async (token) => {
        const answer = await fetch('/console/tenants/tenant-a/attention/retry', {
          method: 'POST',
          body: new URLSearchParams({ _csrf: token, dryRun: 'true' }),
        });
        return answer.status;
      },
      await csrfTokenOf(page),
    );
    expect(forged).toBe(404);
  });

  it('when an operator uses only the keyboard, then it reaches "Mark resolved" by Tab and pressing Enter resolves the item', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, keys.operatorA, '/console/tenants/tenant-a/attention');
    const target = page.getByRole('button', { name: /^Mark resolved order 1001/ });
    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await hasFocus(target);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'marked resolved' }).waitFor();
    const open = await api.call('GET', '/api/v1/tenants/tenant-a/attention');
    expect(open.body.items).toEqual([]);
    const audit = await api.call('GET', '/api/v1/tenants/tenant-a/audit');
    expect(audit.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'attention.resolve', target: `order:${hostileOrder}` })]),
    );
  });
});
