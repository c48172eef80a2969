import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { toIntacctPayoutDayPosting } from '../mappers/payout-to-intacct.js';
import { markPaymentsDeposited } from '../store/ledger.js';
import { findPayoutPosting } from '../store/payout-postings.js';
import {
  payoutDaySearchAttributes,
  payoutDayWorkflowId,
  payoutDayWorkflowType,
  payoutMatchedSignal,
  type PayoutDayActivities,
  type PayoutDayPostingInput,
  type PayoutDayRef,
} from '../workflows/payout-day-contract.js';
import type { PayoutReconcileActivities } from '../workflows/payout-reconcile-contract.js';
import { tenantPriority } from '../workflows/task-priority.js';
import { closeAttention, openAttention } from './attention-events.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { intacctControlId } from './intacct-writes.js';
import { bankGlAccountOf, depositOnce, journalOnce, postableOrRefused, recordPayoutState } from './payout-postings.js';
import { matchStoredPayout, type MatchedPayout } from './payout-reads.js';

/** The day's own attention item: payouts belong to the tenant's books, so the tenant's, keyed by the day. */
const dayKey = (ref: PayoutDayRef) => ({
  tenantId: ref.tenantId,
  entity: 'tenant' as const,
  externalId: `payout-day:${ref.gateway}:${ref.currency}:${ref.day}`,
});

/**
 * The `dailySummary` posting mode: PayoutReconcile's hand-in of a matched payout to its day, and
 * PayoutDay's Intacct writes (`toIntacctPayoutDayPosting`), each exactly once. Before creating,
 * each write looks for what an earlier attempt or run may have written by the day's reference
 * (the deposit id, the journal entry's reference number and title); the write carries a control
 * id made of the day, stable across attempts and runs, so a lost answer is recovered by `uniqueid`.
 */
export function createPayoutDayActivities(deps: Pick<ActivityDependencies, 'db' | 'connections' | 'temporal' | 'attentionEvents'>) {
  async function handPayoutToDay(
    input: Parameters<PayoutReconcileActivities['handPayoutToDay']>[0],
  ): ReturnType<PayoutReconcileActivities['handPayoutToDay']> {
    const { day } = input;
    // Posted with its day already (a second look after the answer went missing): the day's keys.
    const recorded = await findPayoutPosting(deps.db, input.tenantId, input.processor, input.payoutId);
    if (recorded?.state === 'posted' && recorded.dayReference === day.reference)
      return {
        outcome: 'posted',
        reference: day.reference,
        ...(recorded.depositKey !== undefined && { depositKey: recorded.depositKey }),
        journalKeys: recorded.journalKeys,
      };
    const temporal = deps.temporal;
    if (temporal === undefined)
      throw new Error(
        'the worker was built without a Temporal client (ActivityDependencies.temporal), so it cannot hand a payout to its day',
      );
    try {
      await temporal.client.workflow.signalWithStart(payoutDayWorkflowType, {
        workflowId: payoutDayWorkflowId(day),
        taskQueue: temporal.taskQueue,
        args: [day],
        signal: payoutMatchedSignal,
        signalArgs: [
          {
            processor: input.processor,
            payoutId: input.payoutId,
            workflowId: input.workflowId,
            variancesApproved: input.variancesApproved,
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A day that posted is never started again: the payouts it did not post post on their own.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        priority: tenantPriority(input.tenantId, 'live'),
        typedSearchAttributes: payoutDaySearchAttributes(day),
        staticSummary: `${day.gateway} payouts of ${day.day} → one Intacct deposit and journal entry (tenant ${day.tenantId})`,
      });
      return { outcome: 'handedIn' };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'dayClosed' };
      throw error;
    }
  }

  /**
   * The day's postings from every member's stored payout, matched again as each payout's own
   * steps match it. The deposit never needs the bank's GL account (the journal's transfer line
   * does), so only the journal reads it.
   */
  async function dayPosting(input: PayoutDayPostingInput, withBankGlAccount: boolean) {
    const matched: MatchedPayout[] = [];
    for (const member of input.payouts)
      matched.push(await matchStoredPayout(deps, { tenantId: input.tenantId, processor: member.processor, payoutId: member.payoutId }));
    const [first] = matched;
    if (first === undefined) throw new RangeError(`the daily summary ${input.reference} has no payouts`);
    const client = await first.connection.intacct();
    const { currency } = first.connection.settings.orderSync;
    const bankGlAccountNo = withBankGlAccount ? await bankGlAccountOf(client, first.gateway) : '';
    const posting = postableOrRefused(() =>
      toIntacctPayoutDayPosting({
        day: input.day,
        reference: input.reference,
        payouts: matched.map(({ payout, matching }, index) => ({
          payout,
          matching,
          variancesApproved: input.payouts[index]!.variancesApproved,
        })),
        gateway: first.gateway,
        bankGlAccountNo,
        baseCurrency: currency.baseCurrency,
        exchangeRateType: currency.exchangeRateType,
      }),
    );
    return { posting, client, gateway: first.gateway };
  }

  async function depositPayoutDay(input: PayoutDayPostingInput): Promise<{ depositKey?: string; created: boolean }> {
    const { posting, client } = await dayPosting(input, false);
    const { deposit } = posting;
    if (deposit === undefined) return { created: false };
    const result = await depositOnce(
      client,
      deposit,
      intacctControlId('payout-day-deposit', input.tenantId, input.gateway, input.currency, input.day),
    );
    // Each receipt is remembered as deposited by its own payout, which is what matching compares.
    for (const [payoutId, receiptKeys] of Object.entries(posting.receiptsByPayout))
      await markPaymentsDeposited(deps.db, input.tenantId, receiptKeys, payoutId);
    return result;
  }

  async function journalPayoutDay(input: PayoutDayPostingInput): Promise<{ journalKeys: string[]; created: boolean }> {
    const { posting, client, gateway } = await dayPosting(input, true);
    return journalOnce(client, posting.journalEntries, input.reference, gateway.journal, (part) =>
      intacctControlId('payout-day-journal', input.tenantId, input.gateway, input.currency, input.day, part),
    );
  }

  return {
    handPayoutToDay: withConnectorFailures(handPayoutToDay),
    depositPayoutDay: withConnectorFailures(depositPayoutDay),
    journalPayoutDay: withConnectorFailures(journalPayoutDay),

    async recordPayoutDayOutcome(input: Parameters<PayoutDayActivities['recordPayoutDayOutcome']>[0]): Promise<void> {
      for (const member of input.payouts) {
        const recorded = await findPayoutPosting(deps.db, input.tenantId, member.processor, member.payoutId);
        await recordPayoutState(
          deps,
          { tenantId: input.tenantId, processor: member.processor, payoutId: member.payoutId, workflowId: member.workflowId },
          'posted',
          {
            ...(input.depositKey !== undefined && { depositKey: input.depositKey }),
            journalKeys: input.journalKeys,
            dayReference: input.reference,
            variances: recorded?.variances ?? [],
            variancesApproved: member.variancesApproved,
          },
        );
      }
    },

    async parkPayoutDay(input: Parameters<PayoutDayActivities['parkPayoutDay']>[0]): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
        ...dayKey(input),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
        ...(attention.details !== undefined && { details: attention.details }),
      });
    },

    async clearPayoutDayAttention(input: Parameters<PayoutDayActivities['clearPayoutDayAttention']>[0]): Promise<void> {
      await closeAttention(deps, dayKey(input), `workflow ${input.workflowId}`);
    },
  } satisfies PayoutDayActivities & Pick<PayoutReconcileActivities, 'handPayoutToDay'>;
}
