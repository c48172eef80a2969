import { z } from 'zod';
import {
  deadLetterIdOf,
  findWebhookDeadLetter,
  listWebhookDeadLetters,
  noteWebhookDeadLetterReplay,
  type WebhookDeadLetter,
} from '../../store/webhook-dead-letters.js';
import { HttpError } from '../errors.js';
import { temporalRefusal } from '../webhooks/dead-lettering-dispatcher.js';
import type { StorefrontEvent } from '../webhooks/ports.js';
import { temporalDispatcher } from '../webhooks/temporal-dispatcher.js';
import { audit, pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { withTemporal } from './temporal-access.js';

const deadLetterView = z.object({
  id: z.string(),
  storefront: z.string(),
  deliveryId: z.string(),
  topic: z.string(),
  entity: z.string(),
  entityId: z.string(),
  orderId: z.string().optional(),
  occurredAt: z.string(),
  reason: z.string(),
  state: z.enum(['dead', 'replayed']),
  deadLetteredAt: z.string(),
  replays: z.number().int(),
  lastReplayAt: z.string().optional(),
  replayedAt: z.string().optional(),
  replayOutcome: z.string().optional(),
});

function viewOf(letter: WebhookDeadLetter): z.infer<typeof deadLetterView> {
  return {
    id: deadLetterIdOf(letter),
    storefront: letter.storefront,
    deliveryId: letter.deliveryId,
    topic: letter.topic,
    entity: letter.entity,
    entityId: letter.entityId,
    ...(letter.orderId !== undefined && { orderId: letter.orderId }),
    occurredAt: letter.occurredAt,
    reason: letter.reason,
    state: letter.state,
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    replays: letter.replays,
    ...(letter.lastReplayAt && { lastReplayAt: letter.lastReplayAt.toISOString() }),
    ...(letter.replayedAt && { replayedAt: letter.replayedAt.toISOString() }),
    ...(letter.replayOutcome !== undefined && { replayOutcome: letter.replayOutcome }),
  };
}

/** The event the letter was made from, as the receiver handed it to the dispatcher. */
function eventOf(letter: WebhookDeadLetter): StorefrontEvent {
  return {
    tenantId: letter.tenantId,
    storefront: letter.storefront as StorefrontEvent['storefront'],
    topic: letter.topic,
    entity: letter.entity as StorefrontEvent['entity'],
    entityId: letter.entityId,
    ...(letter.orderId !== undefined && { orderId: letter.orderId }),
    deliveryId: letter.deliveryId,
    occurredAt: letter.occurredAt,
  };
}

/**
 * Webhook deliveries Temporal refused as invalid (acknowledged to the store, kept here): the
 * tenant's list, and a replay that dispatches one again once its cause is fixed, answering what
 * Temporal did with it this time.
 */
export function registerWebhookDeadLetterRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/webhook-dead-letters',
    summary: 'Webhook deliveries Temporal refused as invalid, with its reason; replayable once the cause is fixed',
    tag: 'webhooks',
    role: 'viewer',
    params: tenantParams,
    query: z.object(pageQuery),
    response: z.object({ items: z.array(deadLetterView), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const page = await listWebhookDeadLetters(deps.db, params.tenantId, query);
      return { items: page.items.map(viewOf), ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }) };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/webhook-dead-letters/:deadLetterId/replay',
    summary:
      'Dispatch a dead-lettered delivery again after fixing its cause: 200 with what it did, 422 when Temporal refuses it again (it stays dead), 409 when it was replayed already',
    tag: 'webhooks',
    role: 'operator',
    params: tenantParams.extend({ deadLetterId: z.string().min(1).max(300) }),
    response: z.object({ outcome: z.string(), deadLetter: deadLetterView }),
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const letter = await findWebhookDeadLetter(deps.db, params.tenantId, params.deadLetterId);
      if (!letter) throw notFoundError(`webhook dead letter ${params.deadLetterId}`);
      if (letter.state === 'replayed')
        throw new HttpError(
          409,
          'already_replayed',
          `this delivery was replayed at ${letter.replayedAt?.toISOString() ?? 'an earlier time'}`,
        );
      const target = `webhook-dead-letter:${params.deadLetterId}`;
      let outcome: string;
      try {
        outcome = await withTemporal(deps, ({ client, taskQueue }) => temporalDispatcher(client, taskQueue).dispatch(eventOf(letter)));
      } catch (error) {
        const refusal = temporalRefusal(error);
        if (refusal === undefined) throw error;
        await noteWebhookDeadLetterReplay(deps.db, letter, { refused: refusal });
        await audit(
          deps.db,
          { principal, requestId },
          { tenantId: params.tenantId, action: 'webhook-dead-letter.replay', target, details: { result: 'refused' } },
        );
        throw new HttpError(422, 'replay_refused', `Temporal refused the event again: ${refusal}`);
      }
      const replayed = await noteWebhookDeadLetterReplay(deps.db, letter, { outcome });
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'webhook-dead-letter.replay', target, details: { result: outcome } },
      );
      return { outcome, deadLetter: viewOf(replayed ?? letter) };
    },
  });
}
