import { listAttention, type AttentionItem } from '../store/attention.js';
import type { PayoutReconcileActivities, PayoutRef, PayoutVarianceNotice } from '../workflows/payout-reconcile-contract.js';
import { closeAttention, openAttention } from './attention-events.js';
import type { ActivityDependencies } from './dependencies.js';
import { recordPayoutState } from './payout-postings.js';

/**
 * The payout's own attention item: why it waits. Payouts belong to the tenant's books, not to an
 * order, so their items are the tenant's, told apart by their key (`payout:{processor}:{payoutId}`)
 * and their codes (`payout_…`).
 */
const payoutKey = (ref: PayoutRef) => ({
  tenantId: ref.tenantId,
  entity: 'tenant' as const,
  externalId: `payout:${ref.processor}:${ref.payoutId}`,
});

/** One variance's item: under the line it is about, or the variance's kind for the payout as a whole. */
const varianceKey = (ref: PayoutRef, variance: PayoutVarianceNotice) => ({
  ...payoutKey(ref),
  externalId: `${payoutKey(ref).externalId}:${variance.lineId ?? variance.kind}`,
});

/** `unmatchedLine` → `payout_unmatched_line`: a variance item's code, per kind of difference. */
const varianceCode = (kind: string) => `payout_${kind.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;

/**
 * PayoutReconcile's bookkeeping for people, through the shared attention queue (so alerts and
 * the worker's metrics see payouts as they see orders): why a payout is parked, and each of its
 * variances as an item of its own naming the line and the figures. Every write is an upsert on
 * its item's key, so a retried activity changes nothing twice.
 */
export function createPayoutAttentionActivities(deps: Pick<ActivityDependencies, 'db' | 'connections' | 'attentionEvents'>) {
  /** The payout's open variance items, whatever look opened them. */
  async function openVarianceItems(ref: PayoutRef): Promise<AttentionItem[]> {
    const prefix = `${payoutKey(ref).externalId}:`;
    const items: AttentionItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAttention(deps.db, ref.tenantId, { state: 'open', entity: 'tenant' }, { limit: 500, cursor });
      items.push(...page.items.filter((item) => item.externalId.startsWith(prefix)));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return items;
  }

  return {
    async recordPayoutVariances(input: PayoutRef & { workflowId: string; variances: PayoutVarianceNotice[] }): Promise<void> {
      const current = new Set<string>();
      for (const variance of input.variances) {
        const key = varianceKey(input, variance);
        current.add(key.externalId);
        await openAttention(deps, {
          ...key,
          code: varianceCode(variance.kind),
          reason: variance.explanation,
          fix: "fix the books for the order named (sync or retry it), then retry the payout; or approve the payout to post the difference to the gateway's adjustment account",
          workflowId: input.workflowId,
          details: {
            payout: input.payoutId,
            processor: input.processor,
            kind: variance.kind,
            ...(variance.lineId && { lineId: variance.lineId }),
          },
        });
      }
      // The differences an earlier look found and this one no longer does were fixed.
      for (const item of await openVarianceItems(input))
        if (!current.has(item.externalId)) await closeAttention(deps, item, `workflow ${input.workflowId} (no longer differs)`);
    },

    async parkPayout(input: Parameters<PayoutReconcileActivities['parkPayout']>[0]): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
        ...payoutKey(input),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
        ...(attention.details !== undefined && { details: attention.details }),
      });
      await recordPayoutState(deps, input, 'parked', { journalKeys: [], variances: [], variancesApproved: false });
    },

    /** After the payout posted (or ended unpaid): its item and its variances' items are resolved. */
    async clearPayoutAttention(input: PayoutRef & { workflowId: string }): Promise<void> {
      await closeAttention(deps, payoutKey(input), `workflow ${input.workflowId}`);
      for (const item of await openVarianceItems(input)) await closeAttention(deps, item, `workflow ${input.workflowId}`);
    },
  } satisfies Pick<PayoutReconcileActivities, 'recordPayoutVariances' | 'parkPayout' | 'clearPayoutAttention'>;
}
