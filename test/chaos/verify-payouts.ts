import { periodReconcileWorkflowId } from '../../workflows/period-reconcile-contract.js';
import type { PeriodReconciliationReport } from '../../workflows/period-reconcile-contract.js';
import type { ProcessStack } from '../support/process-stack.js';
import { payoutLedgerFindings, type PayoutLedgerFigures, type PayoutOutcome } from './payout-ledger.js';
import { chaosBankGlAccount, chaosStripeGateway, type ChaosPayouts, type PayoutRunFigures } from './payouts.js';
import type { Storefronts } from './storefronts.js';

/** What the chaos summary says of payouts. */
export interface PayoutReport extends PayoutRunFigures {
  ledger?: PayoutLedgerFigures;
  /** The run's month as PeriodReconcile reported it for the Stripe gateway. */
  periodReconciliation?: {
    period: string;
    differencesByKind: Record<string, number>;
    unexplained: string[];
    rollForward?: unknown;
  };
}

/** Period reconciliation differences that no record of the run explains (the rest name what explains them). */
const unexplainedKinds = new Set(['glUnexplained', 'closingDiffersFromUnpaidPayments', 'chargeWithoutPayment', 'payoutOutOfBalance']);

/** Intacct records that existed before the run, for {@link payoutLedgerFindings}. */
export async function payoutBaseline(storefronts: Storefronts): Promise<{ batches: Set<string>; receipts: Set<string> }> {
  return {
    batches: new Set((await storefronts.intacctRecords('GLBATCH')).map((record) => record.RECORDNO!)),
    receipts: new Set((await storefronts.intacctRecords('ARPYMT')).map((record) => record.RECORDNO!)),
  };
}

/** The month the run's payouts post in, `YYYY-MM` in the tenant's time zone. */
function periodOf(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(date);
  return `${parts.find((part) => part.type === 'year')!.value}-${parts.find((part) => part.type === 'month')!.value}`;
}

/**
 * Checks the run's payouts from Intacct's own records (see {@link payoutLedgerFindings}), then
 * reconciles the month of their arrival through the admin API (PeriodReconcile) and holds the
 * report to no unexplained difference for the Stripe gateway.
 */
export async function verifyPayouts(
  stack: ProcessStack,
  storefronts: Storefronts,
  payouts: ChaosPayouts,
  before: { batches: Set<string>; receipts: Set<string> },
): Promise<{ report: PayoutReport; violations: string[] }> {
  const stripePayouts = await payouts.payouts();
  const outcomes: PayoutOutcome[] = [];
  for (const payout of stripePayouts) {
    const status = await payouts.status(payout.id);
    outcomes.push({
      payoutId: payout.id,
      amount: payout.amount,
      step: status?.step,
      ...(status?.intacct.depositKey !== undefined && { depositKey: status.intacct.depositKey }),
      ...(status?.intacct.journalKeys !== undefined && { journalKeys: status.intacct.journalKeys }),
      variances: status?.variances.length ?? 0,
    });
  }
  const [batches, entries, deposits, receipts] = await Promise.all(
    ['GLBATCH', 'GLENTRY', 'DEPOSIT', 'ARPYMT'].map((object) => storefronts.intacctRecords(object)),
  );
  const { figures, violations } = payoutLedgerFindings({
    payouts: outcomes,
    batches: batches!,
    entries: entries!,
    deposits: deposits!,
    receipts: receipts!,
    accounts: { clearing: chaosStripeGateway.clearing.glAccountNo, bank: chaosBankGlAccount },
    journal: chaosStripeGateway.journal,
    before,
  });
  const report: PayoutReport = { ...payouts.figures(stripePayouts.length), ledger: figures };
  if (payouts.figures(0).ordersPaidThroughStripe > 0 && stripePayouts.length === 0) violations.push('Stripe made no payout');

  // The month the payouts arrived in (the gateway posts them on their arrival date).
  const last = stripePayouts.at(-1);
  const period = periodOf(last === undefined ? new Date() : new Date(last.arrival_date * 1000), 'America/Chicago');
  const started = await stack.admin('POST', `/tenants/${payouts.tenantId}/reconciliation`, { period });
  if (started.status !== 202) {
    violations.push(`starting the reconciliation of ${period} failed: ${started.status} ${JSON.stringify(started.body)}`);
    return { report, violations };
  }
  try {
    // A run parked on a failure would never return: bounded.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      stack.client.workflow.getHandle(periodReconcileWorkflowId(payouts.tenantId, period)).result(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('it did not finish within 3 minutes')), 3 * 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    violations.push(`the reconciliation of ${period} failed: ${(error as Error).message}`);
    return { report, violations };
  }
  const stored = await stack.admin('GET', `/tenants/${payouts.tenantId}/reconciliation?period=${period}`);
  if (stored.status !== 200) {
    violations.push(`reading the reconciliation of ${period} failed: ${stored.status}`);
    return { report, violations };
  }
  const reconciliation = (stored.body as { report: PeriodReconciliationReport }).report;
  const stripeSection = reconciliation.gateways.find((gateway) => gateway.gateway === chaosStripeGateway.gateway);
  const unexplained = reconciliation.differences
    .filter((difference) => unexplainedKinds.has(difference.kind))
    .map((difference) => `${difference.kind} ${difference.reference}: ${difference.explanation}`);
  const intacct = stripeSection?.rollForward.intacct;
  if (intacct?.compared === true && intacct.unexplained !== 0)
    unexplained.push(`clearing ${intacct.accountNo} differs from the roll-forward by ${intacct.unexplained} cents that nothing explains`);
  if (stripeSection === undefined && stripePayouts.length > 0) violations.push(`the reconciliation of ${period} has no Stripe section`);
  violations.push(...unexplained.map((line) => `reconciliation of ${period}: ${line}`));
  report.periodReconciliation = {
    period,
    differencesByKind: reconciliation.differences.reduce<Record<string, number>>(
      (tally, difference) => ({ ...tally, [difference.kind]: (tally[difference.kind] ?? 0) + 1 }),
      {},
    ),
    unexplained,
    ...(stripeSection !== undefined && { rollForward: stripeSection.rollForward }),
  };
  return { report, violations };
}
