import { describe, expect, it } from 'vitest';
import { cents, mapPerLineTaxAdjustmentItems, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * A Clarity store's tax per line end to end: the Clarity sandbox taxes each line, its webhook
 * starts OrderToCash with the tenant posting tax as Intacct line tax detail, and the Intacct
 * sandbox holds each line's tax as the store computed it. Clarity names no rate, so the tenant's
 * default tax detail carries it.
 */
describe('OrderToCash end to end: a Clarity order with tax as line tax detail', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'clarity',
      orderSync: {
        adjustments: { tax: 'perLine' },
        tax: { solutionId: 'Standard Tax', defaultTaxDetailId: 'TX State Sales Tax' },
      },
      prepare: mapPerLineTaxAdjustmentItems,
    },
    (started) => ({ stack, tenantId } = started),
  );

  it('when the order syncs, then each line carries the store’s own tax under the default tax detail and the document equals the order to the cent', async () => {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'TSHIRT-BLK-M', quantity: 2 },
        { sku: 'MUG-WHT-11OZ', quantity: 3 },
      ],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const order = created.body as {
      orderId: string;
      totalAmount: string;
      taxAmount: string;
      lineItems: Array<{ sku: string; tax: string }>;
    };
    expect(cents(order.taxAmount)).toBeGreaterThan(0);

    const status = await stack.waitForOrder(tenantId, order.orderId, (current) => current.step === 'awaiting_fulfilment');
    const document = (await stack.intacctRecords('SODOCUMENT')).find((row) => row.DOCID === status.intacct.salesDocumentId)!;
    expect(document).toMatchObject({ PONUMBER: order.orderId, TAXSOLUTIONID: 'Standard Tax' });
    expect(cents(document.TOTAL)).toBe(cents(order.totalAmount));

    const lines = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((row) => row.DOCHDRID === document.DOCID);
    const entries = (await stack.intacctRecords('SODOCUMENTSUBTOTALS')).filter((row) => row.DOCHDRID === document.DOCID);
    // Line for line, the store's tax (not the detail's 6.25 % recomputed), and no tax line or rounding line.
    expect(
      entries.map((entry) => [lines.find((line) => line.LINE_NO === entry.LINE_NO)?.ITEMID, entry.DETAILID, cents(entry.TRX_TAX)]),
    ).toEqual(order.lineItems.map((line) => [line.sku, 'TX State Sales Tax', cents(line.tax)]));
    expect(lines.map((line) => line.ITEMID)).not.toContain('TAX-ROUNDING');
    expect(lines.map((line) => line.ITEMID)).not.toContain('SALES-TAX');
  });
});
