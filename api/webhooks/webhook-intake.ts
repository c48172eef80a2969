import type { Logger } from '../../config/logger.js';
import { webhookDeliveryId } from '../../store/webhook-deliveries.js';
import { StoreDeadline } from './delivery-acceptance.js';
import type { StorefrontEvent, UndispatchedDeliveries, WebhookIntake, WorkflowDispatcher } from './ports.js';

/** The default of {@link WebhookIntakeOptions.databaseTimeoutMs}. */
export const intakeDatabaseTimeoutMs = 10_000;

export interface WebhookIntakeOptions {
  /** Dispatches (Temporal calls) in flight at once. Default 16. */
  concurrency?: number;
  /**
   * How long a record may stay `received` before the sweep takes it for abandoned and dispatches
   * it. Default 60 s: far above a dispatch queued behind a burst, so a live process's queue is
   * not dispatched twice by another process's sweep (which would cost one extra signal, never a
   * second workflow: dispatch is signal-with-start under "use existing").
   */
  abandonedAfterMs?: number;
  /** How often the sweep runs after the first one, at start. Default 15 s. */
  sweepEveryMs?: number;
  /**
   * How long one database call (a sweep's read, a batch of marks) is waited for. Default 10 s
   * ({@link intakeDatabaseTimeoutMs}): a call that hangs on a starved database must not wedge
   * the sweep or keep events pending.
   */
  databaseTimeoutMs?: number;
  /**
   * How long after a change is dispatched the next delivery about the same change waits, joined
   * by any that follow meanwhile. Default 10 s: a store replaying its backlog or another app
   * touching every order sends update after update about each order, and each signal costs its
   * workflow a task and Temporal a write while new orders wait behind them; one signal per order
   * per 10 s answers all of them. A first delivery about a change, and every other topic, goes at
   * once. 0: no spacing.
   */
  sameChangeSpacingMs?: number;
  /** Records one sweep takes at most. Default 500. */
  sweepBatch?: number;
  /** Dispatched deliveries marked per call of `markDispatched` at most (each within `databaseTimeoutMs`). Default 100. */
  markBatch?: number;
  /**
   * Events held in memory at most; past that, recorded deliveries wait for the sweep. Bounds the
   * API's memory whatever the burst. Default 10,000.
   */
  maxQueued?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * The deferred half of the fast acknowledgement: the receiver records a delivery (one database
 * write, the durable step) and answers; this dispatches the event afterwards and marks the
 * record `dispatched`, in batches. The hot path thus costs one insert instead of an insert, a
 * Temporal call and an update, and BigCommerce's 5 s timeout no longer depends on Temporal.
 *
 * Nothing acknowledged depends on this process living: an event is in the log before its 200,
 * and `sweep` (run at start and every `sweepEveryMs`, by every API process) dispatches records
 * left `received` for longer than `abandonedAfterMs` — a process killed between an answer and its
 * dispatch, a failed dispatch, a mark that did not land. Dispatching twice cannot start a second
 * workflow (business-key ids, signal-with-start under "use existing"); it signals once more.
 * The price: a delivery's workflow starts a moment after its 200 rather than before it, and up
 * to `abandonedAfterMs` plus a sweep after it when the process dies or Temporal is down.
 */
export class WebhookIntakeQueue implements WebhookIntake {
  /** Each queued change once, oldest first (see {@link sameChange}); its deliveries in `waiting`. */
  private readonly queue: string[] = [];
  /** The deliveries queued for each change: dispatched as one, each marked. */
  private readonly waiting = new Map<string, StorefrontEvent[]>();
  /** When each change was last dispatched, oldest first: changes dispatched within `sameChangeSpacingMs`. */
  private readonly lastDispatched = new Map<string, number>();
  /** Changes waiting out their spacing, with the timer that queues them. */
  private readonly spaced = new Map<string, NodeJS.Timeout>();
  private queued = 0;
  /** Keys of events queued, dispatching or awaiting their mark: the sweep leaves them alone. */
  private readonly pending = new Set<string>();
  private readonly toMark: StorefrontEvent[] = [];
  private active = 0;
  private marking: Promise<void> | undefined;
  private sweeping: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly concurrency: number;
  private readonly abandonedAfterMs: number;
  private readonly sweepEveryMs: number;
  private readonly sweepBatch: number;
  private readonly databaseTimeoutMs: number;
  private readonly markBatch: number;
  private readonly maxQueued: number;
  private readonly sameChangeSpacingMs: number;
  private readonly now: () => number;

