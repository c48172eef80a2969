import type { Transaction } from '../connectors/bigcommerce/index.js';
import type { ClarityTransaction } from '../connectors/clarity/index.js';
import type { PaymentTransaction } from '../decisions/captures-to-record.js';
import { parseAmount } from './money.js';

/** BigCommerce's transaction events the capture rule tells apart; `pending` and `settled` move no money of their own. */
const bigCommerceKinds: Partial<Record<Transaction['event'], PaymentTransaction['kind']>> = {
  authorization: 'authorization',
  capture: 'capture',
  purchase: 'purchase',
  void: 'void',
  refund: 'refund',
};

/** A BigCommerce V3 transaction (`amount` a number in its currency) as the capture rule reads it. */
export function fromBigCommerceTransaction(transaction: Transaction): PaymentTransaction {
  return {
    transactionId: String(transaction.id),
    kind: bigCommerceKinds[transaction.event] ?? 'other',
    amount: parseAmount(String(transaction.amount), transaction.currency.trim()).minor,
    succeeded: transaction.status !== 'error',
    at: transaction.date_created,
    ...gatewayId(transaction.gateway_transaction_id),
  };
}

/** A Clarity transaction (`amount` a decimal string) as the capture rule reads it; only `succeeded` moved money. */
export function fromClarityTransaction(transaction: ClarityTransaction): PaymentTransaction {
  return {
    transactionId: transaction.transactionId,
    kind: transaction.type,
    amount: parseAmount(transaction.amount, transaction.currency.trim()).minor,
    succeeded: transaction.status === 'succeeded',
    at: transaction.createdAt,
    // Clarity's contract: a transaction's id is the gateway's own (`pi_…`, `re_…`).
    ...gatewayId(transaction.transactionId),
  };
}

/** A gateway's transaction id when there is one (blank ids are none). */
function gatewayId(id: string | null | undefined): Pick<PaymentTransaction, 'gatewayTransactionId'> {
  const trimmed = id?.trim() ?? '';
  return trimmed === '' ? {} : { gatewayTransactionId: trimmed };
}
