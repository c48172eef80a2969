import { randomUUID } from 'node:crypto';
import { loadCredentials } from '../../store/credentials.js';
import type { ProcessStack } from '../support/process-stack.js';
import { distribution, mapLimit, pollUntil, round, type Distribution } from './stats.js';

export interface WebhookBurstOptions {
  /** Deliveries offered per second, each about an order of its own. */
  rate: number;
  durationSeconds: number;
  log?: (line: string) => void;
}

export interface WebhookBurstFigures {
  endpoint: string;
  scope: string;
  offeredRate: number;
  durationSeconds: number;
  deliveries: number;
  /** Answered 2xx at the first attempt. */
  acknowledgedFirstAttempt: number;
  /** Answered otherwise (503) or failed at the first attempt; retried afterwards as the store would. */
  notAcknowledgedFirstAttempt: number;
  /** Acknowledgement latency of the first attempts (send → answer), ms. */
  ackLatencyMs: Distribution & { mean: number };
  /** Deliveries answered 2xx in the end (first attempt or a retry). */
  acknowledged: number;
  /** Delivery records in the log, and those of them marked dispatched at the end. */
  recorded: number;
  dispatched: number;
  /** OrderToCash workflows of the burst's orders: one per acknowledged delivery when none is lost or doubled. */
  workflowsStarted: number;
  /** From the last first attempt's answer until every acknowledged delivery's workflow existed (or the wait gave up, 120 s), ms. */
  allStartedAfterMs: number;
  /** From the burst's first delivery until the marks were last counted (all marked, or the wait gave up), ms. */
  markedAfterMs: number;
  /** `dispatched` over `markedAfterMs`: the intake's marking rate over the whole run, a lower bound of its pace. */
  marksPerSecond: number;
  /** Every acknowledged delivery's workflow started and every record marked within the waits. */
  complete: boolean;
  how: string;
}

/**
 * A webhook burst at a fixed offered rate, open loop: BigCommerce `store/order/created` callbacks,
 * each its own delivery (`hash`) about an order of its own, sent on a schedule whatever the
 * answers (so a slow answer does not hold back the next delivery, as a store's burst does not
 * wait). Measures each first attempt's acknowledgement, retries what was not acknowledged as the
 * store would, then counts the workflows: one OrderToCash per acknowledged delivery, no more, no
 * fewer. The orders do not exist in the sandbox: each workflow finds that and parks, so the worker
 * runs a short start for every delivery while the API acknowledges the rest.
 */
