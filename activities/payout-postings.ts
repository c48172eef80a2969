import {
  createJournalEntry,
  findDepositById,
  findJournalEntriesByReference,
  readBankGlAccount,
  recordDeposit,
  type DepositInput,
  type IntacctClient,
} from '../connectors/intacct/index.js';
import {
  PayoutCurrencyNotPostableError,
  payoutPostingDay,
  toIntacctPayoutPosting,
  type PayoutPosting,
} from '../mappers/payout-to-intacct.js';
import { markPaymentsDeposited } from '../store/ledger.js';
import { findProcessorPayout } from '../store/processor-payouts.js';
import { recordPayoutPosting, type PayoutPosting as PayoutOutcome } from '../store/payout-postings.js';
import { gatewayCloseSettings, type GatewayCloseSettings } from '../store/schemas/settings.js';
import {
  payoutReconcileFailures,
  type PayoutReconcileActivities,
  type PayoutReconcileStatus,
  type PayoutRef,
  type ProcessorPayout,
} from '../workflows/payout-reconcile-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import { intacctControlId } from './intacct-writes.js';
import { matchStoredPayout, type MatchedPayout } from './payout-reads.js';

type PostingInput = PayoutRef & { workflowId: string; variancesApproved: boolean };

/**
 * PayoutReconcile's Intacct writes and its outcome: the deposit of the matched receipts and the
 * journal entry for everything else (`mappers/payout-to-intacct.ts`), each exactly once. Before
 * creating, each looks for what an earlier attempt or run may have written, by the payout id
 * (the deposit id, the journal entry's reference number and title); the write itself carries a
 * control id stable across attempts and runs, so a lost answer is recovered by `uniqueid`.
 */
export function createPayoutPostingActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  function postingOf(matched: MatchedPayout, input: PostingInput, bankGlAccountNo: string): PayoutPosting {
    const { currency } = matched.connection.settings.orderSync;
    return postableOrRefused(() =>
      toIntacctPayoutPosting({
        payout: matched.payout,
        matching: matched.matching,
        gateway: matched.gateway,
        bankGlAccountNo,
        baseCurrency: currency.baseCurrency,
        exchangeRateType: currency.exchangeRateType,
        variancesApproved: input.variancesApproved,
      }),
    );
  }

  async function depositPayout(input: PostingInput): Promise<{ depositKey?: string; created: boolean }> {
    const matched = await matchStoredPayout(deps, input);
    // The deposit carries whole receipts and never the bank's GL account: the journal's transfer line does.
    const { deposit } = postingOf(matched, input, '');
    if (deposit === undefined) return { created: false };
    const client = await matched.connection.intacct();
    const result = await depositOnce(client, deposit, intacctControlId('payout-deposit', input.tenantId, input.processor, input.payoutId));
    // The receipts are the bank's now: another payout naming one of them is a variance, not a second deposit.
    await markPaymentsDeposited(deps.db, input.tenantId, deposit.receiptKeys, deposit.depositId);
    return result;
  }

  async function journalPayout(input: PostingInput): Promise<{ journalKeys: string[]; created: boolean }> {
    const matched = await matchStoredPayout(deps, input);
    const client = await matched.connection.intacct();
    const bankGlAccountNo = await bankGlAccountOf(client, matched.gateway);
    const posting = postingOf(matched, input, bankGlAccountNo);
    return journalOnce(client, posting.journalEntries, input.payoutId, matched.gateway.journal, (part) =>
      intacctControlId('payout-journal', input.tenantId, input.processor, input.payoutId, part),
    );
  }

  async function recordPayoutOutcome(input: PayoutRef & { workflowId: string; status: PayoutReconcileStatus }): Promise<void> {
    const { status } = input;
    await recordPayoutState(deps, input, status.step === 'posted' ? 'posted' : 'not_paid', {
      ...(status.intacct.depositKey !== undefined && { depositKey: status.intacct.depositKey }),
      journalKeys: status.intacct.journalKeys ?? [],
      ...(status.intacct.dayReference !== undefined && { dayReference: status.intacct.dayReference }),
      variances: status.variances,
      variancesApproved: status.variancesApproved,
    });
  }

  return {
    depositPayout: withConnectorFailures(depositPayout),
    journalPayout: withConnectorFailures(journalPayout),
    recordPayoutOutcome,
  } satisfies Pick<PayoutReconcileActivities, 'depositPayout' | 'journalPayout' | 'recordPayoutOutcome'>;
}

