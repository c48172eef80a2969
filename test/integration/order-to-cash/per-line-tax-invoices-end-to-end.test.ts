import { describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import {
  cents,
  perLineTaxInvoicingTenant,
  placeTaxedMugsOrder,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Invoices of a sales order taxed per line, end to end: a BigCommerce order (the store's 8.25 %
 * sales tax, added to prices) posts as a sales order with Intacct line tax detail; the store
 * ships it in two parts, one line split between them, and each shipment's invoice carries the
 * tax entries of the units it takes, read back from the sales order's line tax. The receiver,
 * Temporal, the worker's real activities and the sandboxes over HTTP.
 */
describe('OrderToCash end to end: a BigCommerce order taxed per line, shipped in two parts', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(perLineTaxInvoicingTenant, (started) => ({ stack, tenantId } = started));

  it('when its shipments are invoiced, then the invoices’ tax entries sum, line by line, to the sales order’s line tax to the cent', async () => {
    const orderId = await placeTaxedMugsOrder(stack);
    const placed = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as { total_inc_tax: string; total_tax: string };
    expect(cents(placed.total_tax)).toBeGreaterThan(0);
    const posted = await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');

    const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
    const [mugs, cap] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number }>;
    const parts = [
      { tracking: '1ZLINETAX000000001', items: [{ order_product_id: mugs!.id, quantity: 1 }] },
      {
        tracking: '1ZLINETAX000000002',
        items: [
          { order_product_id: mugs!.id, quantity: 2 },
          { order_product_id: cap!.id, quantity: 1 },
        ],
      },
    ];
    for (const [index, part] of parts.entries()) {
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: part.items,
        tracking_number: part.tracking,
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);
      if (index === 0) await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.invoiceDocumentIds?.length ?? 0) === 1);
    }
    const result = (await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');

    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    const salesOrder = documents.find((document) => document.DOCPARID === 'Sales Order')!;
    const invoices = documents.filter((document) => document.DOCPARID === 'Sales Invoice');
    expect(salesOrder.DOCID).toBe(posted.intacct.salesDocumentId);
    expect(invoices).toHaveLength(2);
    expect(invoices.map((invoice) => invoice.TAXSOLUTIONID)).toEqual(['Standard Tax', 'Standard Tax']);

    const lines = await stack.intacctRecords('SODOCUMENTENTRY');
    const taxes = await stack.intacctRecords('SODOCUMENTSUBTOTALS');
    const taxCentsOf = (lineRecordNo: string) =>
      taxes.filter((tax) => tax.DOCENTRYKEY === lineRecordNo).reduce((sum, tax) => sum + cents(tax.TRX_ABSVAL), 0);
    const taxedOrderLines = lines.filter((line) => line.DOCHDRID === salesOrder.DOCID && taxCentsOf(line.RECORDNO!) > 0);
    expect(taxedOrderLines.length).toBeGreaterThanOrEqual(2);
    const invoiceLines = lines.filter((line) => invoices.some((invoice) => invoice.DOCID === line.DOCHDRID));
    // Each taxed line of the sales order: its invoices' entries, under the same detail, sum to its tax.
    for (const orderLine of taxedOrderLines) {
      const invoiced = invoiceLines.filter((line) => line.SOURCELINEKEY === orderLine.RECORDNO);
      expect(invoiced.length).toBeGreaterThan(0);
      expect(invoiced.reduce((sum, line) => sum + taxCentsOf(line.RECORDNO!), 0)).toBe(taxCentsOf(orderLine.RECORDNO!));
      for (const line of invoiced)
        expect(taxes.filter((tax) => tax.DOCENTRYKEY === line.RECORDNO).map((tax) => tax.DETAILID)).toEqual(['TX State Sales Tax']);
    }
    // The mugs' line is split 1 + 2 between the invoices, each taking its units' tax.
    const mugsTax = invoiceLines
      .filter((line) => line.SOURCELINEKEY === taxedOrderLines[0]!.RECORDNO)
      .map((line) => taxCentsOf(line.RECORDNO!));
    expect(mugsTax).toHaveLength(2);
    expect(mugsTax[1]).toBe(2 * mugsTax[0]!);
    // Both invoices carry tax, all of it the store's, and together they are the order to the cent.
    const invoiceTax = invoices.map((invoice) =>
      taxes.filter((tax) => tax.DOCHDRID === invoice.DOCID).reduce((sum, tax) => sum + cents(tax.TRX_ABSVAL), 0),
    );
    expect(invoiceTax.every((tax) => tax > 0)).toBe(true);
    expect(invoiceTax[0]! + invoiceTax[1]!).toBe(cents(placed.total_tax));
    expect(invoices.reduce((sum, invoice) => sum + cents(invoice.TOTAL), 0)).toBe(cents(placed.total_inc_tax));
    expect(salesOrder.STATE).toBe('Converted');
  });
});
