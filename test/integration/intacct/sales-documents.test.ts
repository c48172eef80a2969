import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  IntacctRetryableError,
  createArAdjustment,
  createArPayment,
  createCustomer,
  createSalesDocument,
  createSotransaction,
  deleteSalesDocument,
  findCustomersByEmail,
  findSalesDocumentsByReference,
  readInvoiceBalance,
  readSalesDocument,
  reverseArPayment,
  updateSalesDocument,
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
    lines: [
      { itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '2', price: '19.99', locationId: '100', departmentId: 'ECOM' },
      { itemId: 'SHIPPING', quantity: '1', price: '5.00', memo: 'UPS Ground' },
    ],
    ...overrides,
  };
}

describe('Intacct client against the sandbox: customers, sales documents and receivables', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when a customer is created, then it can be found by id and email; a second create with another control id is a duplicate input error', async () => {
    const customerId = uniqueId('C');
    const email = `${customerId.toLowerCase()}@shop.example`;
    const { customer, created } = await createCustomer(
      client,
      { customerId, name: 'Ana & Bo <Ltd>', email, paymentTerm: 'Net 15' },
      `customer-create:${customerId}`,
    );
    expect(created).toBe(true);
    expect(customer.recordNo).toMatch(/^\d+$/);
    expect(await findCustomersByEmail(client, email)).toEqual([
      { recordNo: customer.recordNo, customerId, name: 'Ana & Bo <Ltd>', email, status: 'active', paymentTerm: 'Net 15' },
    ]);
    const duplicate = await failure(createCustomer(client, { customerId, name: 'Again' }, `customer-create:${customerId}:2`));
    expect(duplicate).toBeInstanceOf(IntacctInputError);
    expect(duplicate.vendorCode).toBe('BL34000061');
    expect(duplicate.errors.map((error) => error.errorno)).toEqual(['BL34000061', 'BL01001973']);
  });

  it('when a create is replayed with the same control id, then the existing customer is returned and nothing is created twice', async () => {
    const customerId = uniqueId('C');
    const controlId = `customer-create:${customerId}`;
    const first = await createCustomer(client, { customerId, name: 'Replay Co' }, controlId);
    const replay = await createCustomer(client, { customerId, name: 'Replay Co' }, controlId);
    expect(replay).toEqual({ customer: expect.objectContaining({ recordNo: first.customer.recordNo, customerId }), created: false });
    expect((await sandbox.records('CUSTOMER')).filter((row) => row.CUSTOMERID === customerId)).toHaveLength(1);
  });

  it('when a sales order is created, then it is found by reference and definition with its total, and replays resolve to it', async () => {
    const reference = uniqueId('ORD');
    const controlId = `so-create:${reference}:v1`;
    const result = await createSalesDocument(client, order(reference), controlId);
    expect(result).toEqual({ documentId: expect.stringMatching(/^Sales Order-SO-\d{4}$/), created: true });
    const [document] = await findSalesDocumentsByReference(client, 'Sales Order', reference);
    expect(document).toMatchObject({
      documentId: result.documentId,
      referenceNumber: reference,
      customerId: 'C-1001',
      state: 'Pending',
      total: '44.98',
      arInvoiceKey: '',
    });
    expect(await createSalesDocument(client, order(reference), controlId)).toEqual({ documentId: result.documentId, created: false });
    expect(await findSalesDocumentsByReference(client, 'Sales Invoice', reference)).toEqual([]);
  });

  it('when the response to a create is lost after the commit, then the retry recognises the control id and returns the one document', async () => {
    const reference = uniqueId('ORD');
    const controlId = `so-create:${reference}:v1`;
    await sandbox.faults([{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]);
    const lost = await failure(createSalesDocument(client, order(reference), controlId));
    expect(lost).toBeInstanceOf(IntacctRetryableError);
    expect(lost.outcomeUnknown).toBe(true);
    const retried = await createSalesDocument(client, order(reference), controlId);
    expect(retried.created).toBe(false);
    expect((await sandbox.records('SODOCUMENT')).filter((row) => row.PONUMBER === reference)).toEqual([
      expect.objectContaining({ DOCID: retried.documentId }),
    ]);
    const log = (await sandbox.requests()).filter((entry) => entry.functions.some((fn) => fn.controlId === controlId));
    expect(log.map((entry) => entry.functions[0]!.status)).toEqual(['success', 'failure']);
  });

  it('when a create fails, then the same control id can run again after the input is fixed', async () => {
    const reference = uniqueId('ORD');
    const controlId = `so-create:${reference}:v1`;
    const unknownItem = await failure(
      createSalesDocument(client, order(reference, { lines: [{ itemId: 'NO-SUCH-SKU', warehouseId: 'WH01', quantity: '1' }] }), controlId),
    );
    expect(unknownItem).toBeInstanceOf(IntacctInputError);
    expect(unknownItem.description2).toBe("Invalid Item 'NO-SUCH-SKU' specified.");
    expect((await createSalesDocument(client, order(reference), controlId)).created).toBe(true);
  });

  it.each([
    ['an unknown customer', { customerId: 'NOPE' }, "Invalid Customer 'NOPE' specified."],
    [
      'an unknown warehouse',
      { lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH99', quantity: '1' }] },
      "Invalid Warehouse 'WH99' specified.",
    ],
    [
      'an unknown department',
      { lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', departmentId: 'NOPE' }] },
      "Invalid Department 'NOPE' specified.",
    ],
    ['an unknown payment term', { paymentTerm: 'Net 999' }, "Invalid Term 'Net 999' specified."],
    [
      'an unknown transaction definition',
      { transactionDefinition: 'Sales Quote' },
      "Invalid Transaction definition 'Sales Quote' specified.",
    ],
    ['an inactive customer', { customerId: 'C-0900' }, "Invalid Customer 'C-0900' specified."],
  ])('when a sales document names %s, then it fails with an input error', async (_name, overrides, message) => {
    const error = await failure(createSalesDocument(client, order(uniqueId('ORD'), overrides), uniqueId('so')));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.description2).toBe(message);
    expect(error.functionName).toBe('create_sotransaction');
  });

  it('when a document number is taken, then the create fails with an input error', async () => {
    const documentNumber = uniqueId('SO');
    await createSalesDocument(client, order(uniqueId('ORD'), { documentNumber }), uniqueId('so'));
    const error = await failure(createSalesDocument(client, order(uniqueId('ORD'), { documentNumber }), uniqueId('so')));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.description2).toContain(`Document number ${documentNumber} already exists`);
  });

  it('when one function of a transaction fails, then nothing is kept and the others come back aborted with XL03000009', async () => {
    const good = uniqueId('ORD');
    const bad = uniqueId('ORD');
    const calls = [
      { controlId: uniqueId('good'), body: createSotransaction(order(good)) },
      { controlId: uniqueId('bad'), body: createSotransaction(order(bad, { customerId: 'NOPE' })) },
    ];
    const error = await failure(client.executeTransaction(calls, { uniqueId: true }));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.controlId).toBe(calls[1]!.controlId);
    const results = await client.execute(
      [{ controlId: uniqueId('q'), body: createSotransaction(order(uniqueId('ORD'), { customerId: 'NOPE' })) }, calls[0]!],
      { transaction: true, uniqueId: true },
    );
    expect(results.map((result) => result.status)).toEqual(['failure', 'aborted']);
    expect(results[1]!.errors[0]!.errorno).toBe('XL03000009');
    expect(await findSalesDocumentsByReference(client, 'Sales Order', good)).toEqual([]);
    // The rolled-back control id was not recorded: the write can still run.
    expect((await client.executeTransaction([calls[0]!], { uniqueId: true }))[0]!.status).toBe('success');
  });

  it('when an order is converted to an invoice, paid, reversed and credited, then stock, balances and states follow', async () => {
    const reference = uniqueId('ORD');
    const stockBefore = (await sandbox.records('ITEMWAREHOUSEINFO')).find(
      (row) => row.ITEMID === 'WIDGET-1' && row.WAREHOUSEID === 'WH01',
    )!.QONHAND!;
    const { documentId: orderId } = await createSalesDocument(client, order(reference), `so:${reference}`);
    const orderLines = (await sandbox.records('SODOCUMENTENTRY')).filter((row) => row.DOCHDRID === orderId);
    const invoice = await createSalesDocument(
      client,
      order(reference, {
        transactionDefinition: 'Sales Invoice',
        createdFrom: orderId,
        lines: orderLines.map((line) => ({
          itemId: line.ITEMID!,
          ...(line.WAREHOUSEID ? { warehouseId: line.WAREHOUSEID } : {}),
          quantity: line.QUANTITY!,
          price: line.PRICE!,
          sourceLineKey: line.RECORDNO!,
        })),
      }),
      `inv:${reference}`,
    );
    expect((await readSalesDocument(client, orderId))?.state).toBe('Converted');
    const invoiceDocument = (await readSalesDocument(client, invoice.documentId))!;
    expect(invoiceDocument.total).toBe('44.98');
    expect(invoiceDocument.arInvoiceKey).toMatch(/^\d+$/);
    expect(
      (await sandbox.records('ITEMWAREHOUSEINFO')).find((row) => row.ITEMID === 'WIDGET-1' && row.WAREHOUSEID === 'WH01')!.QONHAND,
    ).toBe(String(Number(stockBefore) - 2));

    const overpay = await failure(
      createArPayment(
        client,
        {
          customerId: 'C-1001',
          amount: '50',
          deposit: { undepositedFundsAccount: '1050' },
          referenceId: uniqueId('PAY'),
          dateReceived: '2026-01-11',
          paymentMethod: 'Credit Card',
          applications: [{ invoiceKey: invoiceDocument.arInvoiceKey, amount: '50' }],
        },
        uniqueId('pay'),
      ),
    );
    expect(overpay).toBeInstanceOf(IntacctInputError);
    const paymentReference = uniqueId('PAY');
    const payment = {
      customerId: 'C-1001',
      amount: '44.98',
      deposit: { undepositedFundsAccount: '1050' },
      referenceId: paymentReference,
      dateReceived: '2026-01-11',
      paymentMethod: 'Credit Card',
      applications: [{ invoiceKey: invoiceDocument.arInvoiceKey, amount: '44.98' }],
    };
    const paid = await createArPayment(client, payment, `pay:${paymentReference}`);
    expect(paid.created).toBe(true);
    expect(await createArPayment(client, payment, `pay:${paymentReference}`)).toEqual({ paymentKey: paid.paymentKey, created: false });
    expect(await readInvoiceBalance(client, invoiceDocument.arInvoiceKey)).toEqual({ totalDue: '0', totalPaid: '44.98' });
    const locked = await failure(deleteSalesDocument(client, invoice.documentId, uniqueId('del')));
    expect(locked).toBeInstanceOf(IntacctInputError);

    await reverseArPayment(
      client,
      { paymentKey: paid.paymentKey, date: '2026-01-12', description: 'order cancelled' },
      `reverse:${paymentReference}`,
    );
    expect(await readInvoiceBalance(client, invoiceDocument.arInvoiceKey)).toEqual({ totalDue: '44.98', totalPaid: '0' });

    const credit = await createSalesDocument(
      client,
      order(reference, {
        transactionDefinition: 'Sales Credit Memo',
        lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '2', price: '19.99' }],
      }),
      `cm:${reference}`,
    );
    expect(credit.documentId).toMatch(/^Sales Credit Memo-CM-\d{4}$/);
    expect(
      (await sandbox.records('ITEMWAREHOUSEINFO')).find((row) => row.ITEMID === 'WIDGET-1' && row.WAREHOUSEID === 'WH01')!.QONHAND,
    ).toBe(stockBefore);
    const adjustmentNumber = uniqueId('ADJ');
    const adjustment = await createArAdjustment(
      client,
      {
        customerId: 'C-1001',
        date: '2026-01-12',
        adjustmentNumber,
        description: 'goodwill',
        lines: [{ glAccountNumber: '4900', amount: '-5.00', departmentId: 'ECOM' }],
      },
      `adj:${adjustmentNumber}`,
    );
    expect(adjustment.created).toBe(true);
    expect(
      await createArAdjustment(
        client,
        { customerId: 'C-1001', date: '2026-01-12', adjustmentNumber, lines: [{ glAccountNumber: '4900', amount: '-5.00' }] },
        `adj:${adjustmentNumber}`,
      ),
    ).toEqual({ adjustmentKey: adjustment.adjustmentKey, created: false });
  });

  it('when an order is updated, then line changes use 1-based numbers and added lines extend it; deleting it is idempotent', async () => {
    const reference = uniqueId('ORD');
    const { documentId } = await createSalesDocument(client, order(reference), `so:${reference}`);
    await updateSalesDocument(
      client,
      {
        documentId,
        message: 'gift wrap',
        changedLines: [{ lineNumber: 1, quantity: '3' }],
        addedLines: [{ itemId: 'GADGET-1', warehouseId: 'WH01', quantity: '1', price: '49' }],
      },
      uniqueId('upd'),
    );
    expect((await readSalesDocument(client, documentId))?.total).toBe(String(3 * 19.99 + 5 + 49));
    const missingLine = await failure(
      updateSalesDocument(client, { documentId, changedLines: [{ lineNumber: 9, quantity: '1' }] }, uniqueId('upd')),
    );
    expect(missingLine).toBeInstanceOf(IntacctInputError);
    expect(await deleteSalesDocument(client, documentId, uniqueId('del'))).toEqual({ deleted: true });
    expect(await deleteSalesDocument(client, documentId, uniqueId('del'))).toEqual({ deleted: false });
    expect(await findSalesDocumentsByReference(client, 'Sales Order', reference)).toEqual([]);
  });
});
