import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseSettlementReport,
  payoutLinesDifference,
  type SettlementLayout,
  type SettlementRowError,
} from '../../../mappers/settlement-report/parse-settlement-report.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/settlement/${name}`, import.meta.url), 'utf8');
const paypal: SettlementLayout = { template: 'paypal-settlement' };

function parsed(text: string, layout: SettlementLayout, request: Parameters<typeof parseSettlementReport>[2] = { gateway: 'stripe' }) {
  const result = parseSettlementReport(text, layout, request);
  if (!result.ok) throw new Error(`expected the file to import, got ${JSON.stringify(result.errors)}`);
  return result.payouts;
}

function rejected(text: string, layout: SettlementLayout, request: Parameters<typeof parseSettlementReport>[2] = { gateway: 'stripe' }) {
  const result = parseSettlementReport(text, layout, request);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors;
}

describe('PayPal settlement report', () => {
  it('when the file is good then the withdrawal is the payout and the other rows its lines', () => {
    const [payout, ...others] = parsed(fixture('paypal-good.csv'), paypal, { gateway: 'paypalexpress' });
    expect(others).toEqual([]);
    expect(payout).toEqual({
      processor: 'paypal',
      gateway: 'paypalexpress',
      payoutId: '3WD33333DD333333E',
      status: 'paid',
      currency: 'USD',
      amount: 7626,
      createdDate: '2026-11-03',
      arrivalDate: '2026-11-03',
      lines: [
        {
          lineId: '8AB12345CD678901E',
          kind: 'charge',
          gross: 12550,
          fee: 394,
          net: 12156,
          paymentReference: '8AB12345CD678901E',
          orderReference: '1001',
          occurredAt: '2026-11-03T09:10:11-08:00',
          description: 'PayPal T0006',
        },
        {
          lineId: '9XY98765ZW432109K',
          kind: 'charge',
          gross: 4000,
          fee: 146,
          net: 3854,
          paymentReference: '9XY98765ZW432109K',
          orderReference: '1002',
          occurredAt: '2026-11-03T10:00:00-08:00',
          description: 'PayPal T0006',
        },
        {
          lineId: '1RF00000AA000000B',
          kind: 'refund',
          gross: -4000,
          fee: 0,
          net: -4000,
          paymentReference: '9XY98765ZW432109K',
          orderReference: '1002',
          occurredAt: '2026-11-03T14:30:00-08:00',
          description: 'PayPal T1107',
        },
        {
          lineId: '1RF00000AA000000B:fee-returned',
          kind: 'fee',
          gross: 116,
          fee: 0,
          net: 116,
          paymentReference: '9XY98765ZW432109K',
          occurredAt: '2026-11-03T14:30:00-08:00',
          description: 'fee returned on 1RF00000AA000000B',
        },
        {
          lineId: '2CB11111BB111111C',
          kind: 'chargeback',
          gross: -2500,
          fee: 2000,
          net: -4500,
          paymentReference: '7QQ22222CC222222D',
          orderReference: '0987',
          occurredAt: '2026-11-03T15:00:00-08:00',
          description: 'PayPal T1201',
        },
      ],
    });
    expect(payoutLinesDifference(payout!)).toBe(0);
  });

  it('when the withdrawal differs from the lines then the payout still imports, its difference shown for the variance step', () => {
    const text = fixture('paypal-good.csv').replace('"DR",7626,"USD"', '"DR",7726,"USD"');
    const [payout] = parsed(text, paypal, { gateway: 'paypalexpress' });
    expect(payoutLinesDifference(payout!)).toBe(100);
  });

  it('when rows are bad then every one is named and nothing is imported', () => {
    expect(rejected(fixture('paypal-bad.csv'), paypal, { gateway: 'paypalexpress' })).toEqual<SettlementRowError[]>([
      { row: 4, column: 'Transaction Event Code', value: 'T9999', reason: expect.stringMatching(/^unknown category/) },
      { row: 5, column: 'Gross Transaction Amount', value: '40.00', reason: expect.stringMatching(/^the amount is not a number/) },
      {
        row: 6,
        column: 'Gross Transaction Currency',
        value: 'GBP',
        reason: 'currency mixed within a payout: payout 7WWW is in USD (row 11)',
      },
      { row: 7, value: '1AAA', reason: 'duplicate line id: first given on row 3' },
      {
        row: 8,
        column: 'Transaction Initiation Date',
        value: 'yesterday',
        reason: 'the date is not in the YYYY/MM/DD HH:MM:SS ±HHMM layout',
      },
      { row: 9, column: 'Transaction Debit or Credit', value: 'XX', reason: 'the debit/credit indicator is neither CR nor DR' },
      { row: 10, column: 'Transaction ID', reason: 'the transaction id is missing' },
    ]);
  });

  it('when the file has no withdrawal then the request names the payout; without one every row lacks it', () => {
    const text = fixture('paypal-good.csv')
      .split('\n')
      .filter((line) => !line.includes('T0400'))
      .join('\n');
    const [payout] = parsed(text, paypal, { gateway: 'paypalexpress', payoutId: 'BANK-2026-11-03', payoutDate: '2026-11-04' });
    expect(payout).toMatchObject({ payoutId: 'BANK-2026-11-03', amount: 7626, arrivalDate: '2026-11-04' });
    const errors = rejected(text, paypal, { gateway: 'paypalexpress' });
    expect(errors.map((error) => error.row)).toEqual([5, 6, 7, 7, 8]);
    expect(errors[0]!.reason).toMatch(/^missing id/);
  });

  it('when the request names another payout than the file’s withdrawal then the withdrawal row says so', () => {
    expect(rejected(fixture('paypal-good.csv'), paypal, { gateway: 'paypalexpress', payoutId: 'OTHER' })).toEqual([
      { row: 9, value: '3WD33333DD333333E', reason: "the file's payout is not OTHER, named in the request" },
    ]);
  });

  it.each([
    ['JPY', '10000', 'CR', 100],
    ['USD', '10000', 'DR', -10000],
    ['KWD', '12345', 'CR', 123450],
  ])('reads %s %s %s as %i minor units (PayPal writes hundredths whatever the currency)', (currency, amount, indicator, minor) => {
    const text = [
      '"CH","Transaction ID","Transaction Event Code","Transaction Initiation Date","Transaction Debit or Credit","Gross Transaction Amount","Gross Transaction Currency"',
      `"SB","T1","T0006",2026/11/03 09:10:11 +0900,"${indicator}",${amount},"${currency}"`,
    ].join('\n');
    expect(parsed(text, paypal, { gateway: 'paypal', payoutId: 'P1' })[0]!.lines[0]!.gross).toBe(minor);
  });

  it('when a JPY amount has hundredths then it is refused, not rounded', () => {
    const text = [
      '"CH","Transaction ID","Transaction Event Code","Transaction Initiation Date","Transaction Debit or Credit","Gross Transaction Amount","Gross Transaction Currency"',
      '"SB","T1","T0006",2026/11/03 09:10:11 +0900,"CR",10050,"JPY"',
    ].join('\n');
    expect(rejected(text, paypal, { gateway: 'paypal', payoutId: 'P1' })[0]!.reason).toBe(
      'the amount is not a whole number of JPY minor units',
    );
  });
});

