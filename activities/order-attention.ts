import { closeAttention, openAttention } from './attention-events.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import type { ActivityDependencies } from './dependencies.js';
import type { ParkOrderInput, SkipOrderInput } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';

const orderKey = (ref: OrderRef) => ({ tenantId: ref.tenantId, entity: 'order' as const, externalId: ref.orderId });

/**
 * Where an order stands for people: the attention queue (what waits for a fix) and the
 * ledger's state (what the sync log and reconciliation read). Every write is an upsert on
 * the order's key, so a retried activity changes nothing twice.
 */
export function createOrderAttentionActivities(deps: ActivityDependencies) {
  return {
    async parkOrder(input: ParkOrderInput): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
        ...orderKey(input),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
        ...(attention.details !== undefined && { details: attention.details }),
      });
      await recordLedgerEntry(deps.db, orderKey(input), {
        state: 'parked',
        workflowId: input.workflowId,
        lastError: { code: attention.code, message: attention.reason, at: new Date() },
      });
    },

    /** After a successful (re)try: the open attention item is resolved and a posted order is `synced` again. */
    async clearOrderAttention(input: OrderRef & { workflowId: string }): Promise<void> {
      await closeAttention(deps, orderKey(input), `workflow ${input.workflowId}`);
      const entry = await findLedgerEntry(deps.db, orderKey(input));
      if (entry?.intacctDocumentId !== undefined && entry.state === 'parked')
        await recordLedgerEntry(deps.db, orderKey(input), { state: 'synced' });
    },

    async recordOrderSkipped(input: SkipOrderInput): Promise<void> {
      await recordLedgerEntry(deps.db, orderKey(input), {
        state: 'skipped',
        workflowId: input.workflowId,
        lastError: { code: input.code, message: input.reason, at: new Date() },
      });
    },

    async recordOrderCancelled(input: OrderRef & { workflowId: string }): Promise<void> {
      await closeAttention(deps, orderKey(input), `workflow ${input.workflowId} (order cancelled)`);
      await recordLedgerEntry(deps.db, orderKey(input), { state: 'cancelled', workflowId: input.workflowId });
    },
  };
}
