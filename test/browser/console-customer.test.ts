import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startIntacctSandbox } from '../../sandbox/intacct/index.js';
import { parkForAttention } from '../../store/attention.js';
import { recordCustomerSync } from '../../store/customer-sync-state.js';
import { recordLedgerEntry } from '../../store/ledger.js';
import { upsertMappingRows } from '../../store/mappings.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { janeDoeBillingAddress } from '../support/builders.js';
import { issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { sandboxCredentials } from '../support/sandbox-credentials.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';

/**
 * The unified customer view in Chromium, against the BigCommerce and Intacct sandboxes over
 * HTTP: BigCommerce customer 1 (Jane: the seed's order 100 and one more) linked to Intacct's C-1001,
 * with open invoices, ledger entries, a last sync and an attention item; the page shows what
 * `GET /api/v1/tenants/{id}/customers/1` answers.
 */
describe('console customer page in Chromium: both sides, their link, orders, open AR, last sync, attention', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  let intacct: Awaited<ReturnType<typeof startIntacctSandbox>>;
  let bigCommerce: Awaited<ReturnType<typeof startBigCommerceSandbox>>;
  const tenant = 'patrons';
  const customersPage = `/console/tenants/${tenant}/customers`;
  let parkedOrder: string;
  const hostile = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">"'&`;

  const sandboxCall = async (url: string, method: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return text === '' ? undefined : JSON.parse(text);
  };
  const bigCommerceCall = (method: string, path: string, body: unknown) =>
    sandboxCall(`${bigCommerce.url}/stores/demostore${path}`, method, body, { 'x-auth-token': sandboxCredentials.bigcommerce.accessToken });

  /** A tenant on both sandboxes. */
  const createTenant = async (id: string, name: string) => {
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id,
        name,
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: bigCommerce.url },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `${intacct.url}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(created.status).toBe(201);
  };

  beforeAll(async () => {
    intacct = await startIntacctSandbox({ port: 0, controlEnabled: true });
    bigCommerce = await startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true });
    api = await startAdminApi({
      console: { secureCookies: false },
      endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: bigCommerce.url }),
    });
    await createTenant(tenant, 'Patrons');
    for (const system of ['intacct', 'bigcommerce'] as const)
      expect((await api.call('PUT', `/api/v1/tenants/${tenant}/credentials/${system}`, { body: sandboxCredentials[system] })).status).toBe(
        200,
      );

    // Hostile text on both sides: the store's first name and Intacct's company name.
    await bigCommerceCall('PUT', '/v3/customers', [{ id: 1, first_name: hostile }]);
    // Jane's second order, beside the seed's order 100.
    const second = (await bigCommerceCall('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeDoeBillingAddress,
      products: [{ product_id: 112, quantity: 1 }],
    })) as { id: number };
    parkedOrder = String(second.id);
    await sandboxCall(`${intacct.url}/__control/records/CUSTOMER/C-1001`, 'PATCH', { fields: { 'DISPLAYCONTACT.COMPANYNAME': hostile } });
    for (const [id, due] of [
      ['INV-9001', '120.50'],
      ['INV-9002', '35.25'],
      ['INV-9003', '0.00'],
    ] as const)
      await sandboxCall(`${intacct.url}/__control/records/ARINVOICE`, 'POST', {
        fields: { RECORDID: id, CUSTOMERID: 'C-1001', TOTALENTERED: '200.00', TOTALPAID: '0.00', TOTALDUE: due, STATE: 'Posted' },
      });

    const { db } = api.database;
    await upsertMappingRows(db, tenant, 'customers', [{ key: '1', row: { storefrontCustomer: '1', intacctCustomerId: 'C-1001' } }], 'test');
    await recordLedgerEntry(db, { tenantId: tenant, entity: 'order', externalId: '100' }, { state: 'synced' });
    await recordLedgerEntry(db, { tenantId: tenant, entity: 'order', externalId: parkedOrder }, { state: 'parked' });
    await parkForAttention(db, {
      tenantId: tenant,
      entity: 'order',
      externalId: parkedOrder,
      code: 'unknown_sku',
      reason: `no Intacct item for SKU ${hostile}`,
      fix: 'add the SKU to the item mapping table',
    });
    await recordCustomerSync(db, tenant, '1', {
      intacctCustomerId: 'C-1001',
      lastSync: { at: new Date('2026-12-01T09:30:00Z'), direction: 'toIntacct', outcome: 'updated', fields: ['addresses'] },
    });
  });
  afterAll(async () => {
    await api?.close();
    await intacct?.close();
    await bigCommerce?.close();
  });

  const apiView = async (customerId: string) => api.call('GET', `/api/v1/tenants/${tenant}/customers/${customerId}`);
  const factsOf = async (page: Page, heading: string) => {
    const section = page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true }) });
    const names = await section.locator('dt').allInnerTexts();
    const values = await section.locator('dd').allInnerTexts();
    return Object.fromEntries(names.map((name, index) => [name, values[index]!.trim()]));
  };

  it('when an admin opens a linked customer from the index, then the page shows the figures the API answers and hostile names stay text', async () => {
    const answer = await apiView('1');
    expect(answer.status).toBe(200);
    const view = answer.body;
    expect(view.intacct).toMatchObject({ customerId: 'C-1001', openBalance: '155.75', openInvoices: 2 });

    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, customersPage);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '1', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Customer 1');

    const intacctFacts = await factsOf(page, 'In Intacct');
    expect(intacctFacts).toMatchObject({
      'Customer ID': view.intacct.customerId,
      Company: view.intacct.companyName,
      Email: view.intacct.email,
      'Open AR balance': view.intacct.openBalance,
      'Open invoices': String(view.intacct.openInvoices),
    });
    expect(intacctFacts.Company).toBe(hostile);
    const storeFacts = await factsOf(page, 'In the store');
    expect(storeFacts).toMatchObject({
      Name: `${view.storefront.customer.firstName} ${view.storefront.customer.lastName}`,
      Email: view.storefront.customer.email,
    });
    expect(storeFacts.Name).toContain(hostile);
    expect(await factsOf(page, 'Orders synced')).toEqual({
      Synced: String(view.orders.synced),
      Parked: String(view.orders.parked),
      Pending: String(view.orders.pending),
      'Not in the sync log': String(view.orders.notSynced),
    });
    expect(view.orders).toMatchObject({ synced: 1, parked: 1 });
    expect(view.orders.latest).toEqual([
      { orderId: parkedOrder, state: 'parked' },
      { orderId: '100', state: 'synced' },
    ]);
    const orderRows = page.locator('section', { has: page.getByRole('heading', { name: 'Orders synced' }) }).locator('tbody tr');
    expect((await orderRows.allInnerTexts()).map((row) => row.split(/\s+/).join(' '))).toEqual([`${parkedOrder} parked`, '100 synced']);
    await expect(page.locator('main').innerText()).resolves.toContain(
      `Storefront customer 1 is Intacct customer C-1001, written by ${view.link.updatedBy}`,
    );
    await expect(page.locator('#last-sync').innerText()).resolves.toBe('2026-12-01 09:30 UTC, store to Intacct: updated (addresses)');
    expect(view.lastSync).toMatchObject({ at: '2026-12-01T09:30:00.000Z', direction: 'toIntacct', outcome: 'updated' });

    const attention = page.locator('section', { has: page.getByRole('heading', { name: 'Open attention items' }) });
    await expect(attention.locator('li').innerText()).resolves.toContain(view.attention[0].reason);
    await expect(attention.getByRole('link', { name: 'unknown_sku' }).getAttribute('href')).resolves.toBe(
      `/console/tenants/${tenant}/attention?code=unknown_sku&entity=order`,
    );
    // Shown as text: no element came from the names or the reason, no script ran.
    await expect(page.locator('main script, main img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (globalThis as { pwned?: number }).pwned)).resolves.toBeUndefined();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await attention.getByRole('link', { name: `Order ${parkedOrder}` }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Order ${parkedOrder}`);
  });

  it('when an order of the customer is followed, then its order page opens', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, `${customersPage}/1`);
    await page.getByRole('link', { name: '100', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/tenants/${tenant}/orders/100`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Order 100');
  });

  it('when a viewer looks a customer up by id, then it reads the same page', async () => {
    const viewerKey = await issueKey(api, 'viewer', tenant);
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, viewerKey, customersPage);
    await page.getByLabel('Storefront customer id').fill('1');
    await page.getByRole('button', { name: 'Open the customer' }).click();
    expect(new URL(page.url()).pathname).toBe(`${customersPage}/1`);
    expect((await factsOf(page, 'In Intacct'))['Open AR balance']).toBe('155.75');
  });

  it('when the id is unknown or not an id, then the console answers 404 in words', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, customersPage);
    const unknown = await page.goto(`${customersPage}/999999`);
    expect(unknown?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not found');
    await expect(page.locator('main').innerText()).resolves.toContain(`customer 999999 of ${tenant} not found`);
    expect((await apiView('999999')).status).toBe(404);

    const notAnId = await page.goto(`${customersPage}/${encodeURIComponent(hostile)}`);
    expect(notAnId?.status()).toBe(404);
    await expect(page.locator('main').innerText()).resolves.toContain('not a storefront customer id');
    await expect(page.locator('main script, main img').count()).resolves.toBe(0);

    await page.goto(customersPage);
    await page.getByLabel('Storefront customer id').fill('not an id');
    await page.getByRole('button', { name: 'Open the customer' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('No customer opened');
    await expect(page.getByLabel('Storefront customer id').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it("when another tenant's key opens the customer, then it is 404 as for a tenant that does not exist", async () => {
    await createTenant('strangers', 'Strangers');
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'admin', 'strangers'), '/console/tenants/strangers/customers');
    const shown = await page.goto(`${customersPage}/1`);
    expect(shown?.status()).toBe(404);
    await expect(page.locator('main').innerText()).resolves.not.toContain('C-1001');
  });

  it('when Intacct cannot be reached, then the page says what the API says, not a stack', async () => {
    await sandboxCall(`${intacct.url}/__control/faults`, 'PUT', { rules: [{ kind: 'http5xx', status: 503 }] });
    try {
      const answer = await apiView('1');
      expect(answer.status).toBe(502);
      const page = await browser.newPage(api.server.url);
      await signIn(page, bootstrapKey, customersPage);
      const shown = await page.goto(`${customersPage}/1`);
      expect(shown?.status()).toBe(502);
      const text = await page.locator('main').innerText();
      expect(text).toContain(answer.body.error.message);
      expect(text).not.toMatch(/at \S+ \(/);
    } finally {
      await fetch(`${intacct.url}/__control/faults`, { method: 'DELETE' });
    }
  });
});
