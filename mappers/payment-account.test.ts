import { describe, expect, it } from 'vitest';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import {
  choosePaymentDeposit,
  mayPostReceivable,
  PaymentAccountNotConfiguredError,
  toIntacctArPayment,
  toIntacctCapturePayment,
  toIntacctPaymentMethod,
  type PaymentDepositChoice,
  type PaymentSettings,
} from './payment-account.js';

const row = (paymentMethod: string, account: Partial<Omit<PaymentMethodMappingRow, 'paymentMethod'>>): PaymentMethodMappingRow => ({
  paymentMethod,
  undepositedFunds: false,
  ...account,
});
const payments = (settings: Partial<PaymentSettings>): PaymentSettings => ({ methods: [], ...settings });

const undeposited1050 = { undepositedFunds: true, glAccountNo: '1050' };
const bank = { undepositedFunds: false, bankAccountId: 'BOA-CHK' };

describe('choosePaymentDeposit', () => {
  const cases: Array<
    [name: string, method: string | undefined, settings: PaymentSettings, rows: PaymentMethodMappingRow[], expected: PaymentDepositChoice]
  > = [
    [
      'a mapping row wins over the settings entry for the same method and over the default',
      'stripe',
      payments({
        defaultAccount: undeposited1050,
        methods: [{ method: 'stripe', account: { undepositedFunds: false, glAccountNo: '1060' } }],
      }),
      [row('stripe', { bankAccountId: 'STRIPE-CLEARING' })],
      { deposit: { bankAccountId: 'STRIPE-CLEARING' }, source: 'paymentMethodsTable' },
    ],
    [
      'a mapping row matches the method ignoring case and surrounding spaces',
      ' Credit Card',
      payments({ defaultAccount: bank }),
      [row('credit card', { undepositedFunds: true, glAccountNo: '1055' })],
      { deposit: { undepositedFundsAccount: '1055' }, source: 'paymentMethodsTable' },
    ],
    [
      'a settings method with an account is used when the table has no row for it',
      'paypal',
      payments({
        defaultAccount: undeposited1050,
        methods: [{ method: 'paypal', account: { undepositedFunds: false, bankAccountId: 'PAYPAL' } }],
      }),
      [row('stripe', { bankAccountId: 'STRIPE-CLEARING' })],
      { deposit: { bankAccountId: 'PAYPAL' }, source: 'settingsMethod' },
    ],
    [
      'a settings method listed without an account falls back to the default',
      'paypal',
      payments({ defaultAccount: undeposited1050, methods: [{ method: 'paypal' }] }),
      [],
      { deposit: { undepositedFundsAccount: '1050' }, source: 'defaultAccount' },
    ],
    [
      'an unlisted method goes to the default',
      'Bank Deposit',
      payments({ defaultAccount: bank, methods: [{ method: 'paypal', account: undeposited1050 }] }),
      [],
      { deposit: { bankAccountId: 'BOA-CHK' }, source: 'defaultAccount' },
    ],
    [
      'an order without a payment method goes to the default',
      undefined,
      payments({ defaultAccount: undeposited1050 }),
      [row('stripe', bank)],
      { deposit: { undepositedFundsAccount: '1050' }, source: 'defaultAccount' },
    ],
    [
      'undeposited funds with a GL account deposit to that account',
      'x',
      payments({ defaultAccount: undeposited1050 }),
      [],
      { deposit: { undepositedFundsAccount: '1050' }, source: 'defaultAccount' },
    ],
    [
      'a bank account deposits directly, a GL account beside it is ignored',
      'x',
      payments({ defaultAccount: { undepositedFunds: false, bankAccountId: 'BOA-CHK', glAccountNo: '1000' } }),
      [],
      { deposit: { bankAccountId: 'BOA-CHK' }, source: 'defaultAccount' },
    ],
    [
      'a GL account alone is where the payment waits as undeposited funds',
      'x',
      payments({ defaultAccount: { undepositedFunds: false, glAccountNo: '1060' } }),
      [],
      { deposit: { undepositedFundsAccount: '1060' }, source: 'defaultAccount' },
    ],
  ];
  it.each(cases)('when %s, then that account receives the payment', (_name, method, settings, rows, expected) => {
    expect(choosePaymentDeposit(method, settings, rows)).toEqual(expected);
  });

  const failures: Array<
    [name: string, method: string | undefined, settings: PaymentSettings, rows: PaymentMethodMappingRow[], problem: RegExp, fix: RegExp]
  > = [
    [
      'there is no row, no settings method and no default',
      'stripe',
      payments({}),
      [],
      /no Intacct account receives payment method "stripe"/,
      /paymentMethods mapping table.*defaultAccount/,
    ],
    [
      'an order without a method has no default',
      undefined,
      payments({ methods: [{ method: 'stripe', account: bank }] }),
      [],
      /orders without a payment method/,
      /^set orderSync\.payments\.defaultAccount/,
    ],
    [
      'the default is undeposited funds without a GL account',
      'stripe',
      payments({ defaultAccount: { undepositedFunds: true } }),
      [],
      /orderSync\.payments\.defaultAccount sends payments to undeposited funds without naming the GL account/,
      /defaultAccount/,
    ],
    [
      'the mapping row is undeposited funds without a GL account, even with a usable default',
      'stripe',
      payments({ defaultAccount: bank }),
      [row('stripe', { undepositedFunds: true })],
      /mapping row "stripe"/,
      /paymentMethods mapping row "stripe"/,
    ],
    [
      'the settings method is undeposited funds without a GL account',
      'paypal',
      payments({ defaultAccount: bank, methods: [{ method: 'paypal', account: { undepositedFunds: true } }] }),
      [],
      /orderSync\.payments\.methods "paypal"/,
      /methods "paypal"/,
    ],
  ];
  it.each(failures)('when %s, then PaymentAccountNotConfiguredError says what to fix', (_name, method, settings, rows, problem, fix) => {
    let caught: unknown;
    try {
      choosePaymentDeposit(method, settings, rows);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PaymentAccountNotConfiguredError);
    const error = caught as PaymentAccountNotConfiguredError;
    expect(error.type).toBe('PaymentAccountNotConfigured');
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
    expect(error.message).toContain(error.fix);
  });
});

