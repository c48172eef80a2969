import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  createCustomer,
  createSalesDocument,
  readConversionSource,
  readSourceLinesWithTotals,
  type IntacctClient,
  type SalesDocumentInput,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

/** The Intacct sandbox as a company on a tax solution: what it takes and what it refuses, over HTTP through the client. */
describe('Intacct sandbox: tax solutions, line tax detail, shipping methods, line ship-to and terms', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const vatDocument = (
    referenceNumber: string,
    overrides: Partial<SalesDocumentInput> = {},
  ): SalesDocumentInput & { referenceNumber: string } => ({
    transactionDefinition: 'Sales Order',
    date: '2026-01-10',
    customerId: 'C-1001',
    referenceNumber,
    taxSolutionId: 'France - VAT',
    shippingMethod: 'DHL Express',
    lines: [
      {
        itemId: 'MUG-CER-12OZ',
        quantity: '2',
        price: '10.00',
        taxEntries: [{ detailId: 'FR Sale Goods Reduced Rate 5.5', amount: '1.10' }],
      },
      // No stated amount: the detail's rate (20 %) on 49.98 is 9.996, 10.00 to the cent.
      { itemId: 'TSHIRT-BLK-M', quantity: '3', price: '16.66', taxEntries: [{ detailId: 'FR Sale Goods Standard Rate' }] },
    ],
    ...overrides,
  });
  const documentOf = async (reference: string) => (await sandbox.records('SODOCUMENT')).find((row) => row.PONUMBER === reference)!;

  it('when lines carry tax entries of the document’s solution, then the document totals nets plus tax and keeps each entry', async () => {
    const reference = uniqueId('VAT');
    const { documentId } = await createSalesDocument(client, vatDocument(reference), `so:${reference}`);
    const document = await documentOf(reference);
    expect(document).toMatchObject({ DOCID: documentId, TOTAL: '81.08', TAXSOLUTIONID: 'France - VAT', SHIPVIA: 'DHL Express' });
    expect((await sandbox.records('SODOCUMENTSUBTOTALS')).filter((row) => row.DOCHDRID === documentId)).toEqual([
      expect.objectContaining({ LINE_NO: '0', DETAILID: 'FR Sale Goods Reduced Rate 5.5', TRX_TAX: '1.1' }),
      expect.objectContaining({ LINE_NO: '1', DETAILID: 'FR Sale Goods Standard Rate', TRX_TAX: '10' }),
    ]);
  });

  it('when the lines of a document with a tax solution are read for a conversion, then each carries its tax entries as the document holds them', async () => {
    const reference = uniqueId('VAT');
    const { documentId } = await createSalesDocument(client, vatDocument(reference), `so:${reference}`);
    const source = (await readConversionSource(client, documentId))!;
    expect(source).toMatchObject({ documentId, taxSolutionId: 'France - VAT', total: '81.08' });
    const { lines } = await readSourceLinesWithTotals(client, documentId, source);
    expect(lines.map((line) => [line.itemId, line.taxEntries])).toEqual([
      ['MUG-CER-12OZ', [{ detailId: 'FR Sale Goods Reduced Rate 5.5', amount: '1.1' }]],
      ['TSHIRT-BLK-M', [{ detailId: 'FR Sale Goods Standard Rate', amount: '10' }]],
    ]);
    // Without the document's tax solution the lines are read as before, in the one query.
    expect((await readSourceLinesWithTotals(client, documentId)).lines.every((line) => line.taxEntries === undefined)).toBe(true);
  });

  it.each<{ case: string; overrides: Partial<SalesDocumentInput>; message: RegExp }>([
    {
      case: 'tax entries without a tax solution',
      overrides: { taxSolutionId: undefined },
      message: /tax entries need the document's tax solution/,
    },
    { case: 'an unknown tax solution', overrides: { taxSolutionId: 'Atlantis - VAT' }, message: /Invalid Tax Solution 'Atlantis - VAT'/ },
    {
      case: 'a tax detail of another solution',
      overrides: {
        lines: [
          { itemId: 'MUG-CER-12OZ', quantity: '1', price: '10.00', taxEntries: [{ detailId: 'TX State Sales Tax', amount: '0.63' }] },
        ],
      },
      message: /tax detail TX State Sales Tax does not belong to tax solution France - VAT/,
    },
    {
      case: 'a purchase tax detail on a sale',
      overrides: {
        lines: [
          {
            itemId: 'MUG-CER-12OZ',
            quantity: '1',
            price: '10.00',
            taxEntries: [{ detailId: 'FR Purchase Goods Standard Rate', amount: '2.00' }],
          },
        ],
      },
      message: /purchase tax detail/,
    },
    {
      case: 'an unknown shipping method',
      overrides: { shippingMethod: 'Carrier Pigeon' },
      message: /Invalid Shipping Method 'Carrier Pigeon'/,
    },
    {
      case: 'a line ship-to on a definition without line-level ship-to',
      overrides: {
        transactionDefinition: 'Sales Invoice',
        lines: [{ itemId: 'GIFTCARD-50', quantity: '1', price: '50.00', shipTo: { contactName: 'Jane Doe - BC 1 ship-to 2' } }],
      },
      message: /line-level ship-to is not enabled on transaction definition Sales Invoice/,
    },
  ])('when a document has $case, then the gateway refuses it and writes nothing', async ({ overrides, message }) => {
    const reference = uniqueId('BAD');
    const refused = await failure(createSalesDocument(client, vatDocument(reference, overrides), `so:${reference}`));
    expect(refused).toBeInstanceOf(IntacctInputError);
    expect(refused.message).toMatch(message);
    expect(await documentOf(reference)).toBeUndefined();
  });

  it('when a document has neither termname nor datedue, then it takes the customer’s term, or is due on its date when the customer has none', async () => {
    const withTerm = uniqueId('TERM');
    await createSalesDocument(client, vatDocument(withTerm), `so:${withTerm}`);
    // C-1001 pays Net 30.
    expect(await documentOf(withTerm)).toMatchObject({ TERMNAME: 'Net 30', WHENDUE: '02/09/2026' });

    const customerId = uniqueId('C');
    await createCustomer(client, { customerId, name: 'No Terms Ltd' }, `customer:${customerId}`);
    const withoutTerm = uniqueId('TERM');
    await createSalesDocument(client, vatDocument(withoutTerm, { customerId }), `so:${withoutTerm}`);
    expect(await documentOf(withoutTerm)).toMatchObject({ TERMNAME: '', WHENDUE: '01/10/2026' });
  });
});
