import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome, StorefrontEvent, UndispatchedDeliveries, WorkflowDispatcher } from '../../../api/webhooks/ports.js';
import { WebhookIntakeQueue } from '../../../api/webhooks/webhook-intake.js';

const update = (
  orderId: string,
  deliveryId: string,
  occurredAt = '2026-12-01T10:00:00Z',
  topic = 'store/order/updated',
): StorefrontEvent => ({
  tenantId: 'acme',
  storefront: 'bigcommerce',
  topic,
  entity: 'order',
  entityId: orderId,
  deliveryId,
  occurredAt,
});

/** A dispatcher that holds every call until released, so deliveries can queue behind the ones in flight. */
function heldDispatcher() {
  const dispatched: StorefrontEvent[] = [];
  let release!: () => void;
  let released = new Promise<void>((resolve) => (release = resolve));
  let failNext = false;
  const dispatcher: WorkflowDispatcher = {
    async dispatch(event): Promise<DispatchOutcome> {
      await released;
      if (failNext) {
        failNext = false;
        throw new Error('Temporal is down');
      }
      dispatched.push(event);
      return 'signalled';
    },
  };
  return {
    dispatcher,
    dispatched,
    release: () => release(),
    hold: () => (released = new Promise<void>((resolve) => (release = resolve))),
    failNextDispatch: () => (failNext = true),
  };
}

function deliveryLog() {
  const marked: string[] = [];
  const log: UndispatchedDeliveries = {
    findUndispatched: () => Promise.resolve([]),
    markDispatched: (events) => (marked.push(...events.map((event) => event.deliveryId)), Promise.resolve()),
  };
  return { log, marked };
}

describe('webhook intake: deliveries about the same change queued together are dispatched as one', () => {
  it('when updates about one order queue behind a slow dispatch, then one signal goes for them, dated as the latest, and every delivery is marked', async () => {
    const held = heldDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(held.dispatcher, log, { concurrency: 1 });
    intake.accept(update('100', 'd-1'));
    // Queued while d-1 is in flight: these three ask the same thing of order 100's workflow.
    intake.accept(update('100', 'd-2', '2026-12-01T10:00:05Z'));
    intake.accept(update('100', 'd-3', '2026-12-01T10:00:09Z'));
    intake.accept(update('100', 'd-4', '2026-12-01T10:00:07Z'));
    expect(intake.backlog).toBe(4);
    held.release();
    await intake.stop();
    expect(held.dispatched.map(({ deliveryId, occurredAt }) => [deliveryId, occurredAt])).toEqual([
      ['d-1', '2026-12-01T10:00:00Z'],
      ['d-4', '2026-12-01T10:00:09Z'],
    ]);
    expect(marked.sort()).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
    expect(intake.backlog).toBe(0);
  });

  it('when the queued deliveries are about other orders or other topics, then each is dispatched on its own, and each marked even when its dispatch ends as a marking run settles', async () => {
    const held = heldDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(held.dispatcher, log, { concurrency: 1 });
    intake.accept(update('100', 'd-1'));
    intake.accept(update('101', 'd-2'));
    intake.accept(update('100', 'd-3', undefined, 'store/order/transaction/created'));
    intake.accept({ ...update('100', 'd-4'), tenantId: 'other-tenant' });
    held.release();
    await intake.stop();
    expect(held.dispatched.map((event) => event.deliveryId)).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
    expect(marked).toEqual(['d-1', 'd-2', 'd-3', 'd-4']);
  });

  it('when the one dispatch for several deliveries fails, then none is marked and each can be taken again (by the sweep)', async () => {
    const held = heldDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(held.dispatcher, log, { concurrency: 1 });
    intake.accept(update('200', 'd-0'));
    intake.accept(update('100', 'd-1'));
    intake.accept(update('100', 'd-2'));
    held.failNextDispatch();
    held.release();
    await intake.stop();
    expect(held.dispatched.map((event) => event.deliveryId)).toEqual(['d-2']);
    // d-0's dispatch failed; d-1 and d-2 went as one.
    expect(marked).toEqual(['d-1', 'd-2']);
    intake.accept(update('200', 'd-0'));
    await intake.stop();
    expect(marked).toEqual(['d-1', 'd-2', 'd-0']);
  });

  it('when the queue holds its most, then a further delivery is left to the sweep, joined or not', async () => {
    const held = heldDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(held.dispatcher, log, { concurrency: 1, maxQueued: 2 });
    intake.accept(update('100', 'd-1'));
    // d-1 is in flight; d-2 and d-3 fill the queue, d-4 finds it full.
    intake.accept(update('100', 'd-2'));
    intake.accept(update('100', 'd-3'));
    intake.accept(update('100', 'd-4'));
    expect(intake.backlog).toBe(3);
    held.release();
    await intake.stop();
    expect(held.dispatched.map((event) => event.deliveryId)).toEqual(['d-1', 'd-3']);
    expect(marked).toEqual(['d-1', 'd-2', 'd-3']);
  });
});

