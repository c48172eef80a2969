import { orderTotals, type Order, type Transaction } from './model.js';
import { SandboxError } from './sandbox-error.js';
import type { SandboxStore } from './store.js';

/**
 * The store's payment gateway setting (Settings › Payments › "Transaction type"): whether a
 * checkout captures the card at once (`authorize_and_capture`, BigCommerce's `purchase`
 * transaction) or only authorises it (`authorize_only`, an `authorization` transaction) and
 * leaves the capture to the merchant.
 */
export type GatewayTransactionType = 'authorize_and_capture' | 'authorize_only';

/** The transaction a checkout at a paid status leaves on the order, by the gateway's setting. */
export function checkoutPayment(order: Order, transactionType: GatewayTransactionType, id: number, at: Date): Transaction {
  const authoriseOnly = transactionType === 'authorize_only';
  order.paymentStatus = authoriseOnly ? 'authorized' : 'captured';
  return {
    id,
    event: authoriseOnly ? 'authorization' : 'purchase',
    amountCents: orderTotals(order).totalIncTax,
    gateway: 'testgateway',
    gatewayTransactionId: `tg-${order.id}`,
    createdAt: at,
    status: 'ok',
  };
}

/** What the order's authorisation still allows to capture, in cents. */
function capturable(order: Order): number {
  const sum = (event: Transaction['event']) =>
    order.transactions
      .filter((transaction) => transaction.event === event)
      .reduce((total, transaction) => total + transaction.amountCents, 0);
  return sum('authorization') - sum('capture');
}

function openAuthorisation(order: Order): void {
  if (!order.transactions.some((transaction) => transaction.event === 'authorization'))
    throw new SandboxError(422, `Order ${order.id} has no authorized payment to capture or void.`);
  if (order.transactions.some((transaction) => transaction.event === 'void'))
    throw new SandboxError(422, `The payment of order ${order.id} was voided.`);
}

/** Records a transaction and tells the hooks, as the store does once the gateway answers. */
function settle(store: SandboxStore, order: Order, event: 'capture' | 'void', amountCents: number): Transaction {
  const now = new Date();
  const transaction: Transaction = {
    id: store.nextId('transaction'),
    event,
    amountCents,
    gateway: 'testgateway',
    gatewayTransactionId: `tg-${order.id}-${event}-${order.transactions.length}`,
    createdAt: now,
    status: 'ok',
  };
  order.transactions.push(transaction);
  order.paymentStatus = event === 'void' ? 'void' : 'captured';
  order.modifiedAt = now;
  store.emit('store/order/transaction/created', {
    type: 'transaction',
    order_id: String(order.id),
    transaction_id: String(transaction.id),
    transaction_status: 'complete',
    transaction_type: event,
    result:
      event === 'void'
        ? { code: 'voided', message: 'Voided', type: 'success' }
        : { code: 'captured', message: 'Captured', type: 'success' },
    platform_transaction_id: transaction.gatewayTransactionId,
    provider_transaction_id: transaction.gatewayTransactionId,
  });
  store.emit('store/order/updated', { type: 'order', id: order.id });
  return transaction;
}

/**
 * Captures `amountCents` of the order's authorisation (all that is left when absent): the V3
 * `payment_actions/capture` captures the rest; a partial amount is what a merchant captures in
 * the gateway's own dashboard, for example at each shipment.
 */
export function capturePayment(store: SandboxStore, orderId: number, amountCents?: number): Transaction {
  const order = store.order(orderId);
  openAuthorisation(order);
  const left = capturable(order);
  const amount = amountCents ?? left;
  if (left <= 0) throw new SandboxError(422, `The payment of order ${orderId} is captured already.`);
  if (amount <= 0 || amount > left) throw new SandboxError(422, `Order ${orderId} has ${left / 100} left to capture, not ${amount / 100}.`);
  return settle(store, order, 'capture', amount);
}

/** Voids the order's authorisation; a payment already captured (even in part) is refunded instead. */
export function voidPayment(store: SandboxStore, orderId: number): Transaction {
  const order = store.order(orderId);
  openAuthorisation(order);
  if (order.transactions.some((transaction) => transaction.event === 'capture'))
    throw new SandboxError(422, `The payment of order ${orderId} is captured: refund it instead.`);
  return settle(store, order, 'void', capturable(order));
}
