import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startIntacctSandbox } from '../../sandbox/intacct/index.js';
import { parkForAttention } from '../../store/attention.js';
import { startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { sandboxCredentials } from '../support/sandbox-credentials.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';

/**
 * The items table's suggested rows in Chromium (plain form posts, with and without JavaScript),
 * against the Intacct sandbox over HTTP: ask, see each candidate's confidence and evidence, accept, reject.
 */
describe('console mapping suggestions in Chromium: ask, accept, reject, roles, XSS', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  let intacct: Awaited<ReturnType<typeof startIntacctSandbox>>;
  let operatorKey: string;
  const tenant = 'hints';
  const itemsPage = `/console/tenants/${tenant}/mappings/items`;
  const hostileSku = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">"'&`;

  const rowOf = async (sku: string) => api.call('GET', `/api/v1/tenants/${tenant}/mappings/items/rows/${encodeURIComponent(sku)}`);

  beforeAll(async () => {
    intacct = await startIntacctSandbox({ port: 0, controlEnabled: true });
    // The storefront is never called here; its endpoint only has to be one the installation allows.
    api = await startAdminApi({
      console: { secureCookies: false },
      endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: intacct.url }),
    });
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: tenant,
        name: 'Hints',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: intacct.url },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `${intacct.url}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(created.status).toBe(201);
    expect((await api.call('PUT', `/api/v1/tenants/${tenant}/credentials/intacct`, { body: sandboxCredentials.intacct })).status).toBe(200);
    await parkForAttention(api.database.db, {
      tenantId: tenant,
      entity: 'order',
      externalId: 'order-601',
      code: 'unknown_sku',
      reason: 'no Intacct item for SKU hoodie-gry-l',
      fix: 'add the SKU to the item mapping table',
      details: { missingSkus: ['hoodie-gry-l', hostileSku] },
    });
    operatorKey = await issueKey(api, 'operator', tenant);
  });
  afterAll(async () => {
    await api?.close();
    await intacct?.close();
  });

  const suggestedRows = async (page: Page) =>
    (await page.locator('table.suggested-rows tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());

  it('when an operator asks without naming SKUs then the parked SKUs are suggested with confidence and evidence, and accepting writes the row', async () => {
    // JavaScript on here, for axe-core; the next test drives the same forms without it.
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, itemsPage);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Suggest rows' }).click();

    expect(await suggestedRows(page)).toEqual([
      `${hostileSku} No Intacct item resembles this SKU; add its row by hand.`,
      'hoodie-gry-l HOODIE-GRY-L 97% SKU equal ignoring case Accept HOODIE-GRY-L for hoodie-gry-l Reject HOODIE-GRY-L for hoodie-gry-l',
    ]);
    // Shown as text: no element came from the SKU, no script ran.
    await expect(page.locator('main script, main img').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Accept HOODIE-GRY-L for hoodie-gry-l' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row hoodie-gry-l saved: HOODIE-GRY-L.');
    expect((await rowOf('hoodie-gry-l')).body.row).toEqual({ storefrontSku: 'hoodie-gry-l', intacctItemId: 'HOODIE-GRY-L' });
    const audit = await api.database.db.collection('audit_log').find({ tenantId: tenant, target: 'mapping:items:hoodie-gry-l' }).toArray();
    expect(audit.map((entry) => entry.action).sort()).toEqual(['mapping.put', 'mapping.suggestion.accept']);

    await page.getByRole('button', { name: 'Suggest rows' }).click();
    expect((await suggestedRows(page)).some((row) => row.startsWith('hoodie-gry-l'))).toBe(false);
  });

  it('when an operator rejects a suggestion for a typed SKU then it is not offered again and no row is written', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, operatorKey, itemsPage);
    await page.getByLabel(/SKUs from the storefront to suggest Intacct items for/).fill('MUG-WHT-11');
    await page.getByRole('button', { name: 'Suggest rows' }).click();
    await expect(page.getByLabel(/SKUs from the storefront to suggest Intacct items for/).inputValue()).resolves.toBe('MUG-WHT-11');
    const first = await suggestedRows(page);
    expect(first[0]).toMatch(/^MUG-WHT-11 MUG-WHT-11OZ \d{1,3}% /);

    await page.getByRole('button', { name: 'Reject MUG-WHT-11OZ for MUG-WHT-11' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('MUG-WHT-11OZ will not be suggested for MUG-WHT-11 again.');
    expect((await rowOf('MUG-WHT-11')).status).toBe(404);

    await page.getByLabel(/SKUs from the storefront to suggest Intacct items for/).fill('MUG-WHT-11');
    await page.getByRole('button', { name: 'Suggest rows' }).click();
    expect((await suggestedRows(page)).some((row) => row.includes('MUG-WHT-11OZ'))).toBe(false);
  });

  it('when a viewer opens the items table then it sees why it cannot ask, has nothing to press, and a forged accept is refused', async () => {
    const viewerKey = await issueKey(api, 'viewer', tenant);
    const page = await browser.newPage(api.server.url);
    await signIn(page, viewerKey, itemsPage);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Suggested rows' }) });
    await expect(card.textContent()).resolves.toContain('needs an operator key');
    await expect(card.getByRole('button').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${itemsPage}/suggestions/accept`, {
      form: { _csrf: token, sku: 'FORGED', intacctItemId: 'HOODIE-GRY-L' },
    });
    expect(forged.status()).toBe(403);
    const asked = await page.request.post(`${itemsPage}/suggestions`, { form: { _csrf: token, skus: '' } });
    expect(asked.status()).toBe(403);
    expect((await rowOf('FORGED')).status).toBe(404);
  });

  it('when a post carries no CSRF token then nothing is accepted', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, itemsPage);
    const forged = await page.request.post(`${itemsPage}/suggestions/accept`, { form: { sku: 'NO-TOKEN', intacctItemId: 'HOODIE-GRY-L' } });
    expect(forged.status()).toBe(403);
    expect((await rowOf('NO-TOKEN')).status).toBe(404);
  });
});
