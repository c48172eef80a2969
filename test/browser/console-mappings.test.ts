import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';

describe('console mapping tables in Chromium: browse, search, edit, CSV, roles, XSS', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;
  let operatorKey: string;

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'maps', 'Map Makers');
    operatorKey = await issueKey(api, 'operator', 'maps');
  });
  afterAll(async () => {
    await api?.close();
  });

  const rowOf = async (table: string, key: string) =>
    api.call('GET', `/api/v1/tenants/maps/mappings/${table}/rows/${encodeURIComponent(key)}`);

  it('when an operator adds, searches, edits and deletes rows then each change reaches the table, and bad input is marked at its field', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, '/console/tenants/maps/mappings/items');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const addRow = page.locator('section', { has: page.getByRole('heading', { name: 'Add a row' }) });
    await addRow.getByLabel('Storefront SKU').fill('MUG-WHT-11OZ');
    await addRow.getByRole('button', { name: 'Add the row' }).click();
    await expect(page.getByLabel('Intacct item ID').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('[id="s-intacctItemId-error"]').textContent()).resolves.toBe('intacctItemId is required');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Intacct item ID').fill('MUG-11');
    await page.getByRole('button', { name: 'Add the row' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row MUG-WHT-11OZ saved.');
    for (const [sku, item] of [
      ['CAP-RED', 'CAP-RED-01'],
      ['TEE-S', 'TEE-SMALL'],
    ]) {
      await page.getByLabel('Storefront SKU').fill(sku!);
      await page.getByLabel('Intacct item ID').fill(item!);
      await page.getByRole('button', { name: 'Add the row' }).click();
    }

    await page.getByLabel('Search items').fill('red');
    await page.getByRole('button', { name: 'Search' }).click();
    const firstCells = async () =>
      (await page.locator('table.mapping-rows tbody tr td:first-child').allTextContents()).map((text) => text.trim());
    expect(await firstCells()).toEqual(['CAP-RED']);
    await page.getByRole('link', { name: 'Clear' }).click();
    expect((await firstCells()).sort()).toEqual(['CAP-RED', 'MUG-WHT-11OZ', 'TEE-S']);

    await page.getByRole('link', { name: 'Edit CAP-RED' }).click();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Unit').fill('Each');
    await page.getByRole('button', { name: 'Save the row' }).click();
    expect((await rowOf('items', 'CAP-RED')).body.row).toEqual({ storefrontSku: 'CAP-RED', intacctItemId: 'CAP-RED-01', unit: 'Each' });

    await page.getByRole('button', { name: 'Delete TEE-S' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row TEE-S deleted.');
    expect((await rowOf('items', 'TEE-S')).status).toBe(404);
  });

  it('when a CSV with bad rows is imported then every bad row is listed and nothing is imported; a good file imports and exports back', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, operatorKey, '/console/tenants/maps/mappings/customers');
    const bad = 'storefrontCustomer,intacctCustomerId\nann@example.com,C-ANN\n,C-NOBODY\nbob@example.com,\nANN@example.com,C-TWICE\n';
    await page.getByLabel(/CSV file to import/).setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const problems = page.locator('section', { has: page.getByRole('heading', { name: 'The file was not imported' }) });
    const rows = (await problems.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      '3 storefrontCustomer storefrontCustomer is required',
      '4 intacctCustomerId intacctCustomerId is required',
      '5 storefrontCustomer duplicate storefrontCustomer "ann@example.com", first given on line 2',
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect((await api.call('GET', '/api/v1/tenants/maps/mappings/customers')).body.rows).toEqual([]);

    const good = 'storefrontCustomer,intacctCustomerId\nann@example.com,C-ANN\n4711,C-ACME\n';
    await page.getByLabel(/CSV file to import/).setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Imported 2 rows: 2 new, 0 replaced.');

    const download = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Export customers as CSV/ }).click(),
    ]);
    const exported = await (await download[0].createReadStream()).toArray();
    expect(Buffer.concat(exported).toString('utf8')).toBe(
      'storefrontCustomer,intacctCustomerId\r\n4711,C-ACME\r\nann@example.com,C-ANN\r\n',
    );
  });

  it('when mapping values hold markup then the table and the edit form show them as text and no script runs', async () => {
    const hostile = `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">"'&`;
    const put = await api.call('PUT', `/api/v1/tenants/maps/mappings/items/rows/${encodeURIComponent(`XSS-${hostile}`)}`, {
      body: { intacctItemId: `ITEM-${hostile}` },
    });
    expect(put.status).toBe(200);
    const page = await browser.newPage(api.server.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, operatorKey, '/console/tenants/maps/mappings/items?q=XSS');
    await expect(page.locator('table.mapping-rows tbody tr td').nth(1).textContent()).resolves.toBe(`ITEM-${hostile}`);
    await expect(page.locator('table.mapping-rows img').count()).resolves.toBe(0);
    await page.getByRole('link', { name: `Edit XSS-${hostile}` }).click();
    await expect(page.getByLabel('Intacct item ID').inputValue()).resolves.toBe(`ITEM-${hostile}`);
    await expect(page.locator('main script, main img').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('when a viewer opens a table, or an operator the payment methods, then there is nothing to press and the server refuses a forged post', async () => {
    const viewerKey = await issueKey(api, 'viewer', 'maps');
    const page = await browser.newPage(api.server.url);
    await signIn(page, viewerKey, '/console/tenants/maps/mappings/items');
    await expect(page.getByRole('button', { name: /Add the row|Import|Delete/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: /Export items/ }).count()).resolves.toBe(1);
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post('/console/tenants/maps/mappings/items/rows', {
      form: { _csrf: token, storefrontSku: 'FORGED', intacctItemId: 'X' },
    });
    expect(forged.status()).toBe(403);
    expect((await rowOf('items', 'FORGED')).status).toBe(404);

    const operator = await browser.newPage(api.server.url);
    await signIn(operator, operatorKey, '/console/tenants/maps/mappings/paymentMethods');
    await expect(operator.getByRole('button', { name: 'Add the row' }).count()).resolves.toBe(0);
    const operatorToken = await operator.locator('input[name="_csrf"]').first().inputValue();
    const refused = await operator.request.post('/console/tenants/maps/mappings/paymentMethods/rows', {
      form: { _csrf: operatorToken, paymentMethod: 'Cash', glAccountNo: '1000', undepositedFunds: 'false' },
    });
    expect(refused.status()).toBe(403);

    const admin = await browser.newPage(api.server.url);
    await signIn(admin, bootstrapKey, '/console/tenants/maps/mappings/paymentMethods');
    await admin.getByRole('textbox', { name: 'Payment method (required)' }).fill('Cash');
    await admin.getByLabel('GL account no').fill('1000');
    await admin.getByRole('button', { name: 'Add the row' }).click();
    expect((await rowOf('paymentMethods', 'Cash')).body.row).toEqual({
      paymentMethod: 'Cash',
      glAccountNo: '1000',
      undepositedFunds: false,
    });
  });
});
