import { createHash, createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Hook } from './model.js';
import { seededRandom } from '../seeded-random.js';

/** BigCommerce's documented retry delays after a failed delivery, about 48 hours in all. */
export const realRetryScheduleMs = [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400].map((seconds) => seconds * 1000);

/** The same schedule compressed a thousandfold (60 ms … 86.4 s), the sandbox's default. */
export const compressedRetryScheduleMs = realRetryScheduleMs.map((ms) => ms / 1000);

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

/** One event for one hook, with every attempt so far (exposed by the control API). */
export interface DeliveryRecord {
  hookId: number;
  scope: string;
  hash: string;
  destination: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  /** The event's `data` (what it is about, e.g. `{type: 'order', id}`). */
  data?: Record<string, unknown>;
  /** Which copy of the event this is (0 = the first), when the store sends it more than once. */
  copy?: number;
}

/**
 * How many times the store sends each event and how far apart: what a real store does under
 * load and retries (at-least-once, no order). The default is one send, at once.
 */
export interface DeliveryBehaviour {
  /** Independent deliveries of every event to every matching hook, each retried on its own. */
  copies: number;
  /** Each delivery starts after a random delay below this, so events about one order arrive out of order. */
  scatterMs: number;
  /** Seeds the delays, so a run can be repeated. */
  seed: number;
}

export const defaultDeliveryBehaviour: DeliveryBehaviour = { copies: 1, scatterMs: 0, seed: 1 };

export interface WebhookDeliveryOptions {
  storeHash: string;
  storeId: string;
  /** The API account's client secret: its UTF-8 bytes key the Standard Webhooks signature. */
  clientSecret: string;
  retryScheduleMs: number[];
  timeoutMs: number;
  logger?: Logger | undefined;
}

/**
 * Delivers events to matching active hooks the way BigCommerce does: a thin JSON envelope,
 * the hook's custom headers, success only on 2xx, retries on the schedule, and the hook
 * deactivated once the last retry fails.
 */
export class WebhookDelivery {
  private readonly records: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private sequence = 0;
  private behaviourNow: DeliveryBehaviour = defaultDeliveryBehaviour;
  private random: () => number = seededRandom(defaultDeliveryBehaviour.seed);
  /** Bumped by reset and close, so deliveries started before them stop retrying. */
  private generation = 0;

  constructor(
    private readonly hooks: () => Hook[],
    private readonly options: WebhookDeliveryOptions,
  ) {}

  publish(scope: string, data: Record<string, unknown>): void {
    const createdAt = Math.floor(Date.now() / 1000);
    this.sequence += 1;
    // The same event keeps the same hash across retries; distinct events get distinct hashes.
    const hash = createHash('sha1')
      .update(JSON.stringify({ scope, data, createdAt, sequence: this.sequence }))
      .digest('hex');
    const body = JSON.stringify({
      scope,
      store_id: this.options.storeId,
      data,
      hash,
      created_at: createdAt,
      producer: `stores/${this.options.storeHash}`,
    });
    for (const hook of this.hooks()) {
      if (!hook.isActive || !scopeMatches(hook.scope, scope)) continue;
      const { copies, scatterMs } = this.behaviourNow;
      for (let copy = 0; copy < copies; copy += 1) {
        const record: DeliveryRecord = {
          hookId: hook.id,
          scope,
          hash,
          destination: hook.destination,
          state: 'pending',
          attempts: [],
          data,
          ...(copies > 1 && { copy }),
        };
        this.records.push(record);
        if (scatterMs === 0) {
          void this.attempt(hook, record, body);
          continue;
        }
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            void this.attempt(hook, record, body);
          },
          Math.floor(this.random() * scatterMs),
        );
        this.timers.add(timer);
      }
    }
  }

  /** The current send behaviour (control API). */
  get behaviour(): DeliveryBehaviour {
    return this.behaviourNow;
  }

  /** Changes how events are sent from now on (control API); the seed restarts the delays. */
  configure(behaviour: Partial<DeliveryBehaviour>): DeliveryBehaviour {
    this.behaviourNow = { ...this.behaviourNow, ...behaviour };
    this.random = seededRandom(this.behaviourNow.seed);
    return this.behaviourNow;
  }

  deliveries(): DeliveryRecord[] {
    return this.records;
  }

  /** Forgets past deliveries and cancels pending retries (control reset). */
  reset(): void {
    this.cancel();
    this.records.length = 0;
    this.configure(defaultDeliveryBehaviour);
  }

  close(): void {
    this.cancel();
  }

  private cancel(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async attempt(hook: Hook, record: DeliveryRecord, body: string): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const attempt: DeliveryAttempt = { at: new Date().toISOString() };
    try {
      const signature = signatureHeaders(this.options.clientSecret, record.hash, Math.floor(Date.now() / 1000), body);
      const headers = { ...hook.headers, ...signature, 'Content-Type': 'application/json', 'User-Agent': 'BigCommerce-Webhooks-Sandbox' };
      const response = await fetch(hook.destination, { method: 'POST', headers, body, signal: controller.signal });
      await response.body?.cancel();
      attempt.status = response.status;
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    record.attempts.push(attempt);
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      record.state = 'delivered';
      return;
    }
    if (generation !== this.generation) return;
    const delay = this.options.retryScheduleMs[record.attempts.length - 1];
    if (delay === undefined) {
      record.state = 'failed';
      hook.isActive = false;
      this.options.logger?.info({ hookId: hook.id, scope: record.scope }, 'webhook retries exhausted: hook deactivated');
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(hook, record, body);
    }, delay);
    this.timers.add(timer);
  }
}

/**
 * The Standard Webhooks headers BigCommerce's newer documentation describes: an HMAC-SHA256
 * over `{id}.{timestamp}.{body}` keyed by the client secret's bytes, sent as `v1,<base64>`.
 * The id stays the same across retries; the timestamp is the attempt's.
 */
export function signatureHeaders(clientSecret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const signature = createHmac('sha256', Buffer.from(clientSecret, 'utf8')).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

/** A hook's scope matches exactly or through a trailing wildcard (`store/order/*`). */
export function scopeMatches(hookScope: string, eventScope: string): boolean {
  if (hookScope === eventScope) return true;
  return hookScope.endsWith('/*') && eventScope.startsWith(hookScope.slice(0, -1));
}