  constructor(
    private readonly dispatcher: WorkflowDispatcher,
    private readonly deliveries: UndispatchedDeliveries,
    private readonly options: WebhookIntakeOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.abandonedAfterMs = options.abandonedAfterMs ?? 60_000;
    this.sweepEveryMs = options.sweepEveryMs ?? 15_000;
    this.sweepBatch = options.sweepBatch ?? 500;
    this.databaseTimeoutMs = options.databaseTimeoutMs ?? intakeDatabaseTimeoutMs;
    this.markBatch = options.markBatch ?? 100;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.sameChangeSpacingMs = options.sameChangeSpacingMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Queues a recorded delivery's event for dispatch. One that finds the same change still
   * queued (a store sending update after update about one order faster than Temporal takes
   * them) joins it: they are dispatched as one signal and each is marked, so a burst about a few
   * orders costs their workflows one look each rather than one per delivery. Nothing is lost:
   * the signal leaves after every delivery it stands for was received, so the workflow's look
   * at the order sees all their changes. A change dispatched less than `sameChangeSpacingMs`
   * ago waits out the rest of that time, and what arrives meanwhile joins it.
   */
  accept(event: StorefrontEvent): void {
    const key = webhookDeliveryId(event);
    if (this.pending.has(key)) return;
    if (this.queued >= this.maxQueued) return;
    this.pending.add(key);
    this.queued += 1;
    const change = sameChange(event);
    const joined = this.waiting.get(change);
    if (joined !== undefined) {
      joined.push(event);
      return;
    }
    this.waiting.set(change, [event]);
    const dueIn = this.spacingLeft(change);
    if (dueIn > 0) {
      this.spaced.set(change, setTimeout(() => this.queueSpaced(change), dueIn).unref());
      return;
    }
    this.queue.push(change);
    this.pump();
  }

  /** How long `change` must still wait since its last dispatch; forgets dispatches older than the spacing. */
  private spacingLeft(change: string): number {
    const now = this.now();
    for (const [dispatched, at] of this.lastDispatched) {
      if (at + this.sameChangeSpacingMs > now) break;
      this.lastDispatched.delete(dispatched);
    }
    const at = this.lastDispatched.get(change);
    return at === undefined ? 0 : at + this.sameChangeSpacingMs - now;
  }

  private queueSpaced(change: string): void {
    clearTimeout(this.spaced.get(change));
    this.spaced.delete(change);
    this.queue.push(change);
    this.pump();
  }

  /** Runs the sweep now and then every `sweepEveryMs` until `stop`. */
  start(): this {
    const run = () => {
      void this.sweep().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(run, this.sweepEveryMs).unref();
      });
    };
    this.timer = setTimeout(run, 0).unref();
    return this;
  }

  /**
   * Stops the sweep and waits, up to `timeoutMs`, for what is queued to be dispatched and marked.
   * Whatever is left stays `received` in the log, for the next process's sweep.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Spacing only saves load: what waits out its spacing goes now.
    for (const change of [...this.spaced.keys()]) this.queueSpaced(change);
    const deadline = this.now() + timeoutMs;
    while ((this.pending.size > 0 || this.sweeping !== undefined) && this.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Events accepted and not yet dispatched and marked. */
  get backlog(): number {
    return this.pending.size;
  }

