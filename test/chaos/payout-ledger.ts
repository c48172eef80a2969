/**
 * The chaos run's check of payouts against Intacct's own ledger, to the cent: pure functions of
 * the Intacct sandbox's records (GLBATCH, GLENTRY, DEPOSIT, ARPYMT) and of what Stripe and
 * PayoutReconcile say about each payout. `verify-payouts.ts` reads the systems and reports what
 * these return.
 */
import { cents } from './verify-amounts.js';

type IntacctRecord = Record<string, string | undefined>;

/** One Stripe payout and where its PayoutReconcile ended. */
export interface PayoutOutcome {
  payoutId: string;
  /** What Stripe paid to the bank, cents. */
  amount: number;
  /** PayoutReconcile's step (`posted`, `parked`, `not_paid`, …); undefined without a workflow. */
  step: string | undefined;
  depositKey?: string;
  journalKeys?: string[];
  /** Variances matching found (a parked payout has at least one, each an attention item). */
  variances: number;
}

export interface LedgerRecords {
  batches: IntacctRecord[];
  entries: IntacctRecord[];
  deposits: IntacctRecord[];
  receipts: IntacctRecord[];
}

export interface PayoutLedgerInput extends LedgerRecords {
  payouts: PayoutOutcome[];
  accounts: { clearing: string; bank: string };
  /** The journal payouts post their entries in. */
  journal: string;
  /** GLBATCH and ARPYMT RECORDNOs that existed before the run (the sandbox's seed), left out. */
  before: { batches: ReadonlySet<string>; receipts: ReadonlySet<string> };
}

/**
 * The clearing account's roll-forward over the run, from the GL: opening (0: only the run's
 * batches count) + receipts recorded into it (net of their reversals) − what the posted payouts
 * took out = closing; and the closing against the receipts Intacct still holds undeposited.
 * The bank's rise against the posted payouts' nets.
 */
export interface PayoutLedgerFigures {
  clearing: { received: number; paidOut: number; other: number; closing: number; undepositedReceipts: number };
  bank: { rise: number; postedPayoutsNet: number };
  payouts: { total: number; posted: number; parked: number; other: number };
}

/** Debits − credits, cents. */
function movement(entries: readonly IntacctRecord[]): number {
  return entries.reduce((sum, entry) => sum + (entry.TR_TYPE?.trim() === '-1' ? -1 : 1) * cents(entry.AMOUNT), 0);
}

/**
 * Every way the payouts disagree with Intacct's ledger: per payout, exactly one deposit and the
 * journal entries PayoutReconcile names for a posted payout (none for any other); for a fully
 * matched posted payout the clearing account nets to zero (its receipts in, its deposit and
 * journal out) and the bank gets exactly its amount; over the run, the bank rose by exactly
 * the posted payouts' nets and the clearing roll-forward closes on the receipts not yet deposited.
 */
