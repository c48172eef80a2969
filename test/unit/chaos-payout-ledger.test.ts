import { describe, expect, it } from 'vitest';
import { payoutLedgerFindings, type LedgerRecords, type PayoutOutcome } from '../chaos/payout-ledger.js';

/** A small Intacct ledger written as the sandbox writes it: one GLBATCH per posting, its GLENTRY lines. */
class Ledger implements LedgerRecords {
  batches: Array<Record<string, string>> = [];
  entries: Array<Record<string, string>> = [];
  deposits: Array<Record<string, string>> = [];
  receipts: Array<Record<string, string>> = [];
  private next = 100;

  post(batch: Record<string, string>, lines: Array<[account: string, debit: number]>): string {
    const recordNo = String(this.next++);
    this.batches.push({ RECORDNO: recordNo, ...batch });
    for (const [account, debit] of lines)
      this.entries.push({ BATCHNO: recordNo, ACCOUNTNO: account, TR_TYPE: debit >= 0 ? '1' : '-1', AMOUNT: Math.abs(debit).toFixed(2) });
    return recordNo;
  }

  /** A cash receipt into clearing (AR: debit 1060, credit receivables). */
  receipt(orderId: string, amount: number): string {
    const key = String(this.next++);
    this.receipts.push({
      RECORDNO: key,
      DOCNUMBER: orderId,
      UNDEPOSITEDACCOUNTNO: '1060',
      TOTALENTERED: amount.toFixed(2),
      STATE: 'Posted',
    });
    this.post({ MODULE: 'AR', JOURNAL: 'ARJ', REFERENCENO: key, BATCH_TITLE: `Receipt ${key}` }, [
      ['1060', amount],
      ['1200', -amount],
    ]);
    return key;
  }

  /** A payout as PayoutReconcile posts it: the deposit of its receipts, then the journal of its fees with the transfer to the bank. */
  payout(payoutId: string, receiptKeys: string[], fees: number): { depositKey: string; journalKey: string } {
    const receipts = this.receipts.filter((receipt) => receiptKeys.includes(receipt.RECORDNO!));
    const total = receipts.reduce((sum, receipt) => sum + Number(receipt.TOTALENTERED), 0);
    const depositKey = String(this.next++);
    this.deposits.push({ RECORDNO: depositKey, DEPOSITID: payoutId, RECEIPTKEYS: receiptKeys.join(',') });
    for (const receipt of receipts) receipt.DEPOSITKEY = depositKey;
    this.post({ MODULE: 'CM', JOURNAL: 'CMJ', REFERENCENO: payoutId }, [
      ['1000', total],
      ['1060', -total],
    ]);
    const journalKey = this.post({ MODULE: 'GL', JOURNAL: 'GJ', REFERENCENO: payoutId }, [
      ['6100', fees],
      ['1060', -fees],
      ['1060', fees],
      ['1000', -fees],
    ]);
    return { depositKey, journalKey };
  }
}

const findings = (ledger: Ledger, payouts: PayoutOutcome[]) =>
  payoutLedgerFindings({
    ...ledger,
    payouts,
    accounts: { clearing: '1060', bank: '1000' },
    journal: 'GJ',
    before: { batches: new Set(), receipts: new Set() },
  });

