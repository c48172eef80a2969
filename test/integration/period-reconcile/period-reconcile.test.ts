import type { Client } from '@temporalio/client';
import type { TenantSettings } from '../../../store/schemas/settings.js';
import { createRequire } from 'node:module';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { heartbeating } from '../../../activities/heartbeats.js';
import { createPeriodReconcileActivities } from '../../../activities/period-reconcile.js';
import { createApp } from '../../../api/app.js';
import { listen, type RunningServer } from '../../../api/server.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { periodReconcileSchedule } from '../../../schedules/period-reconcile.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { issueApiKey } from '../../../store/api-keys.js';
import { readPeriodReport } from '../../../store/period-reports.js';
import { readSettings } from '../../../store/settings.js';
import {
  periodReconcileScheduleId,
  periodReconcileWorkflowId,
  type PeriodReconcileInput,
  type PeriodReconcileResult,
} from '../../../workflows/period-reconcile-contract.js';
import { connectTestClient, uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import { postManualClearingEntry, seedMarch, stripeClose } from './support.js';

const ensurePeriodSchedule = (client: Client, taskQueue: string, tenantId: string, settings: TenantSettings) =>
  ensureTenantSchedule(periodReconcileSchedule, client, taskQueue, tenantId, settings);

const require = createRequire(import.meta.url);
const adminKey = 'test-bootstrap-key-0123456789';

/**
 * PeriodReconcile end to end: the real workflow and activities on the dev server, FerretDB and
 * the Intacct sandbox over HTTP (its GL, its sales documents), and the admin API in-process.
 * The sandbox is reset before each test: the clearing account's balance is the test's own.
 */
describe('PeriodReconcile against FerretDB, the Intacct sandbox and Temporal', () => {
  let fixture: OrderSyncFixture;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let workflowBundle: WorkflowBundleWithSourceMap;
  let worker: RunningTestWorker;
  let server: RunningServer;
  const schedules: string[] = [];

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    client = await connectTestClient(fixture.config);
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/period-reconcile.ts') });
    worker = await startTestWorker({
      config: fixture.config,
      workflowBundle,
      // As the worker registers them (activities/index.ts): heartbeating, since reconciling is a vendor call.
      activities: heartbeating(createPeriodReconcileActivities({ db: fixture.database.db, connections: fixture.connections })),
    });
    const app = createApp({
      logger: pino({ level: 'silent' }),
      readinessChecks: {},
      admin: {
        db: fixture.database.db,
        cipher: fixture.cipher,
        connectors: new ConnectorClients({ endpoints: fixture.endpoints }),
        bootstrapApiKey: adminKey,
        temporal: { client, taskQueue: fixture.config.temporal.taskQueue },
      },
    });
    server = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await Promise.allSettled(schedules.map((id) => client.schedule.getHandle(id).delete()));
    await server?.close();
    await worker?.stop();
    await client?.close();
    await fixture?.close();
  });
  beforeEach(async () => {
    const response = await fetch(`${fixture.sandboxes.intacct.url}/__control/reset`, { method: 'POST' });
    expect(response.ok).toBe(true);
  });

  const reconcile = (tenantId: string, period: string): Promise<PeriodReconcileResult> =>
    client.workflow.execute('periodReconcile', {
      workflowId: periodReconcileWorkflowId(tenantId, period),
      taskQueue: fixture.config.temporal.taskQueue,
      args: [{ tenantId, period, requestedBy: 'test' } satisfies PeriodReconcileInput],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });

  const call = async (method: string, path: string, options: { body?: unknown; accept?: string; key?: string } = {}) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key ?? adminKey}`,
        ...(options.accept !== undefined && { accept: options.accept }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text,
      body: text.startsWith('{') ? JSON.parse(text) : undefined,
    };
  };

  it('when March is reconciled then the register, the roll-forward, the GL, the cut-off, the documents and the dispute agree to the cent; run again, the same figures', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');
    const seeded = await seedMarch(fixture, tenantId, uniqueId('m'));
    const { orders } = seeded;

    // February first: March's roll-forward opens where February's stored report closed.
    const february = await reconcile(tenantId, '2026-02');
    const februaryReport = (await readPeriodReport(fixture.database.db, tenantId, '2026-02'))!.report;
    expect(februaryReport.gateways[0]!.rollForward).toMatchObject({ opening: 0, captured: 8_000, closing: 8_000 });
    expect(februaryReport.gateways[0]!.rollForward.openingFrom).toEqual({
      source: 'records',
      reason: '2026-01 is not reconciled: no report of it is stored',
    });
    expect(februaryReport.differences.map((difference) => difference.kind)).not.toContain('previousPeriodNotReconciled');

    const first = await reconcile(tenantId, '2026-03');

    expect(first).toEqual({
      tenantId,
      period: '2026-03',
      figuresHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      revision: 1,
      sameAsPreviousRun: false,
      differences: 4,
      gateways: 1,
    });
    const { report } = (await readPeriodReport(fixture.database.db, tenantId, '2026-03'))!;
    const [stripe] = report.gateways;
    expect(stripe!.register).toEqual([
      {
        processor: 'stripe',
        payoutId: seeded.payoutId,
        postingDate: '2026-03-10',
        state: 'posted',
        gross: 20_500,
        refunds: 2_500,
        chargebacks: 0,
        fees: 685,
        adjustments: 0,
        net: 17_315,
        depositKey: seeded.depositKey,
        journalKeys: [seeded.journalKey],
        variance: 0,
        variances: [],
      },
    ]);
    // opening (February's 80.00) + captured − refunded − fees − paid out = closing = March's last sale, and Intacct's 1060 says so.
    expect(stripe!.rollForward).toEqual({
      opening: 8_000,
      captured: 16_500,
      refunded: 2_500,
      fees: 685,
      chargebacks: 0,
      adjustments: 0,
      paidOut: 17_315,
      closing: 4_000,
      notYetPaidOut: 4_000,
      differenceFromNotYetPaidOut: 0,
      openingFrom: { source: 'previousReport', period: '2026-02', revision: 1, figuresHash: february.figuresHash, fromRecords: 8_000 },
      intacct: {
        compared: true,
        accountNo: '1060',
        balance: 4_000,
        expected: 4_000,
        explainedByUnpostedPayouts: 0,
        unexplained: 0,
        sharedWith: [],
      },
    });
    expect(stripe!.cutOff).toEqual({
      soldNotPaidOut: [{ orderId: orders.third, paymentReference: `pi_${orders.third}`, amount: 4_000, capturedOn: '2026-03-31' }],
      soldNotPaidOutTotal: 4_000,
      paidOutSoldEarlier: [
        {
          orderId: orders.feb,
          paymentReference: `pi_${orders.feb}`,
          amount: 8_000,
          capturedOn: '2026-02-27',
          payoutId: seeded.payoutId,
          paidOutOn: '2026-03-10',
        },
      ],
      paidOutSoldEarlierTotal: 8_000,
    });
    expect(stripe!.openDisputes).toEqual([
      expect.objectContaining({
        status: 'needs_response',
        amount: 4_000,
        paymentReference: `pi_${orders.third}`,
        openedOn: '2026-03-30',
        withdrawn: 0,
      }),
    ]);
    expect(report.documents).toEqual({
      currency: 'USD',
      orders: { recorded: 4, posted: 3, unposted: 1, cancelledOrSkipped: 0 },
      intacctDocuments: { count: 3, amount: 15_000, missing: 1, duplicated: 1 },
      payments: { count: 3, amount: 16_500, unposted: { count: 0, amount: 0 } },
      refunds: { count: 1, amount: 2_500, unposted: { count: 0, amount: 0 } },
    });
    expect(report.differences.map((difference) => [difference.kind, difference.reference])).toEqual([
      ['disputeOpen', `dp_${orders.third.slice(0, -2)}`],
      ['duplicatedDocument', orders.second],
      ['missingDocument', orders.third],
      ['unpostedOrder', orders.parked],
    ]);

    // A closed period run again: the same figures, nothing new stored.
    const second = await reconcile(tenantId, '2026-03');
    expect(second).toEqual({ ...first, sameAsPreviousRun: true });
    const stored = (await readPeriodReport(fixture.database.db, tenantId, '2026-03'))!;
    expect(stored.runs.map((run) => run.figuresHash)).toEqual([first.figuresHash, first.figuresHash]);

    // Someone posts to clearing by hand: the next run's figures differ, a new revision explains it, the old one is kept.
    await postManualClearingEntry(await (await fixture.connections.forTenant(tenantId)).intacct(), uniqueId('fix'));
    const third = await reconcile(tenantId, '2026-03');
    expect(third).toMatchObject({ revision: 2, sameAsPreviousRun: false, differences: 5 });
    const revised = (await readPeriodReport(fixture.database.db, tenantId, '2026-03'))!;
    expect(revised.previous?.figuresHash).toBe(first.figuresHash);
    expect(revised.report.differences).toContainEqual(
      expect.objectContaining({
        kind: 'glUnexplained',
        reference: '1060',
        figures: { currency: 'USD', expected: 4_000, actual: 4_050, difference: 50 },
      }),
    );
  });

  it('when the API is asked then a bad period is refused with the reason, a run is started on demand, and the report is served as JSON, CSV and per payout', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');
    const seeded = await seedMarch(fixture, tenantId, uniqueId('a'));

    const bad = await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-13`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'period', message: 'period must be a month as YYYY-MM (month 01–12), e.g. 2026-11' }],
    });
    expect((await call('POST', `/tenants/${tenantId}/reconciliation`, { body: { period: 'March' } })).status).toBe(400);
    expect((await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03`)).status).toBe(404);

    const started = await call('POST', `/tenants/${tenantId}/reconciliation`, { body: { period: '2026-03' } });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      workflowId: periodReconcileWorkflowId(tenantId, '2026-03'),
      runId: expect.any(String),
      period: '2026-03',
    });
    const result: PeriodReconcileResult = await client.workflow.getHandle(started.body.workflowId, started.body.runId).result();

    const json = await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      period: '2026-03',
      figuresHash: result.figuresHash,
      revision: 1,
      runs: [{ requestedBy: 'bootstrap' }],
    });
    expect(json.body.report.gateways[0].rollForward.closing).toBe(4_000);
    // February was never reconciled here: the opening is the records', and the report says so.
    expect(json.body.report.differences).toContainEqual(
      expect.objectContaining({ kind: 'previousPeriodNotReconciled', reference: 'stripe/USD/2026-02' }),
    );

    const csv = await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03`, { accept: 'text/csv' });
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'section,gateway,currency,reference,date,state,gross,refunds,chargebacks,fees,adjustments,net,variance,deposit_key,journal_keys,line,amount,explanation',
    );
    expect(lines).toContain(
      `payout register,stripe,USD,${seeded.payoutId},2026-03-10,posted,205.00,25.00,0.00,6.85,0.00,173.15,0.00,${seeded.depositKey},${seeded.journalKey},,,`,
    );
    expect(lines).toContain('clearing roll-forward,stripe,USD,1060,2026-03-31,,,,,,,,,,,closing (=),40.00,');
    expect(lines).toContain(
      'clearing roll-forward,stripe,USD,1060,2026-03-31,,,,,,,,,,,opening,80.00,from the records: 2026-02 is not reconciled: no report of it is stored',
    );
    expect((await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03&format=csv`)).text).toBe(csv.text);

    const one = await call('GET', `/tenants/${tenantId}/reconciliation/payouts/stripe/${seeded.payoutId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      period: '2026-03',
      postingDate: '2026-03-10',
      figures: { gross: 20_500, refunds: 2_500, fees: 685, net: 17_315, variance: 0 },
      posting: { state: 'posted', depositKey: seeded.depositKey, journalKeys: [seeded.journalKey] },
      registerRow: { payoutId: seeded.payoutId, net: 17_315 },
      differences: [],
    });
    expect(one.body.lines).toHaveLength(4);
    expect((await call('GET', `/tenants/${tenantId}/reconciliation/payouts/stripe/po_nope`)).status).toBe(404);
    expect((await call('GET', `/tenants/${tenantId}/reconciliation/periods`)).body.periods).toEqual([
      { period: '2026-03', figuresHash: result.figuresHash, revision: 1, storedAt: expect.any(String), differences: 5 },
    ]);

    // Tenant-scoped like every admin route: a viewer of the tenant reads but cannot run; another tenant's key sees nothing.
    const issue = async (role: 'viewer' | 'operator', keyTenant: string) =>
      (await issueApiKey(fixture.database.db, { name: uniqueId('k'), role, tenantId: keyTenant, createdBy: 'test' })).token;
    const viewer = await issue('viewer', tenantId);
    expect((await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03`, { key: viewer })).status).toBe(200);
    expect((await call('POST', `/tenants/${tenantId}/reconciliation`, { body: { period: '2026-03' }, key: viewer })).status).toBe(403);
    const stranger = await issue('operator', await fixture.createTenant('bigcommerce'));
    expect((await call('GET', `/tenants/${tenantId}/reconciliation?period=2026-03`, { key: stranger })).status).toBe(404);
    expect((await call('GET', `/tenants/${tenantId}/reconciliation/payouts/stripe/${seeded.payoutId}`, { key: stranger })).status).toBe(
      404,
    );

    const openApi = (await call('GET', '/openapi.json')).body;
    expect(Object.keys(openApi.paths['/api/v1/tenants/{tenantId}/reconciliation'])).toEqual(['get', 'post']);
    expect(openApi.paths['/api/v1/tenants/{tenantId}/reconciliation/payouts/{processor}/{payoutId}'].get.tags).toEqual(['reconciliation']);
  });

  it('when a tenant has close settings then its monthly schedule runs; without, it is paused and says why', async () => {
    const tenantId = await fixture.createTenant('bigcommerce');
    schedules.push(periodReconcileScheduleId(tenantId));
    const { settings } = (await readSettings(fixture.database.db, tenantId))!;
    const taskQueue = fixture.config.temporal.taskQueue;

    expect(await ensurePeriodSchedule(client, taskQueue, tenantId, settings)).toBe('created');
    const paused = await client.schedule.getHandle(periodReconcileScheduleId(tenantId)).describe();
    expect(paused.state).toMatchObject({ paused: true, note: 'paused: close.gateways is empty (no payouts are posted)' });

    const withClose = { ...settings, close: { ...stripeClose, reconcileSchedule: '0 7 2 * *' } };
    expect(await ensurePeriodSchedule(client, taskQueue, tenantId, withClose)).toBe('updated');
    const running = await client.schedule.getHandle(periodReconcileScheduleId(tenantId)).describe();
    expect(running.state.paused).toBe(false);
    expect(running.action).toMatchObject({ workflowType: 'periodReconcile', args: [{ tenantId, requestedBy: 'schedule' }] });
    expect(await ensurePeriodSchedule(client, taskQueue, tenantId, withClose)).toBe('unchanged');
    expect(periodReconcileSchedule.desired(taskQueue, tenantId, withClose, { tenantDisabled: true }).paused).toBe(true);
  });
});