export function payoutLedgerFindings(input: PayoutLedgerInput): { figures: PayoutLedgerFigures; violations: string[] } {
  const violations: string[] = [];
  const batches = input.batches.filter((batch) => !input.before.batches.has(batch.RECORDNO ?? ''));
  const batchById = new Map(batches.map((batch) => [batch.RECORDNO ?? '', batch]));
  const entriesOf = (account: string, keep: (batch: IntacctRecord) => boolean) =>
    input.entries.filter((entry) => {
      const batch = batchById.get(entry.BATCHNO ?? '');
      return entry.ACCOUNTNO === account && batch !== undefined && keep(batch);
    });
  const receiptBatch = (key: string) => (batch: IntacctRecord) => batch.MODULE === 'AR' && batch.BATCH_TITLE === `Receipt ${key}`;
  const money = (amount: number) => (amount / 100).toFixed(2);

  const payoutIds = new Set(input.payouts.map((payout) => payout.payoutId));
  const ofPayouts = (batch: IntacctRecord) => payoutIds.has(batch.REFERENCENO ?? '') && (batch.MODULE === 'CM' || batch.MODULE === 'GL');
  let postedNet = 0;
  const tally = { total: input.payouts.length, posted: 0, parked: 0, other: 0 };
  for (const payout of input.payouts) {
    const deposits = input.deposits.filter((deposit) => deposit.DEPOSITID === payout.payoutId);
    const journals = batches.filter(
      (batch) => batch.REFERENCENO === payout.payoutId && batch.MODULE === 'GL' && batch.JOURNAL === input.journal,
    );
    const about = `payout ${payout.payoutId} (${money(payout.amount)})`;
    if (payout.step !== 'posted') {
      if (payout.step === 'parked') tally.parked += 1;
      else tally.other += 1;
      if (payout.step === 'parked' && payout.variances === 0) violations.push(`${about} is parked without a variance naming why`);
      if (payout.step !== 'parked' && payout.step !== 'not_paid')
        violations.push(`${about} did not end: PayoutReconcile is ${payout.step ?? 'missing'}`);
      if (deposits.length + journals.length > 0)
        violations.push(
          `${about} is ${payout.step ?? 'without a workflow'}, yet Intacct holds ${deposits.length} deposits and ${journals.length} journal entries for it`,
        );
      continue;
    }
    tally.posted += 1;
    postedNet += payout.amount;
    const expectedDeposits = payout.depositKey === undefined ? 0 : 1;
    if (deposits.length !== expectedDeposits || (payout.depositKey !== undefined && deposits[0]?.RECORDNO !== payout.depositKey))
      violations.push(
        `${about}: Intacct holds ${deposits.length} deposits with its id, PayoutReconcile posted ${payout.depositKey ?? 'none'}`,
      );
    const journalKeys = [...(payout.journalKeys ?? [])].sort();
    const found = journals.map((batch) => batch.RECORDNO ?? '').sort();
    if (journalKeys.length === 0 || JSON.stringify(found) !== JSON.stringify(journalKeys))
      violations.push(
        `${about}: Intacct holds journal entries [${found.join(', ')}] for it, PayoutReconcile posted [${journalKeys.join(', ')}]`,
      );
    const own = (batch: IntacctRecord) => batch.REFERENCENO === payout.payoutId && (batch.MODULE === 'CM' || batch.MODULE === 'GL');
    const toBank = movement(entriesOf(input.accounts.bank, own));
    if (toBank !== payout.amount)
      violations.push(`${about}: its deposit and journal put ${money(toBank)} into the bank, not ${money(payout.amount)}`);
    if (payout.variances > 0) continue;
    // Fully matched: what its receipts put into clearing, its deposit and journal take out.
    const receiptKeys = deposits.flatMap((deposit) => (deposit.RECEIPTKEYS ?? '').split(',').filter(Boolean));
    const receivedInto = receiptKeys.reduce((sum, key) => sum + movement(entriesOf(input.accounts.clearing, receiptBatch(key))), 0);
    const takenOut = movement(entriesOf(input.accounts.clearing, own));
    if (receivedInto + takenOut !== 0)
      violations.push(
        `${about}: clearing ${input.accounts.clearing} does not net to zero: its ${receiptKeys.length} receipts put in ${money(receivedInto)}, its deposit and journal took out ${money(-takenOut)}`,
      );
  }

  const clearingEntries = entriesOf(input.accounts.clearing, () => true);
  const closing = movement(clearingEntries);
  const received = movement(entriesOf(input.accounts.clearing, (batch) => batch.MODULE === 'AR'));
  // Subtracted from 0, not negated: no -0 in the summary.
  const paidOut = 0 - movement(entriesOf(input.accounts.clearing, ofPayouts));
  const other = closing - received + paidOut;
  const undeposited = input.receipts.filter(
    (receipt) =>
      !input.before.receipts.has(receipt.RECORDNO ?? '') &&
      receipt.UNDEPOSITEDACCOUNTNO === input.accounts.clearing &&
      !receipt.DEPOSITKEY &&
      receipt.STATE !== 'Reversed',
  );
  const undepositedReceipts = undeposited.reduce((sum, receipt) => sum + cents(receipt.TOTALENTERED), 0);
  const rise = movement(entriesOf(input.accounts.bank, () => true));
  if (other !== 0)
    violations.push(`clearing ${input.accounts.clearing}: ${money(other)} was posted to it by neither a receipt nor a payout`);
  if (closing !== undepositedReceipts)
    violations.push(
      `clearing ${input.accounts.clearing} roll-forward: received ${money(received)} − paid out ${money(paidOut)} closes at ${money(closing)}, but Intacct holds ${money(undepositedReceipts)} of receipts not yet deposited (${undeposited.length})`,
    );
  if (tally.posted === tally.total && undepositedReceipts !== 0)
    violations.push(
      `every payout posted and Stripe paid out all it held, yet ${undeposited.length} receipts (${money(undepositedReceipts)}) are still in clearing ${input.accounts.clearing}: ${undeposited.map((receipt) => receipt.DOCNUMBER).join(', ')}`,
    );
  if (rise !== postedNet)
    violations.push(
      `bank GL ${input.accounts.bank} rose by ${money(rise)} over the run, the posted payouts' nets sum to ${money(postedNet)}`,
    );
  return {
    figures: {
      clearing: { received, paidOut, other, closing, undepositedReceipts },
      bank: { rise, postedPayoutsNet: postedNet },
      payouts: tally,
    },
    violations,
  };
}
