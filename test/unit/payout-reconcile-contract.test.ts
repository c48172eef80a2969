import { describe, expect, it } from 'vitest';
import {
  parsePayoutReconcileWorkflowId,
  payoutReconcileWorkflowId,
  processorPayoutSchema,
} from '../../workflows/payout-reconcile-contract.js';

describe('PayoutReconcile workflow id', () => {
  it.each([
    ['acme', 'stripe', 'po_1Nq'],
    ['shop-2', 'settlement-file', 'PP:2026-11:batch:7'],
  ] as const)('round-trips tenant %s, processor %s, payout %s', (tenantId, processor, payoutId) => {
    expect(parsePayoutReconcileWorkflowId(payoutReconcileWorkflowId(tenantId, processor, payoutId))).toEqual({
      tenantId,
      processor,
      payoutId,
    });
  });

  it.each(['order-to-cash:acme:1', 'payout-reconcile:acme:venmo:po_1', 'payout-reconcile:A:stripe:po_1'])(
    'is undefined for %s',
    (workflowId) => {
      expect(parsePayoutReconcileWorkflowId(workflowId)).toBeUndefined();
    },
  );
});

describe('processor payout', () => {
  const payout = {
    processor: 'stripe',
    gateway: 'stripe',
    payoutId: 'po_1',
    status: 'paid',
    currency: 'USD',
    amount: 9_680,
    createdDate: '2026-11-30',
    arrivalDate: '2026-12-02',
    lines: [
      {
        lineId: 'txn_1',
        kind: 'charge',
        gross: 10_000,
        fee: 320,
        net: 9_680,
        paymentReference: 'ch_1',
        occurredAt: '2026-11-29T10:00:00Z',
      },
    ],
  };

  it('accepts a payout in minor units', () => {
    expect(processorPayoutSchema.parse(payout).lines[0]!.net).toBe(9_680);
  });

  it.each([
    ['a fractional amount', { ...payout, amount: 96.8 }],
    ['a lower-case currency', { ...payout, currency: 'usd' }],
    ['an unknown line kind', { ...payout, lines: [{ ...payout.lines[0], kind: 'tip' }] }],
    ['a negative fee', { ...payout, lines: [{ ...payout.lines[0], fee: -320 }] }],
    ['an unknown key', { ...payout, bank: 'x' }],
  ])('refuses %s', (_label, value) => {
    expect(processorPayoutSchema.safeParse(value).success).toBe(false);
  });
});
