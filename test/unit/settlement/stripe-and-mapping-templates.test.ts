import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settlementColumnMappingSchema, type SettlementColumnMappingInput } from '../../../mappers/settlement-report/column-mapping.js';
import {
  parseSettlementReport,
  payoutLinesDifference,
  type SettlementLayout,
  type SettlementRowError,
} from '../../../mappers/settlement-report/parse-settlement-report.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/settlement/${name}`, import.meta.url), 'utf8');
const stripe: SettlementLayout = { template: 'stripe-payout-reconciliation' };

const germanExport: SettlementColumnMappingInput = {
  columns: {
    lineId: 'Buchungs-ID',
    kind: 'Typ',
    gross: 'Brutto',
    fee: 'Gebühr',
    net: 'Netto',
    paymentReference: 'Zahlungsreferenz',
    orderReference: 'Bestellnummer',
    occurredAt: 'Datum',
  },
  kinds: { Verkauf: 'charge', Erstattung: 'refund', Gebühr: 'fee' },
  currency: 'EUR',
  delimiter: ';',
  decimalSeparator: ',',
  thousandsSeparator: '.',
  dateFormat: 'DD.MM.YYYY',
  feeSign: 'negative',
};
const german: SettlementLayout = { mapping: settlementColumnMappingSchema.parse(germanExport) };

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

describe('Stripe itemized payout reconciliation report', () => {
  it('when the file is good then each automatic payout becomes one payout in exact minor units', () => {
    const payouts = parsed(fixture('stripe-good.csv'), stripe);
    expect(payouts).toEqual([
      {
        processor: 'stripe',
        gateway: 'stripe',
        payoutId: 'po_1A',
        status: 'paid',
        currency: 'USD',
        amount: 3092,
        createdDate: '2026-11-04',
        arrivalDate: '2026-11-04',
        lines: [
          {
            lineId: 'txn_ch1',
            kind: 'charge',
            gross: 10000,
            fee: 320,
            net: 9680,
            paymentReference: 'ch_101',
            occurredAt: '2026-11-01T09:15:02Z',
            description: 'Order 101',
          },
          {
            lineId: 'txn_ch2',
            kind: 'charge',
            gross: 1999,
            fee: 88,
            net: 1911,
            paymentReference: 'ch_102',
            occurredAt: '2026-11-01T12:00:00Z',
            description: 'Order 102',
          },
          {
            lineId: 'txn_re1',
            kind: 'refund',
            gross: -1999,
            fee: 0,
            net: -1999,
            paymentReference: 'ch_102',
            occurredAt: '2026-11-02T08:00:00Z',
            description: 'Refund for order 102',
          },
          {
            lineId: 'txn_dp1',
            kind: 'chargeback',
            gross: -5000,
            fee: 1500,
            net: -6500,
            paymentReference: 'ch_099',
            occurredAt: '2026-11-02T10:30:00Z',
            description: 'Dispute on order 99',
          },
        ],
      },
      {
        processor: 'stripe',
        gateway: 'stripe',
        payoutId: 'po_1B',
        status: 'paid',
        currency: 'JPY',
        amount: 970,
        createdDate: '2026-11-05',
        arrivalDate: '2026-11-05',
        lines: [
          {
            lineId: 'txn_ch3',
            kind: 'charge',
            gross: 1000,
            fee: 30,
            net: 970,
            paymentReference: 'ch_103',
            occurredAt: '2026-11-03T16:45:10Z',
            description: 'Order 103',
          },
        ],
      },
    ]);
  });

  it('when rows are bad then every one is named with its column, value and reason, and nothing is imported', () => {
    const errors = rejected(fixture('stripe-bad.csv'), stripe);
    expect(errors).toEqual<SettlementRowError[]>([
      { row: 3, column: 'reporting_category', value: 'transfer', reason: expect.stringMatching(/^unknown category/) },
      { row: 4, column: 'gross', value: 'ten', reason: 'the amount is not a number' },
      { row: 5, column: 'net', value: '9.80', reason: 'net ≠ gross − fee (gross 10.00, fee 0.30, net 9.80)' },
      { row: 6, column: 'currency', value: 'EUR', reason: 'currency mixed within a payout: payout po_2A is in USD (row 2)' },
      { row: 7, column: 'balance_transaction_id', reason: 'the line id is missing' },
      { row: 8, value: 'txn_1', reason: 'duplicate line id: first given on row 2' },
      { row: 9, column: 'created_utc', value: '2026-13-01 09:15:02', reason: 'the date does not exist in the calendar' },
      { row: 10, column: 'gross', value: '10.001', reason: 'the amount has more decimals than USD has (2)' },
      { row: 10, column: 'net', value: '9.701', reason: 'the amount has more decimals than USD has (2)' },
    ]);
  });

  it('when a refund hands its fee back then the returned fee is a fee line of its own and the sum is kept', () => {
    const text = [
      'automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created_utc,reporting_category,gross,fee,net,currency,charge_id',
      'po_3,2026-11-04,txn_r,2026-11-01 00:00:00,refund,-10.00,-0.59,-9.41,usd,ch_9',
    ].join('\n');
    const [payout] = parsed(text, stripe);
    expect(payout!.lines).toEqual([
      { lineId: 'txn_r', kind: 'refund', gross: -1000, fee: 0, net: -1000, paymentReference: 'ch_9', occurredAt: '2026-11-01T00:00:00Z' },
      {
        lineId: 'txn_r:fee-returned',
        kind: 'fee',
        gross: 59,
        fee: 0,
        net: 59,
        paymentReference: 'ch_9',
        occurredAt: '2026-11-01T00:00:00Z',
        description: 'fee returned on txn_r',
      },
    ]);
    expect(payout!.amount).toBe(-941);
  });

  it('when the header lacks a column the template reads then the header row is the one bad row', () => {
    expect(rejected('automatic_payout_id,gross\npo_1,1.00\n', stripe)).toEqual([
      { row: 1, reason: expect.stringContaining('balance_transaction_id') },
    ]);
  });

  it('when the request states the amount paid and the lines sum to less then the payout imports and shows the difference', () => {
    const text = fixture('stripe-good.csv')
      .split('\n')
      .filter((line) => !line.includes('po_1B'))
      .join('\n');
    const [payout] = parsed(text, stripe, { gateway: 'stripe', payoutAmount: '31.00' });
    expect(payout!.amount).toBe(3100);
    expect(payoutLinesDifference(payout!)).toBe(8);
  });

  it('when the request states one amount for a file of two payouts then that is refused', () => {
    expect(rejected(fixture('stripe-good.csv'), stripe, { gateway: 'stripe', payoutAmount: '1.00' })).toEqual([
      { row: 1, reason: 'the request states one payout amount but the file holds 2 payouts' },
    ]);
  });
});

