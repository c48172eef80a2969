import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventRecord, WebhookEndpointRecord } from './model.js';
import { renderEvent } from './render.js';

/**
 * Stripe retries a failed delivery for up to three days with exponential back-off; this is that
 * shape (immediately, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, 24 h).
 */
export const realRetryScheduleMs = [0, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000, 86_400_000];

/** The sandbox's default: the real schedule a thousand times faster. */
export const compressedRetryScheduleMs = realRetryScheduleMs.map((delay) => delay / 1000);

const attemptTimeoutMs = 15_000;

/** A new endpoint secret, `whsec_` and 32 random characters. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * The `Stripe-Signature` header as Stripe documents it: `t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<payload>" keyed with the endpoint secret>`.
 */
export function stripeSignature(secret: string, timestamp: number, payload: string): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export interface DeliveryAttempt {
  at: string;
  status: number | undefined;
  error: string | undefined;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
}

/** Deliberate misbehaviour, for receiver tests. */
export interface DeliveryBehaviour {
  /** Independent deliveries of every event to every endpoint (1: the normal single one). */
  copies: number;
  /** Sign with a secret nobody has. */
  badSignature: boolean;
  /** Shift the signed timestamp by this many seconds (stale or future deliveries). */
  timestampSkewSeconds: number;
}

export const defaultDeliveryBehaviour: DeliveryBehaviour = { copies: 1, badSignature: false, timestampSkewSeconds: 0 };

/**
 * Signed event delivery to webhook endpoints: each event goes to every enabled endpoint that
 * listens for its type (or `*`), as a POST of the event JSON with `Stripe-Signature`; anything
 * but a 2xx answer is retried on the schedule until it runs out.
 */
export class WebhookDeliveries {
  readonly deliveries: Delivery[] = [];
  behaviour: DeliveryBehaviour = { ...defaultDeliveryBehaviour };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private stopped = false;

  constructor(
    private readonly endpoints: () => WebhookEndpointRecord[],
    private readonly scheduleMs: readonly number[],
    private readonly nowSeconds: () => number,
    private readonly logger: Logger | undefined,
  ) {}

  /** Fans an event out; delivery runs in the background. `copies` overrides the behaviour's. */
  publish(event: EventRecord, copies = this.behaviour.copies): Delivery[] {
    const listening = this.endpoints().filter(
      (endpoint) => endpoint.status === 'enabled' && (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(event.type)),
    );
    const made: Delivery[] = [];
    for (const endpoint of listening) {
      const body = JSON.stringify(renderEvent(event, endpoint.apiVersion, listening.length), null, 2);
      for (let copy = 0; copy < copies; copy += 1) {
        const delivery: Delivery = {
          id: `dlv_${randomBytes(8).toString('hex')}`,
          eventId: event.id,
          eventType: event.type,
          endpointId: endpoint.id,
          url: endpoint.url,
          body,
          state: 'pending',
          attempts: [],
        };
        this.deliveries.push(delivery);
        made.push(delivery);
        this.schedule(delivery, endpoint, this.scheduleMs[0] ?? 0);
      }
    }
    return made;
  }

  /** Stops every pending retry and in-flight attempt, for good. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private schedule(delivery: Delivery, endpoint: WebhookEndpointRecord, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, endpoint);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery, endpoint: WebhookEndpointRecord): Promise<void> {
    if (!this.endpoints().includes(endpoint) || endpoint.status !== 'enabled') {
      delivery.state = 'failed';
      return;
    }
    const timestamp = this.nowSeconds() + this.behaviour.timestampSkewSeconds;
    const secret = this.behaviour.badSignature ? newEndpointSecret() : endpoint.secret;
    const attempt: DeliveryAttempt = { at: new Date().toISOString(), status: undefined, error: undefined };
    delivery.attempts.push(attempt);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error('timed out')), attemptTimeoutMs);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': stripeSignature(secret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      attempt.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.stopped) return;
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      delivery.state = 'delivered';
      return;
    }
    const next = this.scheduleMs[delivery.attempts.length];
    if (next === undefined) {
      delivery.state = 'failed';
      this.logger?.warn({ endpointId: endpoint.id, eventId: delivery.eventId }, 'stripe sandbox: retries exhausted');
      return;
    }
    this.schedule(delivery, endpoint, next);
  }
}
