import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';

describe('console settings in Chromium: forms from the schema, inline messages, conflicts, history, roles', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'tidy', 'Tidy Goods');
  });
  afterAll(async () => {
    await api?.close();
  });

  const settingsOf = async () => (await api.call('GET', '/api/v1/tenants/tidy/settings')).body;

  it('when an admin enters a bad value then the schema’s message shows at the field, and once corrected the setting is saved and in the history', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/tidy/settings');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const before = await settingsOf();

    const orderSync = page.locator('section', { has: page.getByRole('heading', { name: 'Order sync', exact: true }) });
    await orderSync.getByLabel('Wait for status hours').fill('soon');
    await orderSync.getByLabel('Enabled', { exact: true }).first().check();
    await orderSync.getByRole('button', { name: 'Save order sync' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('were not saved');
    const hours = page.getByLabel('Wait for status hours');
    await expect(hours.getAttribute('aria-invalid')).resolves.toBe('true');
    const messageId = (await hours.getAttribute('aria-describedby'))!.split(' ')[0]!;
    await expect(page.locator(`[id="${messageId}"]`).textContent()).resolves.toBe('waitForStatusHours must be a whole number');
    // Guest orders were switched on without their customer: that message is at its own field.
    const customer = page.locator('[id="s-orderSync-guestOrders-customerId-error"]');
    await expect(customer.textContent()).resolves.toContain('customer used for guests is required');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect((await settingsOf()).version).toBe(before.version);

    await page.getByLabel('Wait for status hours').fill('48');
    await page.getByLabel('Customer ID').fill('GUEST-<b>');
    await page.getByLabel('Cancel statuses (one per line)').fill('5\n6');
    await page.getByRole('button', { name: 'Save order sync' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe(`Settings saved as version ${before.version + 1}.`);
    const after = await settingsOf();
    expect(after.settings.orderSync).toMatchObject({
      waitForStatusHours: 48,
      cancelStatuses: ['5', '6'],
      guestOrders: { enabled: true, customerId: 'GUEST-<b>' },
    });
    // Nothing else changed: the form's untouched fields come back as they were.
    expect({ ...after.settings, orderSync: before.settings.orderSync }).toEqual(before.settings);

    await page.getByRole('link', { name: 'Settings history' }).click();
    const latest = page.locator('section', { has: page.getByRole('heading', { name: `Version ${after.version}` }) });
    const rows = await latest.locator('tbody tr').allTextContents();
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      'orderSync.cancelStatuses ["5"] ["5","6"]',
      'orderSync.guestOrders.customerId (not set) "GUEST-<b>"',
      'orderSync.guestOrders.enabled false true',
      'orderSync.waitForStatusHours 72 48',
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('when someone else saved since the page was opened then the save is refused and the conflict is explained with their time', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, bootstrapKey, '/console/tenants/tidy/settings');
    const current = await settingsOf();
    const theirs = await api.call('PATCH', '/api/v1/tenants/tidy/settings', {
      body: { version: current.version, settings: { timezone: 'Europe/Paris' } },
    });
    expect(theirs.status).toBe(200);
    const time = (theirs.body.updatedAt as string).slice(11, 16);

    await page.getByLabel('Timezone').fill('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save general' }).click();
    const alert = await page.getByRole('alert').first().textContent();
    expect(alert).toContain(`changed these settings at ${time} UTC`);
    expect(alert).toContain('your change was not saved');
    expect((await settingsOf()).settings.timezone).toBe('Europe/Paris');
    // The page now shows their value, ready for the change to be made again.
    await expect(page.getByLabel('Timezone').inputValue()).resolves.toBe('Europe/Paris');
  });

  it('when a viewer opens the settings then they read them but cannot save, and a forged post is refused by the server', async () => {
    const viewerKey = await issueKey(api, 'viewer', 'tidy');
    const page = await browser.newPage(api.server.url);
    await signIn(page, viewerKey, '/console/tenants/tidy/settings');
    await expect(page.getByLabel('Timezone').isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /^Save/ }).count()).resolves.toBe(0);
    const before = await settingsOf();
    // The viewer's own session and CSRF token, posting what the admin form would have posted.
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    const response = await page.request.post('/console/tenants/tidy/settings/general', {
      form: { _csrf: token, version: String(before.version), timezone: 'Asia/Tokyo' },
    });
    expect(response.status()).toBe(403);
    expect((await settingsOf()).version).toBe(before.version);
  });
});
