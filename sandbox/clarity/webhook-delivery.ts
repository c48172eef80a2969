import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { newWebhookSecret, signWebhook } from './webhook-signing.js';
import type { EventType } from './records.js';
import { seededRandom } from '../seeded-random.js';

/** The real schedule (Standard Webhooks' example): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const realRetryScheduleMs = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000];

/** The sandbox's default: the real schedule a thousand times faster (0 ms, 5 ms, 300 ms, 1.8 s, …). */
export const compressedRetryScheduleMs = realRetryScheduleMs.map((delay) => delay / 1000);

const rotationOverlapMs = 24 * 60 * 60 * 1000;
const attemptTimeoutMs = 15_000;

export interface Subscription {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  active: boolean;
  createdAt: string;
  clientId: string;
  secret: string;
  previousSecret: { secret: string; until: number } | undefined;
}

export interface Attempt {
  at: string;
  /** The request as sent, so tests can replay or inspect it. */
  headers: Record<string, string>;
  status: number | undefined;
  error: string | undefined;
}

export interface Delivery {
  deliveryId: string;
  eventId: string;
  eventType: EventType;
  webhookId: string;
  url: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Attempt[];
}

/** Deliberate misbehaviour of outgoing webhooks, for receiver tests. */
export interface WebhookBehaviour {
  /** Sign with a key nobody has. */
  badSignature: boolean;
  /** Shift `webhook-timestamp` by this many seconds (stale or future deliveries). */
  timestampSkewSeconds: number;
  /** Send every successful delivery a second time (at-least-once). */
  duplicate: boolean;
  /** Independent deliveries of every event to every endpoint (1 = the normal single one), each retried on its own. */
  copies: number;
  /** Each delivery starts after a seeded random delay below this (on top of the schedule's first step): events arrive out of order. */
  scatterMs: number;
  /** Seeds the delays, so a run can be repeated. */
  seed: number;
}

const defaultBehaviour: WebhookBehaviour = {
  badSignature: false,
  timestampSkewSeconds: 0,
  duplicate: false,
  copies: 1,
  scatterMs: 0,
  seed: 1,
};

/**
 * Webhook subscriptions and signed delivery: every event goes to each active endpoint
 * subscribed to its type, signed per Standard Webhooks with the endpoint's secret (and the
 * previous one during a rotation), retried on non-2xx or no answer on the retry schedule. 410
 * disables the endpoint, and so does exhausting the schedule; 429/502/504 with Retry-After
 * wait at least that long (scaled like the schedule).
 */
export class WebhookDeliveries {
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveries: Delivery[] = [];
  private behaviourNow: WebhookBehaviour = defaultBehaviour;
  private random: () => number = seededRandom(defaultBehaviour.seed);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private readonly timeScale: number;
  private stopped = false;

  constructor(
    private readonly scheduleMs: readonly number[],
    private readonly now: () => number,
    private readonly logger: Logger | undefined,
  ) {
    this.timeScale = scheduleMs.length > 1 && scheduleMs[1]! > 0 ? scheduleMs[1]! / realRetryScheduleMs[1]! : 1;
  }

  /** How deliveries misbehave on purpose (control API). */
  get behaviour(): WebhookBehaviour {
    return this.behaviourNow;
  }

  /** Replaces the behaviour; a new seed restarts the delays. */
  set behaviour(behaviour: WebhookBehaviour) {
    if (behaviour.seed !== this.behaviourNow.seed || behaviour.scatterMs !== this.behaviourNow.scatterMs)
      this.random = seededRandom(behaviour.seed);
    this.behaviourNow = behaviour;
  }

  subscribe(input: { url: string; events: EventType[]; description: string | null; clientId: string }): Subscription {
    const subscription: Subscription = {
      ...input,
      id: `wh_${randomBytes(8).toString('hex')}`,
      active: true,
      createdAt: new Date(this.now()).toISOString(),
      secret: newWebhookSecret(),
      previousSecret: undefined,
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  rotateSecret(subscription: Subscription): Subscription {
    subscription.previousSecret = { secret: subscription.secret, until: this.now() + rotationOverlapMs };
    subscription.secret = newWebhookSecret();
    return subscription;
  }

  /** Fans an event out to its subscribers; delivery runs in the background. */
  publish(type: EventType, data: Record<string, unknown>): string {
    const eventId = `evt_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({ id: eventId, type, timestamp: new Date(this.now()).toISOString(), data });
    for (const subscription of this.subscriptions.values()) {
      if (!subscription.active || !subscription.events.includes(type)) continue;
      const { copies, scatterMs } = this.behaviourNow;
      for (let copy = 0; copy < copies; copy += 1) {
        const delivery: Delivery = {
          deliveryId: `dlv_${randomBytes(6).toString('hex')}`,
          eventId,
          eventType: type,
          webhookId: subscription.id,
          url: subscription.url,
          body,
          state: 'pending',
          attempts: [],
        };
        this.deliveries.push(delivery);
        const scatter = scatterMs === 0 ? 0 : Math.floor(this.random() * scatterMs);
        this.schedule(delivery, subscription, (this.scheduleMs[0] ?? 0) + scatter);
      }
    }
    return eventId;
  }

  /** Stops every pending retry and in-flight attempt, for good (reset builds a new instance). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private schedule(delivery: Delivery, subscription: Subscription, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, subscription);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery, subscription: Subscription, isDuplicate = false): Promise<void> {
    if (!subscription.active || !this.subscriptions.has(subscription.id)) {
      delivery.state = 'failed';
      return;
    }
    const timestamp = Math.floor(this.now() / 1000) + this.behaviour.timestampSkewSeconds;
    const secrets = this.behaviour.badSignature ? [newWebhookSecret()] : this.signingSecrets(subscription);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Clarity-Webhooks/1.0',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secrets, delivery.eventId, timestamp, delivery.body),
    };
    const attempt: Attempt = { at: new Date(this.now()).toISOString(), headers, status: undefined, error: undefined };
    delivery.attempts.push(attempt);
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error('timed out')), attemptTimeoutMs);
    let retryAfterMs = 0;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      attempt.status = response.status;
      const retryAfter = response.headers.get('retry-after');
      if ([429, 502, 504].includes(response.status) && retryAfter !== null && /^\d+$/.test(retryAfter))
        retryAfterMs = Number(retryAfter) * 1000 * this.timeScale;
      await response.body?.cancel();
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.stopped || isDuplicate) return;
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      delivery.state = 'delivered';
      if (this.behaviour.duplicate) void this.attempt(delivery, subscription, true);
      return;
    }
    if (attempt.status === 410) {
      subscription.active = false;
      delivery.state = 'failed';
      this.logger?.warn({ webhookId: subscription.id }, 'endpoint answered 410: disabled');
      return;
    }
    const next = this.scheduleMs[delivery.attempts.length];
    if (next === undefined) {
      subscription.active = false;
      delivery.state = 'failed';
      this.logger?.warn({ webhookId: subscription.id, eventId: delivery.eventId }, 'retry schedule exhausted: endpoint disabled');
      return;
    }
    this.schedule(delivery, subscription, Math.max(next, retryAfterMs));
  }

  private signingSecrets(subscription: Subscription): string[] {
    const previous = subscription.previousSecret;
    return previous !== undefined && previous.until > this.now() ? [subscription.secret, previous.secret] : [subscription.secret];
  }
}
