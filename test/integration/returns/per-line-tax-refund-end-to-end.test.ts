import { describe, expect, it } from 'vitest';
import {
  perLineTaxInvoicingTenant,
  placeTaxedMugsOrder,
  taxedOrderProducts,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import { cents, intacctStateOfRefund, orderLines, refundInBigCommerce, refundResult, storeCents } from './refund-e2e-support.js';
import '../../support/quiet-runtime.js';

const { mug } = taxedOrderProducts;

/**
 * A refund of an order taxed per line, end to end: a BigCommerce order (the store's 8.25 % sales
 * tax) posts as a sales order with Intacct line tax detail, is shipped and invoiced, then partly
 * refunded in the store; the store's refund webhook starts ReturnToCreditMemo, whose credit memo
 * reverses the refund's tax as the sale posted it, as line tax detail under the tax solution.
 * The receivers, Temporal, the worker's real activities and the sandboxes over HTTP.
 */
describe('ReturnToCreditMemo end to end: a BigCommerce order taxed per line, invoiced, then partly refunded', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant({ ...perLineTaxInvoicingTenant, returns: { restock: false } }, (started) => ({ stack, tenantId } = started));

  it('when one of three mugs is refunded after invoicing, then the credit memo’s tax entries are the refund’s tax to the cent and its total the refund’s', async () => {
    const orderId = await placeTaxedMugsOrder(stack);
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    const lines = await orderLines(stack, orderId);
    const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
      order_address_id: lines.addressId,
      items: [...lines.products.values()].map((line) => ({ order_product_id: line.id, quantity: line.quantity })),
      tracking_number: '1ZREFUNDTAX0000001',
      shipping_provider: 'ups',
    });
    expect(shipped.status).toBe(201);
    const invoiced = await stack.waitForOrder(tenantId, orderId, (status) => (status.intacct.invoiceDocumentIds?.length ?? 0) === 1);
    const invoiceId = invoiced.intacct.invoiceDocumentIds![0]!;

    const refund = await refundInBigCommerce(stack, orderId, [{ item_type: 'PRODUCT', item_id: lines.products.get(mug)!.id, quantity: 1 }]);
    expect(refund.total_tax).toBeGreaterThan(0);

    const result = await refundResult(stack, tenantId, refund.refundId);
    expect(result.outcome).toBe('credited');
    const { creditMemos, refundPostings } = await intacctStateOfRefund(stack, refund.refundId);
    expect(creditMemos).toHaveLength(1);
    const [memo] = creditMemos;
    expect(memo).toMatchObject({ DOCID: result.status.intacct.creditMemoId, TAXSOLUTIONID: 'Standard Tax' });
    expect(memo!.MESSAGE).toContain(`credits ${invoiceId}`);
    const memoLines = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((line) => line.DOCHDRID === memo!.DOCID);
    const memoTax = (await stack.intacctRecords('SODOCUMENTSUBTOTALS')).filter((tax) => tax.DOCHDRID === memo!.DOCID);
    expect(memoLines.map((line) => line.ITEMID)).toEqual(['MUG-CER-12OZ']);
    expect(memoTax.map((tax) => [tax.DOCENTRYKEY, tax.DETAILID])).toEqual([[memoLines[0]!.RECORDNO, 'TX State Sales Tax']]);
    expect(memoTax.reduce((sum, tax) => sum + cents(tax.TRX_ABSVAL), 0)).toBe(storeCents(refund.total_tax));
    expect(cents(memo!.TOTAL)).toBe(storeCents(refund.total_amount));
    // The money paid back, and the tax the invoice's mug line carried per unit, match the memo.
    expect(refundPostings.map((posting) => cents(posting.TOTALENTERED))).toEqual([storeCents(refund.total_amount)]);
    const invoiceMugs = (await stack.intacctRecords('SODOCUMENTENTRY')).find(
      (line) => line.DOCHDRID === invoiceId && line.ITEMID === 'MUG-CER-12OZ',
    )!;
    expect(cents(invoiceMugs.TAXAMOUNT) / 3).toBe(storeCents(refund.total_tax));
  });
});
