import { formatAmount } from '../mappers/money.js';
import type { PayoutLine } from '../workflows/payout-reconcile-contract.js';
import {
  periodDays,
  type GatewayReconciliation,
  type OpenDispute,
  type ReconciliationDifference,
} from '../workflows/period-reconcile-contract.js';
import type { GatewayGroup, PeriodPaymentRecord, PeriodPayoutRecord, PeriodReconciliationInput } from './period-reconciliation.js';

/** The references a line may know its payment by. */
export const lineReferences = (line: PayoutLine): string[] => [
  ...(line.paymentReference === undefined ? [] : [line.paymentReference]),
  ...(line.otherPaymentReferences ?? []),
];

/** Dispute statuses after which nothing more moves (Stripe's names). */
const closedDisputeStatuses = new Set(['won', 'lost', 'warning_closed', 'charge_refunded']);

/** A gateway's section while the report is built: with what its payouts not yet posted in Intacct leave in clearing. */
export type GatewayWithUnposted = GatewayReconciliation & { unpostedEffect: number; unpostedNames: string[] };

/** The disputes over the gateway's payments still open at the period's end, each also a difference. */
export function disputesOf(
  input: PeriodReconciliationInput,
  payments: readonly PeriodPaymentRecord[],
  payouts: readonly PeriodPayoutRecord[],
  group: GatewayGroup,
  period: { from: string; to: string },
  differences: ReconciliationDifference[],
): OpenDispute[] {
  const references = new Set(payments.flatMap((payment) => payment.gatewayTransactionIds));
  const open: OpenDispute[] = [];
  for (const dispute of input.disputes) {
    if (closedDisputeStatuses.has(dispute.status) || dispute.openedOn > period.to) continue;
    if (dispute.currency !== group.currency || !dispute.paymentReferences.some((reference) => references.has(reference))) continue;
    const withdrawn = -payouts
      .flatMap((record) => record.payout.lines)
      .filter((line) => line.kind === 'chargeback' || line.kind === 'chargeback_reversal')
      .filter((line) => lineReferences(line).some((reference) => dispute.paymentReferences.includes(reference)))
      .reduce((sum, line) => sum + line.gross, 0);
    const item: OpenDispute = {
      disputeId: dispute.disputeId,
      status: dispute.status,
      amount: dispute.amount,
      currency: dispute.currency,
      ...(dispute.paymentReferences[0] !== undefined && { paymentReference: dispute.paymentReferences[0] }),
      openedOn: dispute.openedOn,
      withdrawn,
    };
    open.push(item);
    const money = (amount: number) => `${formatAmount(amount, group.currency)} ${group.currency}`;
    differences.push({
      area: 'disputes',
      kind: 'disputeOpen',
      gateway: group.gateway,
      reference: dispute.disputeId,
      explanation: `dispute ${dispute.disputeId} over ${money(dispute.amount)} (payment ${item.paymentReference ?? 'unknown'}) is still open (${dispute.status}) at ${period.to}: ${withdrawn === 0 ? 'nothing withdrawn yet, a possible liability to disclose' : `${money(withdrawn)} withdrawn and booked as a chargeback; it comes back if the dispute is won`}`,
      figures: { currency: group.currency, expected: 0, actual: dispute.amount, difference: dispute.amount },
    });
  }
  return open;
}

/** Compares each clearing account's GL balance with the closings of the gateways that share it. */
export function glComparison(
  input: PeriodReconciliationInput,
  gateways: GatewayWithUnposted[],
  differences: ReconciliationDifference[],
): void {
  for (const entry of gateways) {
    const accountNo = entry.clearingAccountNo;
    const sharing = gateways.filter((other) => other.clearingAccountNo === accountNo);
    const balance = input.clearingBalances[accountNo];
    const money = (amount: number) => `${formatAmount(amount, entry.currency)} ${entry.currency}`;
    if (entry.currency !== input.baseCurrency || sharing.some((other) => other.currency !== input.baseCurrency))
      entry.rollForward.intacct = {
        compared: false,
        accountNo,
        reason: `Intacct's GL is in the base currency ${input.baseCurrency}; account ${accountNo} holds ${[...new Set(sharing.map((other) => other.currency))].join(', ')} payments`,
      };
    else if (balance === undefined)
      entry.rollForward.intacct = { compared: false, accountNo, reason: `the GL balance of account ${accountNo} could not be read` };
    else {
      const expected = sharing.reduce((sum, other) => sum + other.rollForward.closing, 0);
      const explainedByUnpostedPayouts = sharing.reduce((sum, other) => sum + other.unpostedEffect, 0);
      const unexplained = balance - expected - explainedByUnpostedPayouts;
      entry.rollForward.intacct = {
        compared: true,
        accountNo,
        balance,
        expected,
        explainedByUnpostedPayouts,
        unexplained,
        sharedWith: sharing.filter((other) => other !== entry).map((other) => `${other.gateway}/${other.currency}`),
      };
      if (explainedByUnpostedPayouts !== 0)
        differences.push({
          area: 'intacctGl',
          kind: 'glAwaitsUnpostedPayouts',
          gateway: entry.gateway,
          reference: accountNo,
          explanation: `Intacct's clearing account ${accountNo} stands at ${money(balance)}, ${money(balance - expected)} above the roll-forward's ${money(expected)}; ${money(explainedByUnpostedPayouts)} of it is payouts the processor paid that are not posted in Intacct yet: ${entry.unpostedNames.join(', ')}`,
          figures: { currency: entry.currency, expected, actual: balance, difference: balance - expected },
        });
      if (unexplained !== 0 && sharing[0] === entry)
        differences.push({
          area: 'intacctGl',
          kind: 'glUnexplained',
          gateway: entry.gateway,
          reference: accountNo,
          explanation: `Intacct's clearing account ${accountNo} stands at ${money(balance)} at ${periodDays(input.period).to}; the roll-forward${sharing.length > 1 ? 's of the gateways sharing it' : ''} and the payouts not yet posted explain ${money(expected + explainedByUnpostedPayouts)}: ${money(unexplained)} was posted to the account outside the product (a manual journal entry, a receipt of another payment method) or is missing from it`,
          figures: { currency: entry.currency, expected: expected + explainedByUnpostedPayouts, actual: balance, difference: unexplained },
        });
    }
  }
  for (const entry of gateways) {
    const record = entry as Partial<Pick<typeof entry, 'unpostedEffect' | 'unpostedNames'>>;
    delete record.unpostedEffect;
    delete record.unpostedNames;
  }
}
