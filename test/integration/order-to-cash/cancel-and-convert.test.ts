import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import type { TenantConnections } from '../../../activities/tenant-connections.js';
import { IntacctClient, createGotTransport, createSalesDocument, deleteSalesDocument } from '../../../connectors/intacct/index.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { uniqueId } from '../../support/harness.js';
import { sandboxCredentials, startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import {
  clearFaults,
  countIntacctCalls,
  injectFaults,
  intacctRecords,
  runAttempt,
  salesDocumentInput,
  signIn,
} from './intacct-writes-support.js';

describe('cancelSalesDocument and convertToInvoice against the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let activities: SalesDocumentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    activities = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterEach(async () => {
    await clearFaults(fixture);
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** A tenant signed in to Intacct with the order's document created by the activity. */
  async function postedOrder(
    transactionDefinition = 'Sales Order',
  ): Promise<{ tenantId: string; orderId: string; storefront: 'bigcommerce'; documentId: string }> {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition });
    await signIn(fixture, tenantId);
    const orderId = uniqueId('ORD');
    const { documentId } = await runAttempt(
      1,
      activities.createSalesDocument,
      salesDocumentInput({ tenantId, orderId, transactionDefinition }),
    );
    return { tenantId, orderId, storefront: 'bigcommerce', documentId };
  }

  const sandboxClient = () =>
    new IntacctClient({
      tenantId: 'a-person',
      endpoint: `${fixture.sandboxes.intacct.url}/ia/xml/xmlgw.phtml`,
      credentials: { ...sandboxCredentials.intacct, companyId: 'DEMO-CO' },
      timeoutMs: 10_000,
    });
  const documentById = async (documentId: string) => (await intacctRecords(fixture, 'SODOCUMENT')).find((row) => row.DOCID === documentId);
  const documentsCreatedFrom = async (documentId: string) =>
    (await intacctRecords(fixture, 'SODOCUMENT')).filter((row) => row.CREATEDFROM === documentId);
  const ledger = (tenantId: string, entity: 'order' | 'invoice', orderId: string) =>
    findLedgerEntry(fixture.database.db, { tenantId, entity, externalId: orderId });

  describe('cancelSalesDocument', () => {
    it('when a pending sales order is cancelled twice, then it is deleted once and the ledger says cancelled', async () => {
      const order = await postedOrder();
      const input = { ...order, salesDocumentId: order.documentId };
      const calls = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(1, activities.cancelSalesDocument, input)).toEqual({ cancelled: true });
      expect(calls()).toEqual({ readByQuery: 1, delete_sotransaction: 1 });
      expect(await documentById(order.documentId)).toBeUndefined();
      expect((await intacctRecords(fixture, 'SODOCUMENTENTRY')).filter((row) => row.DOCHDRID === order.documentId)).toEqual([]);
      expect(await ledger(order.tenantId, 'order', order.orderId)).toMatchObject({
        state: 'cancelled',
        intacctDocumentId: order.documentId,
      });

      const again = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(1, activities.cancelSalesDocument, input)).toEqual({ cancelled: false });
      expect(again()).toEqual({});
    });

    it('when the delete commits but its answer is lost, then the retry finds the document gone and counts it done', async () => {
      const order = await postedOrder();
      const input = { ...order, salesDocumentId: order.documentId };
      await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'delete_sotransaction', times: 1 }]);
      await expect(runAttempt(1, activities.cancelSalesDocument, input)).rejects.toMatchObject({
        type: 'IntacctRetryableError',
        nonRetryable: false,
      });
      expect(await documentById(order.documentId)).toBeUndefined();
      expect(await runAttempt(2, activities.cancelSalesDocument, input)).toEqual({ cancelled: false });
      expect(await ledger(order.tenantId, 'order', order.orderId)).toMatchObject({ state: 'cancelled' });
    });

    it('when a person already deleted the document, then cancelling counts as done after one read', async () => {
      const order = await postedOrder();
      await deleteSalesDocument(sandboxClient(), order.documentId, uniqueId('person-delete'));
      const calls = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(1, activities.cancelSalesDocument, { ...order, salesDocumentId: order.documentId })).toEqual({
        cancelled: false,
      });
      expect(calls()).toEqual({ readByQuery: 1 });
      expect(await ledger(order.tenantId, 'order', order.orderId)).toMatchObject({ state: 'cancelled' });
    });

    it('when the document is a posted, unpaid invoice, then it is deleted with its AR invoice', async () => {
      const order = await postedOrder('Sales Invoice');
      const arInvoiceKey = (await documentById(order.documentId))!.PRRECORDKEY!;
      expect((await intacctRecords(fixture, 'ARINVOICE')).some((row) => row.RECORDNO === arInvoiceKey)).toBe(true);
      expect(await runAttempt(1, activities.cancelSalesDocument, { ...order, salesDocumentId: order.documentId })).toEqual({
        cancelled: true,
      });
      expect(await documentById(order.documentId)).toBeUndefined();
      expect((await intacctRecords(fixture, 'ARINVOICE')).some((row) => row.RECORDNO === arInvoiceKey)).toBe(false);
    });

    it('when Intacct refuses to delete the document, then it is closed instead', async () => {
      const order = await postedOrder();
      // The sandbox has no per-definition delete policy, so this transport makes every delete name a
      // document that does not exist: Intacct's refusal, as a definition that forbids deletes gives.
      const inner = createGotTransport();
      const refusingDeletes = new IntacctClient({
        tenantId: order.tenantId,
        endpoint: `${fixture.sandboxes.intacct.url}/ia/xml/xmlgw.phtml`,
        credentials: { ...sandboxCredentials.intacct, companyId: 'DEMO-CO' },
        timeoutMs: 10_000,
        transactionCounter: fixture.intacctTransactions,
        transport: {
          post: (url, xml, options) => inner.post(url, xml.replace(/(<delete_sotransaction key=")[^"]*"/, '$1NO-SUCH-DOCUMENT"'), options),
        },
      });
      const connections = {
        forTenant: async (tenantId: string) => ({
          ...(await fixture.connections.forTenant(tenantId)),
          intacct: () => Promise.resolve(refusingDeletes),
        }),
      } as unknown as TenantConnections;
      const refusing = createSalesDocumentActivities({ db: fixture.database.db, connections });
      await refusingDeletes.verifySignIn();
      const calls = countIntacctCalls(fixture, order.tenantId);
      expect(await runAttempt(1, refusing.cancelSalesDocument, { ...order, salesDocumentId: order.documentId })).toEqual({
        cancelled: true,
      });
      expect(calls()).toEqual({ readByQuery: 1, delete_sotransaction: 1, update_sotransaction: 1 });
      expect(await documentById(order.documentId)).toMatchObject({ STATE: 'Closed' });
      expect(await ledger(order.tenantId, 'order', order.orderId)).toMatchObject({ state: 'cancelled' });
      expect(await runAttempt(1, activities.cancelSalesDocument, { ...order, salesDocumentId: order.documentId })).toEqual({
        cancelled: false,
      });
    });

    it('when the sales order was converted, then it is neither deleted nor closed and the non-retryable failure says what to do', async () => {
      const order = await postedOrder();
      await runAttempt(1, activities.convertToInvoice, {
        ...order,
        salesDocumentId: order.documentId,
        invoiceTransactionDefinition: 'Sales Invoice',
      });
      await expect(runAttempt(1, activities.cancelSalesDocument, { ...order, salesDocumentId: order.documentId })).rejects.toMatchObject({
        type: 'SalesDocumentNotCancellable',
        nonRetryable: true,
        message: expect.stringContaining('cancel or credit those documents'),
      });
      expect(await documentById(order.documentId)).toMatchObject({ STATE: 'Converted' });
      expect(await ledger(order.tenantId, 'order', order.orderId)).toMatchObject({ state: 'synced' });
    });
  });

  describe('convertToInvoice', () => {
    const convert = (order: { tenantId: string; orderId: string; storefront: 'bigcommerce'; documentId: string }, attempt = 1) =>
      runAttempt(attempt, activities.convertToInvoice, {
        tenantId: order.tenantId,
        storefront: order.storefront,
        orderId: order.orderId,
        salesDocumentId: order.documentId,
        invoiceTransactionDefinition: 'Sales Invoice',
      });

    it('when a sales order is converted, then one invoice is created from it line by line, equal to the cent, and recorded with its AR key', async () => {
      const order = await postedOrder();
      const calls = countIntacctCalls(fixture, order.tenantId);
      const converted = await convert(order);
      expect(calls()).toEqual({ readByQuery: 3, create_sotransaction: 1 });
      const source = (await documentById(order.documentId))!;
      const invoice = (await documentById(converted.invoiceDocumentId))!;
      expect(converted).toEqual({
        invoiceDocumentId: expect.stringMatching(/^Sales Invoice-INV-\d{4}$/),
        arInvoiceKey: invoice.PRRECORDKEY,
        created: true,
      });
      expect(source.STATE).toBe('Converted');
      expect(invoice).toMatchObject({
        DOCPARID: 'Sales Invoice',
        CREATEDFROM: order.documentId,
        PONUMBER: order.orderId,
        CUSTVENDID: 'WEB-GUEST',
        TOTAL: source.TOTAL,
      });
      expect(source.TOTAL).toBe('70.5');
      const entries = await intacctRecords(fixture, 'SODOCUMENTENTRY');
      const sourceLines = entries.filter((row) => row.DOCHDRID === order.documentId);
      const invoiceLines = entries.filter((row) => row.DOCHDRID === converted.invoiceDocumentId);
      expect(invoiceLines.map((line) => [line.SOURCELINEKEY, line.ITEMID, line.QUANTITY, line.PRICE, line.WAREHOUSEID])).toEqual(
        sourceLines.map((line) => [line.RECORDNO, line.ITEMID, line.QUANTITY, line.PRICE, line.WAREHOUSEID]),
      );
      expect((await intacctRecords(fixture, 'ARINVOICE')).find((row) => row.RECORDNO === converted.arInvoiceKey)).toMatchObject({
        TOTALDUE: '70.5',
        CUSTOMERID: 'WEB-GUEST',
      });
      expect(await ledger(order.tenantId, 'invoice', order.orderId)).toMatchObject({
        state: 'synced',
        intacctDocumentId: converted.invoiceDocumentId,
        arInvoiceKey: converted.arInvoiceKey,
      });

      const again = countIntacctCalls(fixture, order.tenantId);
      expect(await convert(order)).toEqual({ ...converted, created: false });
      expect(again()).toEqual({});
      expect(await documentsCreatedFrom(order.documentId)).toHaveLength(1);
    });

    it('when the conversion commits but its answer is lost, then the retry finds the invoice created from the order and creates no second one', async () => {
      const order = await postedOrder();
      await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
      await expect(convert(order)).rejects.toMatchObject({ type: 'IntacctRetryableError', nonRetryable: false });
      const [committed] = await documentsCreatedFrom(order.documentId);
      expect(committed).toBeDefined();
      const calls = countIntacctCalls(fixture, order.tenantId);
      expect(await convert(order, 2)).toEqual({
        invoiceDocumentId: committed!.DOCID,
        arInvoiceKey: committed!.PRRECORDKEY,
        created: false,
      });
      expect(calls()).toEqual({ readByQuery: 2 });
      expect(await documentsCreatedFrom(order.documentId)).toHaveLength(1);
      expect(committed!.TOTAL).toBe((await documentById(order.documentId))!.TOTAL);
    });

    it('when a person already converted the sales order, then their invoice is returned and recorded, and nothing is created', async () => {
      const order = await postedOrder();
      const person = sandboxClient();
      const lines = (await intacctRecords(fixture, 'SODOCUMENTENTRY'))
        .filter((row) => row.DOCHDRID === order.documentId)
        .map((row) => ({
          itemId: row.ITEMID!,
          quantity: row.QUANTITY!,
          price: row.PRICE!,
          sourceLineKey: row.RECORDNO!,
          ...(row.WAREHOUSEID ? { warehouseId: row.WAREHOUSEID } : {}),
        }));
      const theirs = await createSalesDocument(
        person,
        {
          transactionDefinition: 'Sales Invoice',
          date: '2026-03-03',
          createdFrom: order.documentId,
          customerId: 'WEB-GUEST',
          referenceNumber: order.orderId,
          lines,
        },
        uniqueId('person-convert'),
      );
      const calls = countIntacctCalls(fixture, order.tenantId);
      const converted = await convert(order);
      expect(converted).toMatchObject({
        invoiceDocumentId: theirs.documentId,
        arInvoiceKey: expect.stringMatching(/^\d+$/),
        created: false,
      });
      expect(calls()).toEqual({ readByQuery: 2 });
      expect(await documentsCreatedFrom(order.documentId)).toHaveLength(1);
      expect(await ledger(order.tenantId, 'invoice', order.orderId)).toMatchObject({
        state: 'synced',
        intacctDocumentId: theirs.documentId,
      });
    });

    it('when the sales order does not exist, then the non-retryable failure names it', async () => {
      const order = await postedOrder();
      await expect(convert({ ...order, documentId: 'Sales Order-NO-SUCH-ORDER' })).rejects.toMatchObject({
        type: 'SalesDocumentNotFound',
        nonRetryable: true,
        message: expect.stringContaining('Sales Order-NO-SUCH-ORDER'),
      });
    });
  });
});