describe('PayPal settlement report of several balances', () => {
  const twoCurrencies = fixture('paypal-good.csv').replace(
    '"SF","USD"',
    [
      '"SB","4GB44444EE444444F","1003","","","T0006",2026/11/03 11:00:00 -0800,2026/11/03 11:00:00 -0800,"CR",5000,"GBP","DR",200,"GBP","","BUYER4","","","",,,',
      '"SB","5GW55555FF555555G","","","","T0400",2026/11/03 23:30:00 -0800,2026/11/03 23:30:00 -0800,"DR",4800,"GBP","",0,"GBP","","","","","",,,',
      '"SF","USD"',
    ].join('\n'),
  );

  it('when the request names a currency then only that balance’s rows make the payout', () => {
    const [gbp, ...others] = parsed(twoCurrencies, paypal, { gateway: 'paypalexpress', currency: 'GBP' });
    expect(others).toEqual([]);
    expect(gbp).toMatchObject({ payoutId: '5GW55555FF555555G', currency: 'GBP', amount: 4800 });
    expect(gbp!.lines.map((line) => [line.lineId, line.net])).toEqual([['4GB44444EE444444F', 4800]]);
    expect(parsed(twoCurrencies, paypal, { gateway: 'paypalexpress', currency: 'USD' })[0]).toMatchObject({
      payoutId: '3WD33333DD333333E',
      amount: 7626,
    });
  });

  it('when no currency is named then each balance’s withdrawal is a payout of its own, with the lines of its currency', () => {
    const payouts = parsed(twoCurrencies, paypal, { gateway: 'paypalexpress' });
    expect(payouts.map((payout) => [payout.payoutId, payout.currency, payout.amount, payout.lines.length])).toEqual([
      ['3WD33333DD333333E', 'USD', 7626, 5],
      ['5GW55555FF555555G', 'GBP', 4800, 1],
    ]);
  });

  it('when the named currency has no rows then that is said', () => {
    expect(rejected(twoCurrencies, paypal, { gateway: 'paypalexpress', currency: 'EUR' })).toEqual([
      { row: 1, reason: 'the file holds no payout lines in EUR' },
    ]);
  });
});
