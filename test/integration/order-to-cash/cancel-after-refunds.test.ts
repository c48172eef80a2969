import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentActivities, type PaymentActivities } from '../../../activities/payments.js';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import { findLedgerEntry, recordLedgerEntry, type LedgerUpdate } from '../../../store/ledger.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { countIntacctCalls, intacctRecords, paidOrder, runAttempt, salesDocumentInput, signIn } from './intacct-writes-support.js';

/**
 * The cancellation's compensations (reversePayment, cancelSalesDocument) for an order the ledger
 * holds refunds of, against the Intacct sandbox: the refunds already gave money back, so neither
 * compensation undoes anything and both fail for a person with the refunds named. The refunds'
 * ledger entries are written as ReturnToCreditMemo leaves them.
 */
describe('reversePayment and cancelSalesDocument of an order that was refunded', () => {
  let fixture: OrderSyncFixture;
  let documents: SalesDocumentActivities;
  let payments: PaymentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    documents = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
    payments = createPaymentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A signed-in tenant's Sales Invoice, paid in full by the activity. */
  async function paidInvoice() {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    await signIn(fixture, tenantId);
    const orderId = uniqueId('ORD');
    const { documentId } = await runAttempt(
      1,
      documents.createSalesDocument,
      salesDocumentInput({ tenantId, orderId, transactionDefinition: 'Sales Invoice' }),
    );
    const outcome = await runAttempt(1, payments.recordPayment, {
      tenantId,
      storefront: 'bigcommerce',
      orderId,
      order: paidOrder(orderId),
      customerId: 'WEB-GUEST',
      salesDocumentId: documentId,
    });
    if (!outcome.recorded) throw new Error('payment was not recorded');
    const ref = { tenantId, storefront: 'bigcommerce' as const, orderId };
    return { ref, documentId, paymentKey: outcome.paymentKey };
  }

  const refunded = (tenantId: string, orderId: string, refundId: string, update: LedgerUpdate) =>
    recordLedgerEntry(fixture.database.db, { tenantId, entity: 'refund', externalId: refundId }, { orderExternalId: orderId, ...update });
  const paymentOf = async (paymentKey: string) => (await intacctRecords(fixture, 'ARPYMT')).find((row) => row.RECORDNO === paymentKey);
  const documentOf = async (documentId: string) => (await intacctRecords(fixture, 'SODOCUMENT')).find((row) => row.DOCID === documentId);

  it('when a refund of the order was credited, then the payment is not reversed, the invoice stays, Intacct is not called, and both failures name the refund and its amount', async () => {
    const order = await paidInvoice();
    const refundId = uniqueId('RF');
    await refunded(order.ref.tenantId, order.ref.orderId, refundId, {
      state: 'synced',
      intacctDocumentId: 'Sales Credit Memo-CM-0901',
      amount: 1050,
      currency: 'USD',
      intacctKey: '9901',
    });
    const calls = countIntacctCalls(fixture, order.ref.tenantId);

    await expect(runAttempt(1, payments.reversePayment, { ...order.ref, paymentKey: order.paymentKey })).rejects.toMatchObject({
      type: 'CancelledAfterRefunds',
      nonRetryable: true,
      message: expect.stringMatching(
        new RegExp(
          `refund ${refundId} \\(credit memo Sales Credit Memo-CM-0901, 10\\.50 USD.*reversing payment ${order.paymentKey} in full would give that money back a second time`,
        ),
      ),
      details: [
        {
          failureClass: 'input',
          refunds: [{ refundId, state: 'synced', amount: '10.50', currency: 'USD', documentId: 'Sales Credit Memo-CM-0901' }],
          refundedTotals: { USD: '10.50' },
        },
      ],
    });
    await expect(runAttempt(1, documents.cancelSalesDocument, { ...order.ref, salesDocumentId: order.documentId })).rejects.toMatchObject({
      type: 'CancelledAfterRefunds',
      nonRetryable: true,
      message: expect.stringContaining(`deleting (or closing) ${order.documentId} would give that money back a second time`),
    });

    expect(calls()).toEqual({});
    expect(await paymentOf(order.paymentKey)).toMatchObject({ STATE: expect.not.stringMatching(/Reversed|Voided/) });
    expect(await documentOf(order.documentId)).toBeDefined();
    expect(
      await findLedgerEntry(fixture.database.db, { tenantId: order.ref.tenantId, entity: 'payment', externalId: order.ref.orderId }),
    ).toMatchObject({ state: 'synced', intacctKey: order.paymentKey });
    expect(
      await findLedgerEntry(fixture.database.db, { tenantId: order.ref.tenantId, entity: 'order', externalId: order.ref.orderId }),
    ).toMatchObject({ state: 'synced' });
  });

  it('when a refund of the order is still in flight, then nothing is reversed either', async () => {
    const order = await paidInvoice();
    const refundId = uniqueId('RF');
    await recordLedgerEntry(
      fixture.database.db,
      { tenantId: order.ref.tenantId, entity: 'refund', externalId: refundId },
      { countAttempt: true, orderExternalId: order.ref.orderId },
    );
    await expect(runAttempt(1, payments.reversePayment, { ...order.ref, paymentKey: order.paymentKey })).rejects.toMatchObject({
      type: 'CancelledAfterRefunds',
      message: expect.stringContaining(`refund ${refundId} (in flight)`),
    });
    expect(await paymentOf(order.paymentKey)).toMatchObject({ STATE: expect.not.stringMatching(/Reversed|Voided/) });
  });

  it('when the order’s only refund was skipped without touching Intacct, then the payment is reversed and the invoice deleted as for any cancellation', async () => {
    const order = await paidInvoice();
    await refunded(order.ref.tenantId, order.ref.orderId, uniqueId('RF'), { state: 'skipped' });
    await runAttempt(1, payments.reversePayment, { ...order.ref, paymentKey: order.paymentKey });
    expect(await paymentOf(order.paymentKey)).toMatchObject({ STATE: 'Reversed' });
    expect(await runAttempt(1, documents.cancelSalesDocument, { ...order.ref, salesDocumentId: order.documentId })).toEqual({
      cancelled: true,
    });
    expect(await documentOf(order.documentId)).toBeUndefined();
  });

  it('when the payment was already reversed before the refund was recorded, then reversing again is still done without a look at the refunds', async () => {
    const order = await paidInvoice();
    await runAttempt(1, payments.reversePayment, { ...order.ref, paymentKey: order.paymentKey });
    await refunded(order.ref.tenantId, order.ref.orderId, uniqueId('RF'), {
      state: 'synced',
      intacctDocumentId: 'Sales Credit Memo-CM-0902',
      amount: 100,
      currency: 'USD',
    });
    await runAttempt(2, payments.reversePayment, { ...order.ref, paymentKey: order.paymentKey });
    expect(await paymentOf(order.paymentKey)).toMatchObject({ STATE: 'Reversed' });
  });
});
