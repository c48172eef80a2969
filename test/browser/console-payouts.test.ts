import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPayoutPosting } from '../../store/payout-postings.js';
import { storeProcessorPayout } from '../../store/processor-payouts.js';
import { startAdminApi, type AdminApiUnderTest } from '../support/admin-api.js';
import { useBrowser } from '../support/browser.js';
import { createTenant, csrfTokenOf, issueKey, seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { connectTestClient, testConfig, uniqueId } from '../support/harness.js';
import { payout, payoutLine } from '../support/payout-fixtures.js';

/**
 * The payouts page over the admin API, FerretDB and the run's Temporal server: the stored
 * payouts with where PayoutReconcile left them (state, Intacct keys, variances in words, markup
 * as text), retry and approve offered to operators only and answered by the admin API's use
 * cases, and nothing of one tenant for another's key.
 */
describe('console in Chromium: the payouts page', () => {
  const browser = useBrowser();
  const config = testConfig();
  const tenantId = uniqueId('payouts').toLowerCase();
  const otherId = uniqueId('other').toLowerCase();
  let api: AdminApiUnderTest;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  const parkedId = 'po_<i>parked</i>';

  beforeAll(async () => {
    client = await connectTestClient(config);
    // No PayoutReconcile runs here: the actions' answers are the use cases' own (no workflow for the payout).
    api = await startAdminApi({ console: { secureCookies: false }, temporal: { client, taskQueue: uniqueId('payouts-console') } });
    await createTenant(api, tenantId, 'Acme Outdoor');
    await createTenant(api, otherId, 'Other Co');
    const { db } = api.database;
    const source = { layout: 'stripe-payout-reconciliation', importedBy: 'key-ops' };
    const posted = payout([payoutLine('ch_1', 'charge', 100_00, 3_20)], { payoutId: 'po_posted' });
    const parked = payout([payoutLine('ch_2', 'charge', 50_00, 1_75)], { payoutId: parkedId, amount: 48_00 });
    await storeProcessorPayout(db, tenantId, posted, source);
    await storeProcessorPayout(db, tenantId, parked, source);
    const posting = { tenantId, processor: 'stripe' as const, gateway: 'stripe', currency: 'USD', postingDate: '2026-11-06' };
    await recordPayoutPosting(db, {
      ...posting,
      payoutId: 'po_posted',
      state: 'posted',
      figures: { net: 96_80, fees: 3_20, byKind: { charge: 100_00 } },
      depositKey: 'DEP-77',
      journalKeys: ['JE-12', 'JE-13'],
      variances: [],
      variancesApproved: false,
      workflowId: `payout-reconcile:${tenantId}:stripe:po_posted`,
    });
    await recordPayoutPosting(db, {
      ...posting,
      payoutId: parkedId,
      state: 'parked',
      figures: { net: 48_00, fees: 1_75, byKind: { charge: 50_00 } },
      journalKeys: [],
      variances: [
        { kind: 'payoutOutOfBalance', explanation: 'The payout is 0.25 short of its lines <script>alert("v")</script>', lineId: 'ch_2' },
      ],
      variancesApproved: false,
      workflowId: `payout-reconcile:${tenantId}:stripe:parked`,
    });
  });
  afterAll(async () => {
    await client?.close();
    await api?.close();
  });

  it('when a viewer opens the payouts, then each shows its state, amount, Intacct keys and variances as text, with nothing to press', async () => {
    const page = await browser.newPage(api.server.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, await issueKey(api, 'viewer', tenantId), `/console/tenants/${tenantId}`);
    await page.getByRole('link', { name: 'Payouts' }).click();
    const rows = await page.locator('main table tbody tr').allInnerTexts();
    expect(rows).toEqual([
      'po_posted\tstripe · stripe\tpaid\t2026-11-06\t96.80 USD\tposted\tdeposit DEP-77; journals JE-12, JE-13\t0',
      `${parkedId}\tstripe · stripe\tpaid\t2026-11-06\t48.00 USD\tparked\t—\t1`,
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: parkedId }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain('The payout is 0.25 short of its lines <script>alert("v")</script> (line ch_2)');
    expect(main).toContain('parked, posts on 2026-11-06');
    expect(main).toContain('Retrying or approving a payout needs an operator key.');
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.locator('main i, main script').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('when an operator retries or approves a payout, then the admin API’s use case answers; a posted payout offers nothing', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'operator', tenantId), `/console/tenants/${tenantId}/payouts/stripe/po_posted`);
    expect(await page.locator('main form').count()).toBe(0);

    await page.goto(`/console/tenants/${tenantId}/payouts/stripe/${encodeURIComponent(parkedId)}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Retry the payout' }).click();
    // The retry reached Temporal through retryPayout: no PayoutReconcile runs for this payout.
    await expect(page.getByRole('alert').innerText()).resolves.toBe(`Not done: payout stripe/${parkedId}'s workflow not found.`);

    await page.getByLabel('Why the differences are accepted (required)').fill('fee agreed with Stripe');
    await page.getByRole('button', { name: 'Approve and post with the variances' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toBe(`Not done: payout stripe/${parkedId}'s workflow not found.`);
  });

  it('when a key of another tenant asks for this tenant’s payouts or acts on one, then each is 404 and its own list is empty', async () => {
    const page = await browser.newPage(api.server.url);
    await signIn(page, await issueKey(api, 'admin', otherId), `/console/tenants/${otherId}/payouts`);
    await expect(page.locator('main').innerText()).resolves.toContain('No payout has been received yet.');
    expect((await page.goto(`/console/tenants/${tenantId}/payouts`))?.status()).toBe(404);
    expect((await page.goto(`/console/tenants/${tenantId}/payouts/stripe/po_posted`))?.status()).toBe(404);
    // The other tenant's own URL does not reach this tenant's payout either.
    expect((await page.goto(`/console/tenants/${otherId}/payouts/stripe/po_posted`))?.status()).toBe(404);
    await page.goto(`/console/tenants/${otherId}/payouts`);
    const retried = await page.request.post(`/console/tenants/${tenantId}/payouts/stripe/po_posted/retry`, {
      form: { _csrf: await csrfTokenOf(page) },
      maxRedirects: 0,
    });
    expect(retried.status()).toBe(404);
  });
});
