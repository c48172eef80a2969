import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { payoutDayClosesAt } from '../../../decisions/payout-day.js';
import { createPayoutDayActivities } from '../../../activities/payout-day-postings.js';
import { startPayoutReconcile } from '../../../api/payout-starts.js';
import { findPayoutPosting } from '../../../store/payout-postings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { listAttention } from '../../../store/attention.js';
import {
  payoutDaySearchAttributes,
  payoutDayStatusQuery,
  payoutDayWorkflowId,
  payoutDayWorkflowType,
  payoutMatchedSignal,
  type PayoutDayInput,
  type PayoutDayPostingInput,
  type PayoutDayResult,
} from '../../../workflows/payout-day-contract.js';
import {
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  type PayoutReconcileResult,
} from '../../../workflows/payout-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { createTimeSkippingEnvironmentWithSearchAttributes, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { placeBigCommerceOrder } from '../returns/refund-e2e-support.js';
import { bankGlAccount, connectStripe, glMovement, stripeGateway, type StripeConnection } from './payout-e2e-support.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

interface SandboxPayout {
  id: string;
  amount: number;
  arrival_date: number;
}

/**
 * The `dailySummary` posting mode end to end: BigCommerce orders paid through the Stripe
 * sandbox are posted by OrderToCash (dev server) into the gateway's clearing account; the Stripe
 * sandbox pays out twice on one day; each payout's PayoutReconcile (the product's own activities
 * against the sandboxes and FerretDB, on the time-skipping server so the day and its grace pass
 * in seconds) matches its payout and hands it to the day; the day posts once. Outcomes are read
 * from the Intacct sandbox's deposits, journal entries and GL.
 */
