import { ActivityFailure, ApplicationFailure, continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  scheduledRunBookkeepingOptions,
  storefrontListingOptions,
  webhookCheckOptions,
  workflowStartBatchOptions,
} from './activity-options.js';
import type {
  OrderBackfillInput,
  OrderBackfillResult,
  OrderDiscoveryActivities,
  OrderDiscoveryProgress,
  OrderDiscoveryTotals,
  OrderSweepInput,
  OrderSweepResult,
  StartOrderToCashInput,
  WebhookHealthActivities,
} from './order-sweep-contract.js';

export type { OrderBackfillInput, OrderBackfillResult, OrderSweepInput, OrderSweepResult } from './order-sweep-contract.js';

const { listChangedOrders, listChangedRefunds } = proxyActivities<OrderDiscoveryActivities>(storefrontListingOptions);
const { startOrderToCash, startReturnToCreditMemo } = proxyActivities<OrderDiscoveryActivities>(workflowStartBatchOptions);
/** The sweep's cursor: one small MongoDB document. */
const { readSweepCursor, saveSweepCursor } = proxyActivities<OrderDiscoveryActivities>(scheduledRunBookkeepingOptions);
const { checkStorefrontWebhooks } = proxyActivities<WebhookHealthActivities>(webhookCheckOptions);

/** Pages per run before continuing as new: about five events each, so a run's history stays far below Temporal's limits. */
const defaultPagesPerRun = 100;

const noTotals: OrderDiscoveryTotals = {
  pages: 0,
  listed: 0,
  started: 0,
  alreadyRunning: 0,
  refundsListed: 0,
  refundsStarted: 0,
  refundsAlreadyRunning: 0,
};

/** Marks histories that also look for refunds: runs begun before that change keep to orders when replayed. */
const findsRefundsPatch = 'sweep-finds-refunds';

/** Marks histories whose sweep ends by checking the storefront's webhooks. */
const checksWebhooksPatch = 'sweep-checks-webhooks';

type WindowOutcome = { done: true; totals: OrderDiscoveryTotals } | { done: false; progress: OrderDiscoveryProgress };

/**
 * Pages through the orders changed in the window and starts OrderToCash for each page's ids,
 * then through the refunds made in it and starts ReturnToCreditMemo for each (when the tenant
 * processes returns), until the last page or `pagesPerRun` pages (then it hands back where to
 * go on from).
 */
async function discoverWindow(
  window: { tenantId: string; since: string; until: string; trigger: StartOrderToCashInput['trigger'] },
  from: OrderDiscoveryProgress | undefined,
  pagesPerRun: number,
): Promise<WindowOutcome> {
  // Totals carried over from a run before refunds were counted have no refund counts.
  const totals: OrderDiscoveryTotals = { ...noTotals, ...from?.totals };
  let phase = from?.phase ?? 'orders';
  let cursor = from?.cursor;
  const findsRefunds = phase === 'refunds' || patched(findsRefundsPatch);
  for (let pagesThisRun = 0; ; pagesThisRun += 1) {
    if (pagesThisRun >= pagesPerRun && cursor !== undefined)
      return { done: false, progress: { cursor, ...(phase === 'refunds' && { phase }), totals } };
    const request = { tenantId: window.tenantId, since: window.since, until: window.until, ...(cursor !== undefined && { cursor }) };
    if (phase === 'orders') {
      const page = await listChangedOrders(request);
      totals.pages += 1;
      totals.listed += page.orderIds.length;
      if (page.orderIds.length > 0) {
        const started = await startOrderToCash({
          tenantId: window.tenantId,
          storefront: page.storefront,
          orderIds: page.orderIds,
          trigger: window.trigger,
        });
        totals.started += started.started;
        totals.alreadyRunning += started.alreadyRunning;
      }
      cursor = page.nextCursor;
      if (cursor !== undefined) continue;
      if (!findsRefunds) return { done: true, totals };
      phase = 'refunds';
      continue;
    }
    const page = await listChangedRefunds(request);
    if (page.enabled) totals.pages += 1;
    totals.refundsListed += page.refunds.length;
    if (page.refunds.length > 0) {
      const started = await startReturnToCreditMemo({
        tenantId: window.tenantId,
        storefront: page.storefront,
        refunds: page.refunds,
        trigger: window.trigger,
      });
      totals.refundsStarted += started.started;
      totals.refundsAlreadyRunning += started.alreadyRunning;
    }
    cursor = page.nextCursor;
    if (cursor === undefined) return { done: true, totals };
  }
}

/**
 * The safety-net sweep, run by the tenant's schedule: offers OrderToCash every order the
 * storefront changed since the previous sweep (minus the lookback overlap), and
 * ReturnToCreditMemo every refund it made then, so an order or refund whose webhooks were all
 * lost is still posted. The window ends when the sweep began; the cursor
 * moves there only once every page is done, so a failed sweep is redone by the next one. Then
 * it checks the storefront's webhooks, so a store that gave up on the receiver is caught at
 * the next sweep instead of never.
 */
export async function orderSweep(input: OrderSweepInput): Promise<OrderSweepResult> {
  const { tenantId } = input;
  let since: string;
  let until: string;
  if (input.resume) {
    ({ since, until } = input.resume);
  } else {
    until = new Date().toISOString();
    const cursor = await readSweepCursor({ tenantId });
    const from = cursor.lastSweptUntil === undefined ? Date.parse(until) : Date.parse(cursor.lastSweptUntil);
    since = new Date(from - cursor.lookbackMinutes * 60_000).toISOString();
  }
  const outcome = await discoverWindow({ tenantId, since, until, trigger: 'sweep' }, input.resume, input.pagesPerRun ?? defaultPagesPerRun);
  if (!outcome.done) {
    return continueAsNew<typeof orderSweep>({ ...input, resume: { ...outcome.progress, since, until } });
  }
  await saveSweepCursor({ tenantId, lastSweptUntil: until });
  const result: OrderSweepResult = { tenantId, since, until, ...outcome.totals };
  if (patched(checksWebhooksPatch)) result.webhooks = await checkWebhooks(tenantId);
  return result;
}

/**
 * Checks (and where the storefront allows, repairs) the tenant's webhooks after the window is
 * swept: finding the orders comes first, so the check's failure is recorded in the result and
 * never fails the sweep.
 */
async function checkWebhooks(tenantId: string): Promise<NonNullable<OrderSweepResult['webhooks']>> {
  try {
    return await checkStorefrontWebhooks({ tenantId, workflowId: workflowInfo().workflowId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause;
    return {
      failed: cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ${cause.message}` : (cause?.message ?? error.message),
    };
  }
}

/**
 * Offers OrderToCash every order the storefront changed between `from` and `to`, and
 * ReturnToCreditMemo every refund it made then: for a new tenant's history, or after an outage
 * longer than the sweep's lookback. Leaves the sweep cursor alone. Orders and refunds already
 * posted finish without writing (the ledger remembers them).
 */
export async function orderBackfill(input: OrderBackfillInput): Promise<OrderBackfillResult> {
  const { tenantId, from, to } = input;
  const outcome = await discoverWindow(
    { tenantId, since: from, until: to, trigger: 'backfill' },
    input.resume,
    input.pagesPerRun ?? defaultPagesPerRun,
  );
  if (!outcome.done) {
    return continueAsNew<typeof orderBackfill>({ ...input, resume: outcome.progress });
  }
  return { tenantId, from, to, ...outcome.totals };
}