/** A payout's postings from the mapper; a currency Intacct cannot hold exactly refuses the payout for a person. */
export function postableOrRefused<T>(map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof PayoutCurrencyNotPostableError) throw operatorFailure(payoutReconcileFailures, 'PayoutUnreadable', error.message);
    throw error;
  }
}

/** The GL account behind the gateway's bank account: the journal's bank side. None is a setting to fix. */
export async function bankGlAccountOf(client: IntacctClient, gateway: GatewayCloseSettings): Promise<string> {
  const account = await readBankGlAccount(client, gateway.bankAccountId);
  if (account === undefined)
    throw operatorFailure(
      payoutReconcileFailures,
      'PayoutSettingsMissing',
      `bank account ${gateway.bankAccountId} of gateway "${gateway.gateway}" has no GL account in Intacct`,
    );
  return account;
}

/** A payout's (or a day's) deposit, found again by its deposit id before it is recorded with `controlId`. */
export async function depositOnce(
  client: IntacctClient,
  deposit: DepositInput,
  controlId: string,
): Promise<{ depositKey?: string; created: boolean }> {
  const found = await findDepositById(client, deposit.depositId);
  return found !== undefined ? { depositKey: found.depositKey, created: false } : recordDeposit(client, deposit, controlId);
}

/**
 * A payout's (or a day's) journal entries: those an earlier attempt wrote are found again by
 * reference number and title in the journal, only the missing ones are created, each part with
 * the control id `controlId` makes of its number (1, 2, …).
 */
export async function journalOnce(
  client: IntacctClient,
  entries: PayoutPosting['journalEntries'],
  referenceNumber: string,
  journal: string,
  controlId: (part: string) => string,
): Promise<{ journalKeys: string[]; created: boolean }> {
  if (entries.length === 0) return { journalKeys: [], created: false };
  const existing = await findJournalEntriesByReference(client, referenceNumber, journal);
  const journalKeys: string[] = [];
  let created = false;
  for (const [index, entry] of entries.entries()) {
    const found = existing.find((record) => record.title === entry.title);
    if (found !== undefined) {
      journalKeys.push(found.batchKey);
      continue;
    }
    const written = await createJournalEntry(client, entry, controlId(String(index + 1)));
    journalKeys.push(written.batchKey);
    created ||= written.created;
  }
  return { journalKeys, created };
}

/**
 * Writes where a payout stands for period reconciliation (`store/payout-postings.ts`), with its
 * figures summed from the stored lines. Nothing is written for a payout never stored: there is
 * nothing of it to reconcile.
 */
export async function recordPayoutState(
  deps: Pick<ActivityDependencies, 'db' | 'connections'>,
  input: PayoutRef & { workflowId: string },
  state: PayoutOutcome['state'],
  outcome: Pick<PayoutOutcome, 'depositKey' | 'journalKeys' | 'dayReference' | 'variances' | 'variancesApproved'>,
): Promise<void> {
  const stored = await findProcessorPayout(deps.db, input.tenantId, input.processor, input.payoutId);
  if (stored === null) return;
  const { payout } = stored;
  const connection = await deps.connections.forTenant(input.tenantId);
  const gateway = gatewayCloseSettings(connection.settings.close, payout.gateway) ?? { postingDate: 'arrival' as const };
  await recordPayoutPosting(deps.db, {
    tenantId: input.tenantId,
    processor: input.processor,
    payoutId: input.payoutId,
    gateway: payout.gateway,
    currency: payout.currency,
    postingDate: payoutPostingDay(payout, gateway),
    state,
    figures: payoutFigures(payout),
    ...outcome,
    workflowId: input.workflowId,
  });
}

/**
 * The payout's figures as the register reads them: charges by their gross, every other kind by
 * the signed sum of its lines' net, `fees` the fees the processor took on lines (the fee column;
 * fee lines of their own stay under their kind), `net` what reached the bank.
 */
export function payoutFigures(payout: ProcessorPayout): PayoutOutcome['figures'] {
  const byKind: PayoutOutcome['figures']['byKind'] = {};
  let fees = 0;
  for (const line of payout.lines) {
    byKind[line.kind] = (byKind[line.kind] ?? 0) + (line.kind === 'charge' ? line.gross : line.net);
    fees += line.fee;
  }
  return { net: payout.amount, fees, byKind };
}
