import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startIntacctSandbox } from '../../sandbox/intacct/index.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { sandboxEndpoints } from '../support/vendor-endpoints.js';

/** A tenant configured from nothing in the console: credentials, connection tests, settings, webhooks (sandboxes over HTTP). */
describe('console connections in Chromium: configuring a tenant from nothing', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  const sandboxes: Array<{ url: string; close(): Promise<void> }> = [];

  beforeAll(async () => {
    const intacct = await startIntacctSandbox({ port: 0, controlEnabled: true });
    const bigCommerce = await startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true });
    sandboxes.push(intacct, bigCommerce);
    api = await startAdminApi({
      endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: bigCommerce.url }),
      console: { secureCookies: false },
    });
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: 'fresh',
        name: 'Fresh Outfitters',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: bigCommerce.url },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `${intacct.url}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  });

  it('when an admin enters credentials, tests, saves settings and registers webhooks then the tenant is ready, and no secret is ever shown', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/fresh/connections');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const intacct = page.locator('section', { has: page.getByRole('heading', { name: 'Sage Intacct', exact: true }) });
    await expect(intacct.getByText('No credentials yet').count()).resolves.toBe(1);

    await intacct.getByRole('button', { name: 'Test the Sage Intacct connection' }).click();
    await expect(page.locator('#connection-test-result').getByRole('alert').textContent()).resolves.toContain(
      'store the intacct credentials first',
    );

    const enter = async (values: Record<string, string>) => {
      const card = page.locator('section', { has: page.getByRole('heading', { name: 'Sage Intacct', exact: true }) });
      for (const [label, value] of Object.entries(values)) await card.getByLabel(label, { exact: true }).fill(value);
      await card.getByRole('button', { name: 'Save Sage Intacct credentials' }).click();
    };
    await enter({
      'Sender ID': 'demo-sender',
      'Sender password': 'demo-sender-pw',
      'User ID': 'sync-user',
      'User password': 'wrong-pw-Qx19',
    });
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Sage Intacct credentials saved.');
    await page.getByRole('button', { name: 'Test the Sage Intacct connection' }).click();
    const refusal = await page.locator('#connection-test-result').getByRole('alert').textContent();
    expect(refusal).toContain('intacct refused the connection (auth)');
    expect(refusal).toMatch(/Its message: .+/);
    const pageText = await page.content();
    for (const secret of ['wrong-pw-Qx19', 'demo-sender-pw']) expect(pageText).not.toContain(secret);

    await enter({ 'Sender ID': 'demo-sender', 'Sender password': '', 'User ID': 'sync-user', 'User password': 'demo-user-pw' });
    await expect(page.locator('[id="credential-intacct-senderPassword-error"]').textContent()).resolves.toMatch(
      /expected string, received undefined/,
    );
    await expect(page.getByLabel('Sender password', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await enter({
      'Sender ID': 'demo-sender',
      'Sender password': 'demo-sender-pw',
      'User ID': 'sync-user',
      'User password': 'demo-user-pw',
    });
    await page.getByRole('button', { name: 'Test the Sage Intacct connection' }).click();
    await expect(page.locator('#connection-test-result').getByRole('status').textContent()).resolves.toContain('intacct connection works');

    const bigCommerce = page.locator('section', { has: page.getByRole('heading', { name: 'BigCommerce', exact: true }) });
    await bigCommerce.getByLabel('Access token').fill('demo-bc-token');
    await bigCommerce.getByLabel('Client ID').fill('demo-bc-client');
    await bigCommerce.getByLabel('Client secret').fill('demo-bc-secret');
    await bigCommerce.getByRole('button', { name: 'Save BigCommerce credentials' }).click();
    await page.getByRole('button', { name: 'Test the BigCommerce connection' }).click();
    await expect(page.locator('#connection-test-result').getByRole('status').textContent()).resolves.toContain(
      'bigcommerce connection works',
    );
    expect(await page.content()).not.toContain('demo-bc-secret');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('region', { name: 'Order sync' }).getByLabel('Transaction definition', { exact: true }).fill('Sales Invoice');
    await page.getByRole('button', { name: 'Save order sync' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^Settings saved as version 2\./);

    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.getByLabel("This service's address, as the storefront reaches it").fill(api.server.url);
    await page.getByRole('button', { name: 'Register webhooks' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe(
      `Webhooks registered to ${api.server.url}/webhooks/bigcommerce/fresh.`,
    );
    await expect(page.getByText('Registered, with a secret the receiver checks').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Rotate the secret' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^Webhooks rotated to /);

    const tenant = (await api.call('GET', '/api/v1/tenants/fresh')).body;
    expect(tenant.settingsVersion).toBe(2);
    expect(Object.fromEntries(Object.entries(tenant.credentials).map(([part, state]) => [part, (state as { set: boolean }).set]))).toEqual({
      alerts: false,
      intacct: true,
      bigcommerce: true,
      clarity: false,
      stripe: false,
      webhook: true,
    });
    const storefront = await api.call('POST', '/api/v1/tenants/fresh/connections/storefront/test');
    expect(storefront.body.details.webhooksRegistered).toBeGreaterThan(0);
    const audit = (await api.call('GET', '/api/v1/tenants/fresh/audit')).body;
    expect(JSON.stringify(audit)).toContain('webhooks.rotate');
  });

  it('when an operator opens the page then it can test connections but not enter credentials, and the server refuses a forged save', async () => {
    const operatorKey = await issueKey(api, 'operator', 'fresh');
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, '/console/tenants/fresh/connections');
    await expect(page.getByRole('button', { name: /^Save .* credentials$/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Register webhooks' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Test the Sage Intacct connection' }).click();
    await expect(page.locator('#connection-test-result').getByRole('status').textContent()).resolves.toContain('intacct connection works');
    // With JavaScript the result was swapped into the page (htmx): no navigation happened.
    expect(new URL(page.url()).pathname).toBe('/console/tenants/fresh/connections');
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post('/console/tenants/fresh/connections/credentials/intacct', {
      form: { _csrf: token, senderId: 'x', senderPassword: 'x', userId: 'x', userPassword: 'x' },
    });
    expect(forged.status()).toBe(403);
  });
});
