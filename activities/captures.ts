import { capturesToRecord, type PaymentTransaction } from '../decisions/captures-to-record.js';
import { fromBigCommerceTransaction, fromClarityTransaction } from '../mappers/payment-transactions.js';
import { findLedgerEntry, listOrderCapturePayments } from '../store/ledger.js';
import type {
  CapturesToRecord,
  FindCapturesToRecordInput,
  OrderToCashCaptureActivities,
} from '../workflows/order-to-cash-captures-contract.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { flowFailure } from './flow-failure.js';
import type { StorefrontConnection } from './tenant-connections.js';

/** The order's payment transactions as the storefront lists them (BigCommerce V3, Clarity per its contract). */
async function readPaymentTransactions(storefront: StorefrontConnection, ref: OrderRef): Promise<PaymentTransaction[]> {
  if (storefront.kind !== ref.storefront)
    throw flowFailure(
      orderToCashFailures,
      'StorefrontMismatch',
      `tenant ${ref.tenantId} is connected to ${storefront.kind}, but the order reference names ${ref.storefront} order ${ref.orderId}`,
    );
  if (storefront.kind === 'bigcommerce')
    return (await storefront.client.payments.listTransactions(Number(ref.orderId))).map(fromBigCommerceTransaction);
  return (await storefront.client.listOrderTransactions(ref.orderId)).map(fromClarityTransaction);
}

/**
 * OrderToCash's look for captures after posting: one storefront read of the order's
 * transactions and two ledger reads, then the capture rule. Writes nothing.
 */
export function createCaptureActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  async function findCapturesToRecord(input: FindCapturesToRecordInput): Promise<CapturesToRecord> {
    const connection = await deps.connections.forTenant(input.tenantId);
    const [transactions, posting, recorded] = await Promise.all([
      connection.storefront().then((storefront) => readPaymentTransactions(storefront, input)),
      findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'payment', externalId: input.orderId }),
      listOrderCapturePayments(deps.db, input.tenantId, input.orderId),
    ]);
    return capturesToRecord({
      transactions,
      postingPayment: posting?.state === 'synced' && posting.intacctKey !== undefined ? { amount: posting.amount } : undefined,
      recordedCaptures: recorded
        .filter((entry) => entry.state === 'synced')
        .map((entry) => ({ transactionId: entry.externalId.slice(entry.externalId.lastIndexOf(':') + 1), amount: entry.amount ?? 0 })),
      orderTotal: input.orderTotal,
    });
  }

  return { findCapturesToRecord: withConnectorFailures(findCapturesToRecord) } satisfies Pick<
    OrderToCashCaptureActivities,
    'findCapturesToRecord'
  >;
}
