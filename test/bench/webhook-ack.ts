import { randomUUID } from 'node:crypto';
import { benchAckFloorPath } from '../../api/bench-ack-floor-routes.js';
import { signatureHeaders } from '../../sandbox/bigcommerce/webhook-delivery.js';
import { loadCredentials } from '../../store/credentials.js';
import type { ProcessStack } from '../support/process-stack.js';
import { sandboxCredentials } from '../support/sandbox-credentials.js';
import { sampleBacklogs, type BacklogPeak } from '../support/task-queue-backlog.js';
import { ackStream, ackVerdict, type AckAttempt, type AckStream, type AckVerdict } from './ack-goal.js';
import { benchOrderBody } from './order-to-cash.js';
import { distribution, type Distribution } from './stats.js';

export interface WebhookAckOptions {
  /** Deliveries offered per second to the receiver (and as many requests to the floor). */
  rate: number;
  durationSeconds: number;
  /** Posted orders the deliveries are about at first (each delivery signals that order's running workflow). */
  orderIds: readonly string[];
  /** Measure the floor too, interleaved with the deliveries; the stack must serve it (`benchAckFloor`). */
  floor: boolean;
  /**
   * Orders placed per second while the deliveries run (0: none): the worker keeps posting orders
   * meanwhile, and each joins the orders the later deliveries are about.
   */
  ordersPerSecond: number;
  log?: (line: string) => void;
}

export type WebhookAckFigures = {
  endpoint: string;
  scope: string;
  offeredRate: number;
  durationSeconds: number;
  receiver: AckStream;
  /**
   * Orders placed during the run, how many of them reached `synced` (posted) during it and within
   * a minute after it, and how many orders the deliveries were about.
   */
  ordersDuringRun: { placed: number; posted: number; postedWithinMinuteAfter: number; deliveredAbout: number };
  /** The worker's task queue during the run: where the load queued, and how long its oldest task waited. */
  backlogDuringRun: { workflow: BacklogPeak; activity: BacklogPeak; samples: number };
  /**
   * How late the bench sent its requests (both streams) against their schedule, ms: near 0 when
   * the bench kept the offered rate; large when the bench process itself was starved, and then the
   * latencies are partly its own.
   */
  sendLateMs: Distribution;
  how: string;
} & (({ floor: AckStream; floorEndpoint: string } & AckVerdict) | { floor?: undefined });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Webhook acknowledgement latency at a fixed offered rate, open loop (delivery i sent at i/rate s
 * whatever the earlier answers, as a store's burst does not wait): BigCommerce
 * `store/order/updated` deliveries about orders already posted, each its own delivery (`hash`),
 * with the tenant's secret header and signed as the store signs them (`webhook-signature` under
 * the client secret), so each is authenticated, recorded and then signals its order's running
 * OrderToCash, which re-reads the order. Meanwhile new orders are placed at `ordersPerSecond`
 * and later deliveries are about them too, so the orders behind the webhooks keep posting while
 * the API answers (and a run started with one posted order does not aim every signal at one
 * workflow).
 *
 * With `floor`, request i of the floor (`POST /bench/ack-floor/{tenantId}`, only the same
 * Temporal call) is sent half a period after delivery i, about the same order: both streams
 * share the run's machine, second by second, and the receiver's p99 is judged against the
 * floor's (`ackVerdict`).
 */