describe('toIntacctPaymentMethod', () => {
  it.each([
    ['Credit Card', 'Credit Card'],
    ['stripe', 'Credit Card'],
    ['PayPal', 'Credit Card'],
    ['Apple Pay', 'Credit Card'],
    ['Test Payment Gateway', 'Credit Card'],
    [undefined, 'Credit Card'],
    ['Cash on Delivery', 'Cash'],
    ['COD', 'Cash'],
    ['cash', 'Cash'],
    ['Check', 'Printed Check'],
    ['Cheque', 'Printed Check'],
    ['Money Order', 'Printed Check'],
    ['Bank Deposit', 'EFT'],
    ['Wire transfer', 'EFT'],
    ['ACH', 'EFT'],
    ['SEPA Direct Debit', 'EFT'],
    ['EFT', 'EFT'],
    ['Cashmere Pay', 'Credit Card'],
  ] as const)('when the storefront method is %s, then Intacct gets %s', (storefront, intacct) => {
    expect(toIntacctPaymentMethod(storefront)).toBe(intacct);
  });
});

describe('toIntacctArPayment', () => {
  const order = {
    orderId: '100',
    placedAt: '2026-03-01T03:30:00.000Z',
    currency: 'USD',
    amountPaid: 7662,
    total: 7662,
    paymentMethod: 'Credit Card',
  };
  const settings = {
    orderSync: {
      payments: payments({ defaultAccount: undeposited1050 }),
      currency: { baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
    },
    timezone: 'America/Chicago',
  };

  it('when the order has an invoice, then the whole payment is applied to it, dated the business day in the tenant time zone', () => {
    expect(toIntacctArPayment({ order, customerId: 'WEB-GUEST', settings, paymentMethodRows: [], invoiceKey: '1042' })).toEqual({
      customerId: 'WEB-GUEST',
      amount: '76.62',
      deposit: { undepositedFundsAccount: '1050' },
      referenceId: '100',
      // 03:30 UTC on 1 March is still 28 February in Chicago.
      dateReceived: '2026-02-28',
      paymentMethod: 'Credit Card',
      applications: [{ invoiceKey: '1042', amount: '76.62' }],
    });
  });

  it('when there is no invoice yet, then the payment is recorded unapplied', () => {
    expect(toIntacctArPayment({ order, customerId: 'WEB-GUEST', settings, paymentMethodRows: [] }).applications).toEqual([]);
  });

  it('when more than the total was paid, then the total is applied and the rest stays on the receipt', () => {
    const payment = toIntacctArPayment({
      order: { ...order, amountPaid: 8000 },
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      invoiceKey: '7',
    });
    expect(payment.amount).toBe('80.00');
    expect(payment.applications).toEqual([{ invoiceKey: '7', amount: '76.62' }]);
  });

  it('when part was paid, then that part is applied', () => {
    expect(
      toIntacctArPayment({ order: { ...order, amountPaid: 1 }, customerId: 'C-1', settings, paymentMethodRows: [], invoiceKey: '7' })
        .applications,
    ).toEqual([{ invoiceKey: '7', amount: '0.01' }]);
  });

  it('when the order is invoiced per shipment, then the payment is spread over its invoices oldest first, each up to what it owes', () => {
    const payment = toIntacctArPayment({
      order,
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      invoiceKey: '7',
      openInvoices: [
        { invoiceKey: '7', due: 2_554 },
        { invoiceKey: '8', due: 5_108 },
      ],
    });
    expect(payment.amount).toBe('76.62');
    expect(payment.applications).toEqual([
      { invoiceKey: '7', amount: '25.54' },
      { invoiceKey: '8', amount: '51.08' },
    ]);
  });

  it('when the shipment invoices owe less than the payment (the rest not shipped yet), then the rest stays on the receipt', () => {
    const payment = toIntacctArPayment({
      order,
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      openInvoices: [{ invoiceKey: '7', due: 2_554 }],
    });
    expect(payment.amount).toBe('76.62');
    expect(payment.applications).toEqual([{ invoiceKey: '7', amount: '25.54' }]);
  });

  it('when the order currency is not the base currency, then the currency block names both and the rate type, amounts in the order currency', () => {
    const payment = toIntacctArPayment({
      order: { ...order, currency: 'JPY', amountPaid: 7662, total: 7662 },
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      invoiceKey: '7',
    });
    expect(payment.amount).toBe('7662');
    expect(payment.currency).toEqual({ baseCurrency: 'USD', currency: 'JPY', exchangeRateType: 'Intacct Daily Rate' });
    expect(payment.applications).toEqual([{ invoiceKey: '7', amount: '7662' }]);
  });

  it('when the order is in the base currency, then there is no currency block', () => {
    expect(toIntacctArPayment({ order, customerId: 'C-1', settings, paymentMethodRows: [] })).not.toHaveProperty('currency');
  });

  it('when the payment method has a mapping row, then its account and the mapped Intacct method are used', () => {
    const payment = toIntacctArPayment({
      order: { ...order, paymentMethod: 'Bank Deposit' },
      customerId: 'C-1',
      settings,
      paymentMethodRows: [row('Bank Deposit', bank)],
    });
    expect(payment.deposit).toEqual({ bankAccountId: 'BOA-CHK' });
    expect(payment.paymentMethod).toBe('EFT');
  });

  it.each([0, -100])('when nothing was captured (%d), then it refuses to build a payment', (amountPaid) => {
    expect(() => toIntacctArPayment({ order: { ...order, amountPaid }, customerId: 'C-1', settings, paymentMethodRows: [] })).toThrow(
      RangeError,
    );
  });
});

describe('mayPostReceivable', () => {
  it.each([
    ['Sales Order-SO-0042', false],
    ['Sales Quote-Q-0009', false],
    ['Sales Invoice-INV-0042', true],
    ['Web Invoice-WI-7', true],
    ['Sales Order - Web-SOW-1', true],
  ] as const)('when the document is %s, then it may post AR: %s', (documentId, posts) => {
    expect(mayPostReceivable(documentId)).toBe(posts);
  });
});

describe('toIntacctCapturePayment', () => {
  const order = {
    orderId: '250',
    placedAt: '2026-03-01T15:00:00.000Z',
    currency: 'USD',
    amountPaid: 0,
    total: 10_000,
    paymentMethod: 'Credit Card',
  };
  const settings = {
    orderSync: {
      payments: payments({ defaultAccount: undeposited1050 }),
      currency: { baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
    },
    timezone: 'America/Chicago',
  };
  const capture = { transactionId: '9007', amount: 4000, applicable: 4000, capturedAt: '2026-03-05T02:00:00.000Z' };

  it('when a capture comes after posting, then its amount is received on its own business day under its own reference, applied to the invoice', () => {
    expect(toIntacctCapturePayment({ order, customerId: 'C-1', settings, paymentMethodRows: [], invoiceKey: '42', capture })).toEqual({
      customerId: 'C-1',
      amount: '40.00',
      deposit: { undepositedFundsAccount: '1050' },
      referenceId: '250-9007',
      // 02:00 UTC on 5 March is still 4 March in Chicago.
      dateReceived: '2026-03-04',
      paymentMethod: 'Credit Card',
      applications: [{ invoiceKey: '42', amount: '40.00' }],
    });
  });

  it('when the invoice takes only part of the capture, then only that part is applied', () => {
    const payment = toIntacctCapturePayment({
      order,
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      invoiceKey: '42',
      capture: { ...capture, applicable: 1500 },
    });
    expect(payment.amount).toBe('40.00');
    expect(payment.applications).toEqual([{ invoiceKey: '42', amount: '15.00' }]);
  });

  it('when the order is invoiced per shipment, then the capture is applied across its invoices up to what the capture rule allows', () => {
    const payment = toIntacctCapturePayment({
      order,
      customerId: 'C-1',
      settings,
      paymentMethodRows: [],
      capture: { ...capture, applicable: 3_500 },
      openInvoices: [
        { invoiceKey: '42', due: 1_000 },
        { invoiceKey: '43', due: 9_000 },
      ],
    });
    expect(payment.amount).toBe('40.00');
    expect(payment.applications).toEqual([
      { invoiceKey: '42', amount: '10.00' },
      { invoiceKey: '43', amount: '25.00' },
    ]);
  });

  it('when the invoice takes nothing more, then the payment is recorded unapplied', () => {
    expect(
      toIntacctCapturePayment({
        order,
        customerId: 'C-1',
        settings,
        paymentMethodRows: [],
        invoiceKey: '42',
        capture: { ...capture, applicable: 0 },
      }).applications,
    ).toEqual([]);
  });
});
