import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  createSalesDocument,
  readSalesDocument,
  readSalesDocumentHeader,
  readSalesDocumentLines,
  updateSalesDocumentOnce,
  type IntacctClient,
  type SalesDocumentInput,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

function order(referenceNumber: string, overrides: Partial<SalesDocumentInput> = {}): SalesDocumentInput & { referenceNumber: string } {
  return {
    transactionDefinition: 'Sales Order',
    date: '2026-01-10',
    customerId: 'C-1001',
    referenceNumber,
    paymentTerm: 'Net 30',
    message: 'Storefront order 55',
    lines: [
      { itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '3', price: '19.99' },
      { itemId: 'GADGET-1', warehouseId: 'WH01', quantity: '1', price: '49' },
      { itemId: 'SHIPPING', quantity: '1', price: '5.00' },
    ],
    subtotals: [{ description: 'Discount', total: '-4.00' }],
    ...overrides,
  };
}

/**
 * The connector's reads and the exactly-once update a refund before invoicing uses, against the
 * Intacct sandbox: lines read back 1-based, quantities brought down (to 0 for a line nobody will
 * ship), the message stamped, header subtotals kept, and a conversion that cannot bill more than
 * the order still holds.
 */
describe('Intacct client against the sandbox: reducing a sales order before invoicing', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when a sales order is read for a change, then its header carries the message and its lines come 1-based in order', async () => {
    const { documentId } = await createSalesDocument(client, order(uniqueId('ORD')), uniqueId('so'));
    expect(await readSalesDocumentHeader(client, documentId)).toMatchObject({
      documentId,
      state: 'Pending',
      message: 'Storefront order 55',
      currency: 'USD',
      total: '109.97',
    });
    expect(
      (await readSalesDocumentLines(client, documentId)).map((line) => [
        line.lineNumber,
        line.itemId,
        line.quantity,
        line.price,
        line.warehouseId,
      ]),
    ).toEqual([
      [1, 'WIDGET-1', '3', '19.99', 'WH01'],
      [2, 'GADGET-1', '1', '49', 'WH01'],
      [3, 'SHIPPING', '1', '5', ''],
    ]);
    expect(await readSalesDocumentHeader(client, 'Sales Order-NOPE')).toBeUndefined();
  });

  it('when lines are brought down, one to 0, then the total follows, the discount subtotal still counts, and the same change again is recognised and changes nothing', async () => {
    const { documentId } = await createSalesDocument(client, order(uniqueId('ORD')), uniqueId('so'));
    const change = {
      documentId,
      message: 'Storefront order 55\nrefund 9',
      changedLines: [
        { lineNumber: 1, quantity: '2' },
        { lineNumber: 2, quantity: '0' },
      ],
    };
    const controlId = uniqueId('so-reduce');
    expect(await updateSalesDocumentOnce(client, change, controlId)).toEqual({ updated: true });
    expect((await readSalesDocument(client, documentId))?.total).toBe('40.98');
    expect((await readSalesDocumentHeader(client, documentId))?.message).toBe('Storefront order 55\nrefund 9');
    expect((await readSalesDocumentLines(client, documentId)).map((line) => line.quantity)).toEqual(['2', '0', '1']);

    expect(await updateSalesDocumentOnce(client, change, controlId)).toEqual({ updated: false });
    expect((await readSalesDocument(client, documentId))?.total).toBe('40.98');
  });

  it('when a change asks for a negative quantity, or adds a line of 0, then the gateway refuses it and nothing changes', async () => {
    const { documentId } = await createSalesDocument(client, order(uniqueId('ORD')), uniqueId('so'));
    const negative = await failure(
      updateSalesDocumentOnce(client, { documentId, changedLines: [{ lineNumber: 1, quantity: '-1' }] }, uniqueId('upd')),
    );
    expect(negative).toBeInstanceOf(IntacctInputError);
    expect(negative.description2).toMatch(/zero or a positive number/);
    const zeroLine = await failure(
      updateSalesDocumentOnce(
        client,
        { documentId, addedLines: [{ itemId: 'GADGET-1', warehouseId: 'WH01', quantity: '0', price: '1' }] },
        uniqueId('upd'),
      ),
    );
    expect(zeroLine).toBeInstanceOf(IntacctInputError);
    expect((await readSalesDocument(client, documentId))?.total).toBe('109.97');
  });

  it('when a reduced order is converted, then a line of 0 cannot be billed and no line can bill more than the order still holds', async () => {
    const { documentId } = await createSalesDocument(client, order(uniqueId('ORD'), { subtotals: [] }), uniqueId('so'));
    await updateSalesDocumentOnce(
      client,
      {
        documentId,
        changedLines: [
          { lineNumber: 1, quantity: '1' },
          { lineNumber: 2, quantity: '0' },
        ],
      },
      uniqueId('upd'),
    );
    const lines = await readSalesDocumentLines(client, documentId);
    const invoice = (quantities: string[]) =>
      createSalesDocument(
        client,
        {
          transactionDefinition: 'Sales Invoice',
          date: '2026-01-12',
          customerId: 'C-1001',
          referenceNumber: uniqueId('INV'),
          createdFrom: documentId,
          paymentTerm: 'Net 30',
          lines: lines
            .map((line, index) => ({
              itemId: line.itemId,
              quantity: quantities[index]!,
              price: line.price,
              sourceLineKey: line.recordNo,
              ...(line.warehouseId && { warehouseId: line.warehouseId }),
            }))
            .filter((line) => line.quantity !== 'skip'),
        },
        uniqueId('conv'),
      );
    expect(await failure(invoice(['2', 'skip', '1']))).toBeInstanceOf(IntacctInputError);
    expect(await failure(invoice(['1', '0', '1']))).toBeInstanceOf(IntacctInputError);
    const { documentId: invoiceId } = await invoice(['1', 'skip', '1']);
    expect((await readSalesDocument(client, invoiceId))?.total).toBe('24.99');
  });
});
