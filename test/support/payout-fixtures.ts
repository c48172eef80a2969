import type { PayoutLine, ProcessorPayout } from '../../workflows/payout-reconcile-contract.js';
import type { LedgerPosting } from '../../decisions/payout-matching.js';

/** A payout line: net is gross − fee unless given. */
export function payoutLine(lineId: string, kind: PayoutLine['kind'], gross: number, fee = 0, extra: Partial<PayoutLine> = {}): PayoutLine {
  return { lineId, kind, gross, fee, net: gross - fee, occurredAt: '2026-11-03T10:00:00Z', ...extra };
}

/** A payout whose amount is the sum of its lines' net unless given. */
export function payout(lines: PayoutLine[], extra: Partial<ProcessorPayout> = {}): ProcessorPayout {
  return {
    processor: 'stripe',
    gateway: 'stripe',
    payoutId: 'po_1',
    status: 'paid',
    currency: 'USD',
    amount: lines.reduce((sum, line) => sum + line.net, 0),
    createdDate: '2026-11-04',
    arrivalDate: '2026-11-06',
    lines,
    ...extra,
  };
}

/** The cash receipt the product posted for an order's payment. */
export function receipt(orderId: string, paymentKey: string, amount: number, extra: Partial<LedgerPosting> = {}): LedgerPosting {
  return { kind: 'receipt', orderId, paymentKey, amount, currency: 'USD', ...extra } as LedgerPosting;
}

/** The credit memo the product posted for a refund. */
export function creditMemo(orderId: string, documentKey: string, amount: number): LedgerPosting {
  return { kind: 'creditMemo', orderId, documentKey, amount, currency: 'USD' };
}
