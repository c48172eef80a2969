import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordPaymentInput } from '../../../workflows/order-to-cash-contract.js';
import { createPaymentActivities, type PaymentActivities } from '../../../activities/payments.js';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import { IntacctClient, readInvoiceBalance, reverseArPayment } from '../../../connectors/intacct/index.js';
import { parseExactAmount } from '../../../mappers/money.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { upsertMappingRows } from '../../../store/mappings.js';
import { uniqueId } from '../../support/harness.js';
import { sandboxCredentials, startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import {
  clearFaults,
  countIntacctCalls,
  documentTotalCents,
  injectFaults,
  intacctFunctionCalls,
  intacctRecords,
  paidOrder,
  runAttempt,
  salesDocumentInput,
  signIn,
} from './intacct-writes-support.js';

describe('recordPayment and reversePayment against the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let documents: SalesDocumentActivities;
  let payments: PaymentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    documents = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
    payments = createPaymentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterEach(async () => {
    await clearFaults(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  type PostedOrder = { tenantId: string; orderId: string; documentId: string; arInvoiceKey?: string };

  /** A signed-in tenant whose order's document was created by the activity (first attempt: no AR key known). */
  async function postedOrder(orderSync: Parameters<OrderSyncFixture['createTenant']>[1] = {}): Promise<PostedOrder> {
    const tenantId = await fixture.createTenant('bigcommerce', orderSync);
    await signIn(fixture, tenantId);
    const orderId = uniqueId('ORD');
    const transactionDefinition = orderSync.transactionDefinition ?? 'Sales Order';
    const created = await runAttempt(1, documents.createSalesDocument, salesDocumentInput({ tenantId, orderId, transactionDefinition }));
    return { tenantId, orderId, documentId: created.documentId, ...(created.arInvoiceKey && { arInvoiceKey: created.arInvoiceKey }) };
  }

  const paymentInput = (order: PostedOrder, overrides: Partial<RecordPaymentInput> = {}): RecordPaymentInput => ({
    tenantId: order.tenantId,
    storefront: 'bigcommerce',
    orderId: order.orderId,
    order: paidOrder(order.orderId),
    customerId: 'WEB-GUEST',
    salesDocumentId: order.documentId,
    ...overrides,
  });
  const paymentsOf = async (orderId: string) => (await intacctRecords(fixture, 'ARPYMT')).filter((row) => row.DOCNUMBER === orderId);
  const arInvoiceKeyOf = async (documentId: string) =>
    (await intacctRecords(fixture, 'SODOCUMENT')).find((row) => row.DOCID === documentId)!.PRRECORDKEY!;
  const balance = async (arInvoiceKey: string) => {
    const client = new IntacctClient({
      tenantId: 'reader',
      endpoint: `${fixture.sandboxes.intacct.url}/ia/xml/xmlgw.phtml`,
      credentials: { ...sandboxCredentials.intacct, companyId: 'DEMO-CO' },
      timeoutMs: 10_000,
    });
    const read = (await readInvoiceBalance(client, arInvoiceKey))!;
    return { due: parseExactAmount(read.totalDue, 'USD'), paid: parseExactAmount(read.totalPaid, 'USD') };
  };
  const paymentLedger = (order: PostedOrder) =>
    findLedgerEntry(fixture.database.db, { tenantId: order.tenantId, entity: 'payment', externalId: order.orderId });

  describe('recordPayment', () => {
    it('when the order is unpaid, then nothing is recorded and Intacct is not called', async () => {
      const order = await postedOrder();
      const calls = countIntacctCalls(fixture, order.tenantId);
      const outcome = await runAttempt(
        1,
        payments.recordPayment,
        paymentInput(order, { order: paidOrder(order.orderId, { amountPaid: 0 }) }),
      );
      expect(outcome).toEqual({ recorded: false, reason: expect.stringContaining('no captured payment') });
      expect(calls()).toEqual({});
      expect(await paymentLedger(order)).toBeNull();
    });

    it('when a Sales Invoice tenant records the payment, then one receipt pays the invoice to zero, to the cent, reading the AR key once; a second call is free', async () => {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      expect(order.arInvoiceKey).toBeUndefined();
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      expect(await balance(arInvoiceKey)).toEqual({ due: documentTotalCents, paid: 0 });

      const calls = countIntacctCalls(fixture, order.tenantId);
      const outcome = await runAttempt(1, payments.recordPayment, paymentInput(order));
      expect(outcome).toEqual({ recorded: true, paymentKey: expect.stringMatching(/^\d+$/), created: true });
      expect(calls()).toEqual({ readByQuery: 1, create_arpayment: 1 });
      expect(await balance(arInvoiceKey)).toEqual({ due: 0, paid: documentTotalCents });
      const [receipt] = await paymentsOf(order.orderId);
      expect(receipt).toMatchObject({
        RECORDNO: outcome.recorded ? outcome.paymentKey : '',
        CUSTOMERID: 'WEB-GUEST',
        PAYMENTMETHOD: 'Credit Card',
        UNDEPOSITEDACCOUNTNO: '1050',
        RECEIPTDATE: '03/02/2026',
        STATE: 'Posted',
      });
      expect(parseExactAmount(receipt!.TOTALENTERED!, 'USD')).toBe(documentTotalCents);
      const controlId = `arpymt-create:${order.tenantId}:${order.orderId}`;
      expect(await intacctFunctionCalls(fixture, 'create_arpayment')).toContainEqual({ controlId, uniqueId: true, status: 'success' });
      expect(await paymentLedger(order)).toMatchObject({
        state: 'synced',
        intacctKey: receipt!.RECORDNO,
        intacctDocumentId: order.documentId,
        arInvoiceKey,
        attempts: 1,
      });
      // The AR key read is kept on the order's ledger entry, so nothing reads it again.
      expect(
        await findLedgerEntry(fixture.database.db, { tenantId: order.tenantId, entity: 'order', externalId: order.orderId }),
      ).toMatchObject({ arInvoiceKey });

      const again = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(1, payments.recordPayment, paymentInput(order))).toEqual({
        recorded: true,
        paymentKey: receipt!.RECORDNO,
        created: false,
      });
      expect(again()).toEqual({});
      expect(await paymentsOf(order.orderId)).toHaveLength(1);
    });

    it('when the caller passes the AR invoice key, then the payment costs exactly the create', async () => {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      const calls = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(1, payments.recordPayment, paymentInput(order, { arInvoiceKey }));
      expect(calls()).toEqual({ create_arpayment: 1 });
      expect(await balance(arInvoiceKey)).toEqual({ due: 0, paid: documentTotalCents });
    });

    it('when the create commits but its answer is lost, then the retry finds the receipt and the invoice is paid once', async () => {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_arpayment', times: 1 }]);
      await expect(runAttempt(1, payments.recordPayment, paymentInput(order))).rejects.toMatchObject({
        type: 'IntacctRetryableError',
        nonRetryable: false,
      });
      const [committed] = await paymentsOf(order.orderId);
      expect(committed).toBeDefined();

      const calls = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(2, payments.recordPayment, paymentInput(order))).toEqual({
        recorded: true,
        paymentKey: committed!.RECORDNO,
        created: false,
      });
      // The AR key was kept from the first attempt's read; the lookup by reference finds the receipt.
      expect(calls()).toEqual({ readByQuery: 1 });
      expect(await paymentsOf(order.orderId)).toHaveLength(1);
      expect(await balance(arInvoiceKey)).toEqual({ due: 0, paid: documentTotalCents });
      expect(await paymentLedger(order)).toMatchObject({ state: 'synced', intacctKey: committed!.RECORDNO, attempts: 2 });
    });

    it('when the gateway answers 5xx before running the create, then the retry records the payment once', async () => {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      await injectFaults(fixture, [{ kind: 'http5xx', function: 'create_arpayment', times: 1, status: 502 }]);
      await expect(runAttempt(1, payments.recordPayment, paymentInput(order, { arInvoiceKey }))).rejects.toMatchObject({
        type: 'IntacctRetryableError',
        nonRetryable: false,
      });
      expect(await paymentsOf(order.orderId)).toHaveLength(0);
      const outcome = await runAttempt(2, payments.recordPayment, paymentInput(order, { arInvoiceKey }));
      expect(outcome).toMatchObject({ recorded: true, created: true });
      expect(await paymentsOf(order.orderId)).toHaveLength(1);
      expect(await balance(arInvoiceKey)).toEqual({ due: 0, paid: documentTotalCents });
    });

    it('when two runs record the same payment at once, then one receipt exists and both return it', async () => {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      const [a, b] = await Promise.all([
        runAttempt(1, payments.recordPayment, paymentInput(order, { arInvoiceKey })),
        runAttempt(1, payments.recordPayment, paymentInput(order, { arInvoiceKey })),
      ]);
      expect(a.recorded && b.recorded && a.paymentKey === b.paymentKey).toBe(true);
      expect(await paymentsOf(order.orderId)).toHaveLength(1);
      expect(await balance(arInvoiceKey)).toEqual({ due: 0, paid: documentTotalCents });
    });

    it('when the document is a sales order with no invoice yet, then the payment is recorded unapplied without reading the order', async () => {
      const order = await postedOrder();
      const calls = countIntacctCalls(fixture, order.tenantId);
      const outcome = await runAttempt(1, payments.recordPayment, paymentInput(order));
      expect(outcome).toMatchObject({ recorded: true, created: true });
      expect(calls()).toEqual({ create_arpayment: 1 });
      const [receipt] = await paymentsOf(order.orderId);
      expect(parseExactAmount(receipt!.TOTALENTERED!, 'USD')).toBe(documentTotalCents);
      expect((await intacctRecords(fixture, 'ARPYMTDETAIL')).filter((row) => row.PAYMENTKEY === receipt!.RECORDNO)).toEqual([]);
    });

    it('when the sales order was converted, then the payment applies to the converted invoice the ledger knows, without reading Intacct', async () => {
      const order = await postedOrder();
      const invoice = await runAttempt(1, documents.convertToInvoice, {
        tenantId: order.tenantId,
        storefront: 'bigcommerce',
        orderId: order.orderId,
        salesDocumentId: order.documentId,
        invoiceTransactionDefinition: 'Sales Invoice',
      });
      const calls = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(1, payments.recordPayment, paymentInput(order));
      expect(calls()).toEqual({ create_arpayment: 1 });
      expect(await balance(invoice.arInvoiceKey!)).toEqual({ due: 0, paid: documentTotalCents });
    });

    it('when the payment method has a mapping row, then its bank account and Intacct method are used', async () => {
      const order = await postedOrder();
      await upsertMappingRows(
        fixture.database.db,
        order.tenantId,
        'paymentMethods',
        [{ key: 'Bank Deposit', row: { paymentMethod: 'Bank Deposit', undepositedFunds: false, bankAccountId: 'BOA-CHK' } }],
        'test',
      );
      await runAttempt(
        1,
        payments.recordPayment,
        paymentInput(order, { order: paidOrder(order.orderId, { paymentMethod: 'Bank Deposit' }) }),
      );
      expect((await paymentsOf(order.orderId))[0]).toMatchObject({
        FINANCIALENTITY: 'BOA-CHK',
        UNDEPOSITEDACCOUNTNO: '',
        PAYMENTMETHOD: 'EFT',
      });
    });

    it('when no account receives the payment method, then a non-retryable PaymentAccountNotConfigured failure says how to fix it, before any Intacct call', async () => {
      const order = await postedOrder({ payments: { methods: [] } });
      const calls = countIntacctCalls(fixture, order.tenantId);
      await expect(
        runAttempt(1, payments.recordPayment, paymentInput(order, { order: paidOrder(order.orderId, { paymentMethod: 'stripe' }) })),
      ).rejects.toMatchObject({
        type: 'PaymentAccountNotConfigured',
        nonRetryable: true,
        message: expect.stringContaining('add a row for "stripe" to the paymentMethods mapping table'),
      });
      expect(calls()).toEqual({});
      expect(await paymentsOf(order.orderId)).toEqual([]);
    });

    it('when Intacct refuses the receipt (unknown deposit account), then the failure is a non-retryable input error', async () => {
      const order = await postedOrder({ payments: { defaultAccount: { undepositedFunds: false, bankAccountId: 'NO-SUCH-BANK' } } });
      await expect(runAttempt(1, payments.recordPayment, paymentInput(order))).rejects.toMatchObject({
        type: 'IntacctInputError',
        nonRetryable: true,
        message: expect.stringContaining('NO-SUCH-BANK'),
      });
    });
  });

  describe('reversePayment', () => {
    async function paidInvoice(): Promise<PostedOrder & { paymentKey: string; arInvoiceKey: string }> {
      const order = await postedOrder({ transactionDefinition: 'Sales Invoice' });
      const arInvoiceKey = await arInvoiceKeyOf(order.documentId);
      const outcome = await runAttempt(1, payments.recordPayment, paymentInput(order, { arInvoiceKey }));
      if (!outcome.recorded) throw new Error('payment was not recorded');
      return { ...order, arInvoiceKey, paymentKey: outcome.paymentKey };
    }
    const reverseInput = (order: PostedOrder & { paymentKey: string }) => ({
      tenantId: order.tenantId,
      storefront: 'bigcommerce' as const,
      orderId: order.orderId,
      paymentKey: order.paymentKey,
    });

    it('when the payment is reversed twice, then it is reversed once, the invoice is owed again and the ledger says cancelled', async () => {
      const order = await paidInvoice();
      const calls = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(1, payments.reversePayment, reverseInput(order));
      expect(calls()).toEqual({ reverse_arpayment: 1 });
      expect((await paymentsOf(order.orderId))[0]).toMatchObject({ STATE: 'Reversed' });
      expect(await balance(order.arInvoiceKey)).toEqual({ due: documentTotalCents, paid: 0 });
      expect(await paymentLedger(order)).toMatchObject({ state: 'cancelled', intacctKey: order.paymentKey });

      const again = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(1, payments.reversePayment, reverseInput(order));
      expect(again()).toEqual({});
      expect(await balance(order.arInvoiceKey)).toEqual({ due: documentTotalCents, paid: 0 });
      expect(await runAttempt(1, payments.recordPayment, paymentInput(order))).toEqual({
        recorded: false,
        reason: expect.stringContaining('was reversed'),
      });
    });

    it('when the reversal commits but its answer is lost, then the retry counts it done and the invoice is given back its amount once', async () => {
      const order = await paidInvoice();
      await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'reverse_arpayment', times: 1 }]);
      await expect(runAttempt(1, payments.reversePayment, reverseInput(order))).rejects.toMatchObject({
        type: 'IntacctRetryableError',
        nonRetryable: false,
      });
      const calls = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(2, payments.reversePayment, reverseInput(order));
      expect(calls()).toEqual({ reverse_arpayment: 1 });
      expect(await balance(order.arInvoiceKey)).toEqual({ due: documentTotalCents, paid: 0 });
      expect(await paymentLedger(order)).toMatchObject({ state: 'cancelled' });
    });

    it('when a person already reversed the payment, then reversing counts as done after reading its state', async () => {
      const order = await paidInvoice();
      const person = new IntacctClient({
        tenantId: 'a-person',
        endpoint: `${fixture.sandboxes.intacct.url}/ia/xml/xmlgw.phtml`,
        credentials: { ...sandboxCredentials.intacct, companyId: 'DEMO-CO' },
        timeoutMs: 10_000,
      });
      await reverseArPayment(person, { paymentKey: order.paymentKey, date: '2026-03-03' }, uniqueId('person-reverse'));
      const calls = countIntacctCalls(fixture, order.tenantId);
      await runAttempt(1, payments.reversePayment, reverseInput(order));
      expect(calls()).toEqual({ reverse_arpayment: 1, readByQuery: 1 });
      expect(await balance(order.arInvoiceKey)).toEqual({ due: documentTotalCents, paid: 0 });
      expect(await paymentLedger(order)).toMatchObject({ state: 'cancelled' });
    });

    it('when the payment was reversed, then the invoice document can be cancelled', async () => {
      const order = await paidInvoice();
      await expect(
        runAttempt(1, documents.cancelSalesDocument, {
          tenantId: order.tenantId,
          storefront: 'bigcommerce',
          orderId: order.orderId,
          salesDocumentId: order.documentId,
        }),
      ).rejects.toMatchObject({
        type: 'SalesDocumentNotCancellable',
        nonRetryable: true,
      });
      await runAttempt(1, payments.reversePayment, reverseInput(order));
      expect(
        await runAttempt(1, documents.cancelSalesDocument, {
          tenantId: order.tenantId,
          storefront: 'bigcommerce',
          orderId: order.orderId,
          salesDocumentId: order.documentId,
        }),
      ).toEqual({ cancelled: true });
      expect((await intacctRecords(fixture, 'SODOCUMENT')).some((row) => row.DOCID === order.documentId)).toBe(false);
    });
  });
});
