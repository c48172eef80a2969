import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import type { ShipmentInvoice, ShippedLine } from '../../../workflows/order-to-cash-contract.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { clearFaults, injectFaults, intacctRecords, runAttempt, salesDocumentInput, signIn } from './intacct-writes-support.js';

/**
 * convertToInvoice with one storefront shipment, against the Intacct sandbox over HTTP: each
 * shipment becomes an invoice of exactly its units (partial conversion by `sourcelinekey`), the
 * first also carrying the shipping line, so the invoices of an order shipped in parts sum to
 * the sales order; each shipment is invoiced once, a lost answer included.
 */
describe('convertToInvoice by shipment against the Intacct sandbox', () => {
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

  /** The order behind `salesDocumentInput`: two tees (line 1) and a mug (line 2), plus shipping 8.00; 70.50 in all. */
  const orderLines: ShippedLine[] = [
    { lineId: '1', quantity: 2 },
    { lineId: '2', quantity: 1 },
  ];

  async function postedOrder() {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    await signIn(fixture, tenantId);
    const orderId = uniqueId('ORD');
    const { documentId } = await runAttempt(1, activities.createSalesDocument, salesDocumentInput({ tenantId, orderId }));
    return { tenantId, orderId, storefront: 'bigcommerce' as const, documentId };
  }

  const invoiceShipment = (order: Awaited<ReturnType<typeof postedOrder>>, shipment: Omit<ShipmentInvoice, 'orderLines'>, attempt = 1) =>
    runAttempt(attempt, activities.convertToInvoice, {
      tenantId: order.tenantId,
      storefront: order.storefront,
      orderId: order.orderId,
      salesDocumentId: order.documentId,
      invoiceTransactionDefinition: 'Sales Invoice',
      shipment: { ...shipment, orderLines },
    });
  const documentById = async (documentId: string) => (await intacctRecords(fixture, 'SODOCUMENT')).find((row) => row.DOCID === documentId);
  const linesOf = async (documentId: string) =>
    (await intacctRecords(fixture, 'SODOCUMENTENTRY'))
      .filter((row) => row.DOCHDRID === documentId)
      .map((row) => [row.ITEMID, row.QUANTITY, row.PRICE, row.SOURCELINEKEY !== '']);
  const cents = (total: string | undefined) => Math.round(Number(total) * 100);

  it('when the order ships in three parts, then three invoices of exactly their units sum to the sales order, and the last converts it fully', async () => {
    const order = await postedOrder();
    const first = await invoiceShipment(order, {
      shipmentId: '11',
      trackingNumber: '1ZA',
      lines: [{ lineId: '1', quantity: 1 }],
      shippedBefore: [],
    });
    expect((await documentById(order.documentId))!.STATE).toBe('Partially Converted');
    const second = await invoiceShipment(order, {
      shipmentId: '12',
      lines: [{ lineId: '1', quantity: 1 }],
      shippedBefore: [{ lineId: '1', quantity: 1 }],
    });
    const third = await invoiceShipment(order, {
      shipmentId: '13',
      lines: [{ lineId: '2', quantity: 1 }],
      shippedBefore: [{ lineId: '1', quantity: 2 }],
    });

    expect([first.created, second.created, third.created]).toEqual([true, true, true]);
    expect(await linesOf(first.invoiceDocumentId)).toEqual([
      ['TSHIRT-BLK-M', '1', '24', true],
      ['SHIPPING', '1', '8', true],
    ]);
    expect(await linesOf(second.invoiceDocumentId)).toEqual([['TSHIRT-BLK-M', '1', '24', true]]);
    expect(await linesOf(third.invoiceDocumentId)).toEqual([['MUG-CER-12OZ', '1', '14.5', true]]);
    const invoices = await Promise.all([first, second, third].map((invoice) => documentById(invoice.invoiceDocumentId)));
    expect(invoices.map((invoice) => invoice!.CREATEDFROM)).toEqual([order.documentId, order.documentId, order.documentId]);
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice!.TOTAL), 0)).toBe(cents((await documentById(order.documentId))!.TOTAL));
    expect((await documentById(order.documentId))!.STATE).toBe('Converted');
    // The first shipment's invoice is the order's, for its payment and refunds.
    expect(
      await findLedgerEntry(fixture.database.db, { tenantId: order.tenantId, entity: 'invoice', externalId: order.orderId }),
    ).toMatchObject({
      state: 'synced',
      intacctDocumentId: first.invoiceDocumentId,
    });
  });

  it('when a shipment is invoiced again, then the ledger answers with its invoice and nothing is created', async () => {
    const order = await postedOrder();
    const shipment = { shipmentId: '21', lines: [{ lineId: '1', quantity: 2 }], shippedBefore: [] };
    const first = await invoiceShipment(order, shipment);
    const documents = (await intacctRecords(fixture, 'SODOCUMENT')).length;
    expect(await invoiceShipment(order, shipment)).toEqual({ ...first, created: false });
    expect((await intacctRecords(fixture, 'SODOCUMENT')).length).toBe(documents);
  });

  it('when the conversion commits but its answer is lost, then the retry finds that shipment’s invoice and creates no second one', async () => {
    const order = await postedOrder();
    await invoiceShipment(order, { shipmentId: '31', lines: [{ lineId: '2', quantity: 1 }], shippedBefore: [] });
    const shipment = { shipmentId: '32', lines: [{ lineId: '1', quantity: 2 }], shippedBefore: [{ lineId: '2', quantity: 1 }] };
    await injectFaults(fixture, [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    await expect(invoiceShipment(order, shipment)).rejects.toMatchObject({ nonRetryable: false });
    const retried = await invoiceShipment(order, shipment, 2);

    expect(retried.created).toBe(false);
    const fromOrder = (await intacctRecords(fixture, 'SODOCUMENT')).filter((row) => row.CREATEDFROM === order.documentId);
    expect(fromOrder.map((row) => row.DOCID)).toHaveLength(2);
    expect(fromOrder.map((row) => row.DOCID)).toContain(retried.invoiceDocumentId);
    expect(await linesOf(retried.invoiceDocumentId)).toEqual([['TSHIRT-BLK-M', '2', '24', true]]);
  });

  it('when a person already converted the whole sales order, then their invoice stands for the shipment and nothing is created', async () => {
    const order = await postedOrder();
    const theirs = await runAttempt(1, activities.convertToInvoice, {
      ...order,
      salesDocumentId: order.documentId,
      invoiceTransactionDefinition: 'Sales Invoice',
    });
    const documents = (await intacctRecords(fixture, 'SODOCUMENT')).length;
    expect(await invoiceShipment(order, { shipmentId: '41', lines: [{ lineId: '1', quantity: 1 }], shippedBefore: [] })).toEqual({
      invoiceDocumentId: theirs.invoiceDocumentId,
      arInvoiceKey: theirs.arInvoiceKey,
      created: false,
    });
    expect((await intacctRecords(fixture, 'SODOCUMENT')).length).toBe(documents);
  });

  it('when a later shipment asks for more units than the sales order has left, then Intacct refuses and the refusal is not retried', async () => {
    const order = await postedOrder();
    await invoiceShipment(order, { shipmentId: '51', lines: [{ lineId: '2', quantity: 1 }], shippedBefore: [] });
    await expect(
      invoiceShipment(order, { shipmentId: '52', lines: [{ lineId: '2', quantity: 1 }], shippedBefore: [] }),
    ).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('left on source line') });
  });
});
