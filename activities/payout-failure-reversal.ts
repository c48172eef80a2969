import { createJournalEntry, findJournalEntriesByReference, readBankGlAccount } from '../connectors/intacct/index.js';
import { payoutReversalReference, toIntacctPayoutFailureReversal } from '../mappers/payout-failure-reversal.js';
import { PayoutCurrencyNotPostableError } from '../mappers/payout-to-intacct.js';
import { findPayoutPosting, recordPayoutReversal } from '../store/payout-postings.js';
import { gatewayCloseSettings } from '../store/schemas/settings.js';
import type {
  PayoutFailureReversalActivities,
  PayoutFailureReversalInput,
  PayoutFailureReversalLook,
} from '../workflows/payout-failure-reversal-contract.js';
import { payoutReconcileFailures, type PayoutRef } from '../workflows/payout-reconcile-contract.js';
import { closeAttention, openAttention } from './attention-events.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import { intacctControlId } from './intacct-writes.js';

/**
 * PayoutFailureReversal's one step: a posted payout its processor reports failed becomes one
 * journal entry back from the bank to the clearing account (`toIntacctPayoutFailureReversal`),
 * written once — an earlier attempt's entry is found by its reference number `{payoutId}-failed`
 * first, and the write carries a control id stable across attempts — then recorded on the
 * payout's posting and told to people as an informational attention item.
 */
export function createPayoutFailureReversalActivities(deps: Pick<ActivityDependencies, 'db' | 'connections' | 'attentionEvents'>) {
  async function reverseFailedPayout(input: PayoutFailureReversalInput & { workflowId: string }): Promise<PayoutFailureReversalLook> {
    const posting = await findPayoutPosting(deps.db, input.tenantId, input.processor, input.payoutId);
    if (posting === null || posting.state === 'parked' || posting.state === 'pending') return { outcome: 'open' };
    if (posting.state === 'not_paid') return { outcome: 'not_posted' };
    if (posting.figures.net <= 0) return { outcome: 'not_posted' };
    const connection = await deps.connections.forTenant(input.tenantId);

    // The webhook is authentic, but only the processor's payout as it stands now decides.
    let failureCode: string | undefined;
    if (input.processor === 'stripe') {
      const stripe = await connection.stripe();
      if (stripe !== undefined) {
        const payout = await stripe.retrievePayout(input.payoutId);
        if (payout.status !== 'failed') return { outcome: 'not_failed' };
        failureCode = payout.failure_code ?? undefined;
      }
    }

    const gateway = gatewayCloseSettings(connection.settings.close, posting.gateway);
    if (gateway === undefined)
      throw operatorFailure(
        payoutReconcileFailures,
        'PayoutSettingsMissing',
        `the tenant's close settings no longer have gateway "${posting.gateway}", so failed payout ${input.payoutId} cannot be reversed`,
      );
    const client = await connection.intacct();
    const bankGlAccountNo = await readBankGlAccount(client, gateway.bankAccountId);
    if (bankGlAccountNo === undefined)
      throw operatorFailure(
        payoutReconcileFailures,
        'PayoutSettingsMissing',
        `bank account ${gateway.bankAccountId} of gateway "${gateway.gateway}" has no GL account in Intacct`,
      );
    const { currency } = connection.settings.orderSync;
    let reversal: ReturnType<typeof toIntacctPayoutFailureReversal>;
    try {
      reversal = toIntacctPayoutFailureReversal({
        payoutId: input.payoutId,
        currency: posting.currency,
        postedNet: posting.figures.net,
        postedOn: posting.postingDate,
        failedOn: input.failedOn,
        ...(failureCode !== undefined && { failureCode }),
        gateway,
        bankGlAccountNo,
        baseCurrency: currency.baseCurrency,
        exchangeRateType: currency.exchangeRateType,
      });
    } catch (error) {
      if (error instanceof PayoutCurrencyNotPostableError)
        throw operatorFailure(payoutReconcileFailures, 'PayoutUnreadable', error.message);
      throw error;
    }

    const [found] = await findJournalEntriesByReference(client, payoutReversalReference(input.payoutId), gateway.journal);
    const written =
      found !== undefined
        ? { batchKey: found.batchKey, created: false }
        : await createJournalEntry(
            client,
            reversal.journalEntry,
            intacctControlId('payout-failure-reversal', input.tenantId, input.processor, input.payoutId),
          );
    await recordPayoutReversal(deps.db, input, { journalKey: written.batchKey, failedOn: input.failedOn });
    await openAttention(deps, {
      tenantId: input.tenantId,
      entity: 'tenant',
      externalId: `payout:${input.processor}:${input.payoutId}:failed`,
      code: reversal.attention.code,
      reason: reversal.attention.reason,
      fix: reversal.attention.fix,
      workflowId: input.workflowId,
      details: { payout: input.payoutId, processor: input.processor, journalKey: written.batchKey },
    });
    return { outcome: 'reversed', journalKey: written.batchKey, created: written.created };
  }

  const reversalKey = (ref: PayoutRef) => ({
    tenantId: ref.tenantId,
    entity: 'tenant' as const,
    externalId: `payout:${ref.processor}:${ref.payoutId}:reversal`,
  });

  return {
    reverseFailedPayout: withConnectorFailures(reverseFailedPayout),
    async parkPayoutReversal(input: Parameters<PayoutFailureReversalActivities['parkPayoutReversal']>[0]): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
        ...reversalKey(input),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
        details: { payout: input.payoutId, processor: input.processor, ...attention.details },
      });
    },
    async clearPayoutReversalAttention(
      input: Parameters<PayoutFailureReversalActivities['clearPayoutReversalAttention']>[0],
    ): Promise<void> {
      await closeAttention(deps, reversalKey(input), `workflow ${input.workflowId}`);
    },
  } satisfies PayoutFailureReversalActivities;
}
