import fs from 'node:fs/promises';
import { realRetryScheduleMs as bigCommerceRealSchedule } from '../../sandbox/bigcommerce/index.js';
import { realRetryScheduleMs as clarityRealSchedule } from '../../sandbox/clarity/index.js';
import { startProcessStack, type ProcessStack, type ProcessStackOptions } from '../support/process-stack.js';
import { orderToCashWorkflowId } from '../../workflows/order-to-cash-contract.js';
import { seededRandom } from '../../sandbox/seeded-random.js';
import { planOrders, claritySkus, consignmentShipments, personalDataOf, type OrderMix, type OrderPlan } from './plan.js';
import { Storefronts } from './storefronts.js';
import { actAfterPosting, hasAfterPosting } from './after-posting.js';
import {
  intacctBaseline,
  pendingDeliveries,
  readWorkflows,
  verifyRun,
  type ChaosVerification,
  type PlacedOrder,
  type WorkflowRow,
} from './verify.js';
import {
  pauseSchedulesOf,
  runOptionalBadInputSweep,
  runOptionalSecretsScan,
  type BadInputReport,
  type SecretsReport,
} from './integrations.js';
import { ChaosPayouts, payoutPoints } from './payouts.js';
import { prepareOrderFidelity, withPricesIncludingVat } from './order-fidelity.js';
import { payoutBaseline, verifyPayouts, type PayoutReport } from './verify-payouts.js';

export interface ChaosOptions {
  orders: number;
  seed: number;
  /** The order mix (default `fidelity`: issue 17's tax per line, VAT-inclusive prices, gift wrapping and second entity; `classic`: the orders before issue 17). */
  mix?: OrderMix;
  log?: (line: string) => void;
  stack?: ProcessStackOptions;
  /** Bad requests sent by the bad-input sweep (default 500; 0 skips it). */
  badInputRequests?: number;
  /** Orders placed per second, steadily (default 2). */
  ordersPerSecond?: number;
  /**
   * The storefronts' webhook retry schedules are their real ones divided by this (default 100:
   * BigCommerce gives up after about 29 minutes instead of 48 hours, Clarity after 46 instead
   * of 77 hours). The sandboxes' own default (1000) gives up after 3 minutes, shorter than a
   * loaded machine can take to recover from a Temporal restart.
   */
  webhookScheduleDivisor?: number;
  /** How long to wait for the orders to settle after the last one was placed (default 3 s per order, at least 10 min). */
  settleTimeoutMs?: number;
  /** Give up waiting once nothing has settled for this long (default 6 min). */
  stallTimeoutMs?: number;
  /** Keep the stack's work folder (logs, Temporal history) instead of removing it. */
  keepWorkDir?: boolean;
}

