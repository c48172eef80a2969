import { condition, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderToCashResult } from '../order-to-cash-contract.js';
import { IntacctDocument } from '../search-attributes.js';
import { parkOnFailure, transientRetryDelay, untilDone, type ItemParked } from '../shared/parking.js';
import { bookkeeping, vendorCall } from './activities.js';
import type { OrderRun } from './order-run.js';
import { writeBackQuietly } from './storefront.js';

/** Registers the undo of the order's sales document, once it exists. */
export function compensateSalesDocument(order: OrderRun, salesDocumentId: string): void {
  order.compensations.push(`Cancel ${salesDocumentId}`, () => vendorCall.cancelSalesDocument({ ...order.ref, salesDocumentId }));
}

/** Registers the undo of the order's payment, once it is recorded. */
export function compensatePayment(order: OrderRun, paymentKey: string): void {
  order.compensations.push(`Reverse payment ${paymentKey}`, () => vendorCall.reversePayment({ ...order.ref, paymentKey }));
}

/** A run that finds its order posted by an earlier run still knows how to undo it. */
export function registerKnownCompensations(order: OrderRun): void {
  const { salesDocumentId, paymentKey } = order.status.intacct;
  if (salesDocumentId !== undefined) compensateSalesDocument(order, salesDocumentId);
  if (paymentKey !== undefined) compensatePayment(order, paymentKey);
}

/** Runs the compensations in reverse, then records and reports the cancellation. */
export async function cancelOrder(order: OrderRun, reason: string): Promise<OrderToCashResult> {
  order.status.step = 'cancelling';
  order.status.note = reason;
  setCurrentDetails(`Cancelling: ${reason}`);
  await untilDone(
    () => parkOnFailure('undoing the order in Intacct', () => unwind(order)),
    (parked) => parkCancellation(order, parked),
  );
  await bookkeeping.recordOrderCancelled({ ...order.ref, workflowId: order.workflowId });
  await writeBackQuietly(order, { ...order.ref, state: 'cancelled' });
  delete order.status.attention;
  return order.finish('cancelled');
}

/** Undoes what the order posted, most recent first; a retry resumes where an unwind stopped. */
export async function unwind(order: OrderRun): Promise<void> {
  await order.compensations.unwind();
  order.status.intacct = {};
  order.arInvoiceKey = undefined;
  upsertSearchAttributes([{ key: IntacctDocument, value: '' }]);
}

/** A compensation that fails for good waits for a person like any other step. */
async function parkCancellation(order: OrderRun, { attention, transient }: ItemParked): Promise<void> {
  order.requests.retryRequested = false;
  order.status.step = 'parked';
  order.status.attention = attention;
  order.showState('parked');
  await bookkeeping.parkOrder({
    ...order.ref,
    workflowId: order.workflowId,
    attention: { ...attention, code: `cancellation_${attention.code}` },
  });
  await condition(() => order.requests.retryRequested, transient ? transientRetryDelay : undefined);
  order.status.step = 'cancelling';
}
