import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { loadCredentials } from '../../store/credentials.js';
import type { ProcessStack } from '../support/process-stack.js';
import { round } from './stats.js';

export interface WebhookAckOptions {
  /** Requests per second across all connections. */
  rate: number;
  durationSeconds: number;
  connections: number;
  /** Existing orders the callbacks are about (each delivery signals that order's running workflow). */
  orderIds: readonly string[];
}

export interface WebhookAckFigures {
  endpoint: string;
  scope: string;
  rate: number;
  durationSeconds: number;
  connections: number;
  /** Requests answered or failed (autocannon's own `sent` over-counts its first round with a fixed rate). */
  requestsSent: number;
  /** Answered requests per second over the run (the rate actually achieved). */
  achievedRate: number;
  responses2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/**
 * Webhook acknowledgement latency at a fixed rate, measured with autocannon: BigCommerce
 * `store/order/updated` callbacks for orders the bench already posted, each a distinct delivery
 * (its own `hash`) carrying the tenant's secret header as BigCommerce sends it. Every one is
 * authenticated, recorded and signals its order's running OrderToCash (which then re-reads the
 * order), so the API answers while the worker does the work those signals cause.
 */
export async function runWebhookAckBench(stack: ProcessStack, options: WebhookAckOptions): Promise<WebhookAckFigures> {
  const tenantId = stack.tenant('bigcommerce');
  const webhook = await loadCredentials(stack.db, stack.cipher, tenantId, 'webhook');
  const secret = webhook?.secrets.at(-1)?.secret;
  if (secret === undefined) throw new Error(`tenant ${tenantId} has no webhook secret (were its webhooks registered?)`);
  if (options.orderIds.length === 0) throw new Error('the webhook acknowledgement bench needs posted orders to send callbacks about');

  const scope = 'store/order/updated';
  const path = `/webhooks/bigcommerce/${tenantId}`;
  let sequence = 0;
  const result = await autocannon({
    url: stack.apiUrl,
    connections: options.connections,
    overallRate: options.rate,
    duration: options.durationSeconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (request) => {
          const orderId = options.orderIds[sequence % options.orderIds.length]!;
          sequence += 1;
          const body = JSON.stringify({
            scope,
            store_id: '1000001',
            data: { type: 'order', id: Number(orderId) },
            hash: randomUUID().replaceAll('-', ''),
            created_at: Math.floor(Date.now() / 1000),
            producer: 'stores/demostore',
          });
          return { ...request, headers: { 'content-type': 'application/json', 'x-webhook-secret': secret }, body };
        },
      },
    ],
  });
  return {
    endpoint: `POST /webhooks/bigcommerce/{tenantId}`,
    scope,
    rate: options.rate,
    durationSeconds: options.durationSeconds,
    connections: options.connections,
    requestsSent: result.requests.total + result.errors,
    achievedRate: round(result.requests.total / result.duration, 1),
    responses2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.mean, 2),
    },
  };
}
