import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDailySummaryActivities } from '../../../activities/daily-summary.js';
import { paymentNotPaidOutCode } from '../../../decisions/unpaid-out-attention.js';
import { listAlerts } from '../../../store/alert-outbox.js';
import { listAttention } from '../../../store/attention.js';
import { ledgerEntryId, type LedgerEntry } from '../../../store/ledger.js';
import { storeProcessorPayout } from '../../../store/processor-payouts.js';
import { defaultTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';
import { writeSettings } from '../../../store/settings.js';
import { createTenant } from '../../../store/tenants.js';
import { dailySummaryWorkflowId, dailySummaryWorkflowType, type DailySummaryResult } from '../../../workflows/daily-summary-contract.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import { stripeGateway } from '../payouts/payout-e2e-support.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);
const dayMs = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Payments paid but in no payout after N days, through the real DailySummary workflow on the
 * Temporal dev server and FerretDB: a payment captured 20 days ago and in no payout gets one
 * `payment_not_paid_out` item (and one alert) across two daily runs, a payment of yesterday gets
 * none, and once a paid payout includes the payment the next run resolves the item.
 */
describe('daily summary: payments in no payout after N days become attention items', () => {
  const config = testConfig();
  const tenantId = uniqueId('unpaid').toLowerCase();
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let worker: RunningTestWorker;
  const today = Date.parse(`${dayOf(Date.now())}T00:00:00Z`);
  const [day1, day2, day3] = [dayOf(today - 2 * dayMs), dayOf(today - dayMs), dayOf(today)];

  const payment = (orderId: string, reference: string, at: Date, amount: number): LedgerEntry => ({
    _id: ledgerEntryId({ tenantId, entity: 'payment', externalId: `${orderId}:capture:${reference}` }),
    tenantId,
    entity: 'payment',
    externalId: `${orderId}:capture:${reference}`,
    orderExternalId: orderId,
    gateway: 'Stripe',
    gatewayTransactionIds: [reference],
    amount,
    currency: 'USD',
    state: 'synced',
    attempts: 1,
    createdAt: at,
    updatedAt: at,
  });

  beforeAll(async () => {
    client = await connectTestClient(config);
    database = await openTestDatabase(config);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/daily-summary.ts'),
      activities: createDailySummaryActivities({ db: database.db }),
    });
    const settings: TenantSettings = {
      ...defaultTenantSettings({ storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } }),
      timezone: 'UTC',
      close: { gateways: [stripeGateway], unpaidOutAfterDays: 7 },
    };
    await createTenant(database.db, { id: tenantId, name: 'Unpaid Co', storefront: 'bigcommerce' });
    await writeSettings(database.db, tenantId, settings, { expectedVersion: 0, changedBy: 'test' });
    await database.db
      .collection<LedgerEntry>('sync_ledger')
      .insertMany([
        payment('2001', 'pi_old', new Date(today - 20 * dayMs + 3_600_000), 50_00),
        payment('2002', 'pi_new', new Date(today - dayMs + 3_600_000), 12_00),
      ]);
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
    await database?.drop();
  });

  const runDay = (day: string) =>
    client.workflow.execute(dailySummaryWorkflowType, {
      taskQueue: worker.taskQueue,
      workflowId: dailySummaryWorkflowId(tenantId, day),
      args: [{ tenantId, day }],
    }) as Promise<DailySummaryResult>;
  const items = async () =>
    (await listAttention(database.db, tenantId, { code: paymentNotPaidOutCode }, { limit: 50 })).items.map((item) => ({
      externalId: item.externalId,
      state: item.state,
      since: item.since.toISOString(),
      resolvedBy: item.resolvedBy,
    }));
  const summaryOf = async (day: string) =>
    (await listAlerts(database.db, tenantId, { rule: 'daily_summary' }, { limit: 50 })).items.find(
      (alert) => (alert.details as { day?: string } | undefined)?.day === day,
    );

  it('when a payment waits past 7 days over two daily runs, then it has one item and one alert; a payout including it resolves it', async () => {
    expect((await runDay(day1)).alertRaised).toBe(true);
    const afterFirst = await items();
    expect(afterFirst).toEqual([
      { externalId: 'unpaid-out:stripe:pi_old', state: 'open', since: expect.any(String), resolvedBy: undefined },
    ]);
    const [item] = (await listAttention(database.db, tenantId, { code: paymentNotPaidOutCode }, { limit: 5 })).items;
    expect(item).toMatchObject({
      entity: 'tenant',
      reason: expect.stringContaining("order 2001's payment pi_old of 50.00 USD was captured on"),
      fix: expect.stringContaining('Look the payment up at the processor'),
      details: { orderId: '2001', amount: 50_00, daysWaiting: 18 },
    });
    const firstSummary = await summaryOf(day1);
    expect(firstSummary?.details).toMatchObject({ unpaidOut: { afterDays: 7, asOf: day1, count: 1, totals: { USD: 50_00 } } });
    expect(firstSummary?.reason).toContain(
      'Paid but in no payout after 7 days: 1 payment (50.00 USD), each an attention item (payment_not_paid_out).',
    );

    // The next day: the same item, still open since the first run, its figures updated; no second alert.
    await runDay(day2);
    expect(await items()).toEqual(afterFirst);
    const [again] = (await listAttention(database.db, tenantId, { code: paymentNotPaidOutCode }, { limit: 5 })).items;
    expect(again?.details).toMatchObject({ daysWaiting: 19 });
    const itemAlerts = (await listAlerts(database.db, tenantId, { rule: 'payout_variance' }, { limit: 50 })).items;
    expect(itemAlerts.map((alert) => [alert.code, alert.subject.externalId])).toEqual([
      [paymentNotPaidOutCode, 'unpaid-out:stripe:pi_old'],
    ]);

    // A Stripe payout paid to the bank includes the payment: the next run resolves the item.
    await storeProcessorPayout(
      database.db,
      tenantId,
      {
        processor: 'stripe',
        gateway: 'stripe',
        payoutId: 'po_late',
        status: 'paid',
        currency: 'USD',
        amount: 48_25,
        createdDate: day2,
        arrivalDate: day3,
        lines: [
          {
            lineId: 'txn_late',
            kind: 'charge',
            gross: 50_00,
            fee: 1_75,
            net: 48_25,
            paymentReference: 'pi_old',
            occurredAt: `${day1}T10:00:00Z`,
          },
        ],
      },
      { layout: 'stripe-api', importedBy: 'test' },
    );
    await runDay(day3);
    expect(await items()).toEqual([
      {
        externalId: 'unpaid-out:stripe:pi_old',
        state: 'resolved',
        since: afterFirst[0]!.since,
        resolvedBy: `daily check of ${day3}: payout po_late included the payment`,
      },
    ]);
    expect((await summaryOf(day3))?.details).toMatchObject({ unpaidOut: { count: 0, totals: {} } });
  });
});