export async function runWebhookAckBench(stack: ProcessStack, options: WebhookAckOptions): Promise<WebhookAckFigures> {
  const tenantId = stack.tenant('bigcommerce');
  const webhook = await loadCredentials(stack.db, stack.cipher, tenantId, 'webhook');
  const secret = webhook?.secrets.at(-1)?.secret;
  if (secret === undefined) throw new Error(`tenant ${tenantId} has no webhook secret (were its webhooks registered?)`);
  if (options.orderIds.length === 0) throw new Error('the webhook acknowledgement bench needs posted orders to send callbacks about');

  const scope = 'store/order/updated';
  const receiverUrl = `${stack.apiUrl}/webhooks/bigcommerce/${tenantId}`;
  const floorUrl = `${stack.apiUrl}${benchAckFloorPath}/${tenantId}`;
  const run = randomUUID().slice(0, 8);
  const total = options.rate * options.durationSeconds;
  // Deliveries cycle over the orders known when each is sent; the floor's request i names delivery i's order.
  const targets = [...options.orderIds];
  const orderOfDelivery: string[] = [];
  const orderOf = (index: number) => (orderOfDelivery[index] ??= targets[index % targets.length]!);

  const timed = async (url: string, headers: Record<string, string>, body: string): Promise<AckAttempt> => {
    const startedAt = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      return { status: response.status, latencyMs: performance.now() - startedAt };
    } catch (error) {
      return { status: undefined, latencyMs: performance.now() - startedAt, failure: failureOf(error) };
    }
  };
  const deliver = (index: number) => {
    const hash = `ack-${run}-${index}`;
    const body = JSON.stringify({
      scope,
      store_id: '1000001',
      data: { type: 'order', id: Number(orderOf(index)) },
      hash,
      created_at: Math.floor(Date.now() / 1000),
      producer: 'stores/demostore',
    });
    const signed = signatureHeaders(sandboxCredentials.bigcommerce.clientSecret, hash, Math.floor(Date.now() / 1000), body);
    return timed(receiverUrl, { 'content-type': 'application/json', 'x-webhook-secret': secret, ...signed }, body);
  };
  const floorRequest = (index: number) =>
    timed(floorUrl, { 'content-type': 'application/json' }, JSON.stringify({ orderId: orderOf(index) }));

  // The orders placed during the run are the OrderToCash runs started since it began (a delivery about a posted order signals its running workflow).
  const runStartedAt = new Date().toISOString();
  const syncedQuery = `WorkflowType = 'orderToCash' AND TenantId = '${tenantId}' AND SyncState = 'synced' AND StartTime >= '${runStartedAt}'`;
  const backlogs = sampleBacklogs(stack.client, stack.config.temporal.namespace, stack.config.temporal.taskQueue);
  options.log?.(
    `webhook acknowledgement: ${total} deliveries at ${options.rate}/s${options.floor ? ` and as many floor requests, interleaved` : ''}; ${options.ordersPerSecond} orders/s placed meanwhile`,
  );
  const origin = performance.now();
  const lateness: number[] = [];
  const at = async <T>(offsetMs: number, send: () => Promise<T>): Promise<T> => {
    const wait = origin + offsetMs - performance.now();
    if (wait > 0) await pause(wait);
    return send();
  };
  const periodMs = 1000 / options.rate;
  const late = (offsetMs: number) => lateness.push(performance.now() - origin - offsetMs);
  const receiverAttempts = Promise.all(
    Array.from({ length: total }, (_, index) =>
      at(index * periodMs, () => {
        late(index * periodMs);
        return deliver(index);
      }),
    ),
  );
  const floorAttempts = options.floor
    ? Promise.all(
        Array.from({ length: total }, (_, index) =>
          at((index + 0.5) * periodMs, () => {
            late((index + 0.5) * periodMs);
            return floorRequest(index);
          }),
        ),
      )
    : undefined;
  // Placed as checkouts (no store quota spent); the store's own webhooks start their workflows.
  // A checkout the loaded sandbox drops (its socket closed under the burst) is counted, not fatal:
  // these orders only keep the worker busy while the acknowledgements are measured.
  const orders = Math.floor(options.ordersPerSecond * options.durationSeconds);
  const checkoutFailures: Record<string, number> = {};
  const placed = Promise.all(
    Array.from({ length: orders }, (_, index) =>
      at((index * 1000) / options.ordersPerSecond, () =>
        stack.bigCommerce('POST', '/_control/checkout/v2/orders', benchOrderBody(10_000 + index)),
      ).then(
        (answer) => {
          if (answer.status !== 201) {
            checkoutFailures[String(answer.status)] = (checkoutFailures[String(answer.status)] ?? 0) + 1;
            return false;
          }
          targets.push(String((answer.body as { id: number }).id));
          return true;
        },
        (error: unknown) => {
          const failure = failureOf(error);
          checkoutFailures[failure] = (checkoutFailures[failure] ?? 0) + 1;
          return false;
        },
      ),
    ),
  );
  const [receiverRun, floorRun, placedRun] = await Promise.all([receiverAttempts, floorAttempts, placed]);
  const posted = (await stack.client.workflow.count(syncedQuery)).count;
  const backlogDuringRun = await backlogs.stop();
  const placedCount = placedRun.filter(Boolean).length;
  // How far behind posting was when the storm ended: the same orders a minute later.
  let postedWithinMinuteAfter = posted;
  const minuteAfter = performance.now() + 60_000;
  while (postedWithinMinuteAfter < placedCount && performance.now() < minuteAfter) {
    await pause(2_000);
    postedWithinMinuteAfter = (await stack.client.workflow.count(syncedQuery)).count;
  }

  const receiver = ackStream(receiverRun);
  const common = {
    endpoint: 'POST /webhooks/bigcommerce/{tenantId}',
    scope,
    offeredRate: options.rate,
    durationSeconds: options.durationSeconds,
    receiver,
    ordersDuringRun: {
      placed: placedCount,
      notPlaced: checkoutFailures,
      posted,
      postedWithinMinuteAfter,
      deliveredAbout: new Set(orderOfDelivery).size,
    },
    backlogDuringRun,
    sendLateMs: distribution(lateness),
  };
  const how =
    'open loop: delivery i sent at i/rate s whatever the earlier answers, each a new hash about one of the orders known when it is sent (the posted ones, then also those placed during the run; cycling), with the secret header and a webhook-signature; latency = send → answer in the bench process, 30 s timeout (then `failed: TimeoutError`; other `failed: {code}` are connections refused, reset or not established); ordersDuringRun: checkouts placed at the given rate during the run, posted = OrderToCash runs started during it that reached SyncState synced by its end (postedWithinMinuteAfter: by a minute after it); backlogDuringRun: the worker task queue: largest workflow and activity backlogs and oldest task ages, sampled every 2 s';
  if (floorRun === undefined) return { ...common, how };
  const floor = ackStream(floorRun);
  return {
    ...common,
    floorEndpoint: `POST ${benchAckFloorPath}/{tenantId}`,
    floor,
    ...ackVerdict(receiver, floor),
    how: `${how}; floor: request i sent (i + 0.5)/rate s, about the same order as delivery i, to a route of the same API process doing only the signal-with-start the dispatch makes for that delivery (a workflow type and task queue no worker runs, no database); p99Ratio = receiver p99 ÷ floor p99; goal: every delivery answered 2xx and p99Ratio ≤ 2 (a floor request that failed counts at the time it took: it was not accepted sooner)`,
  };
}

/** A failed fetch by what failed under it: the socket's code (ECONNRESET, UND_ERR_SOCKET), else the error's name (TimeoutError). */
function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return cause?.code ?? cause?.name ?? (error as Error).name;
}
