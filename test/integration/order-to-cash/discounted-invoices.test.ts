import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import type { ShippedLine } from '../../../workflows/order-to-cash-contract.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { intacctRecords, runAttempt, salesDocumentInput, signIn } from './intacct-writes-support.js';

/**
 * convertToInvoice of a sales order with an order-level discount, against the Intacct sandbox
 * over HTTP: Intacct keeps the discount as a header subtotal, which a conversion does not copy,
 * so the invoice that carries the order's charges (the first shipment's, or the whole order's)
 * must carry it too, or the invoices come to more than the order.
 */
describe('convertToInvoice of a discounted sales order against the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let activities: SalesDocumentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    activities = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** Two tees (line 1), a mug (line 2) and shipping 8.00 (70.50), less a 6.25 discount subtotal: 64.25. */
  const orderLines: ShippedLine[] = [
    { lineId: '1', quantity: 2 },
    { lineId: '2', quantity: 1 },
  ];

  async function postedDiscountedOrder() {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    await signIn(fixture, tenantId);
    const orderId = uniqueId('ORD');
    const input = salesDocumentInput({ tenantId, orderId }, { subtotals: [{ description: 'Discount', total: '-6.25' }] });
    const { documentId } = await runAttempt(1, activities.createSalesDocument, input);
    return { tenantId, orderId, storefront: 'bigcommerce' as const, documentId };
  }
  const documentById = async (documentId: string) => (await intacctRecords(fixture, 'SODOCUMENT')).find((row) => row.DOCID === documentId);
  const cents = (total: string | undefined) => Math.round(Number(total) * 100);

  it('when the order is invoiced by shipment in two parts, then the first invoice takes the discount and the invoices sum to the order', async () => {
    const order = await postedDiscountedOrder();
    expect(cents((await documentById(order.documentId))!.TOTAL)).toBe(6425);
    const invoice = (shipmentId: string, lines: ShippedLine[], shippedBefore: ShippedLine[]) =>
      runAttempt(1, activities.convertToInvoice, {
        ...order,
        salesDocumentId: order.documentId,
        invoiceTransactionDefinition: 'Sales Invoice',
        shipment: { shipmentId, lines, shippedBefore, orderLines },
      });
    const first = await invoice('61', [{ lineId: '1', quantity: 1 }], []);
    const second = await invoice(
      '62',
      [
        { lineId: '1', quantity: 1 },
        { lineId: '2', quantity: 1 },
      ],
      [{ lineId: '1', quantity: 1 }],
    );

    const [firstInvoice, secondInvoice] = await Promise.all([first, second].map((created) => documentById(created.invoiceDocumentId)));
    // 24.00 + 8.00 shipping - 6.25; then 24.00 + 14.50.
    expect(cents(firstInvoice!.TOTAL)).toBe(2575);
    expect(cents(secondInvoice!.TOTAL)).toBe(3850);
    expect(cents(firstInvoice!.TOTAL) + cents(secondInvoice!.TOTAL)).toBe(6425);
    expect((await documentById(order.documentId))!.STATE).toBe('Converted');
  });

  it('when the whole order is converted into one invoice, then the invoice carries the discount and equals the order', async () => {
    const order = await postedDiscountedOrder();
    const converted = await runAttempt(1, activities.convertToInvoice, {
      ...order,
      salesDocumentId: order.documentId,
      invoiceTransactionDefinition: 'Sales Invoice',
    });

    expect(converted.created).toBe(true);
    expect(cents((await documentById(converted.invoiceDocumentId))!.TOTAL)).toBe(6425);
    expect((await documentById(order.documentId))!.STATE).toBe('Converted');
  });
});
