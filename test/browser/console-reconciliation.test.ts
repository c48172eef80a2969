import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPeriodReconciliationCsv } from '../../mappers/period-reconciliation-csv.js';
import { listAudit } from '../../store/audit-log.js';
import { storePeriodReport } from '../../store/period-reports.js';
import type { PeriodReconciliationReport } from '../../workflows/period-reconcile-contract.js';
import { startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, csrfTokenOf, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { connectTestClient, testConfig, uniqueId } from '../support/harness.js';

/** A month's report as PeriodReconcile stores it: one Stripe payout, one difference explained, markup in the text fields. */
function novemberReport(tenantId: string): PeriodReconciliationReport {
  return {
    tenantId,
    period: '2026-11',
    from: '2026-11-01',
    to: '2026-11-30',
    timeZone: 'America/Chicago',
    baseCurrency: 'USD',
    gateways: [
      {
        gateway: 'stripe',
        currency: 'USD',
        clearingAccountNo: '1050',
        register: [
          {
            processor: 'stripe',
            payoutId: 'po_<b>nov</b>',
            postingDate: '2026-11-06',
            state: 'posted',
            gross: 120_00,
            refunds: 10_00,
            chargebacks: 0,
            fees: 3_78,
            adjustments: 0,
            net: 106_00,
            depositKey: 'DEP-4411',
            journalKeys: ['JE-981'],
            variance: -22,
            variances: ['22 cents more in fees than the lines say'],
          },
        ],
        registerTotals: { gross: 120_00, refunds: 10_00, chargebacks: 0, fees: 3_78, adjustments: 0, net: 106_00, variance: -22 },
        rollForward: {
          opening: 0,
          captured: 150_00,
          refunded: 10_00,
          fees: 3_78,
          chargebacks: 0,
          adjustments: 0,
          paidOut: 106_00,
          closing: 30_22,
          notYetPaidOut: 30_00,
          differenceFromNotYetPaidOut: 22,
          intacct: { compared: false, accountNo: '1050', reason: 'the GL was not read in this test' },
        },
        cutOff: { soldNotPaidOut: [], soldNotPaidOutTotal: 30_00, paidOutSoldEarlier: [], paidOutSoldEarlierTotal: 0 },
        openDisputes: [],
      },
    ],
    documents: {
      currency: 'USD',
      orders: { recorded: 3, posted: 3, unposted: 0, cancelledOrSkipped: 0 },
      intacctDocuments: { count: 3, amount: 150_00, missing: 0, duplicated: 0 },
      payments: { count: 3, amount: 150_00, unposted: { count: 0, amount: 0 } },
      refunds: { count: 1, amount: 10_00, unposted: { count: 0, amount: 0 } },
    },
    differences: [
      {
        area: 'register',
        kind: 'payoutOutOfBalance',
        gateway: 'stripe',
        reference: 'po_<b>nov</b>',
        explanation: 'The payout is 0.22 short of its lines: <script>alert("x")</script> a fee the lines do not show.',
        figures: { currency: 'USD', expected: 106_22, actual: 106_00, difference: -22 },
      },
    ],
  };
}

/** December's report: it opens at November's closing and lists a payment paid but in no payout after 7 days. */
function decemberReport(tenantId: string): PeriodReconciliationReport {
  const november = novemberReport(tenantId);
  const stripe = november.gateways[0]!;
  return {
    ...november,
    period: '2026-12',
    from: '2026-12-01',
    to: '2026-12-31',
    gateways: [
      {
        ...stripe,
        register: [],
        registerTotals: { gross: 0, refunds: 0, chargebacks: 0, fees: 0, adjustments: 0, net: 0, variance: 0 },
        rollForward: {
          ...stripe.rollForward,
          opening: 30_22,
          openingFrom: { source: 'previousReport', period: '2026-11', revision: 1, figuresHash: 'f'.repeat(64), fromRecords: 30_22 },
          captured: 0,
          refunded: 0,
          fees: 0,
          paidOut: 0,
          closing: 30_22,
        },
        unpaidOut: {
          afterDays: 7,
          asOf: '2026-12-31',
          payments: [{ orderId: '<i>1042</i>', paymentReference: 'pi_1042', amount: 30_00, capturedOn: '2026-11-28', daysWaiting: 33 }],
          total: 30_00,
        },
      },
    ],
    differences: [],
  };
}

/**
 * The month-end reconciliation page over the admin API, FerretDB and the run's Temporal server:
 * the stored months listed, one month's report drawn with its differences in words (markup as
 * text), its CSV the admin route's own bytes, the run form for operators only (it starts
 * PeriodReconcile through the admin route's use case), and nothing of one tenant for another's key.
 */
describe('console in Chromium: the reconciliation page', () => {
  const browser = useBrowser();
  const config = testConfig();
  const tenantId = uniqueId('recon').toLowerCase();
  const otherId = uniqueId('other').toLowerCase();
  const taskQueue = uniqueId('recon-console');
  let api: AdminApiUnderTest;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  const report = novemberReport(tenantId);

  beforeAll(async () => {
    client = await connectTestClient(config);
    // No worker polls this queue: a run the form starts stays scheduled, which is all this page answers for.
    api = await startAdminApi({ console: { secureCookies: false }, temporal: { client, taskQueue } });
    await createTenant(api, tenantId, 'Acme Outdoor');
    await createTenant(api, otherId, 'Other Co');
    await storePeriodReport(api.database.db, { report, runKey: 'period-reconcile/run-1', requestedBy: 'schedule' });
    await storePeriodReport(api.database.db, {
      report: decemberReport(tenantId),
      runKey: 'period-reconcile/run-2',
      requestedBy: 'schedule',
    });
  });
  afterAll(async () => {
    await client?.workflow
      .getHandle(`period-reconcile:${tenantId}:2026-10`)
      .terminate('test over')
      .catch(() => undefined);
    await client?.close();
    await api?.close();
  });

  it('when a viewer opens the month, then the report shows the register, roll-forward and differences as text, with no run form', async () => {
    const page = await browser.newPage(api.server.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, await issueKey(api, 'viewer', tenantId), `/console/tenants/${tenantId}`);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    expect(await page.getByRole('button', { name: 'Run this month' }).count()).toBe(0);
    await expect(page.locator('main').innerText()).resolves.toContain('Running a reconciliation needs an operator key.');
    const rows = await page.locator('main table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^2026-11\t1\t1\t/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '2026-11', exact: true }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain('The payout is 0.22 short of its lines: <script>alert("x")</script> a fee the lines do not show.');
    expect(main).toContain('Expected 106.22 USD, actual 106.00 USD, difference -0.22 USD.');
    expect(main).toContain('po_<b>nov</b>');
    expect(main).toContain('DEP-4411');
    expect(main).toContain('journals JE-981');
    expect(main).toContain('Closing balance\n30.22 USD');
    expect(main).toContain('not compared: the GL was not read in this test');
    expect(main).toContain('3 recorded: 3 posted, 0 not posted');
    expect(await page.locator('main b, main script').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('when a month opens at the previous closing and a payment waits for a payout, then the page says where the opening came from and lists the payment', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'viewer', tenantId), `/console/tenants/${tenantId}/reconciliation/2026-12`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Opening balance from\nthe closing of 2026-11 (revision 1)');
    expect(main).toContain('Opening balance\n30.22 USD');
    const table = page.getByRole('table', { name: 'Paid but in no payout after 7 days' });
    expect(await table.locator('tbody tr').allInnerTexts()).toEqual(['<i>1042</i>\tpi_1042\t2026-11-28\t33\t30.00']);
    expect(await table.locator('tfoot').innerText()).toBe('Total at 2026-12-31 (USD)\t30.00');
    expect(await page.locator('main i').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('when the CSV link is pressed, then the browser downloads the admin route’s CSV of the month', async () => {
    const context = await browser.newContext(api.server.url, { acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, await issueKey(api, 'viewer', tenantId), `/console/tenants/${tenantId}/reconciliation/2026-11`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the report as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${tenantId}-reconciliation-2026-11.csv`);
    const downloaded = await readFile(await download.path(), 'utf8');
    expect(downloaded).toBe(toPeriodReconciliationCsv(report));
    const fromApi = await api.call('GET', `/api/v1/tenants/${tenantId}/reconciliation?period=2026-11&format=csv`);
    expect(downloaded).toBe(fromApi.text);
  });

  it('when an operator runs a month, then PeriodReconcile starts through the admin route’s use case and is audited; a bad month is refused', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'operator', tenantId), `/console/tenants/${tenantId}/reconciliation`);
    await page.getByLabel('Month (YYYY-MM, in the tenant’s time zone)').fill('2026-10');
    await page.getByRole('button', { name: 'Run this month' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe(
      `Reconciliation of 2026-10 started (period-reconcile:${tenantId}:2026-10); its report appears here when it finishes.`,
    );
    const started = await client.workflow.getHandle(`period-reconcile:${tenantId}:2026-10`).describe();
    expect(started.type).toBe('periodReconcile');
    const entries = await listAudit(api.database.db, tenantId, { limit: 10 }, { actionPrefix: 'reconciliation.' });
    expect(entries.items.map((entry) => entry.target)).toEqual([`period-reconcile:${tenantId}:2026-10`]);

    await page.getByLabel('Month (YYYY-MM, in the tenant’s time zone)').fill('2026-13');
    await page.locator('#run-period').evaluate((input) => input.removeAttribute('pattern'));
    await page.getByRole('button', { name: 'Run this month' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('period must be a month as YYYY-MM');
  });

  it('when a key of another tenant asks for this tenant’s months, report or CSV, then each is 404 and its own list is empty', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'admin', otherId), `/console/tenants/${otherId}/reconciliation`);
    await expect(page.locator('main').innerText()).resolves.toContain('No month has been reconciled yet.');
    for (const path of ['reconciliation', 'reconciliation/2026-11', 'reconciliation/2026-11/csv'])
      expect((await page.goto(`/console/tenants/${tenantId}/${path}`))?.status()).toBe(404);
    await page.goto(`/console/tenants/${otherId}/reconciliation`);
    const posted = await page.request.post(`/console/tenants/${tenantId}/reconciliation/run`, {
      form: { period: '2026-09', _csrf: await csrfTokenOf(page) },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(404);
  });
});