describe('webhook intake: a change dispatched a moment ago waits out its spacing', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-12-01T10:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  /** A dispatcher that answers at once, noting when (fake clock, ms since the start) each event went. */
  function recordingDispatcher() {
    const startedAt = Date.now();
    const dispatched: Array<{ deliveryId: string; atMs: number }> = [];
    const dispatcher: WorkflowDispatcher = {
      dispatch: (event) => (dispatched.push({ deliveryId: event.deliveryId, atMs: Date.now() - startedAt }), Promise.resolve('signalled')),
    };
    return { dispatcher, dispatched };
  }

  it('when updates about one order follow its first within the spacing, then they go as one signal when it ends, and each is marked', async () => {
    const { dispatcher, dispatched } = recordingDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(dispatcher, log, { sameChangeSpacingMs: 10_000 });
    intake.accept(update('100', 'd-1'));
    await vi.advanceTimersByTimeAsync(1_000);
    intake.accept(update('100', 'd-2'));
    await vi.advanceTimersByTimeAsync(3_000);
    intake.accept(update('100', 'd-3'));
    await vi.advanceTimersByTimeAsync(5_900);
    expect(dispatched).toEqual([{ deliveryId: 'd-1', atMs: 0 }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(dispatched).toEqual([
      { deliveryId: 'd-1', atMs: 0 },
      { deliveryId: 'd-3', atMs: 10_000 },
    ]);
    expect(marked).toEqual(['d-1', 'd-2', 'd-3']);
    expect(intake.backlog).toBe(0);
  });

  it("when deliveries about other orders or topics arrive during one order's spacing, or the spacing has passed, then they go at once", async () => {
    const { dispatcher, dispatched } = recordingDispatcher();
    const { log } = deliveryLog();
    const intake = new WebhookIntakeQueue(dispatcher, log, { sameChangeSpacingMs: 10_000 });
    intake.accept(update('100', 'd-1'));
    await vi.advanceTimersByTimeAsync(2_000);
    intake.accept(update('101', 'd-2'));
    intake.accept(update('100', 'd-3', undefined, 'store/order/statusUpdated'));
    await vi.advanceTimersByTimeAsync(9_000);
    intake.accept(update('100', 'd-4'));
    await vi.advanceTimersByTimeAsync(0);
    expect(dispatched).toEqual([
      { deliveryId: 'd-1', atMs: 0 },
      { deliveryId: 'd-2', atMs: 2_000 },
      { deliveryId: 'd-3', atMs: 2_000 },
      { deliveryId: 'd-4', atMs: 11_000 },
    ]);
  });

  it('when the intake stops during a spacing, then what waits is dispatched at once rather than left to the sweep', async () => {
    const { dispatcher, dispatched } = recordingDispatcher();
    const { log, marked } = deliveryLog();
    const intake = new WebhookIntakeQueue(dispatcher, log, { sameChangeSpacingMs: 10_000 });
    intake.accept(update('100', 'd-1'));
    await vi.advanceTimersByTimeAsync(1_000);
    intake.accept(update('100', 'd-2'));
    const stopped = intake.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopped;
    expect(dispatched.map(({ deliveryId }) => deliveryId)).toEqual(['d-1', 'd-2']);
    expect(marked).toEqual(['d-1', 'd-2']);
  });
});
