import { describe, expect, it } from 'vitest';
import type { Transaction } from '../connectors/bigcommerce/index.js';
import type { ClarityTransaction } from '../connectors/clarity/index.js';
import { fromBigCommerceTransaction, fromClarityTransaction } from './payment-transactions.js';

const bigCommerce = (event: Transaction['event'], amount: number, status?: 'ok' | 'error'): Transaction => ({
  id: 9001,
  order_id: '250',
  event,
  method: 'credit_card',
  amount,
  currency: 'USD',
  gateway: 'testgateway',
  date_created: '2026-03-05T02:00:00+00:00',
  ...(status !== undefined && { status }),
});

describe('fromBigCommerceTransaction', () => {
  it.each([
    ['authorization', 43.3, 'ok', { kind: 'authorization', amount: 4330, succeeded: true }],
    ['capture', 20, 'ok', { kind: 'capture', amount: 2000, succeeded: true }],
    ['purchase', 0.07, undefined, { kind: 'purchase', amount: 7, succeeded: true }],
    ['capture', 20, 'error', { kind: 'capture', amount: 2000, succeeded: false }],
    ['void', 43.3, 'ok', { kind: 'void', amount: 4330, succeeded: true }],
    ['settled', 43.3, 'ok', { kind: 'other', amount: 4330, succeeded: true }],
  ] as const)('when the event is %s of %s (status %s), then it reads as %o', (event, amount, status, expected) => {
    expect(fromBigCommerceTransaction(bigCommerce(event, amount, status))).toEqual({
      transactionId: '9001',
      at: '2026-03-05T02:00:00+00:00',
      ...expected,
    });
  });
});

describe('fromBigCommerceTransaction: the gateway id', () => {
  it('when the transaction names its gateway transaction id, then it is kept (trimmed), and a blank one is none', () => {
    const withId = { ...bigCommerce('purchase', 20, 'ok'), gateway: 'stripe', gateway_transaction_id: ' pi_123 ' };
    expect(fromBigCommerceTransaction(withId).gatewayTransactionId).toBe('pi_123');
    expect(fromBigCommerceTransaction({ ...withId, gateway_transaction_id: '  ' })).not.toHaveProperty('gatewayTransactionId');
  });
});

describe('fromClarityTransaction', () => {
  const clarity = (status: ClarityTransaction['status']): ClarityTransaction => ({
    transactionId: 'tx_1',
    type: 'capture',
    amount: '105.20',
    currency: 'USD',
    status,
    gateway: 'stripe',
    createdAt: '2026-03-05T02:00:00Z',
  });

  it.each([
    ['succeeded', true],
    ['pending', false],
    ['failed', false],
  ] as const)('when a capture is %s, then succeeded is %s', (status, succeeded) => {
    expect(fromClarityTransaction(clarity(status))).toEqual({
      transactionId: 'tx_1',
      kind: 'capture',
      amount: 10520,
      succeeded,
      at: '2026-03-05T02:00:00Z',
      // Clarity's contract: a transaction's id is the gateway's own.
      gatewayTransactionId: 'tx_1',
    });
  });
});
