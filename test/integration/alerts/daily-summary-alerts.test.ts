import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDailySummaryActivities } from '../../../activities/daily-summary.js';
import { AlertChannels } from '../../../connectors/alert-channels/channels.js';
import { AlertWebhookEndpoints } from '../../../connectors/alert-channels/webhook-endpoints.js';
import { businessDateOf } from '../../../mappers/to-intacct-sales-document.js';
import { dailySummarySchedule } from '../../../schedules/daily-summary.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { listAlerts } from '../../../store/alert-outbox.js';
import { parkForAttention } from '../../../store/attention.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { ledgerEntryId, type LedgerEntry } from '../../../store/ledger.js';
import { recordPayoutPosting } from '../../../store/payout-postings.js';
import { defaultTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';
import { writeSettings } from '../../../store/settings.js';
import { createTenant } from '../../../store/tenants.js';
import { runAlertSenderPass, type AlertSenderOptions } from '../../../workers/alert-sender.js';
import { dailySummaryScheduleId, type DailySummaryResult } from '../../../workflows/daily-summary-contract.js';
import {
  startLocalSmtpServer,
  startLocalWebhookReceiver,
  type LocalSmtpServer,
  type LocalWebhookReceiver,
} from '../../support/alert-receivers.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);
const baseUrl = 'https://sync.example.com';
/** No daylight saving: a local day is always 15:00Z to 15:00Z. */
const timeZone = 'Asia/Tokyo';

/**
 * The daily summary end to end: the tenant's real Temporal schedule (ensured from its settings,
 * fired by hand) starts the real DailySummary workflow on the dev server; its activity reads the
 * day's ledger, payout postings and attention queue in FerretDB and puts one alert in the outbox;
 * the alert sender delivers it to a real local SMTP server and a local HTTP receiver that checks
 * the HMAC signature. A second run of the same day sends nothing more.
 */
describe('daily summary: Temporal schedule, SMTP and signed webhook', () => {
  const config = testConfig();
  const tenantId = uniqueId('sum').toLowerCase();
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let worker: RunningTestWorker;
  let smtp: LocalSmtpServer;
  let receiver: LocalWebhookReceiver;
  let sender: AlertSenderOptions;
  let settings: TenantSettings;
  /** The day before today in the tenant's time zone: what a scheduled run sums up. */
  let yesterday: string;

  beforeAll(async () => {
    client = await connectTestClient(config);
    database = await openTestDatabase(config);
    [smtp, receiver] = await Promise.all([startLocalSmtpServer(), startLocalWebhookReceiver()]);
    worker = await startTestWorker({
      config,
      workflowsPath: require.resolve('../../fixtures/workflows/daily-summary.ts'),
      activities: createDailySummaryActivities({ db: database.db }),
    });
    const db = database.db;
    const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
    await createTenant(db, { id: tenantId, name: 'Summary Co', storefront: 'bigcommerce' });
    settings = {
      ...defaultTenantSettings({ storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } }),
      timezone: timeZone,
    };
    settings.alerts = {
      ...settings.alerts,
      channels: [
        { id: 'controller', kind: 'email', to: ['controller@example.com'], rules: ['daily_summary'] },
        { id: 'ops-hook', kind: 'webhook', url: receiver.url, rules: ['daily_summary', 'parked'] },
      ],
    };
    await writeSettings(db, tenantId, settings, { expectedVersion: 0, changedBy: 'test' });
    receiver.secret = 'whsec_daily-summary-test-secret-0123456789';
    await saveCredentials(db, cipher, tenantId, 'alerts', { signingSecret: receiver.secret });
    sender = {
      db,
      cipher,
      publicBaseUrl: baseUrl,
      maxAttempts: 5,
      backoff: { firstMs: 10, maxMs: 10 },
      channels: new AlertChannels({
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          requireTls: false,
          user: undefined,
          password: undefined,
          from: 'Sync <alerts@sync.test>',
        },
        webhooks: new AlertWebhookEndpoints({ allowed: undefined, requireHttps: false, refusePrivateAddresses: false }),
        timeoutMs: 5_000,
      }),
    };

    const today = businessDateOf(new Date().toISOString(), timeZone);
    yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.parse(`${yesterday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    /** A local (Tokyo) time of a day as the instant it is. */
    const tokyo = (day: string, time: string) => new Date(Date.parse(`${day}T${time}:00+09:00`));
    const order = (externalId: string, state: LedgerEntry['state'], at: Date): LedgerEntry => ({
      _id: ledgerEntryId({ tenantId, entity: 'order', externalId }),
      tenantId,
      entity: 'order',
      externalId,
      state,
      attempts: 1,
      createdAt: at,
      updatedAt: at,
    });
    await db.collection<LedgerEntry>('sync_ledger').insertMany([
      order('1001', 'synced', tokyo(yesterday, '00:10')),
      order('1002', 'synced', tokyo(yesterday, '12:00')),
      order('1003', 'parked', tokyo(yesterday, '23:50')),
      order('0999', 'synced', tokyo(dayBefore, '23:50')), // the day before: not in the summary
      order('1100', 'parked', tokyo(today, '00:05')), // today: tomorrow's summary
    ]);
    await parkForAttention(db, {
      tenantId,
      entity: 'order',
      externalId: '1003',
      code: 'unknown_sku',
      reason: 'SKU POSTER-9 is not an Intacct item',
      fix: 'Map the SKU, then retry the order.',
    });
    const posting = {
      tenantId,
      processor: 'stripe' as const,
      gateway: 'stripe',
      currency: 'USD',
      postingDate: yesterday,
      journalKeys: [],
      variancesApproved: false,
      workflowId: 'payout-reconcile:test',
    };
    await recordPayoutPosting(db, {
      ...posting,
      payoutId: 'po_posted',
      state: 'posted',
      figures: { net: 96_80, fees: 3_20, byKind: { charge: 100_00 } },
      depositKey: 'DEP-1',
      variances: [],
    });
    await recordPayoutPosting(db, {
      ...posting,
      payoutId: 'po_parked',
      state: 'parked',
      figures: { net: 19_42, fees: 58, byKind: { charge: 20_00 } },
      variances: [
        { kind: 'unmatchedLine', lineId: 'txn_9', explanation: 'charge ch_9 of 20.00 USD matches no payment the product recorded' },
      ],
    });
    await recordPayoutPosting(db, {
      ...posting,
      payoutId: 'po_earlier',
      postingDate: dayBefore,
      state: 'posted',
      figures: { net: 1_00, fees: 0, byKind: {} },
      variances: [],
    });
  });
  afterAll(async () => {
    await client?.schedule
      .getHandle(dailySummaryScheduleId(tenantId))
      .delete()
      .catch(() => undefined);
    sender?.channels.close();
    await Promise.allSettled([smtp?.close(), receiver?.close()]);
    await worker?.stop();
    await client?.close();
    await database?.drop();
  });

  it('when no alert channel takes daily_summary, then the schedule is paused and says why; a disabled tenant’s is paused too', () => {
    const none = dailySummarySchedule.desired('q', tenantId, { ...settings, alerts: { ...settings.alerts, channels: [] } });
    expect(none).toMatchObject({ paused: true, note: 'paused: no alert channel takes the daily_summary rule' });
    expect(dailySummarySchedule.desired('q', tenantId, settings, { tenantDisabled: true })).toMatchObject({
      paused: true,
      note: 'paused: the tenant is disabled',
    });
    expect(dailySummarySchedule.desired('q', tenantId, settings)).toMatchObject({
      scheduleId: `daily-summary:${tenantId}`,
      spec: { cronExpressions: ['0 7 * * *'], timezone: timeZone },
      overlap: 'SKIP',
      paused: false,
      note: `sends the day before's summary to controller, ops-hook on "0 7 * * *" (${timeZone})`,
      action: { workflowType: 'dailySummary', workflowId: `daily-summary:${tenantId}`, args: [{ tenantId }] },
    });
  });

  /** Fires the tenant's schedule once, as an operator's trigger would, and waits for that run's result. */
  async function fireSchedule(previousRuns: number): Promise<DailySummaryResult> {
    const handle = client.schedule.getHandle(dailySummaryScheduleId(tenantId));
    await handle.trigger();
    const started = await eventually(async () => (await handle.describe()).info.recentActions, {
      what: 'the schedule to start its run',
      until: (actions) => actions.length > previousRuns,
    });
    const run = started.at(-1)!.action.workflow;
    return client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result() as Promise<DailySummaryResult>;
  }

  it('when the tenant’s schedule fires, then yesterday’s figures reach the controller by email and the hook signed, once', async () => {
    expect(await ensureTenantSchedule(dailySummarySchedule, client, worker.taskQueue, tenantId, settings)).toBe('created');
    const described = await client.schedule.getHandle(dailySummaryScheduleId(tenantId)).describe();
    expect(described.state.paused).toBe(false);
    expect(described.spec.timezone).toBe(timeZone);

    const result = await fireSchedule(0);
    const headline = `Daily summary of ${yesterday}: 2 orders synced, 1 parked; 1 payout posted, 1 parked; 1 variance`;
    expect(result).toEqual({ tenantId, day: yesterday, headline, alertRaised: true });

    const summaryHooks = () =>
      receiver.received.filter((hook) => (hook.body.alerts as Array<{ rule: string }>)[0]?.rule === 'daily_summary');
    await eventually(
      async () => {
        await runAlertSenderPass(sender);
        return smtp.received.length > 0 && summaryHooks().length > 0;
      },
      { what: 'the daily summary by email and webhook' },
    );
    expect(smtp.received).toHaveLength(1);
    const [email] = smtp.received;
    expect(email!.to).toEqual(['controller@example.com']);
    expect(email!.subject).toBe(`[${tenantId}] ${headline} (${timeZone})`);
    expect(email!.text).toContain('Orders recorded: 3 (2 synced, 1 parked, 0 in progress, 0 failed, 0 cancelled or skipped).');
    expect(email!.text).toContain('Payouts: 1 posted (96.80 USD to the bank), 1 parked, 0 in progress.');
    expect(email!.text).toContain('Variances: payout po_parked (stripe): charge ch_9 of 20.00 USD matches no payment the product recorded');
    expect(email!.text).toContain('Waiting for a person: 1 open attention item.');
    expect(email!.text).toContain('Work through the 1 open item in the attention queue');
    expect(email!.text).toContain(`API: ${baseUrl}/api/v1/tenants/${tenantId}/alerts?rule=daily_summary`);
    const [hook] = summaryHooks();
    expect(hook!.verified).toBe(true);
    expect(hook!.body).toMatchObject({ digest: false, text: expect.stringContaining(`*${headline} (${timeZone}).*`) });
    expect(hook!.body.alerts).toEqual([
      expect.objectContaining({ rule: 'daily_summary', code: 'daily_summary', subject: { entity: 'tenant', externalId: 'daily-summary' } }),
    ]);

    // The same day summed up again (a second trigger, a retried activity): the outbox already has it.
    expect(await fireSchedule(1)).toEqual({ tenantId, day: yesterday, headline, alertRaised: false });
    await runAlertSenderPass(sender);
    expect(smtp.received).toHaveLength(1);
    expect(summaryHooks()).toHaveLength(1);
    const alerts = await listAlerts(database.db, tenantId, { rule: 'daily_summary' }, { limit: 10 });
    expect(
      alerts.items.map((alert) => [alert.state, alert.deliveries.map((delivery) => `${delivery.channelId}:${delivery.state}`)]),
    ).toEqual([['sent', ['controller:sent', 'ops-hook:sent']]]);
  });
});
