import { describe, expect, it } from 'vitest';
import { decideCancellationAfterRefunds, type OrderRefundRecord } from './cancellation-after-refunds.js';

const undoing = 'reversing payment 42 in full';
const decide = (refunds: OrderRefundRecord[]) => decideCancellationAfterRefunds({ orderId: '1001', undoing, refunds });

const creditMemo: OrderRefundRecord = {
  externalId: '7',
  state: 'synced',
  amount: 1050,
  currency: 'USD',
  intacctDocumentId: 'Sales Credit Memo-CM-0001',
  intacctKey: '88',
};
const reduction: OrderRefundRecord = {
  externalId: '8',
  state: 'synced',
  amount: 500,
  currency: 'USD',
  intacctDocumentId: 'Sales Order-SO-0005',
  reducedDocumentId: 'Sales Order-SO-0005',
  reduction: 'reduced',
};

describe('decideCancellationAfterRefunds', () => {
  const undone: Array<[name: string, refunds: OrderRefundRecord[]]> = [
    ['an order without refunds is undone as before', []],
    ['a refund skipped without leaving anything in Intacct does not count', [{ externalId: '9', state: 'skipped' }]],
    ['a refund recorded cancelled with nothing in Intacct does not count', [{ externalId: '9', state: 'cancelled' }]],
    ['a failed refund that left nothing does not count', [{ externalId: '9', state: 'failed' }]],
  ];
  it.each(undone)('when %s, then the cancellation undoes the order', (_name, refunds) => {
    expect(decide(refunds)).toEqual({ action: 'undo' });
  });

  it('when a refund was credited after invoicing, then the order is parked naming the refund, its credit memo, its amount and its AR posting', () => {
    expect(decide([creditMemo])).toEqual({
      action: 'park',
      refunds: [{ refundId: '7', state: 'synced', amount: '10.50', currency: 'USD', documentId: 'Sales Credit Memo-CM-0001' }],
      refundedTotals: { USD: '10.50' },
      reason:
        'order 1001 was refunded before it was cancelled: refund 7 (credit memo Sales Credit Memo-CM-0001, 10.50 USD, paid out as AR adjustment 88), 10.50 USD given back so far; ' +
        'reversing payment 42 in full would give that money back a second time, so nothing was undone in Intacct',
    });
  });

  it('when refunds reduced and then closed the sales order before invoicing, then both are named with the document they changed and summed', () => {
    const closing: OrderRefundRecord = {
      externalId: '9',
      state: 'synced',
      amount: 2000,
      currency: 'USD',
      reducedDocumentId: 'Sales Order-SO-0005',
      reduction: 'closed',
    };
    const decision = decide([reduction, closing]);
    expect(decision).toMatchObject({
      action: 'park',
      refunds: [
        { refundId: '8', state: 'synced', amount: '5.00', currency: 'USD', documentId: 'Sales Order-SO-0005' },
        { refundId: '9', state: 'synced', amount: '20.00', currency: 'USD', documentId: 'Sales Order-SO-0005' },
      ],
      refundedTotals: { USD: '25.00' },
    });
    expect(decision.action === 'park' && decision.reason).toBe(
      'order 1001 was refunded before it was cancelled: refund 8 (reduced Sales Order-SO-0005, 5.00 USD); refund 9 (closed Sales Order-SO-0005, 20.00 USD), 25.00 USD given back so far; ' +
        'reversing payment 42 in full would give that money back a second time, so nothing was undone in Intacct',
    );
  });

  it('when a refund is still in flight (pending, nothing recorded yet), then it alone parks the order, with no amount claimed', () => {
    expect(decide([{ externalId: '10', state: 'pending' }])).toEqual({
      action: 'park',
      refunds: [{ refundId: '10', state: 'pending' }],
      refundedTotals: {},
      reason:
        'order 1001 was refunded before it was cancelled: refund 10 (in flight); ' +
        'reversing payment 42 in full would give that money back a second time, so nothing was undone in Intacct',
    });
  });

  it('when a refund is parked after its credit memo was posted, then it counts, and its amount is not yet counted as given back', () => {
    const parked: OrderRefundRecord = { externalId: '11', state: 'parked', intacctDocumentId: 'Sales Credit Memo-CM-0002' };
    expect(decide([parked])).toMatchObject({
      action: 'park',
      refunds: [{ refundId: '11', state: 'parked', documentId: 'Sales Credit Memo-CM-0002' }],
      refundedTotals: {},
    });
    expect(decide([{ externalId: '12', state: 'parked' }])).toMatchObject({
      action: 'park',
      reason: expect.stringContaining('refund 12 (parked)'),
    });
  });

  it('when a skipped refund still left a credit memo behind, then it counts', () => {
    expect(decide([{ externalId: '13', state: 'skipped', intacctDocumentId: 'Sales Credit Memo-CM-0003' }])).toMatchObject({
      action: 'park',
      refunds: [{ refundId: '13', state: 'skipped' }],
    });
  });

  it('when skipped and live refunds are mixed, then only the live ones are named, in ledger order', () => {
    const decision = decide([{ externalId: '14', state: 'skipped' }, reduction, creditMemo]);
    expect(decision.action === 'park' && decision.refunds.map((refund) => refund.refundId)).toEqual(['8', '7']);
    expect(decision.action === 'park' && decision.reason).not.toContain('refund 14');
    expect(decision).toMatchObject({ refundedTotals: { USD: '15.50' } });
  });

  it('when refunds are in two currencies, then each currency is summed on its own', () => {
    const euros: OrderRefundRecord = {
      externalId: '15',
      state: 'synced',
      amount: 999,
      currency: 'EUR',
      intacctDocumentId: 'Sales Credit Memo-CM-0004',
    };
    const yen: OrderRefundRecord = {
      externalId: '16',
      state: 'synced',
      amount: 1200,
      currency: 'JPY',
      intacctDocumentId: 'Sales Credit Memo-CM-0005',
    };
    const decision = decide([euros, creditMemo, yen]);
    expect(decision).toMatchObject({ refundedTotals: { EUR: '9.99', USD: '10.50', JPY: '1200' } });
    expect(decision.action === 'park' && decision.reason).toContain('9.99 EUR + 10.50 USD + 1200 JPY given back so far');
  });
});