describe('payoutLedgerFindings', () => {
  it('when a fully matched payout posted one deposit and one journal entry, then clearing nets to zero, the bank rose by its net, and nothing is violated', () => {
    const ledger = new Ledger();
    const keys = [ledger.receipt('101', 100), ledger.receipt('102', 50)];
    const posted = ledger.payout('po_1', keys, 4.65);
    const result = findings(ledger, [
      { payoutId: 'po_1', amount: 14_535, step: 'posted', depositKey: posted.depositKey, journalKeys: [posted.journalKey], variances: 0 },
    ]);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({
      clearing: { received: 15_000, paidOut: 15_000, other: 0, closing: 0, undepositedReceipts: 0 },
      bank: { rise: 14_535, postedPayoutsNet: 14_535 },
      payouts: { total: 1, posted: 1, parked: 0, other: 0 },
    });
  });

  it('when the same payout is deposited twice, then both the duplicate and the bank over its net are named', () => {
    const ledger = new Ledger();
    const posted = ledger.payout('po_1', [ledger.receipt('101', 100)], 3.2);
    ledger.payout('po_1', [ledger.receipt('102', 100)], 3.2);
    const { violations } = findings(ledger, [
      { payoutId: 'po_1', amount: 9_680, step: 'posted', depositKey: posted.depositKey, journalKeys: [posted.journalKey], variances: 0 },
    ]);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Intacct holds 2 deposits with its id'),
        expect.stringContaining('put 193.60 into the bank, not 96.80'),
        expect.stringContaining('bank GL 1000 rose by 193.60'),
      ]),
    );
  });

  it('when a payout is parked on its variances, then its receipt stays in clearing and the roll-forward closes on it', () => {
    const ledger = new Ledger();
    ledger.receipt('101', 100);
    const result = findings(ledger, [{ payoutId: 'po_1', amount: 9_680, step: 'parked', variances: 1 }]);
    expect(result.violations).toEqual([]);
    expect(result.figures.clearing).toEqual({ received: 10_000, paidOut: 0, other: 0, closing: 10_000, undepositedReceipts: 10_000 });
  });

  it('when a payout is parked without a variance, or has no workflow, then that is named', () => {
    const ledger = new Ledger();
    const { violations } = findings(ledger, [
      { payoutId: 'po_1', amount: 100, step: 'parked', variances: 0 },
      { payoutId: 'po_2', amount: 100, step: undefined, variances: 0 },
    ]);
    expect(violations).toEqual([
      'payout po_1 (1.00) is parked without a variance naming why',
      'payout po_2 (1.00) did not end: PayoutReconcile is missing',
    ]);
  });

  it('when something else was posted to clearing, or every payout posted but a receipt stayed undeposited, then the roll-forward says so', () => {
    const ledger = new Ledger();
    const posted = ledger.payout('po_1', [ledger.receipt('101', 100)], 3.2);
    ledger.receipt('102', 25);
    ledger.post({ MODULE: 'GL', JOURNAL: 'GJ', REFERENCENO: 'manual' }, [
      ['1060', 1],
      ['6190', -1],
    ]);
    const { violations, figures } = findings(ledger, [
      { payoutId: 'po_1', amount: 9_680, step: 'posted', depositKey: posted.depositKey, journalKeys: [posted.journalKey], variances: 0 },
    ]);
    expect(figures.clearing).toMatchObject({ other: 100, closing: 2_600, undepositedReceipts: 2_500 });
    expect(violations).toEqual([
      'clearing 1060: 1.00 was posted to it by neither a receipt nor a payout',
      'clearing 1060 roll-forward: received 125.00 − paid out 100.00 closes at 26.00, but Intacct holds 25.00 of receipts not yet deposited (1)',
      'every payout posted and Stripe paid out all it held, yet 1 receipts (25.00) are still in clearing 1060: 102',
    ]);
  });

  it('when a posted payout took out of clearing more than its receipts put in, then it does not net to zero', () => {
    const ledger = new Ledger();
    const posted = ledger.payout('po_1', [ledger.receipt('101', 100)], 3.2);
    ledger.entries.push({ BATCHNO: posted.journalKey, ACCOUNTNO: '1060', TR_TYPE: '-1', AMOUNT: '0.01' });
    ledger.entries.push({ BATCHNO: posted.journalKey, ACCOUNTNO: '6190', TR_TYPE: '1', AMOUNT: '0.01' });
    const { violations } = findings(ledger, [
      { payoutId: 'po_1', amount: 9_680, step: 'posted', depositKey: posted.depositKey, journalKeys: [posted.journalKey], variances: 0 },
    ]);
    expect(violations).toContain(
      'payout po_1 (96.80): clearing 1060 does not net to zero: its 1 receipts put in 100.00, its deposit and journal took out 100.01',
    );
  });
});
