import type { ProcessStack } from '../support/process-stack.js';
import { orderToCashWorkflowId } from '../../workflows/order-to-cash-contract.js';
import type { FloorActivityCall } from './floor-workflow.js';
import { callOptions, readHistoryFacts, timeBreakdown, type HistoryFacts, type RecordedCall, type TimeBreakdown } from './history.js';
import { distribution, mapLimit, pollUntil, round, type Distribution } from './stats.js';

export interface OrderToCashBenchOptions {
  orders: number;
  /** Orders placed in the store at once (the same number of floor workflows are started at once). */
  placeConcurrency: number;
  /** How long the orders may take to be posted before the bench gives up. */
  timeoutMs: number;
  log: (line: string) => void;
}

/** The product's side of the benchmark: what N orders cost, from the store to Intacct. */
export interface OrderToCashFigures {
  orders: number;
  orderIds: string[];
  /** First order placed in the store → last order posted (every activity up to the fulfilment watch done). */
  secondsToLastPosted: number;
  ordersPerSecond: number;
  /** First order placed in the store → last sales document received by Intacct. */
  secondsToLastDocument: number;
  ordersPerSecondToDocument: number;
  /** Activities a run executes up to the posted order (the floor workflow runs as many). */
  activitiesPerOrder: number;
  activitySequence: string[];
  /** Where each order's time went between its workflow's start and the posted order. */
  timePerOrder: TimeBreakdown;
  /** Activity calls up to the posted order that needed more than one attempt (a timeout or a retryable failure), by type. */
  retriedActivities: Record<string, number>;
  /** Activities run after the order was posted while the bench waited for quiet (e.g. on the store's echo of the write-back). */
  activitiesAfterPostedPerOrder: number;
  activitiesAfterPosted: Record<string, number>;
  latencyMs: {
    /** Order placed in the store → its OrderToCash started (the webhook's way through the API). */
    placedToWorkflowStart: Distribution;
    /** Order placed in the store → its `create_sotransaction` received by the Intacct sandbox. */
    placedToIntacctDocument: Distribution;
    /** Order placed in the store → the workflow's last activity done (write-back to the store). */
    placedToPosted: Distribution;
  };
  intacct: IntacctTransactionFigures;
  storefront: StoreRequestFigures;
}

export interface StoreRequestFigures {
  rule: string;
  requestsPerOrder: number;
  requests: number;
  byEndpoint: Record<string, number>;
  logMayBeTruncated: boolean;
}

interface StoreLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
}

export interface IntacctTransactionFigures {
  rule: string;
  transactionsPerOrder: number;
  transactions: number;
  sessionLogins: number;
  failedFunctions: number;
  requests: number;
  byFunction: Record<string, number>;
  logMayBeTruncated: boolean;
}

interface PlacedOrder {
  orderId: string;
  placedAt: number;
}

interface IntacctLogEntry {
  at: string;
  httpStatus: number;
  functions: Array<{ name: string; controlId: string; status: string }>;
}

const requestLogCapacity = 5000;
const buyer = {
  first_name: 'Bench',
  last_name: 'Buyer',
  street_1: '1 Load St',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
};
const lineSets = [
  [
    { product_id: 112, quantity: 2 },
    { product_id: 114, quantity: 1 },
  ],
  [{ product_id: 113, quantity: 1 }],
  [
    { product_id: 112, quantity: 1 },
    { product_id: 113, quantity: 1 },
    { product_id: 114, quantity: 3 },
  ],
];

/**
 * The order a benchmark places: paid (Awaiting Fulfillment), shipping charged; three in four
 * are guest orders, every fourth comes from one of the store's three registered customers
 * (matched in Intacct by e-mail or created there, then remembered). Each registered customer
 * has an e-mail of its own, as a store requires: three storefront customers sharing one would
 * make the e-mail match ambiguous whenever two of them were created first, and park the third's
 * order (the order in which a burst reaches them decides).
 */
export function benchOrderBody(index: number): Record<string, unknown> {
  const registered = index % 4 === 3 ? 1 + (Math.floor(index / 4) % 3) : 0;
  const email = registered === 0 ? `bench.buyer+${index}@example.com` : `bench.buyer+customer${registered}@example.com`;
  return {
    customer_id: registered,
    status_id: 11,
    billing_address: { ...buyer, email },
    products: lineSets[index % lineSets.length],
    shipping_cost_ex_tax: '8.00',
  };
}

