import { describe, expect, it } from 'vitest';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { PaymentAccountNotConfiguredError } from './payment-account.js';
import { refundPostingNumber, toIntacctRefundPosting, type RefundPostingMappingInput } from './to-intacct-refund-posting.js';

const base: RefundPostingMappingInput = {
  refund: {
    refundId: '7',
    orderId: '100',
    createdAt: '2026-03-05T03:00:00.000Z',
    currency: 'USD',
    total: 5196,
    paymentMethod: 'Credit Card',
  },
  customerId: 'C-1001',
  documentId: 'Sales Credit Memo-CM-0001',
  settings: {
    orderSync: {
      payments: { defaultAccount: { undepositedFunds: true, glAccountNo: '1050' }, methods: [] },
      currency: { baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
    },
    timezone: 'America/Chicago',
  },
  paymentMethodRows: [],
};

describe('toIntacctRefundPosting', () => {
  it('when the method deposits to undeposited funds, then one positive AR line on that account pays the refund out, dated in the tenant zone', () => {
    expect(toIntacctRefundPosting(base)).toEqual({
      customerId: 'C-1001',
      date: '2026-03-04',
      adjustmentNumber: 'RF-7',
      description: 'Refund 7 of storefront order 100 paid out (Sales Credit Memo-CM-0001)',
      lines: [{ glAccountNumber: '1050', amount: '51.96', memo: 'refund 7' }],
    });
  });

  it.each([
    [
      'a paymentMethods row with a bank account, its GL supplied',
      [{ paymentMethod: 'Credit Card', bankAccountId: 'BOA-CHK', undepositedFunds: false }],
      '1000',
      '1000',
    ],
    [
      'a paymentMethods row with a GL account',
      [{ paymentMethod: 'Credit Card', glAccountNo: '1060', undepositedFunds: true }],
      undefined,
      '1060',
    ],
    ['no row: the default account', [], undefined, '1050'],
  ] as Array<[string, PaymentMethodMappingRow[], string | undefined, string]>)(
    'when %s, then the line uses the matching account',
    (_name, rows, bankGlAccountNo, account) => {
      expect(toIntacctRefundPosting({ ...base, paymentMethodRows: rows, bankGlAccountNo }).lines[0]!.glAccountNumber).toBe(account);
    },
  );

  it('when the order was paid through a gateway with close settings, then the refund comes out of its clearing account, whatever the payment method maps to', () => {
    const rows: PaymentMethodMappingRow[] = [{ paymentMethod: 'Credit Card', bankAccountId: 'BOA-CHK', undepositedFunds: false }];
    expect(toIntacctRefundPosting({ ...base, paymentMethodRows: rows, clearingGlAccountNo: '1060' }).lines).toEqual([
      { glAccountNumber: '1060', amount: '51.96', memo: 'refund 7' },
    ]);
  });

  it('when part of the refund is store credit, then only the money paid back is posted', () => {
    expect(toIntacctRefundPosting({ ...base, refund: { ...base.refund, storeCredit: 2000 } }).lines).toEqual([
      { glAccountNumber: '1050', amount: '31.96', memo: 'refund 7' },
    ]);
  });

  it('when the refund reduced a sales order before invoicing, then the description names the order', () => {
    expect(toIntacctRefundPosting({ ...base, documentId: 'Sales Order-SO-0009' }).description).toBe(
      'Refund 7 of storefront order 100 paid out (Sales Order-SO-0009)',
    );
  });

  it('when the refund is in a foreign currency, then the currency block is written', () => {
    expect(toIntacctRefundPosting({ ...base, refund: { ...base.refund, currency: 'EUR' } }).currency).toEqual({
      baseCurrency: 'USD',
      currency: 'EUR',
      exchangeRateType: 'Intacct Daily Rate',
    });
  });

  it.each([
    [
      'no account applies',
      { settings: { ...base.settings, orderSync: { ...base.settings.orderSync, payments: { methods: [] } } } },
      PaymentAccountNotConfiguredError,
    ],
    [
      'a bank account without its GL account',
      {
        paymentMethodRows: [
          { paymentMethod: 'Credit Card', bankAccountId: 'BOA-CHK', undepositedFunds: false },
        ] as PaymentMethodMappingRow[],
      },
      RangeError,
    ],
    ['nothing returned', { refund: { ...base.refund, total: 0 } }, RangeError],
    ['all of it store credit', { refund: { ...base.refund, storeCredit: 5196 } }, RangeError],
  ] as Array<[string, Partial<RefundPostingMappingInput>, new (...args: never[]) => Error]>)(
    'when %s, then it is refused',
    (_name, changes, errorType) => {
      expect(() => toIntacctRefundPosting({ ...base, ...changes })).toThrow(errorType);
    },
  );

  it('when numbering, then the adjustment number is RF- and the refund id', () => {
    expect(refundPostingNumber('RMA-12')).toBe('RF-RMA-12');
  });
});