export async function runWebhookBurstBench(stack: ProcessStack, options: WebhookBurstOptions): Promise<WebhookBurstFigures> {
  const tenantId = stack.tenant('bigcommerce');
  const webhook = await loadCredentials(stack.db, stack.cipher, tenantId, 'webhook');
  const secret = webhook?.secrets.at(-1)?.secret;
  if (secret === undefined) throw new Error(`tenant ${tenantId} has no webhook secret (were its webhooks registered?)`);

  const scope = 'store/order/created';
  const url = `${stack.apiUrl}/webhooks/bigcommerce/${tenantId}`;
  const run = randomUUID().slice(0, 8);
  const total = options.rate * options.durationSeconds;
  // Order ids far above the sandbox's own, one per delivery.
  const firstOrderId = 900_000_000 + Math.floor(Math.random() * 1_000) * 100_000;
  const deliveries = Array.from({ length: total }, (_, index) => ({
    orderId: firstOrderId + index,
    hash: `burst-${run}-${index}`,
  }));
  const send = async (delivery: { orderId: number; hash: string }) => {
    const startedAt = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
        body: JSON.stringify({
          scope,
          store_id: '1000001',
          data: { type: 'order', id: delivery.orderId },
          hash: delivery.hash,
          created_at: Math.floor(Date.now() / 1000),
          producer: 'stores/demostore',
        }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      return { ok: response.ok, latencyMs: performance.now() - startedAt };
    } catch {
      return { ok: false, latencyMs: performance.now() - startedAt };
    }
  };

  options.log?.(`webhook burst: ${total} deliveries at ${options.rate}/s`);
  const burstStartedAt = new Date();
  const origin = performance.now();
  const first = await Promise.all(
    deliveries.map(async (delivery, index) => {
      const due = origin + (index * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return send(delivery);
    }),
  );
  const burstEndedAt = performance.now();

  // What was not acknowledged is retried, as BigCommerce retries a non-2xx: later, and not all at once.
  let unacknowledged = deliveries.filter((_, index) => !first[index]!.ok);
  for (let round = 0; round < 5 && unacknowledged.length > 0; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const retried = await mapLimit(unacknowledged, 20, send);
    unacknowledged = unacknowledged.filter((_, index) => !retried[index]!.ok);
  }
  const acknowledged = total - unacknowledged.length;

  const workflowQuery = `TenantId = '${tenantId}' AND WorkflowType = 'orderToCash' AND StartTime >= '${burstStartedAt.toISOString()}'`;
  const countWorkflows = async () => (await stack.client.workflow.count(workflowQuery)).count;
  let workflowsStarted = 0;
  // A run that does not get there still reports how far it got (`complete: false`).
  const reached = (wait: Promise<void>) =>
    wait.then(
      () => true,
      () => false,
    );
  const allStarted = await reached(
    pollUntil(
      async () => {
        workflowsStarted = await countWorkflows();
        return workflowsStarted >= acknowledged;
      },
      {
        intervalMs: 500,
        timeoutMs: 120_000,
        describe: () => `${workflowsStarted} of ${acknowledged} burst workflows started`,
      },
    ),
  );
  const allStartedAfterMs = performance.now() - burstEndedAt;
  // A second look after a pause: a doubled start would show up as more workflows than deliveries.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  workflowsStarted = await countWorkflows();

  const records = stack.db.collection<{ deliveryId: string; state?: string }>('webhook_deliveries');
  const burstRecords = { tenantId, deliveryId: { $regex: `^burst-${run}-` } };
  let recorded = 0;
  let dispatched = 0;
  const allMarked = await reached(
    pollUntil(
      async () => {
        recorded = await records.countDocuments(burstRecords);
        dispatched = await records.countDocuments({ ...burstRecords, state: 'dispatched' });
        return dispatched >= recorded;
      },
      { intervalMs: 500, timeoutMs: 60_000, describe: () => `${dispatched} of ${recorded} burst deliveries marked dispatched` },
    ),
  );

  const markedAfterMs = performance.now() - origin;

  const latencies = first.map((attempt) => attempt.latencyMs);
  const acknowledgedFirstAttempt = first.filter((attempt) => attempt.ok).length;
  return {
    endpoint: 'POST /webhooks/bigcommerce/{tenantId}',
    scope,
    offeredRate: options.rate,
    durationSeconds: options.durationSeconds,
    deliveries: total,
    acknowledgedFirstAttempt,
    notAcknowledgedFirstAttempt: total - acknowledgedFirstAttempt,
    ackLatencyMs: { ...distribution(latencies), mean: round(latencies.reduce((sum, ms) => sum + ms, 0) / total, 1) },
    acknowledged,
    recorded,
    dispatched,
    workflowsStarted,
    allStartedAfterMs: Math.round(allStartedAfterMs),
    markedAfterMs: Math.round(markedAfterMs),
    marksPerSecond: round(dispatched / (markedAfterMs / 1000), 1),
    complete: allStarted && allMarked,
    how: 'open loop: delivery i sent at i/rate s whatever the earlier answers; latency = send → answer of the first attempt, in the bench process; non-2xx retried up to 5 rounds, 2 s apart, 20 at a time; workflowsStarted = Temporal visibility count of the tenant’s OrderToCash started since the burst, taken 2 s after it reached the acknowledged count; recorded/dispatched = the delivery log’s records of the burst',
  };
}
