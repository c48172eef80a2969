import type { Cents } from './money.js';
import { conflict } from './problems.js';
import type { OrderRecord, TransactionRecord } from './records.js';

/** What the order's succeeded transactions of one type add up to. */
function succeeded(order: OrderRecord, type: TransactionRecord['type']): Cents {
  return order.transactions.filter((t) => t.type === type && t.status === 'succeeded').reduce((total, t) => total + t.amount, 0);
}

/**
 * A capture of what the authorisation has left, or of `amount` of it: a `capture` transaction,
 * and the payment `captured` once nothing is left (`partially_captured` before). A voided
 * payment, or more than is left, is refused as a gateway refuses it.
 */
export function captureAuthorised(order: OrderRecord, amount: Cents | undefined, transaction: (amount: Cents) => TransactionRecord): void {
  if (order.payment.status === 'voided' || succeeded(order, 'void') > 0) throw conflict(`the payment of order ${order.orderId} was voided`);
  const left = succeeded(order, 'authorization') - succeeded(order, 'capture');
  const captured = amount ?? left;
  if (captured <= 0 || captured > left) throw conflict(`order ${order.orderId} has ${left} cents authorised to capture, not ${captured}`);
  order.transactions.push(transaction(captured));
  order.payment.status = captured === left ? 'captured' : 'partially_captured';
  order.payment.transactionId = order.transactions.at(-1)!.transactionId;
}

/** A void of an authorisation nothing was captured of: a `void` transaction and the payment `voided`. */
export function voidAuthorised(order: OrderRecord, transaction: (amount: Cents) => TransactionRecord): void {
  if (order.payment.status !== 'authorized')
    throw conflict(`the payment of order ${order.orderId} is ${order.payment.status}, not authorized`);
  order.transactions.push(transaction(succeeded(order, 'authorization')));
  order.payment.status = 'voided';
  order.payment.transactionId = order.transactions.at(-1)!.transactionId;
}