export interface ChaosSummary {
  seed: number;
  workflowsRunAgainAfterClosing: number;
  orders: {
    requested: number;
    placed: number;
    byStorefront: Record<string, number>;
    byStory: Record<string, number>;
    byOutcome: Record<string, number>;
    /** BigCommerce orders checked against their sales document: taxed per line, gift wrapped, by the entity Intacct holds them in. */
    fidelity: ChaosVerification['fidelity'];
  };
  faults: {
    intacct: { requests: number; injected: Record<string, number>; rules: unknown[] };
    workerKills: number;
    /** API processes killed and started again (only with more than one: the others take their deliveries). */
    apiKills: number;
    temporalRestarts: number;
  };
  /** The processes the run had, and the requests the round-robin proxy handed each API process (with several). */
  processes: { workers: number; apis: number; apiRequests: Record<string, number> };
  webhooks: ChaosVerification['webhooks'];
  intacct: ChaosVerification['intacct'];
  attention: ChaosVerification['attention'];
  payouts: PayoutReport;
  durationSeconds: { total: number; placing: number; settling: number };
  peakMemoryMb: { api: number; worker: number };
  badInput: BadInputReport;
  secrets: SecretsReport;
  violations: string[];
  workDir?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Intacct faults with the issue's overall rates: rules are tried in order and the first that fires wins, so each probability is conditional on the earlier ones not firing. */
function intacctFaultRules(): unknown[] {
  const rates = [
    { kind: 'http5xx', rate: 0.1, status: 503 },
    { kind: 'commitThenDrop', rate: 0.05 },
    { kind: 'rateLimit', rate: 0.05 },
    { kind: 'latency', rate: 0.2, latencyMs: 150 },
  ];
  let untouched = 1;
  return rates.map(({ rate, ...rule }) => {
    const probability = Math.min(1, rate / untouched);
    untouched -= rate;
    return { ...rule, probability: Number(probability.toFixed(6)) };
  });
}

/**
 * `npm run chaos`: the product on its real processes, orders placed on both storefronts while
 * webhooks arrive three times and out of order, Intacct misbehaves, the worker is killed twice
 * and the Temporal server restarted; then every order is checked against the systems' own
 * state. See docs/chaos-and-bench.md.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const violations: string[] = [];
  const divisor = options.webhookScheduleDivisor ?? 100;
  const stack = await startProcessStack({
    log,
    webhookRetrySchedules: {
      bigcommerce: bigCommerceRealSchedule.map((ms) => ms / divisor),
      clarity: clarityRealSchedule.map((ms) => ms / divisor),
    },
    stripe: true,
    ...options.stack,
    // Each shipment converts its own units of the sales order into an invoice (split shipments).
    orderSync: { fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice' }, ...options.stack?.orderSync },
    // Every probe comes from this one client; the wrong-key probes alone exceed the admin API's
    // guessing limit, which would then refuse the sweep's own valid calls.
    environment: { ADMIN_AUTH_FAILURES_PER_MINUTE: '1000000', ...options.stack?.environment },
  });
  // Ctrl-C stops every process the stack started, not just this one.
  const onSignal = () => void stack.close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let workerKills = 0;
  let apiKills = 0;
  let temporalRestarts = 0;
  try {
    const storefronts = new Storefronts(stack);
    await prepareStores(storefronts, options.seed);
    const mix = options.mix ?? 'fidelity';
    if (mix === 'fidelity') await prepareOrderFidelity(stack, storefronts);
    const baseline = await intacctBaseline(storefronts);
    const payouts = await ChaosPayouts.connect(stack, storefronts, log);
    const payoutsBefore = await payoutBaseline(storefronts);
    const rules = intacctFaultRules();
    await expectOk(storefronts.intacctControl('PUT', '/faults', { seed: options.seed, rules }), 'setting Intacct faults');
    log(`Intacct faults set (seed ${options.seed}): 10% 5xx, 5% lost after commit, 5% rate-limited, 20% +150 ms`);

    const plans = planOrders(options.orders, options.seed, mix);
    const placed: PlacedOrder[] = [];
    const chaosDone = runChaosEvents(stack, options, () => placed.length, log, {
      killed: () => (workerKills += 1),
      apiKilled: () => (apiKills += 1),
      restarted: () => (temporalRestarts += 1),
      violation: (message) => violations.push(message),
    });

    const placing = Date.now();
    await placeOrders(stack, storefronts, payouts, plans, placed, { perSecond: options.ordersPerSecond ?? 2, mix }, log, violations);
    await chaosDone;
    const placingSeconds = (Date.now() - placing) / 1000;
    log(
      `placed ${placed.length} orders in ${placingSeconds.toFixed(1)} s; ${workerKills} worker kills, ${apiKills} API kills, ${temporalRestarts} Temporal restarts`,
    );

    const settling = Date.now();
    let settled = await waitUntilSettled(stack, storefronts, placed, options, log);
    // Late copies of webhooks can reopen a closed order's workflow: let every delivery finish, then settle again.
    const deliveriesDeadline = Date.now() + 3 * 60_000;
    while ((await pendingDeliveries(storefronts)) > 0 && Date.now() < deliveriesDeadline) await pause(1_000);
    // From here to the end of verification the product's own schedules stay still (see pauseSchedulesOf).
    const resumeSchedules = await pauseSchedulesOf(
      stack.client,
      stack.tenants.map((tenant) => tenant.tenantId),
    );
    if (settled.all) settled = await waitUntilSettled(stack, storefronts, placed, options, log);
    const settlingSeconds = (Date.now() - settling) / 1000;
    if (!settled.all)
      violations.push(
        `${settled.unsettled.length} orders did not settle in time: ${settled.unsettled.slice(0, 20).join(', ')}${settled.unsettled.length > 20 ? ', …' : ''}`,
      );

    // Stripe pays out the rest while Intacct still misbehaves; every payout must end before the checks.
    await payouts.payOutPosted('after the orders settled', { timeoutMs: 60_000, duringRun: false });
    const unsettledPayouts = await payouts.settle(5 * 60_000);
    if (unsettledPayouts.length > 0) violations.push(`payouts not done in time: ${unsettledPayouts.join(', ')}`);

    const intacctFaults = (await storefronts.intacctControl('GET', '/faults')).body as {
      rules: unknown[];
      tally: { requests: number; byFunction: Record<string, number>; injected: Record<string, number> };
    };
    await storefronts.intacctControl('DELETE', '/faults');
    await storefronts.bigCommerce('PUT', '/_control/webhook-behaviour', { copies: 1, scatterMs: 0 });
    await storefronts.clarity('PUT', '/webhook-behaviour', { copies: 1, scatterMs: 0 });

    const badInput = await runOptionalBadInputSweep(stack, options.badInputRequests ?? 500, options.seed, log);
    violations.push(...badInput.violations);

    log('verifying against Intacct, the storefronts, Temporal and MongoDB');
    const verification = await verifyRun(stack, storefronts, placed, intacctFaults.tally, baseline, mix);
    violations.push(...verification.violations);
    const payoutCheck = await verifyPayouts(stack, storefronts, payouts, payoutsBefore);
    violations.push(...payoutCheck.violations);
    await resumeSchedules();

    const secrets = await runOptionalSecretsScan(stack, log, personalDataOf(plans));
    violations.push(...secrets.violations);

    const peakMemoryMb = await stack.peakMemoryMb();
    if (workerKills < 2) violations.push(`the worker was killed ${workerKills} times, not 2`);
    if (temporalRestarts < 1) violations.push('the Temporal server was not restarted');
    if (stack.processes.apis > 1 && apiKills < 1) violations.push('no API process was killed');
    const count = <K extends string>(values: K[]) =>
      values.reduce<Record<string, number>>((tally, value) => ({ ...tally, [value]: (tally[value] ?? 0) + 1 }), {});
    return {
      seed: options.seed,
      workflowsRunAgainAfterClosing: verification.workflowsRunAgainAfterClosing,
      orders: {
        requested: options.orders,
        placed: placed.length,
        byStorefront: count(placed.map((order) => order.storefront)),
        byStory: count(placed.map((order) => order.story)),
        byOutcome: verification.outcomes,
        fidelity: verification.fidelity,
      },
      faults: {
        intacct: { requests: intacctFaults.tally.requests, injected: intacctFaults.tally.injected, rules: intacctFaults.rules },
        workerKills,
        apiKills,
        temporalRestarts,
      },
      processes: { ...stack.processes, apiRequests: stack.apiRequests() },
      webhooks: verification.webhooks,
      intacct: verification.intacct,
      attention: verification.attention,
      payouts: payoutCheck.report,
      durationSeconds: {
        total: Math.round((Date.now() - started) / 100) / 10,
        placing: Math.round(placingSeconds * 10) / 10,
        settling: Math.round(settlingSeconds * 10) / 10,
      },
      peakMemoryMb,
      badInput: badInput.report,
      secrets: secrets.report,
      violations,
      ...((options.keepWorkDir || violations.length > 0) && { workDir: stack.workDir }),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stack.close();
    // A run with violations keeps its logs and histories for the investigation (the summary names the folder).
    if (!options.keepWorkDir && violations.length === 0 && options.stack?.workDir === undefined)
      await fs.rm(stack.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function expectOk(answer: Promise<{ status: number; body: unknown }>, what: string): Promise<void> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what} failed: ${status} ${JSON.stringify(body)}`);
}

/** Webhooks three times each, scattered over a few seconds; stock for a thousand orders. */
async function prepareStores(stores: Storefronts, seed: number): Promise<void> {
  await expectOk(
    stores.bigCommerce('PUT', '/_control/webhook-behaviour', { copies: 3, scatterMs: 4_000, seed }),
    'setting BigCommerce webhook behaviour',
  );
  await expectOk(stores.clarity('PUT', '/webhook-behaviour', { copies: 3, scatterMs: 4_000, seed }), 'setting Clarity webhook behaviour');
  // A merchant's plan that takes a thousand orders in minutes: BigCommerce Pro's quota.
  await expectOk(
    stores.bigCommerce('PUT', '/_control/rate-limit', { requestsPerWindow: 450, windowMs: 30_000 }),
    'setting the BigCommerce quota',
  );
  for (const sku of claritySkus) await expectOk(stores.clarity('PATCH', `/products/${sku}`, { available: 1_000_000 }), `stocking ${sku}`);
  // Chaos tenants invoice every shipment, and an invoice takes its items out of Intacct's
  // warehouse: a merchant selling a thousand orders has the stock for them.
  for (const stock of await stores.intacctRecords('ITEMWAREHOUSEINFO')) {
    const id = `${stock.ITEMID}@${stock.WAREHOUSEID}`;
    await expectOk(
      stores.intacctControl('PATCH', `/records/ITEMWAREHOUSEINFO/${id}`, { fields: { QONHAND: '1000000' } }),
      `stocking ${id} in Intacct`,
    );
  }
}

/** Places the orders at a steady rate and plays each one's follow-ups (status changes) when due. */
async function placeOrders(
  stack: ProcessStack,
  storefronts: Storefronts,
  payouts: ChaosPayouts,
  plans: OrderPlan[],
  placed: PlacedOrder[],
  { perSecond, mix }: { perSecond: number; mix: OrderMix },
  log: (line: string) => void,
  violations: string[],
): Promise<void> {
  const interval = 1000 / perSecond;
  let start = Date.now();
  const followUps: Array<Promise<void>> = [];
  let lastProgress = Date.now();
  const payoutPositions = new Set(payoutPoints.map((point) => Math.max(1, Math.floor(plans.length * point))));
  for (const [position, plan] of plans.entries()) {
    if (payoutPositions.has(position)) {
      const waited = Date.now();
      await payouts
        .payOutPosted(`payout after ${position} orders`, { duringRun: true })
        .catch((error: Error) => void violations.push(`paying out after ${position} orders failed: ${error.message}`));
      // The orders after the payout keep the steady rate rather than rushing in to catch up.
      start += Date.now() - waited;
    }
    const due = start + position * interval;
    if (due > Date.now()) await pause(due - Date.now());
    let orderId: string;
    const authoriseOnly = plan.storefront === 'bigcommerce' && plan.authoriseOnly;
    try {
      // The store's gateway setting applies to checkouts; orders are placed one at a time, so it is set around this one.
      if (authoriseOnly) await storefronts.bigCommerce('PUT', '/_control/payment-gateway', { transactionType: 'authorize_only' });
      if (plan.storefront === 'bigcommerce') await payouts.gatewayFor(plan);
      const checkout = () => storefronts.bigCommerce('POST', '/v2/orders', plan.body);
      const answer =
        plan.storefront === 'bigcommerce'
          ? await (plan.pricesIncludeVat ? withPricesIncludingVat(storefronts, checkout) : checkout()).finally(async () => {
              if (authoriseOnly)
                await storefronts.bigCommerce('PUT', '/_control/payment-gateway', { transactionType: 'authorize_and_capture' });
            })
          : await storefronts.clarity('POST', '/orders', plan.body);
      if (answer.status !== 201) {
        violations.push(`placing ${plan.storefront} order #${plan.index} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      orderId =
        plan.storefront === 'bigcommerce' ? String((answer.body as { id: number }).id) : (answer.body as { orderId: string }).orderId;
    } catch (error) {
      violations.push(`placing ${plan.storefront} order #${plan.index} failed: ${(error as Error).message}`);
      continue;
    }
    payouts.placed(plan, orderId);
    placed.push({
      storefront: plan.storefront,
      orderId,
      story: plan.story,
      tenantId: stack.tenant(plan.storefront),
      // The shipments as the warehouse sends them, one consignment's each, so as many invoices are due.
      afterPosting: { ...plan.afterPosting, ...(plan.afterPosting.shipments !== undefined && { shipments: consignmentShipments(plan)! }) },
      authoriseOnly,
    });
    const placedOrder = placed.at(-1)!;
    if (hasAfterPosting(plan))
      followUps.push(
        actAfterPosting(storefronts, plan, orderId, {
          taxedPerLine: mix === 'fidelity' && plan.storefront === 'bigcommerce',
          openAttentionCode: async (id) =>
            (
              await stack.db
                .collection<{ code?: string }>('attention_queue')
                .findOne({ tenantId: placedOrder.tenantId, entity: 'order', externalId: id, state: 'open' })
            )?.code,
        }).then(
          ({ problems, beforeEdit }) => {
            violations.push(...problems);
            if (beforeEdit !== undefined) placedOrder.beforeEdit = beforeEdit;
          },
          (error: Error) => void violations.push(`acting on ${plan.storefront} order ${orderId} after posting failed: ${error.message}`),
        ),
      );
    for (const followUp of plan.followUps) {
      followUps.push(
        (async () => {
          await pause(followUp.afterMs);
          try {
            // A cancellation after posting waits until Intacct holds the document, so the compensations really run.
            if (plan.story === 'cancelled-after-posting') await storefronts.waitForDocument(orderId, 15 * 60_000);
            const answer =
              'statusId' in followUp
                ? await storefronts.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: followUp.statusId })
                : await storefronts.clarity('POST', `/orders/${orderId}/status`, { status: followUp.status });
            if (answer.status !== 200)
              violations.push(`moving ${plan.storefront} order ${orderId} on failed: ${answer.status} ${JSON.stringify(answer.body)}`);
          } catch (error) {
            violations.push(`moving ${plan.storefront} order ${orderId} on failed: ${(error as Error).message}`);
          }
        })(),
      );
    }
    if (Date.now() - lastProgress > 10_000) {
      log(`placed ${placed.length}/${plans.length} orders`);
      lastProgress = Date.now();
    }
  }
  let pending = followUps.length;
  for (const followUp of followUps) void followUp.finally(() => (pending -= 1));
  const progress = setInterval(
    () =>
      log(
        `all orders placed; ${pending} follow-ups still to make (cancellations, edits, captures and shipments wait for their order's Intacct document)`,
      ),
    15_000,
  );
  try {
    await Promise.all(followUps);
  } finally {
    clearInterval(progress);
  }
}

/**
 * Two SIGKILLs of a worker (each restarted; with several, a different one each time where
 * possible, chosen from the seed), one of an API process when there are several (the proxy
 * hands its deliveries to the others meanwhile), and one Temporal restart, spread over the
 * placing of the orders.
 */
async function runChaosEvents(
  stack: ProcessStack,
  options: ChaosOptions,
  placedSoFar: () => number,
  log: (line: string) => void,
  record: { killed: () => void; apiKilled: () => void; restarted: () => void; violation: (message: string) => void },
): Promise<void> {
  const random = seededRandom(options.seed ^ 0x5eed);
  const at = (fraction: number) => Math.max(1, Math.floor(options.orders * fraction));
  const reached = async (count: number) => {
    while (placedSoFar() < count) await pause(100);
  };
  const { workers, apis } = stack.processes;
  // Drawn only with several workers, so a one-worker run of a seed keeps the timings it always had.
  const firstVictim = workers > 1 ? Math.floor(random() * workers) : 0;
  const killAndRestart = async (which: string, index: number) => {
    await stack.killWorker(index);
    record.killed();
    const downMs = 500 + Math.floor(random() * 2_500);
    const name = workers === 1 ? 'worker' : `worker ${index + 1} of ${workers}`;
    log(`${which}: ${name} killed with SIGKILL after ${placedSoFar()} orders; restarting in ${downMs} ms`);
    await pause(downMs);
    await stack.startWorker(index);
    log(`${which}: ${name} polling again`);
  };
  const killApiAndRestart = async () => {
    const index = Math.floor(random() * apis);
    await stack.killApi(index);
    record.apiKilled();
    const downMs = 2_000 + Math.floor(random() * 3_000);
    log(`API process ${index + 1} of ${apis} killed with SIGKILL after ${placedSoFar()} orders; restarting in ${downMs} ms`);
    await pause(downMs);
    await stack.startApi(index);
    log(`API process ${index + 1} ready again`);
  };
  try {
    await reached(at(0.25));
    await killAndRestart('kill 1', firstVictim);
    if (apis > 1) {
      await reached(at(0.4));
      await killApiAndRestart();
    }
    await reached(at(0.5));
    log(`restarting the Temporal dev server after ${placedSoFar()} orders`);
    const before = Date.now();
    await stack.restartTemporal();
    record.restarted();
    log(`Temporal dev server back after ${((Date.now() - before) / 1000).toFixed(1)} s`);
    await reached(at(0.75));
    await killAndRestart('kill 2', (firstVictim + 1) % workers);
  } catch (error) {
    record.violation(`the chaos events could not be carried out: ${(error as Error).message}`);
  }
}

/**
 * Waits until every order is where the store's state says it must end: posted (SyncState
 * synced) or cancelled (workflow closed); parked, failed or terminated also end the wait for
 * that order (verification names them). Bounded: a stuck order is reported, not waited on forever.
 */
async function waitUntilSettled(
  stack: ProcessStack,
  storefronts: Storefronts,
  placed: PlacedOrder[],
  options: ChaosOptions,
  log: (line: string) => void,
): Promise<{ all: boolean; unsettled: string[] }> {
  const deadline = Date.now() + (options.settleTimeoutMs ?? Math.max(10 * 60_000, placed.length * 3_000));
  const stallLimit = options.stallTimeoutMs ?? 6 * 60_000;
  let best = -1;
  let lastChange = Date.now();
  let lastLog = 0;
  let unsettled: string[] = placed.map((order) => order.orderId);
  for (;;) {
    let rows: Map<string, WorkflowRow> | undefined;
    const invoices = new Map<string, number>();
    try {
      rows = await readWorkflows(stack);
      if (placed.some((order) => order.afterPosting.shipments !== undefined))
        for (const document of await storefronts.intacctRecords('SODOCUMENT'))
          if (document.DOCPARID === 'Sales Invoice' && document.PONUMBER !== undefined)
            invoices.set(document.PONUMBER, (invoices.get(document.PONUMBER) ?? 0) + 1);
    } catch (error) {
      log(`listing workflows failed (${(error as Error).message}); trying again`);
    }
    if (rows) {
      const states: Record<string, number> = {};
      unsettled = [];
      for (const order of placed) {
        const row = rows.get(orderToCashWorkflowId(order.tenantId, order.orderId));
        const cancelled = order.story.startsWith('cancelled');
        // An order shipped in parts is done once every part is invoiced, not when posted. (Its
        // watch then ends; a late webhook may start a new run, which waits for its first look.)
        const invoicesDue = order.afterPosting.shipments?.length ?? 0;
        const done =
          row !== undefined &&
          (row.status !== 'RUNNING'
            ? true
            : cancelled
              ? false
              : row.syncState === 'parked' || (row.syncState === 'synced' && (invoices.get(order.orderId) ?? 0) >= invoicesDue));
        const state =
          row === undefined ? 'no workflow' : row.status === 'RUNNING' ? (row.syncState ?? 'running') : row.status.toLowerCase();
        states[state] = (states[state] ?? 0) + 1;
        if (!done) unsettled.push(`${order.storefront}:${order.orderId}`);
      }
      const settledCount = placed.length - unsettled.length;
      if (settledCount > best) {
        best = settledCount;
        lastChange = Date.now();
      }
      if (Date.now() - lastLog > 10_000 || unsettled.length === 0) {
        log(
          `settled ${settledCount}/${placed.length}: ${Object.entries(states)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ')}`,
        );
        lastLog = Date.now();
      }
      if (unsettled.length === 0) return { all: true, unsettled };
    }
    if (Date.now() > deadline || Date.now() - lastChange > stallLimit) return { all: false, unsettled };
    await pause(3_000);
  }
}