/**
 * Lifts the BigCommerce sandbox's API quota (150 requests per 30 s by default, a store plan's
 * limit) so the figures measure the product and Temporal rather than the store's plan.
 */
export async function liftStoreQuota(stack: ProcessStack): Promise<void> {
  const answer = await stack.bigCommerce('PUT', '/_control/rate-limit', { requestsPerWindow: 1_000_000, windowMs: 30_000 });
  if (answer.status !== 200)
    throw new Error(`could not lift the BigCommerce sandbox's quota: ${answer.status} ${JSON.stringify(answer.body)}`);
}

async function placeOrder(stack: ProcessStack, index: number): Promise<PlacedOrder> {
  const placedAt = Date.now();
  const answer = await stack.bigCommerce('POST', '/v2/orders', benchOrderBody(index));
  if (answer.status !== 201) throw new Error(`placing order ${index} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { orderId: String((answer.body as { id: number }).id), placedAt };
}

/**
 * Waits until `count` of the tenant's OrderToCash runs show `SyncState = synced` in Temporal's
 * visibility (set right after the write-back, the last step before the fulfilment watch). Asking
 * Temporal, not the store, keeps the bench's polling out of the store's request log.
 */
export async function waitUntilSynced(stack: ProcessStack, count: number, timeoutMs: number): Promise<void> {
  const query = `WorkflowType = 'orderToCash' AND TenantId = '${stack.tenant('bigcommerce')}' AND SyncState = 'synced'`;
  let synced = 0;
  await pollUntil(
    async () => {
      synced = (await stack.client.workflow.count(query)).count;
      return synced >= count;
    },
    {
      intervalMs: 500,
      timeoutMs,
      describe: async () =>
        `only ${synced} of ${count} orders synced; not synced: ${await describeUnsynced(stack)} (worker logs in ${stack.workDir})`,
    },
  );
}

/**
 * Where each of the tenant's OrderToCash runs that has not synced stands: its state, its
 * pending activities with their attempts and last failure, and whether a run is missing
 * altogether (a webhook that never started one). Said when a wait for synced orders times out.
 */
async function describeUnsynced(stack: ProcessStack): Promise<string> {
  const tenantId = stack.tenant('bigcommerce');
  const lines: string[] = [];
  try {
    const query = `WorkflowType = 'orderToCash' AND TenantId = '${tenantId}' AND SyncState != 'synced'`;
    for await (const run of stack.client.workflow.list({ query })) {
      const described = await stack.client.workflow.getHandle(run.workflowId, run.runId).describe();
      const pending = (described.raw.pendingActivities ?? []).map(
        (activity) =>
          `${activity.activityType?.name ?? '?'} attempt ${activity.attempt ?? '?'} ${activity.state ?? ''}` +
          (activity.lastFailure?.message ? ` (${activity.lastFailure.message})` : ''),
      );
      lines.push(
        `${run.workflowId} ${run.status.name} SyncState=${String(run.searchAttributes?.SyncState ?? '?')} [${pending.join('; ')}]`,
      );
    }
    const started = (await stack.client.workflow.count(`WorkflowType = 'orderToCash' AND TenantId = '${tenantId}'`)).count;
    const deliveries = await stack.db.collection('webhook_deliveries').countDocuments({ tenantId });
    lines.push(`${started} runs started, ${deliveries} deliveries recorded`);
  } catch (error) {
    lines.push(`could not describe them: ${(error as Error).message}`);
  }
  return lines.join(' | ');
}

/**
 * One order through the whole product before anything is timed: it warms the worker (bundle,
 * caches, sessions) and its history says which activities an OrderToCash run executes, with
 * their options, for the floor workflow to copy.
 */
export async function probeOrderToCash(
  stack: ProcessStack,
  log: (line: string) => void,
): Promise<{ calls: FloorActivityCall[]; orderId: string }> {
  const tenantId = stack.tenant('bigcommerce');
  const probe = await placeOrder(stack, 0);
  await waitUntilSynced(stack, 1, 180_000);
  await waitUntilQuiet(stack, 2_000, 30_000);
  const facts = await readHistoryFacts(stack.client, orderToCashWorkflowId(tenantId, probe.orderId));
  const calls = postedCalls(facts);
  const after = facts.calls.slice(calls.length).map((call) => call.standsFor);
  log(
    `probe order ${probe.orderId} posted after ${calls.length} activities (${calls.map((call) => call.standsFor).join(', ')}); then ${after.length} more: ${after.join(', ') || 'none'}`,
  );
  return { calls: callOptions(calls), orderId: probe.orderId };
}

/** The write-back is OrderToCash's last step before it watches for fulfilment: the order is posted when it completes. */
const postingEndsWith = 'writeBackToStorefront';

/** The activities of a run up to the posted order (the first write-back included). */
function postedCalls(facts: HistoryFacts): RecordedCall[] {
  const end = facts.calls.findIndex((call) => call.standsFor === postingEndsWith);
  return end === -1 ? facts.calls : facts.calls.slice(0, end + 1);
}

/**
 * Waits until neither the Intacct sandbox nor the BigCommerce sandbox has seen a request for
 * `quietMs` (the orders' after-effects are done: the write-back's echo costs a store read only).
 */
async function waitUntilQuiet(stack: ProcessStack, quietMs: number, timeoutMs: number): Promise<void> {
  let last = '';
  let since = Date.now();
  await pollUntil(
    async () => {
      const intacct = ((await stack.intacctControl('GET', '/requests')).body as { requests: unknown[] }).requests.length;
      const store =
        ((await stack.bigCommerce('GET', '/_control/requests')).body as { requests: StoreLogEntry[] }).requests.at(-1)?.at ?? '';
      const seen = `${intacct}:${store}`;
      if (seen !== last) {
        last = seen;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    { intervalMs: 250, timeoutMs, describe: () => 'the sandboxes kept receiving requests' },
  );
}

/**
 * Places `orders` paid orders in the BigCommerce sandbox at once; each reaches the API as the
 * store's own webhook and becomes an OrderToCash run. Times come from one clock: the bench
 * process (order placed; the Intacct sandbox, in this process, stamps each request) and the
 * Temporal server's event times, on the same machine.
 */
export async function runOrderToCashBench(stack: ProcessStack, options: OrderToCashBenchOptions): Promise<OrderToCashFigures> {
  const tenantId = stack.tenant('bigcommerce');
  await stack.intacctControl('DELETE', '/requests');
  const syncedBefore = (
    await stack.client.workflow.count(`WorkflowType = 'orderToCash' AND TenantId = '${tenantId}' AND SyncState = 'synced'`)
  ).count;

  const firstPlacedAt = Date.now();
  const placed = await mapLimit(
    Array.from({ length: options.orders }, (_, index) => index + 1),
    options.placeConcurrency,
    (index) => placeOrder(stack, index),
  );
  options.log(`${placed.length} orders placed in ${Date.now() - firstPlacedAt} ms; waiting for them to be posted`);
  await waitUntilSynced(stack, syncedBefore + placed.length, options.timeoutMs);
  options.log(`all ${placed.length} orders posted after ${Date.now() - firstPlacedAt} ms; waiting for their after-effects to settle`);
  await waitUntilQuiet(stack, 3_000, 120_000);

  const log = ((await stack.intacctControl('GET', '/requests')).body as { requests: IntacctLogEntry[] }).requests;
  const storeLogAll = ((await stack.bigCommerce('GET', '/_control/requests')).body as { requests: StoreLogEntry[] }).requests;
  const storeLog = storeLogAll.filter((entry) => Date.parse(entry.at) >= firstPlacedAt);
  const documentAt = new Map<string, number>();
  for (const entry of log) {
    for (const fn of entry.functions) {
      if (fn.name !== 'create_sotransaction' || fn.status !== 'success') continue;
      const orderId = /^so-create:[^:]+:([^:]+):/.exec(fn.controlId)?.[1];
      if (orderId !== undefined && !documentAt.has(orderId)) documentAt.set(orderId, Date.parse(entry.at));
    }
  }

  const histories = await mapLimit(placed, 8, async (order) => ({
    order,
    facts: await readHistoryFacts(stack.client, orderToCashWorkflowId(tenantId, order.orderId)),
  }));
  const postedAt = (facts: HistoryFacts) => facts.calls.find((call) => call.standsFor === postingEndsWith)?.completedAt ?? Number.NaN;
  const lastPosted = Math.max(...histories.map(({ facts }) => postedAt(facts)));
  const documentTimes = placed.map(
    (order) =>
      documentAt.get(order.orderId) ??
      histories.find((h) => h.order === order)?.facts.calls.find((call) => call.standsFor === 'createSalesDocument')?.completedAt ??
      Number.NaN,
  );
  const lastDocument = Math.max(...documentTimes);
  const postedCallCounts = histories.map(({ facts }) => postedCalls(facts).length);
  const afterCounts = histories.map(({ facts }, index) => facts.calls.length - postedCallCounts[index]!);
  const sample = histories[0] ? postedCalls(histories[0].facts) : [];
  const mean = (values: number[]) => round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length), 2);

  return {
    orders: placed.length,
    orderIds: placed.map((order) => order.orderId),
    secondsToLastPosted: round((lastPosted - firstPlacedAt) / 1000, 2),
    ordersPerSecond: round(placed.length / ((lastPosted - firstPlacedAt) / 1000), 2),
    secondsToLastDocument: round((lastDocument - firstPlacedAt) / 1000, 2),
    ordersPerSecondToDocument: round(placed.length / ((lastDocument - firstPlacedAt) / 1000), 2),
    activitiesPerOrder: mean(postedCallCounts),
    activitySequence: sample.map((call) => call.standsFor),
    timePerOrder: timeBreakdown(histories.map(({ facts }) => ({ startedAt: facts.startedAt, calls: postedCalls(facts) }))),
    retriedActivities: countNames(
      histories.flatMap(({ facts }) =>
        postedCalls(facts)
          .filter((call) => call.attempt > 1)
          .map((call) => call.standsFor),
      ),
    ),
    activitiesAfterPostedPerOrder: mean(afterCounts),
    activitiesAfterPosted: countNames(
      histories.flatMap(({ facts }, index) => facts.calls.slice(postedCallCounts[index]).map((call) => call.standsFor)),
    ),
    latencyMs: {
      placedToWorkflowStart: distribution(histories.map(({ order, facts }) => facts.startedAt - order.placedAt)),
      placedToIntacctDocument: distribution(placed.map((order, index) => documentTimes[index]! - order.placedAt)),
      placedToPosted: distribution(histories.map(({ order, facts }) => postedAt(facts) - order.placedAt)),
    },
    intacct: countIntacctTransactions(log, placed.length),
    storefront: countStoreRequests(
      storeLog,
      placed.length,
      storeLogAll.length >= requestLogCapacity && storeLog.length === storeLogAll.length,
    ),
  };
}

/** The product's BigCommerce API requests while the orders ran (the bench's own order placements left out), by endpoint with ids as `{id}`. */
export function countStoreRequests(log: readonly StoreLogEntry[], orders: number, logMayBeTruncated: boolean): StoreRequestFigures {
  const product = log.filter((entry) => !(entry.method === 'POST' && /\/v2\/orders\/?$/.test(entry.path)));
  const byEndpoint = countNames(
    product.map(
      (entry) =>
        `${entry.method} ${entry.path
          .replace(/^\/stores\/[^/]+/, '')
          .replace(/\?.*$/, '')
          .replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
    ),
  );
  return {
    rule: "requests the BigCommerce sandbox logged from the first order placed until the orders settled, without the bench's own POST /v2/orders; the product spaces one store's requests for the quota the store states (90 % share; the bench's store states 1,000,000 per 30 s)",
    requestsPerOrder: round(product.length / orders, 2),
    requests: product.length,
    byEndpoint,
    logMayBeTruncated,
  };
}

function countNames(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/**
 * Intacct bills API transactions: each function in a request is one, whatever its outcome.
 * Session sign-ins (`getAPISession`) are counted apart, as docs/chaos-and-bench.md does.
 */
export function countIntacctTransactions(log: readonly IntacctLogEntry[], orders: number): IntacctTransactionFigures {
  const byFunction: Record<string, number> = {};
  let failedFunctions = 0;
  for (const entry of log) {
    for (const fn of entry.functions) {
      byFunction[fn.name] = (byFunction[fn.name] ?? 0) + 1;
      if (fn.status !== 'success') failedFunctions += 1;
    }
  }
  const sessionLogins = byFunction.getAPISession ?? 0;
  const transactions = Object.entries(byFunction).reduce((sum, [name, count]) => (name === 'getAPISession' ? sum : sum + count), 0);
  return {
    rule: 'functions in the requests the Intacct sandbox logged while the orders ran (each <function> is one billed transaction, failed ones included), getAPISession sign-ins excluded and reported apart',
    transactionsPerOrder: round(transactions / orders, 2),
    transactions,
    sessionLogins,
    failedFunctions,
    requests: log.length,
    byFunction,
    logMayBeTruncated: log.length >= requestLogCapacity,
  };
}
