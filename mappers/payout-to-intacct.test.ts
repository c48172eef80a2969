import { describe, expect, it } from 'vitest';
import type { JournalEntryLine } from '../connectors/intacct/functions/create-journal-entry.js';
import { matchPayout, type LedgerPostingsByReference } from '../decisions/payout-matching.js';
import type { GatewayCloseSettings } from '../store/schemas/settings.js';
import { creditMemo, payout, payoutLine, receipt } from '../test/support/payout-fixtures.js';
import type { PayoutLine, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import {
  PayoutCurrencyNotPostableError,
  toIntacctPayoutDayPosting,
  toIntacctPayoutPosting,
  type PayoutDayPostingInput,
  type PayoutPosting,
  type PayoutPostingInput,
} from './payout-to-intacct.js';
import { parseExactAmount } from './money.js';

const gateway: GatewayCloseSettings = {
  gateway: 'stripe',
  clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
  journal: 'GJ',
  dimensions: { locationId: '100', departmentId: 'SALES' },
  postingMode: 'perPayout',
  postingDate: 'arrival',
};
const dims = { locationId: '100', departmentId: 'SALES' };
const charge = (id: string, gross: number, fee: number, reference: string) =>
  payoutLine(id, 'charge', gross, fee, { paymentReference: reference });

function post(subject: ProcessorPayout, postings: LedgerPostingsByReference, extra: Partial<PayoutPostingInput> = {}): PayoutPosting {
  return toIntacctPayoutPosting({
    payout: subject,
    matching: matchPayout(subject, postings),
    gateway,
    bankGlAccountNo: '1000',
    baseCurrency: 'USD',
    exchangeRateType: 'Intacct Daily Rate',
    ...extra,
  });
}

/** What the postings do to the GL, in minor units, given the receipts already sitting in clearing. */
function glEffect(
  posting: Pick<PayoutPosting, 'deposit' | 'journalEntries' | 'figures'>,
  receiptsInClearing: number,
  currency = 'USD',
): Record<string, number> {
  const balances: Record<string, number> = { '1060': receiptsInClearing };
  const add = (account: string, amount: number) => (balances[account] = (balances[account] ?? 0) + amount);
  if (posting.deposit) {
    add('1000', posting.figures.deposited);
    add('1060', -posting.figures.deposited);
  }
  for (const entry of posting.journalEntries) {
    const signed = entry.lines.map((line) => (line.direction === 'debit' ? 1 : -1) * parseExactAmount(line.amount, currency));
    expect(signed.reduce((sum, amount) => sum + amount, 0)).toBe(0);
    expect(signed.every((amount) => amount !== 0)).toBe(true);
    entry.lines.forEach((line, index) => add(line.accountNumber, signed[index]!));
  }
  return balances;
}

const line = (accountNumber: string, direction: JournalEntryLine['direction'], amount: string, description: string): JournalEntryLine => ({
  accountNumber,
  direction,
  amount,
  description: `stripe payout po_1: ${description}`,
  ...dims,
});

describe('toIntacctPayoutPosting', () => {
  it('when charges carry their fees, then the receipts are deposited gross and the fees come out of clearing to the fee account', () => {
    const subject = payout([charge('txn_1', 10_000, 320, 'ch_1'), charge('txn_2', 2_500, 103, 'ch_2')]);
    const posting = post(subject, { ch_1: [receipt('101', '9001', 10_000)], ch_2: [receipt('102', '9002', 2_500)] });
    expect(posting).toEqual({
      payoutId: 'po_1',
      deposit: {
        bankAccountId: 'BOA-CHK',
        depositDate: '2026-11-06',
        depositId: 'po_1',
        receiptKeys: ['9001', '9002'],
        description: 'stripe payout po_1: 2 receipts, USD 125.00',
      },
      journalEntries: [
        {
          journal: 'GJ',
          date: '2026-11-06',
          title: 'stripe payout po_1',
          referenceNumber: 'po_1',
          lines: [
            line('6100', 'debit', '3.20', 'fee on charge txn_1, order 101, payment ch_1'),
            line('6100', 'debit', '1.03', 'fee on charge txn_2, order 102, payment ch_2'),
            line('1060', 'credit', '4.23', 'processor balance movements'),
            line('1000', 'credit', '4.23', 'to the bank beyond the deposited receipts'),
            line('1060', 'debit', '4.23', 'paid out of clearing'),
          ],
        },
      ],
      figures: { net: 12_077, deposited: 12_500, journalToBank: -423, clearingResidual: 0 },
    });
    expect(glEffect(posting, 12_500)).toEqual({ '1060': 0, '1000': 12_077, '6100': 423 });
  });

  it.each([
    {
      name: 'a refund',
      lines: [charge('txn_1', 10_000, 320, 'ch_1'), payoutLine('txn_r', 'refund', -2_500, 0, { paymentReference: 'ch_1' })],
      postings: { ch_1: [receipt('101', '9001', 10_000), creditMemo('101', 'CM-1', 2_500)] },
      // The refund's own AR posting paid 25.00 out of clearing; the credit memo took it off revenue: nothing reaches `refunds`.
      paidOutOfClearing: 2_500,
      effect: { '1060': 0, '1000': 7_180, '6100': 320 },
    },
    {
      name: 'a dispute lost (amount and dispute fee withdrawn)',
      lines: [charge('txn_1', 10_000, 320, 'ch_1'), payoutLine('txn_d', 'chargeback', -10_000, 1_500, { paymentReference: 'ch_1' })],
      postings: { ch_1: [receipt('101', '9001', 10_000)] },
      effect: { '1060': 0, '1000': -1_820, '6100': 320, '6110': 10_000, '6120': 1_500 },
    },
    {
      name: 'a dispute won (the amount given back)',
      lines: [payoutLine('txn_w', 'chargeback_reversal', 10_000, 0, { paymentReference: 'ch_1' })],
      postings: { ch_1: [receipt('101', '9001', 10_000)] },
      effect: { '1060': 0, '1000': 10_000, '6110': -10_000 },
    },
    {
      name: 'a reserve held back and an adjustment',
      lines: [charge('txn_1', 10_000, 0, 'ch_1'), payoutLine('txn_h', 'reserve', -1_000), payoutLine('txn_a', 'adjustment', 37)],
      postings: { ch_1: [receipt('101', '9001', 10_000)] },
      effect: { '1060': 0, '1000': 9_037, '1070': 1_000, '6190': -37 },
    },
    {
      name: 'a charge with no receipt (to adjustments, not clearing)',
      lines: [charge('txn_1', 10_000, 300, 'ch_1'), charge('txn_x', 500, 0, 'ch_x')],
      postings: { ch_1: [receipt('101', '9001', 10_000)] },
      effect: { '1060': 0, '1000': 10_200, '6100': 300, '6190': -500 },
    },
  ] as Array<{
    name: string;
    lines: PayoutLine[];
    postings: LedgerPostingsByReference;
    paidOutOfClearing?: number;
    effect: Record<string, number>;
  }>)(
    'when the payout holds $name, then clearing nets to zero and the bank is up by exactly the net',
    ({ lines, postings, paidOutOfClearing = 0, effect }) => {
      const subject = payout(lines);
      const posting = post(subject, postings);
      const deposited = posting.figures.deposited;
      expect(glEffect(posting, deposited - paidOutOfClearing)).toEqual(effect);
      expect(posting.figures.deposited + posting.figures.journalToBank).toBe(subject.amount);
      expect(posting.figures.clearingResidual).toBe(0);
    },
  );

  it('when a dispute is lost, then the withdrawn amount goes to chargebacks and its fee to dispute fees, each line naming the order', () => {
    const posting = post(payout([payoutLine('txn_d', 'chargeback', -10_000, 1_500, { paymentReference: 'ch_1' })]), {
      ch_1: [receipt('101', '9001', 10_000)],
    });
    expect(posting.deposit).toBeUndefined();
    expect(posting.journalEntries[0]?.lines.slice(0, 2)).toEqual([
      line('6110', 'debit', '100.00', 'chargeback txn_d, order 101, payment ch_1'),
      line('6120', 'debit', '15.00', 'fee on chargeback txn_d, order 101, payment ch_1'),
    ]);
  });

  it('when a payout holds only fees, then there is no deposit and the journal takes them out of the bank', () => {
    const posting = post(payout([payoutLine('txn_f', 'fee', -200, 0, { description: 'Radar' })], { createdDate: '2026-11-01' }), {}, {});
    expect(posting.deposit).toBeUndefined();
    expect(posting.journalEntries).toEqual([
      {
        journal: 'GJ',
        date: '2026-11-06',
        title: 'stripe payout po_1',
        referenceNumber: 'po_1',
        lines: [
          line('6100', 'debit', '2.00', 'fee txn_f'),
          line('1060', 'credit', '2.00', 'processor balance movements'),
          line('1000', 'credit', '2.00', 'to the bank beyond the deposited receipts'),
          line('1060', 'debit', '2.00', 'paid out of clearing'),
        ],
      },
    ]);
    expect(glEffect(posting, 0)).toEqual({ '1060': 0, '1000': -200, '6100': 200 });
  });

  it('when the payout is in another currency, then every line carries it with the rate named: the rate type, or the explicit rate', () => {
    const subject = payout([charge('txn_1', 10_000, 290, 'ch_1')], { currency: 'EUR' });
    const postings = { ch_1: [receipt('101', '9001', 10_000, { currency: 'EUR' })] };
    const byType = post(subject, postings);
    expect(byType.exchangeRate).toEqual({ from: 'EUR', to: 'USD', rateType: 'Intacct Daily Rate', date: '2026-11-06' });
    expect(byType.journalEntries[0]?.lines[0]).toEqual({
      ...line('6100', 'debit', '2.90', 'fee on charge txn_1, order 101, payment ch_1'),
      currency: 'EUR',
      exchangeRate: { rateType: 'Intacct Daily Rate', date: '2026-11-06' },
    });
    const explicit = post(subject, postings, { exchangeRate: 1.0842 });
    expect(explicit.exchangeRate).toEqual({ from: 'EUR', to: 'USD', rate: '1.0842', date: '2026-11-06' });
    expect(explicit.journalEntries[0]?.lines.every((entry) => entry.currency === 'EUR' && entry.exchangeRate?.date === '2026-11-06')).toBe(
      true,
    );
    expect(glEffect(explicit, 10_000, 'EUR')).toEqual({ '1060': 0, '1000': 9_710, '6100': 290 });
  });

  it('when a line was charged in the buyer’s currency, then its description names the original amount and the processor’s rate', () => {
    const converted = { ...charge('txn_1', 10_842, 300, 'ch_1'), original: { currency: 'EUR', amount: 10_000, exchangeRate: 1.0842 } };
    const posting = post(payout([converted]), { ch_1: [receipt('101', '9001', 10_000, { currency: 'EUR' })] });
    expect(posting.journalEntries[0]?.lines[0]?.description).toBe(
      'stripe payout po_1: fee on charge txn_1, order 101, payment ch_1 (EUR 100.00 at 1.0842 = USD 108.42)',
    );
    expect(posting.deposit?.receiptKeys).toEqual(['9001']);
  });

  it('when amounts are in a currency without cents or with finer units, then they are written to its precision or refused', () => {
    const yen = post(payout([charge('txn_1', 1_500, 54, 'ch_1')], { currency: 'JPY' }), {
      ch_1: [receipt('101', '9001', 1_500, { currency: 'JPY' })],
    });
    expect(yen.journalEntries[0]?.lines.map((entry) => entry.amount)).toEqual(['54', '54', '54', '54']);
    expect(yen.deposit?.description).toBe('stripe payout po_1: 1 receipts, JPY 1500');
    expect(() => post(payout([payoutLine('txn_f', 'fee', -1_235)], { currency: 'KWD' }), {})).toThrow(PayoutCurrencyNotPostableError);
  });

  it('when the payout has more lines than one entry carries, then it is split into balanced entries with the same reference', () => {
    const fees = Array.from({ length: 6 }, (_, index) => payoutLine(`txn_${index}`, 'fee', -(100 + index)));
    const posting = post(payout(fees), {}, { maxLinesPerEntry: 5 });
    expect(posting.journalEntries.map((entry) => [entry.title, entry.referenceNumber, entry.lines.length])).toEqual([
      ['stripe payout po_1 (part 1 of 3)', 'po_1', 3],
      ['stripe payout po_1 (part 2 of 3)', 'po_1', 3],
      ['stripe payout po_1 (part 3 of 3)', 'po_1', 5],
    ]);
    expect(glEffect(posting, 0)).toEqual({ '1060': 0, '1000': -615, '6100': 615 });
  });

  it('when the gateway posts by creation date, then the deposit and journal carry the payout’s created date', () => {
    const posting = post(
      payout([charge('txn_1', 1_000, 30, 'ch_1')]),
      { ch_1: [receipt('1', '9', 1_000)] },
      { gateway: { ...gateway, postingDate: 'created' } },
    );
    expect([posting.deposit?.depositDate, posting.journalEntries[0]?.date]).toEqual(['2026-11-04', '2026-11-04']);
  });

  it('when the payout only deposits receipts with nothing kept back, then there is no journal entry', () => {
    const posting = post(payout([charge('txn_1', 1_000, 0, 'ch_1')]), { ch_1: [receipt('1', '9', 1_000)] });
    expect(posting.journalEntries).toEqual([]);
    expect(posting.figures).toEqual({ net: 1_000, deposited: 1_000, journalToBank: 0, clearingResidual: 0 });
  });

  it('when the lines do not sum to the amount paid, then the bank still gets the amount and the difference stays in clearing', () => {
    const subject = payout([charge('txn_1', 1_000, 30, 'ch_1')], { amount: 1_000 });
    const posting = post(subject, { ch_1: [receipt('1', '9', 1_000)] });
    expect(posting.figures).toEqual({ net: 1_000, deposited: 1_000, journalToBank: 0, clearingResidual: -30 });
    expect(glEffect(posting, 1_000)).toEqual({ '1060': -30, '1000': 1_000, '6100': 30 });
  });

  it('when an operator approved posting the unexplained difference, then it goes to adjustments and clearing nets to zero', () => {
    const subject = payout([charge('txn_1', 1_000, 30, 'ch_1')], { amount: 1_000 });
    const posting = post(subject, { ch_1: [receipt('1', '9', 1_000)] }, { variancesApproved: true });
    expect(posting.figures).toEqual({ net: 1_000, deposited: 1_000, journalToBank: 0, clearingResidual: 0 });
    expect(glEffect(posting, 1_000)).toEqual({ '1060': 0, '1000': 1_000, '6100': 30, '6190': -30 });
    expect(posting.journalEntries[0]?.lines[1]?.description).toBe(
      'stripe payout po_1: paid USD 10.00 against lines of USD 9.70 (approved variance)',
    );
  });
});

describe('toIntacctPayoutDayPosting', () => {
  const settings = { gateway, bankGlAccountNo: '1000', baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' };
  const matched = (subject: ProcessorPayout, postings: LedgerPostingsByReference) => ({
    payout: subject,
    matching: matchPayout(subject, postings),
  });
  const day = (payouts: PayoutDayPostingInput['payouts'], extra: Partial<PayoutDayPostingInput> = {}) =>
    toIntacctPayoutDayPosting({ ...settings, day: '2026-11-06', reference: 'stripe-2026-11-06', payouts, ...extra });
  const dayLine = (accountNumber: string, direction: JournalEntryLine['direction'], amount: string, description: string) => ({
    ...line(accountNumber, direction, amount, ''),
    description: `stripe payouts of 2026-11-06: ${description}`,
  });

  const first = payout([charge('txn_1', 10_000, 320, 'ch_1')], { payoutId: 'po_1' });
  const second = payout([charge('txn_2', 2_500, 103, 'ch_2'), payoutLine('txn_f', 'fee', -200)], { payoutId: 'po_2' });
  const firstPostings = { ch_1: [receipt('101', '9001', 10_000)] };
  const secondPostings = { ch_2: [receipt('102', '9002', 2_500)] };

  it('when two payouts arrive on one day, then one deposit holds both payouts’ receipts and one journal entry books both, each line naming its payout', () => {
    const posting = day([matched(first, firstPostings), matched(second, secondPostings)]);
    expect(posting).toEqual({
      reference: 'stripe-2026-11-06',
      deposit: {
        bankAccountId: 'BOA-CHK',
        depositDate: '2026-11-06',
        depositId: 'stripe-2026-11-06',
        receiptKeys: ['9001', '9002'],
        description: 'stripe payouts of 2026-11-06: 2 receipts, USD 125.00',
      },
      journalEntries: [
        {
          journal: 'GJ',
          date: '2026-11-06',
          title: 'stripe payouts of 2026-11-06',
          referenceNumber: 'stripe-2026-11-06',
          lines: [
            dayLine('6100', 'debit', '3.20', 'payout po_1: fee on charge txn_1, order 101, payment ch_1'),
            dayLine('6100', 'debit', '1.03', 'payout po_2: fee on charge txn_2, order 102, payment ch_2'),
            dayLine('6100', 'debit', '2.00', 'payout po_2: fee txn_f'),
            dayLine('1060', 'credit', '6.23', 'processor balance movements'),
            dayLine('1000', 'credit', '6.23', 'to the bank beyond the deposited receipts'),
            dayLine('1060', 'debit', '6.23', 'paid out of clearing'),
          ],
        },
      ],
      figures: { net: first.amount + second.amount, deposited: 12_500, journalToBank: -623, clearingResidual: 0 },
      receiptsByPayout: { po_1: ['9001'], po_2: ['9002'] },
    });
    expect(glEffect(posting, 12_500)).toEqual({ '1060': 0, '1000': first.amount + second.amount, '6100': 623 });
  });

  it('when refunds and a lost dispute outweigh the day’s charges, then the journal takes the negative net out of the bank and clearing still nets to zero', () => {
    const refunds = payout(
      [
        charge('txn_1', 1_000, 59, 'ch_1'),
        payoutLine('txn_r', 'refund', -8_000, 0, { paymentReference: 'ch_9' }),
        payoutLine('txn_d', 'chargeback', -3_000, 1_500, { paymentReference: 'ch_8' }),
      ],
      { payoutId: 'po_neg' },
    );
    const posting = day([matched(first, firstPostings), matched(refunds, { ch_1: [receipt('103', '9003', 1_000)] })]);
    const net = first.amount + refunds.amount;
    expect(net).toBeLessThan(0);
    expect(posting.figures).toEqual({ net, deposited: 11_000, journalToBank: net - 11_000, clearingResidual: 0 });
    expect(posting.deposit?.receiptKeys).toEqual(['9001', '9003']);
    expect(glEffect(posting, 11_000)).toEqual({ '1060': 0, '1000': net, '6100': 379, '4950': 8_000, '6110': 3_000, '6120': 1_500 });
  });

  it('when a day holds one payout, then it posts the same lines and figures as that payout on its own, under the day’s reference', () => {
    const own = post(second, secondPostings);
    const posting = day([matched(second, secondPostings)]);
    const withoutText = (entries: PayoutPosting['journalEntries']) =>
      entries.map((entry) => entry.lines.map(({ description: _description, ...rest }) => rest));
    expect(withoutText(posting.journalEntries)).toEqual(withoutText(own.journalEntries));
    expect(posting.figures).toEqual(own.figures);
    expect(posting.deposit).toEqual({
      ...own.deposit,
      depositId: 'stripe-2026-11-06',
      description: 'stripe payouts of 2026-11-06: 1 receipts, USD 25.00',
    });
    expect(posting.journalEntries.map((entry) => entry.referenceNumber)).toEqual(['stripe-2026-11-06']);
  });

  it('when an operator approved one payout’s variance, then only that payout’s unexplained amount goes to adjustments', () => {
    const short = payout([charge('txn_3', 5_000, 0, 'ch_3')], { payoutId: 'po_short', amount: 4_990 });
    const shortPostings = { ch_3: [receipt('104', '9004', 5_000)] };
    const posting = day([matched(first, firstPostings), { ...matched(short, shortPostings), variancesApproved: true }]);
    expect(glEffect(posting, 15_000)).toEqual({ '1060': 0, '1000': first.amount + 4_990, '6100': 320, '6190': 10 });
  });

  it('when the day’s payouts are in different currencies or none is given, then it is refused', () => {
    const euros = payout([charge('txn_e', 1_000, 0, 'ch_e')], { payoutId: 'po_eur', currency: 'EUR' });
    expect(() => day([matched(first, firstPostings), matched(euros, {})])).toThrow(/po_eur is in EUR/);
    expect(() => day([])).toThrow(RangeError);
  });
});
