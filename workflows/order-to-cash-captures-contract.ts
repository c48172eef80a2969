import type { OrderWithoutContacts } from '../mappers/order-views.js';
import type { CaptureToRecord, CapturesToRecord } from '../decisions/captures-to-record.js';
import type { OrderRef } from './shared-contract.js';

/**
 * OrderToCash's part for payments captured after posting (issue 16 item 2): an order posted
 * while its payment was only authorised records one Intacct payment per storefront capture, when
 * the store says a transaction happened. Kept apart from `order-to-cash-contract.ts`, which
 * takes these activities into `OrderToCashActivities`.
 */

export type { CaptureToRecord, CapturesToRecord } from '../decisions/captures-to-record.js';

/** The storefront events that say a payment transaction of the order happened (BigCommerce's transaction webhooks). */
export const paymentTransactionTopics: readonly string[] = ['store/order/transaction/created', 'store/order/transaction/updated'];

export interface FindCapturesToRecordInput extends OrderRef {
  /** The order's total, in minor units: no more than this is applied to its invoice. */
  orderTotal: number;
}

export interface RecordCapturePaymentInput extends OrderRef {
  /** The order as last fetched, without contact data: its currency, payment method and date read the payment's account. */
  order: OrderWithoutContacts;
  customerId: string;
  salesDocumentId: string;
  /** The AR invoice to apply to, when the workflow knows it. */
  arInvoiceKey?: string;
  capture: CaptureToRecord;
}

/** The Intacct payment recorded for one capture (`created` false when an earlier attempt or run had). */
export interface CapturePaymentRecorded {
  paymentKey: string;
  created: boolean;
}

/** The capture activities OrderToCash calls (see `activities/captures.ts` and `activities/payments.ts`). */
export interface OrderToCashCaptureActivities {
  /**
   * One read of the order's storefront transactions and the ledger's payments for it: the
   * captures that still need a payment of their own (`decisions/captures-to-record.ts`).
   */
  findCapturesToRecord(input: FindCapturesToRecordInput): Promise<CapturesToRecord>;
  /**
   * Records one capture as an Intacct payment exactly once: the ledger ('payment',
   * `{orderId}:capture:{transactionId}`), a control id per capture with `uniqueid`, and the
   * reference `{orderId}-{transactionId}` that finds it again after a lost answer.
   */
  recordCapturePayment(input: RecordCapturePaymentInput): Promise<CapturePaymentRecorded>;
}