  /**
   * Queues every delivery left `received` for longer than `abandonedAfterMs` that this process
   * is not already dispatching; answers how many. Never overlaps itself; a failure is logged and
   * the next sweep tries again.
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.recoverAbandoned()
      .catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'webhook recovery sweep failed; the next one tries again');
        return 0;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async recoverAbandoned(): Promise<number> {
    const receivedBefore = new Date(this.now() - this.abandonedAfterMs);
    const abandoned = await new StoreDeadline(this.databaseTimeoutMs).wait(() =>
      this.deliveries.findUndispatched(receivedBefore, this.sweepBatch),
    );
    let recovered = 0;
    for (const event of abandoned) {
      if (this.pending.has(webhookDeliveryId(event))) continue;
      this.accept(event);
      recovered += 1;
    }
    if (recovered > 0)
      this.options.logger?.warn({ recovered }, 'webhook deliveries acknowledged but never dispatched; dispatching them now');
    return recovered;
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const change = this.queue.shift()!;
      const deliveries = this.waiting.get(change)!;
      this.waiting.delete(change);
      this.queued -= deliveries.length;
      this.active += 1;
      if (this.sameChangeSpacingMs > 0) {
        // Re-set, so the map stays in dispatch order (oldest first) for `spacingLeft`'s pruning.
        this.lastDispatched.delete(change);
        this.lastDispatched.set(change, this.now());
      }
      void this.dispatch(deliveries).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  /** Dispatches deliveries about one change as the latest of them, dated as the latest change among them, and marks them all. */
  private async dispatch(deliveries: readonly StorefrontEvent[]): Promise<void> {
    const latest = deliveries.at(-1)!;
    const occurredAt = deliveries.reduce((at, { occurredAt: next }) => (Date.parse(next) > Date.parse(at) ? next : at), latest.occurredAt);
    const event = { ...latest, occurredAt };
    try {
      await this.dispatcher.dispatch(event);
    } catch (error) {
      for (const delivery of deliveries) this.pending.delete(webhookDeliveryId(delivery));
      this.options.logger?.warn(
        {
          err: error,
          tenantId: event.tenantId,
          storefront: event.storefront,
          deliveryId: event.deliveryId,
          topic: event.topic,
          ...(deliveries.length > 1 && { deliveries: deliveries.length }),
        },
        'webhook event not dispatched; it stays received for the recovery sweep',
      );
      return;
    }
    this.toMark.push(...deliveries);
    this.markSoon();
  }

  /**
   * Starts marking unless a marking run is under way. A run that has left its loop but not yet
   * settled would strand what is pushed meanwhile, so each run that ends looks again.
   */
  private markSoon(): void {
    if (this.marking !== undefined) return;
    this.marking = this.markAll().finally(() => {
      this.marking = undefined;
      if (this.toMark.length > 0) this.markSoon();
    });
  }

  /** Marks dispatched events a batch per write until none is left; a failed write leaves its batch to the sweep. */
  private async markAll(): Promise<void> {
    while (this.toMark.length > 0) {
      const batch = this.toMark.splice(0, this.markBatch);
      try {
        await new StoreDeadline(this.databaseTimeoutMs).wait(() => this.deliveries.markDispatched(batch));
      } catch (error) {
        this.options.logger?.warn(
          { err: error, deliveries: batch.length },
          'webhook deliveries dispatched but not marked; the recovery sweep signals them once more',
        );
      }
      for (const event of batch) this.pending.delete(webhookDeliveryId(event));
    }
  }
}

/**
 * Deliveries that ask the same workflow the same thing: one tenant's storefront, one topic, one
 * entity. Their signals differ only in delivery id and time, which no workflow acts on.
 */
function sameChange(event: StorefrontEvent): string {
  return JSON.stringify([event.tenantId, event.storefront, event.topic, event.entity, event.entityId, event.orderId ?? null]);
}