describe('PayoutDay end to end: two Stripe payouts of one day → one Intacct deposit and one journal entry', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let stripe: StripeConnection;
  let env: TestWorkflowEnvironment;
  let worker: RunningTestWorker;
  const taskQueue = uniqueId('payout-day');

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      stripe: true,
      prepare: async (started, tenant) => {
        stripe = await connectStripe(started, tenant);
        // The payouts start on the time-skipping server below, not from Stripe's webhooks on the dev server.
        for (const endpoint of (await stripe.stripe.webhookEndpoints.list()).data) await stripe.stripe.webhookEndpoints.del(endpoint.id);
        const current = (await readSettings(started.database.db, tenant))!;
        const close = current.settings.close!;
        await writeSettings(
          started.database.db,
          tenant,
          {
            ...current.settings,
            close: {
              ...close,
              gateways: close.gateways.map((entry) =>
                entry.gateway === 'stripe' ? { ...entry, postingMode: 'dailySummary' as const } : entry,
              ),
            },
          },
          { expectedVersion: current.version, changedBy: 'test' },
        );
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  beforeAll(async () => {
    env = await createTimeSkippingEnvironmentWithSearchAttributes();
    worker = await startTestWorker({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../../workflows/index.ts'),
      activities: createActivities({ db: stack.database.db, connections: stack.connections, temporal: { client: env.client, taskQueue } }),
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  /** A guest order placed paid through Stripe and posted with its payment, then paid out on `arrivalDate`. */
  async function paidOutOrder(productId: number, arrivalDate: number): Promise<SandboxPayout> {
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: productId, quantity: 1 }] });
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);
    return stripe.control<SandboxPayout>('POST', '/payouts', { includePending: true, arrivalDate });
  }

  it('when two payouts arrive on one day, then the day posts one deposit and one journal entry for both, and a repeat posts nothing more', async () => {
    const before = {
      clearing: await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo),
      bank: await glMovement(stack, tenantId, bankGlAccount),
    };
    const tomorrow = Math.floor(Date.now() / 86_400_000 + 1) * 86_400;
    const day = new Date(tomorrow * 1000).toISOString().slice(0, 10);
    const first = await paidOutOrder(112, tomorrow);
    const second = await paidOutOrder(113, tomorrow);
    const reference = `stripe-${day}`;

    const temporalAccess = { client: env.client, taskQueue };
    for (const payout of [first, second])
      expect(await startPayoutReconcile(temporalAccess, { tenantId, processor: 'stripe', payoutId: payout.id }, 'payout.paid')).toBe(
        'signalled',
      );
    // Both matched and handed to their day before any time passes.
    for (const payout of [first, second])
      await eventually(
        () => env.client.workflow.getHandle(payoutReconcileWorkflowId(tenantId, 'stripe', payout.id)).query(payoutReconcileStatusQuery),
        {
          until: (status) => status.step === 'waiting_for_day',
          what: `payout ${payout.id} to wait for its day`,
          timeoutMs: 60_000,
          intervalMs: 250,
        },
      );

    // The day and its grace pass; nothing else is skipped (a skip during an activity would time it out).
    const dayRef = { tenantId, gateway: 'stripe', currency: 'USD', day };
    // The tenant's day ends at its midnight (its time zone), and the grace for arrival dates is a day.
    const collecting = await env.client.workflow.getHandle(payoutDayWorkflowId(dayRef)).query(payoutDayStatusQuery);
    const closesAt = Date.parse(collecting.closesAt);
    expect(closesAt).toBe(payoutDayClosesAt(day, (await readSettings(stack.database.db, tenantId))!.settings.timezone, 'arrival'));
    await env.sleep(closesAt - (await env.currentTimeMs()) + 60_000);
    const finished = async (workflowId: string): Promise<unknown> => {
      const handle = env.client.workflow.getHandle(workflowId);
      try {
        await eventually(async () => (await handle.describe()).status.name, {
          until: (state) => state === 'COMPLETED',
          what: `${workflowId} to finish`,
          timeoutMs: 60_000,
          intervalMs: 250,
        });
      } catch (error) {
        throw new Error(`${String(error)}; its status: ${JSON.stringify(await handle.query('status'))}`);
      }
      return handle.result();
    };
    const dayResult = (await finished(payoutDayWorkflowId(dayRef))) as PayoutDayResult;
    const results = (await Promise.all(
      [first, second].map((payout) => finished(payoutReconcileWorkflowId(tenantId, 'stripe', payout.id))),
    )) as PayoutReconcileResult[];
    expect(dayResult.status).toMatchObject({ step: 'posted', reference, late: [] });
    expect(dayResult.status.payouts.map((payout) => payout.payoutId).sort()).toEqual([first.id, second.id].sort());

    // Exactly one deposit and one journal entry, under the day's reference; none under a payout id.
    const intacctState = async () => {
      const [deposits, batches] = await Promise.all([stack.intacctRecords('DEPOSIT'), stack.intacctRecords('GLBATCH')]);
      return {
        deposits: deposits.filter((deposit) => [reference, first.id, second.id].includes(deposit.DEPOSITID!)),
        journalEntries: batches.filter((batch) => batch.JOURNAL === 'GJ' && [reference, first.id, second.id].includes(batch.REFERENCENO!)),
      };
    };
    const posted = await intacctState();
    expect(posted.deposits.map((deposit) => deposit.DEPOSITID)).toEqual([reference]);
    expect(posted.journalEntries.map((batch) => batch.REFERENCENO)).toEqual([reference]);
    const keys = { depositKey: posted.deposits[0]!.RECORDNO, journalKeys: [posted.journalEntries[0]!.RECORDNO], dayReference: reference };
    for (const result of results) expect(result).toMatchObject({ outcome: 'posted', status: { step: 'posted', intacct: keys } });
    expect(dayResult.status.intacct).toEqual({ depositKey: keys.depositKey, journalKeys: keys.journalKeys });

    // Clearing nets to zero for the day; the bank is up by exactly the sum of the nets.
    expect(await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)).toBe(before.clearing);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - before.bank).toBe(first.amount + second.amount);

    // What period reconciliation reads: each payout posted, naming the day's keys.
    for (const payout of [first, second])
      expect(await findPayoutPosting(stack.database.db, tenantId, 'stripe', payout.id)).toMatchObject({
        state: 'posted',
        postingDate: day,
        depositKey: keys.depositKey,
        journalKeys: keys.journalKeys,
        dayReference: reference,
        figures: { net: payout.amount },
      });

    // A repeated webhook finds the payout finished; the day's writes run again (a lost answer) find what they wrote.
    expect(await startPayoutReconcile(temporalAccess, { tenantId, processor: 'stripe', payoutId: first.id }, 'payout.paid')).toBe(
      'finished',
    );
    const dayActivities = createPayoutDayActivities({ db: stack.database.db, connections: stack.connections });
    const dayInput: PayoutDayPostingInput = {
      ...dayRef,
      reference,
      closesAt: 0,
      workflowId: payoutDayWorkflowId(dayRef),
      payouts: [first, second].map((payout) => ({
        processor: 'stripe',
        payoutId: payout.id,
        workflowId: payoutReconcileWorkflowId(tenantId, 'stripe', payout.id),
        variancesApproved: false,
      })),
    };
    await expect(dayActivities.depositPayoutDay(dayInput)).resolves.toEqual({ depositKey: keys.depositKey, created: false });
    await expect(dayActivities.journalPayoutDay(dayInput)).resolves.toEqual({ journalKeys: keys.journalKeys, created: false });
    expect(await intacctState()).toEqual(posted);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - before.bank).toBe(first.amount + second.amount);
  });

  it('when a day cannot post, then it parks with an attention item, the status route shows it and the retry route reaches it', async () => {
    const dayRef = { tenantId, gateway: 'stripe', currency: 'USD', day: '2026-01-15' };
    const workflowId = payoutDayWorkflowId(dayRef);
    const path = `/tenants/${tenantId}/payout-days/stripe/USD/2026-01-15`;
    // A day long over holding a payout that was never stored: its deposit cannot be built.
    const input: PayoutDayInput = { ...dayRef, reference: 'stripe-2026-01-15', closesAt: 0 };
    await stack.client.workflow.signalWithStart(payoutDayWorkflowType, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [input],
      signal: payoutMatchedSignal,
      signalArgs: [{ processor: 'stripe', payoutId: 'po_never_stored', workflowId: 'payout-reconcile:none', variancesApproved: false }],
      typedSearchAttributes: payoutDaySearchAttributes(input),
    });
    const parked = await eventually(() => stack.admin('GET', `${path}/status`), {
      until: (answer) => answer.status === 200 && answer.body.status.step === 'parked',
      what: 'the day to park',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(parked.body).toMatchObject({
      workflowId,
      status: { attention: { code: 'payout_not_found' }, payouts: [{ payoutId: 'po_never_stored' }] },
    });
    const items = await listAttention(stack.database.db, tenantId, { state: 'open', entity: 'tenant' }, { limit: 500 });
    expect(items.items.filter((item) => item.externalId === 'payout-day:stripe:USD:2026-01-15').map((item) => item.code)).toEqual([
      'payout_not_found',
    ]);

    const depositAttempts = async () =>
      ((await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter(
        (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'depositPayoutDay',
      ).length;
    const attemptsBefore = await depositAttempts();
    const retried = await stack.admin('POST', `${path}/retry`);
    expect(retried).toMatchObject({ status: 200, body: { workflowId } });
    // Still not stored: the retry tried the deposit again (and parks again on the same reason).
    await eventually(depositAttempts, {
      until: (attempts) => attempts > attemptsBefore,
      what: 'the retry to try the deposit again',
      timeoutMs: 30_000,
      intervalMs: 250,
    });

    // A day still collecting is not parked: nothing to retry. A day never started is not found.
    const collectingRef = { ...dayRef, day: '2099-01-15' };
    const collecting: PayoutDayInput = { ...collectingRef, reference: 'stripe-2099-01-15', closesAt: Date.parse('2099-01-17T00:00:00Z') };
    await stack.client.workflow.start(payoutDayWorkflowType, {
      workflowId: payoutDayWorkflowId(collectingRef),
      taskQueue: stack.config.temporal.taskQueue,
      args: [collecting],
      typedSearchAttributes: payoutDaySearchAttributes(collecting),
    });
    expect(await stack.admin('POST', `/tenants/${tenantId}/payout-days/stripe/USD/2099-01-15/retry`)).toMatchObject({
      status: 409,
      body: { error: { code: 'payout_state_conflict' } },
    });
    expect((await stack.admin('POST', `/tenants/${tenantId}/payout-days/stripe/USD/2030-02-02/retry`)).status).toBe(404);
    for (const id of [workflowId, payoutDayWorkflowId(collectingRef)]) await stack.client.workflow.getHandle(id).terminate('test done');
  });
});
