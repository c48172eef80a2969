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
      `${hostileSku} No Intacct record resembles this value; add its row by hand.`,
      'hoodie-gry-l intacctItemId: HOODIE-GRY-L 97% SKU equal ignoring case Accept intacctItemId: HOODIE-GRY-L for hoodie-gry-l Reject intacctItemId: HOODIE-GRY-L for hoodie-gry-l',
    ]);
    // Shown as text: no element came from the SKU, no script ran.
    await expect(page.locator('main script, main img').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Accept intacctItemId: HOODIE-GRY-L for hoodie-gry-l' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row hoodie-gry-l saved: intacctItemId: HOODIE-GRY-L.');
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
    expect(first[0]).toMatch(/^MUG-WHT-11 intacctItemId: MUG-WHT-11OZ \d{1,3}% /);

    await page.getByRole('button', { name: 'Reject intacctItemId: MUG-WHT-11OZ for MUG-WHT-11' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe(
      'intacctItemId: MUG-WHT-11OZ will not be suggested for MUG-WHT-11 again.',
    );
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
      form: { _csrf: token, value: 'FORGED', 'row.intacctItemId': 'HOODIE-GRY-L' },
    });
    expect(forged.status()).toBe(403);
    const asked = await page.request.post(`${itemsPage}/suggestions`, { form: { _csrf: token, value: '' } });
    expect(asked.status()).toBe(403);
    expect((await rowOf('FORGED')).status).toBe(404);
  });

  it('when a post carries no CSRF token then nothing is accepted', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, itemsPage);
    const forged = await page.request.post(`${itemsPage}/suggestions/accept`, {
      form: { value: 'NO-TOKEN', 'row.intacctItemId': 'HOODIE-GRY-L' },
    });
    expect(forged.status()).toBe(403);
    expect((await rowOf('NO-TOKEN')).status).toBe(404);
  });

  describe('named-value tables (customers, payment methods, dimensions, shipping methods)', () => {
    const customersPage = `/console/tenants/${tenant}/mappings/customers`;
    const rowIn = async (table: string, key: string) =>
      api.call('GET', `/api/v1/tenants/${tenant}/mappings/${table}/rows/${encodeURIComponent(key)}`);

    it('when an operator asks about a customer by email then Intacct customers are suggested, shown as text, and accepting writes the row', async () => {
      const page = await browser.newPage(api.server.url);
      await signIn(page, operatorKey, customersPage);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.getByLabel('Storefront customer id, or the guest email').fill('bc-customer-42');
      await page.getByLabel('Email', { exact: true }).fill('ap@bright.example');
      await page.getByLabel('Company', { exact: true }).fill('Bright Hardware');
      await page.getByRole('button', { name: 'Suggest rows' }).click();

      const rows = await suggestedRows(page);
      expect(rows[0]).toMatch(
        /^bc-customer-42 intacctCustomerId: C-1001 \d{1,3}% .*Accept intacctCustomerId: C-1001 for bc-customer-42 Reject/,
      );
      await expect(page.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe('ap@bright.example');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Accept intacctCustomerId: C-1001 for bc-customer-42' }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row bc-customer-42 saved: intacctCustomerId: C-1001.');
      expect((await rowIn('customers', 'bc-customer-42')).body.row).toMatchObject({
        storefrontCustomer: 'bc-customer-42',
        intacctCustomerId: 'C-1001',
      });
      const audit = await api.database.db
        .collection('audit_log')
        .find({ tenantId: tenant, target: 'mapping:customers:bc-customer-42' })
        .toArray();
      expect(audit.map((entry) => entry.action)).toContain('mapping.suggestion.accept');
    });

    it('when an operator rejects a customer candidate with JavaScript off then it is not offered again and a hostile value stays text', async () => {
      const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
      await signIn(page, operatorKey, customersPage);
      await page.getByLabel('Storefront customer id, or the guest email').fill(hostileSku);
      await page.getByLabel('Email', { exact: true }).fill('erin@deli.example');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      const first = await suggestedRows(page);
      expect(first[0]).toContain(`${hostileSku} intacctCustomerId: C-1002`);
      await expect(page.locator('main script, main img').count()).resolves.toBe(0);
      await expect(page.getByLabel('Storefront customer id, or the guest email').inputValue()).resolves.toBe(hostileSku);

      await page.getByRole('button', { name: `Reject intacctCustomerId: C-1002 for ${hostileSku}` }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toBe(
        `intacctCustomerId: C-1002 will not be suggested for ${hostileSku} again.`,
      );
      expect((await rowIn('customers', hostileSku)).status).toBe(404);

      await page.getByLabel('Storefront customer id, or the guest email').fill(hostileSku);
      await page.getByLabel('Email', { exact: true }).fill('erin@deli.example');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      expect((await suggestedRows(page)).some((row) => row.includes('C-1002'))).toBe(false);
    });

    it('when a viewer opens the customers table then it has nothing to press and forged or tokenless posts are refused', async () => {
      const viewerKey = await issueKey(api, 'viewer', tenant);
      const page = await browser.newPage(api.server.url);
      await signIn(page, viewerKey, customersPage);
      const card = page.locator('section', { has: page.getByRole('heading', { name: 'Suggested rows' }) });
      await expect(card.textContent()).resolves.toContain('needs an operator key');
      await expect(card.getByRole('button').count()).resolves.toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      const token = await page.locator('input[name="_csrf"]').first().inputValue();
      const forged = await page.request.post(`${customersPage}/suggestions/accept`, {
        form: { _csrf: token, value: 'FORGED', 'row.intacctCustomerId': 'C-1001' },
      });
      expect(forged.status()).toBe(403);
      expect((await page.request.post(`${customersPage}/suggestions`, { form: { _csrf: token, value: 'x' } })).status()).toBe(403);

      const operator = await browser.newPage(api.server.url);
      await signIn(operator, operatorKey, customersPage);
      const tokenless = await operator.request.post(`${customersPage}/suggestions/accept`, {
        form: { value: 'NO-TOKEN', 'row.intacctCustomerId': 'C-1001' },
      });
      expect(tokenless.status()).toBe(403);
      expect((await rowIn('customers', 'FORGED')).status).toBe(404);
      expect((await rowIn('customers', 'NO-TOKEN')).status).toBe(404);
    });

    it('when an operator asks about a shipping method then the Intacct method is suggested and accepting writes the row', async () => {
      const page = await browser.newPage(api.server.url);
      await signIn(page, operatorKey, `/console/tenants/${tenant}/mappings/shippingMethods`);
      await page.getByLabel('Shipping methods from the storefront, one a line').fill('ups ground');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      expect((await suggestedRows(page))[0]).toMatch(/^ups ground intacctShippingMethod: UPS Ground \d{1,3}% /);
      await page.getByRole('button', { name: 'Accept intacctShippingMethod: UPS Ground for ups ground' }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toBe(
        'Row ups ground saved: intacctShippingMethod: UPS Ground.',
      );
      expect((await rowIn('shippingMethods', 'ups ground')).body.row).toMatchObject({ storefrontMethod: 'ups ground' });
    });

    it('when an operator asks about a class value then the Intacct class is suggested and accepting writes the dimension row', async () => {
      const page = await browser.newPage(api.server.url);
      await signIn(page, operatorKey, `/console/tenants/${tenant}/mappings/dimensionRules`);
      // Asked among departments first: the class of that name is not offered, so the select is what narrows it.
      await page.getByLabel('Storefront values, one a line').fill('wholesale');
      await page.getByLabel('Dimension', { exact: true }).selectOption('department');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      expect((await suggestedRows(page)).some((row) => row.includes('WHOLESALE'))).toBe(false);
      await expect(page.getByLabel('Dimension', { exact: true }).inputValue()).resolves.toBe('department');

      await page.getByLabel('Storefront values, one a line').fill('wholesale');
      await page.getByLabel('Dimension', { exact: true }).selectOption('class');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      expect((await suggestedRows(page))[0]).toMatch(/^wholesale .*WHOLESALE.* \d{1,3}% /);
      await page
        .getByRole('button', { name: /^Accept .*WHOLESALE.* for wholesale$/ })
        .first()
        .click();
      await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^Row wholesale saved: .*WHOLESALE/);
      expect((await rowIn('dimensionRules', 'wholesale')).status).toBe(200);
    });

    it('when an admin asks about a payment method then a bank account is suggested and accepting writes the row; an operator sees no buttons', async () => {
      const adminKey = await issueKey(api, 'admin', tenant);
      const paymentsPage = `/console/tenants/${tenant}/mappings/paymentMethods`;
      const operator = await browser.newPage(api.server.url);
      await signIn(operator, operatorKey, paymentsPage);
      await operator.getByLabel('Payment methods from the storefront, one a line').fill('Bank of America');
      await operator.getByRole('button', { name: 'Suggest rows' }).click();
      expect((await suggestedRows(operator))[0]).toMatch(/^Bank of America .*BOA-CHK/);
      await expect(operator.locator('table.suggested-rows').getByRole('button').count()).resolves.toBe(0);

      const page = await browser.newPage(api.server.url);
      await signIn(page, adminKey, paymentsPage);
      await page.getByLabel('Payment methods from the storefront, one a line').fill('Bank of America');
      await page.getByRole('button', { name: 'Suggest rows' }).click();
      await page
        .getByRole('button', { name: /^Accept .*BOA-CHK.* for Bank of America$/ })
        .first()
        .click();
      await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^Row Bank of America saved: .*BOA-CHK/);
      expect((await rowIn('paymentMethods', 'Bank of America')).status).toBe(200);
    });
  });
});
