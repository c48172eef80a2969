import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../store/audit-log.js';
import { bootstrapKey, startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';

/** The audit log page: newest first by keyset, filters, values as text, for admin keys of the tenant only. */
describe('console in Chromium: the audit log', () => {
  const browser = useBrowser();
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi({ console: { secureCookies: false } });
    await createTenant(api, 'acme', 'Acme Outdoor');
    await createTenant(api, 'other', 'Other Co');
    const { db } = api.database;
    for (let index = 0; index < 55; index += 1)
      await appendAudit(db, {
        actor: 'key-ops',
        tenantId: 'acme',
        action: 'mapping.put',
        target: `items:SKU-${index}`,
        requestId: `req-${index}`,
      });
    await appendAudit(db, {
      actor: 'key-admin',
      tenantId: 'acme',
      action: 'inventory.pause',
      target: '<script>alert("target")</script>',
      requestId: undefined,
      details: { note: '<img src=x onerror=alert(1)> & "quotes"' },
    });
    await db.collection('audit_log').insertOne({
      at: new Date('2025-01-15T10:00:00Z'),
      actor: 'key-old',
      tenantId: 'acme',
      action: 'settings.change',
      target: 'settings',
      requestId: 'req-old',
    });
    await appendAudit(db, { actor: 'key-b', tenantId: 'other', action: 'mapping.put', target: 'items:B-ONLY', requestId: undefined });
  });
  afterAll(async () => {
    await api?.close();
  });

  const column = (page: Page, index: number) => page.locator(`main table tbody tr td:nth-child(${index})`).allInnerTexts();

  it('when an admin opens the log, then it is newest first, 50 a page, markup shown as text, and another tenant’s entries never appear', async () => {
    const page = await browser.newPage(api.server.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, await issueKey(api, 'admin', 'acme'), '/console/tenants/acme');
    await page.getByRole('link', { name: 'Audit log' }).click();
    const targets = await column(page, 4);
    expect(targets).toHaveLength(50);
    // The two tenants created and the key issued came through the admin API: audited too, and newer.
    expect(targets.indexOf('<script>alert("target")</script>')).toBeGreaterThanOrEqual(0);
    expect(targets.filter((target) => target.startsWith('items:SKU-')).slice(0, 3)).toEqual([
      'items:SKU-54',
      'items:SKU-53',
      'items:SKU-52',
    ]);
    await expect(page.locator('main').innerText()).resolves.toContain('{"note":"<img src=x onerror=alert(1)> & \\"quotes\\""}');
    expect(await page.locator('main img').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Older entries' }).click();
    const older = await column(page, 4);
    expect(older.filter((target) => target.startsWith('items:SKU-')).slice(-2)).toEqual(['items:SKU-1', 'items:SKU-0']);
    expect(older.at(-1)).toBe('tenant:acme');
    expect([...targets, ...older]).not.toContain('items:B-ONLY');
    expect(dialogs).toEqual([]);
  });

  it('when the log is filtered by action, key and day, then only the matching entries are listed', async () => {
    const page = await browser.newPage(api.server.url, { javaScriptEnabled: false });
    await signIn(page, bootstrapKey, '/console/tenants/acme/audit');
    await page.getByLabel('Action starts with').fill('inventory');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await column(page, 3)).toEqual(['inventory.pause']);

    await page.goto('/console/tenants/acme/audit?actor=key-old');
    expect(await column(page, 2)).toEqual(['key-old']);
    await page.goto('/console/tenants/acme/audit?from=2025-01-15&to=2025-01-15');
    expect(await column(page, 1)).toEqual(['2025-01-15 10:00 UTC']);
    await page.goto('/console/tenants/acme/audit?action=.*');
    await expect(page.locator('main').innerText()).resolves.toContain('No entries match these filters.');
  });

  it('when an operator signs in, then the log is not offered and opening it is refused; a key of another tenant finds nothing', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'operator', 'acme'), '/console/tenants/acme');
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const refused = await page.goto('/console/tenants/acme/audit');
    expect(refused?.status()).toBe(403);

    const stranger = await browser.newPage(api.server.url);
    await signIn(stranger, await issueKey(api, 'admin', 'other'), '/console/tenants/other');
    expect((await stranger.goto('/console/tenants/acme/audit'))?.status()).toBe(404);
  });
});
