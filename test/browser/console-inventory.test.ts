import { afterAll, describe, expect, it } from 'vitest';
import { insertInventoryReport } from '../../store/inventory-reports.js';
import { inventoryReconcileScheduleId, type InventoryReport } from '../../workflows/inventory-reconcile-contract.js';
import { useBrowser } from '../support/browser.js';
import { seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { useEndToEndTenant, type OrderToCashStack } from '../support/order-to-cash-stack.js';
import '../support/quiet-runtime.js';

/**
 * The inventory page against the real API, Temporal dev server and FerretDB: the tenant's
 * reconciliation schedule paused with a note and resumed from the console (the schedule in
 * Temporal says so), the stored reports listed and one shown, a viewer given nothing to press.
 */
describe('console in Chromium: the inventory page', () => {
  const browser = useBrowser();
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      // A schedule that will not fire during the test (1 January, 03:00): runs come only from what a test asks.
      prepare: async (started, id) => {
        const current = await started.admin('GET', `/tenants/${id}/settings`);
        const changed = await started.admin('PATCH', `/tenants/${id}/settings`, {
          version: current.body.version,
          settings: { inventory: { enabled: true, schedule: '0 3 1 1 *' } },
        });
        expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );
  afterAll(async () => {
    await stack?.client.schedule
      .getHandle(inventoryReconcileScheduleId(tenantId))
      .delete()
      .catch(() => undefined);
  });

  const report = (runId: string, finishedAt: string): InventoryReport => ({
    runId,
    tenantId,
    storefront: 'bigcommerce',
    outcome: 'completed',
    startedAt: '2026-03-02T03:00:00.000Z',
    finishedAt,
    durationMs: 4_000,
    pages: 1,
    intacctItems: 9,
    compared: 7,
    changed: 2,
    pushed: 2,
    failed: 1,
    unmapped: 1,
    filtered: 0,
    notInStorefront: 1,
    batches: 1,
    intacctTransactions: 2,
    largestDrifts: [{ sku: 'MUG-CER-12OZ', from: 3, to: 12 }],
    failedSamples: [{ sku: '<script>alert(1)</script>', reason: 'the store said "no" & <b>refused</b>' }],
    unmappedSamples: ['INTACCT-ONLY'],
    notInStorefrontSamples: ['GONE-SKU'],
    generations: 0,
  });

  const operatorKey = async () => {
    const issued = await stack.admin('POST', '/api-keys', { name: 'ops', role: 'operator', tenantId });
    expect(issued.status).toBe(201);
    return issued.body.token as string;
  };

  it('when an operator pauses the schedule with a note and later resumes it, then Temporal holds each state and the audit log both', async () => {
    const page = await browser.newPage(stack.api.url);
    await signIn(page, await operatorKey(), `/console/tenants/${tenantId}/inventory`);
    await expect(page.locator('#schedule-state').innerText()).resolves.toBe('Active');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Why pause (required)').fill('stocktake until Monday');
    await page.getByRole('button', { name: 'Pause the schedule' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Inventory schedule paused: stocktake until Monday');
    await expect(page.locator('#schedule-state').innerText()).resolves.toBe('Paused by an operator');
    await expect(page.locator('#schedule-note').innerText()).resolves.toBe('paused by an operator: stocktake until Monday');
    const paused = await stack.admin('GET', `/tenants/${tenantId}/inventory/schedule`);
    expect(paused.body).toMatchObject({ paused: true, pausedBy: 'operator', nextRunsAt: [] });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The keyboard reaches the resume button.
    await page.getByLabel('Note (optional)').focus();
    await page.keyboard.press('Tab');
    // Enter submits the form: the page is the one the redirect leads to once its GET has answered.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'GET' && new URL(response.url()).pathname.endsWith('/inventory')),
      page.keyboard.press('Enter'),
    ]);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Inventory schedule resumed.');
    await expect(page.locator('#schedule-state').innerText()).resolves.toBe('Active');
    expect((await stack.admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body.paused).toBe(false);

    const audit = await stack.admin('GET', `/tenants/${tenantId}/audit`);
    expect(
      (audit.body.entries as Array<{ action: string; details?: unknown }>)
        .filter((entry) => entry.action.startsWith('inventory.'))
        .map((entry) => [entry.action, entry.details]),
    ).toEqual([
      ['inventory.pause', { note: 'stocktake until Monday' }],
      ['inventory.resume', undefined],
    ]);
  });

  it('when runs have reported, then the page lists them newest first and a report shows its samples as text', async () => {
    const { db } = stack.database;
    await insertInventoryReport(db, report('run-older', '2026-03-01T03:00:04.000Z'));
    await insertInventoryReport(db, report('run-newer', '2026-03-02T03:00:04.000Z'));
    const page = await browser.newPage(stack.api.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, await operatorKey(), `/console/tenants/${tenantId}/inventory`);
    const rows = page.locator('#reports-heading ~ table tbody tr');
    expect(await rows.locator('td:first-child').allInnerTexts()).toEqual(['2026-03-02 03:00 UTC', '2026-03-01 03:00 UTC']);
    expect(await rows.first().locator('td').allInnerTexts()).toEqual(['2026-03-02 03:00 UTC', 'completed', '7', '2', '2', '1', '1', '4 s']);

    await page.getByRole('link', { name: '2026-03-02 03:00 UTC' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Inventory run run-newer');
    await expect(page.locator('#failed-heading + ul').innerText()).resolves.toBe(
      '<script>alert(1)</script>: the store said "no" & <b>refused</b>',
    );
    expect(await page.locator('main b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('when an operator syncs one SKU from the page, then the sync runs through the admin API’s use case and the page says what it did', async () => {
    const page = await browser.newPage(stack.api.url);
    await signIn(page, await operatorKey(), `/console/tenants/${tenantId}/inventory`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel('SKU', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'Sync this SKU' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Not done: SKU must not be empty.');

    await page.getByLabel('SKU', { exact: true }).fill('CAP-NVY-OS');
    await page.getByRole('button', { name: 'Sync this SKU' }).click();
    // Within a few seconds the sync has finished and its line is shown; on a slow machine the page says it goes on.
    await expect(page.getByRole('status').innerText()).resolves.toMatch(
      /^SKU CAP-NVY-OS (synced\. CAP-NVY-OS: (pushed \d+ → \d+|unchanged)\.|is syncing \(workflow inventory-sku:)/,
    );
    const latest = await stack.admin('GET', `/tenants/${tenantId}/inventory/skus/CAP-NVY-OS/reconcile`);
    expect(latest.status).toBe(200);
    const audit = await stack.admin('GET', `/tenants/${tenantId}/audit`);
    expect(
      (audit.body.entries as Array<{ action: string; target?: string }>).filter((entry) => entry.action === 'inventory.sku.reconcile'),
    ).toEqual([expect.objectContaining({ target: 'sku:CAP-NVY-OS' })]);
  });

  it('when a viewer opens the page, then there is nothing to press and a forged pause is refused', async () => {
    const issued = await stack.admin('POST', '/api-keys', { name: 'look', role: 'viewer', tenantId });
    const page = await browser.newPage(stack.api.url);
    await signIn(page, issued.body.token as string, `/console/tenants/${tenantId}/inventory`);
    expect(await page.locator('main form').count()).toBe(0);
    await expect(page.locator('main').innerText()).resolves.toContain('needs an operator key');

    const token = JSON.parse((await page.locator('body').getAttribute('hx-headers'))!)['X-CSRF-Token'] as string;
    const forged = await page.request.post(`/console/tenants/${tenantId}/inventory/pause`, {
      form: { _csrf: token, note: 'not mine to pause' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect((await stack.admin('GET', `/tenants/${tenantId}/inventory/schedule`)).body.paused).toBe(false);
  });
});