describe('a tenant’s column mapping', () => {
  it('when the file is good then decimal commas, thousands dots, negative fees and DD.MM.YYYY dates are read exactly', () => {
    const [payout] = parsed(fixture('mapping-good.csv'), german, { gateway: 'klarna', payoutId: 'AUSZ-2026-11-04' });
    expect(payout).toEqual({
      processor: 'settlement-file',
      gateway: 'klarna',
      payoutId: 'AUSZ-2026-11-04',
      status: 'paid',
      currency: 'EUR',
      amount: 121615,
      createdDate: '2026-11-04',
      arrivalDate: '2026-11-04',
      lines: [
        {
          lineId: 'K-1',
          kind: 'charge',
          gross: 123450,
          fee: 1235,
          net: 122215,
          paymentReference: 'pay-1',
          orderReference: '5001',
          occurredAt: '2026-11-03T09:10:00Z',
        },
        {
          lineId: 'K-2',
          kind: 'charge',
          gross: 9900,
          fee: 100,
          net: 9800,
          paymentReference: 'pay-2',
          orderReference: '5002',
          occurredAt: '2026-11-03T11:00:00Z',
        },
        {
          lineId: 'K-3',
          kind: 'refund',
          gross: -9900,
          fee: 0,
          net: -9900,
          paymentReference: 'pay-2',
          orderReference: '5002',
          occurredAt: '2026-11-04T08:30:00Z',
        },
        { lineId: 'K-4', kind: 'fee', gross: -500, fee: 0, net: -500, occurredAt: '2026-11-04T09:00:00Z' },
      ],
    });
  });

  it('when rows are bad then every one is named and nothing is imported', () => {
    expect(rejected(fixture('mapping-bad.csv'), german, { gateway: 'klarna', payoutId: 'A' })).toEqual<SettlementRowError[]>([
      { row: 2, column: 'Datum', value: '31.11.2026 09:10', reason: 'the date does not exist in the calendar' },
      { row: 3, column: 'Typ', value: 'Gutschein', reason: 'unknown category: the mapping knows Verkauf, Erstattung, Gebühr' },
      {
        row: 4,
        column: 'Brutto',
        value: '-99.00',
        reason: 'the amount is not a number (thousands are grouped by ".", decimals follow ",")',
      },
    ]);
  });

  it('when the file carries no payout id and the request names none then the rows say so', () => {
    expect(rejected(fixture('mapping-good.csv'), german, { gateway: 'klarna' })).toHaveLength(4);
  });

  it('reads a three-decimal currency exactly', () => {
    const mapping = settlementColumnMappingSchema.parse({
      columns: { lineId: 'id', kind: 'type', gross: 'amount', occurredAt: 'date' },
      kinds: { sale: 'charge' },
      currency: 'KWD',
    });
    const [payout] = parsed('id,type,amount,date\n1,SALE,12.345,2026-11-03\n', { mapping }, { gateway: 'knet', payoutId: 'K' });
    expect(payout!.lines[0]).toMatchObject({ kind: 'charge', gross: 12345, fee: 0, net: 12345, occurredAt: '2026-11-03T00:00:00Z' });
  });

  it.each([
    [{ ...germanExport, currency: undefined }, 'currency'],
    [{ ...germanExport, thousandsSeparator: ',' }, 'thousandsSeparator'],
    [{ ...germanExport, delimiter: ',' }, 'delimiter'],
    [{ ...germanExport, kinds: {} }, 'kinds'],
    [{ ...germanExport, kinds: { Verkauf: 'sale' } }, 'kinds.Verkauf'],
    [{ ...germanExport, dateFormat: 'D/M/YY' }, 'dateFormat'],
  ])('refuses a mapping whose %j is wrong at %s', (mapping, path) => {
    const result = settlementColumnMappingSchema.safeParse(mapping);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
