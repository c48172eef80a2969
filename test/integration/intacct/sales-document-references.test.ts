import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  createSalesDocument,
  readSalesDocument,
  type IntacctClient,
  type SalesDocumentInput,
  type SalesDocumentLine,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

/**
 * The Intacct sandbox refuses what Intacct refuses in a sales document's references: dimension
 * values that do not exist (standard and user-defined) and custom fields the transaction does not
 * define, with the gateway's error shape; over HTTP through the client.
 */
describe('Intacct sandbox: dimension values and custom fields on sales documents', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const line: SalesDocumentLine = { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01', quantity: '1', price: '14.50' };
  const document = (
    referenceNumber: string,
    overrides: Partial<SalesDocumentInput> = {},
  ): SalesDocumentInput & { referenceNumber: string } => ({
    transactionDefinition: 'Sales Order',
    date: '2026-03-02',
    customerId: 'C-1001',
    referenceNumber,
    lines: [line],
    ...overrides,
  });
  const documentOf = async (reference: string) => (await sandbox.records('SODOCUMENT')).find((row) => row.PONUMBER === reference);

  it('when the header and lines carry defined custom fields and known dimension values, then the document keeps them', async () => {
    const reference = uniqueId('DIM');
    const { documentId } = await createSalesDocument(
      client,
      document(reference, {
        customFields: [
          { name: 'GLDIMCHANNEL', value: 'WEB' },
          { name: 'sales_region', value: 'NA' },
        ],
        lines: [
          {
            ...line,
            locationId: '100',
            departmentId: 'ECOM',
            projectId: 'PRJ-7',
            classId: 'RETAIL',
            customerId: 'C-1002',
            customFields: [{ name: 'GLDIMCHANNEL', value: 'MARKETPLACE' }],
          },
        ],
        subtotals: [{ description: 'Shipping', total: '5.00', departmentId: 'ECOM', classId: 'RETAIL' }],
      }),
      `so:${reference}`,
    );
    expect(await documentOf(reference)).toMatchObject({ DOCID: documentId, GLDIMCHANNEL: 'WEB', SALES_REGION: 'NA', TOTAL: '19.5' });
    expect((await sandbox.records('SODOCUMENTENTRY')).filter((row) => row.DOCHDRID === documentId)).toEqual([
      expect.objectContaining({ DEPARTMENTID: 'ECOM', CLASSID: 'RETAIL', LOCATIONID: '100', GLDIMCHANNEL: 'MARKETPLACE' }),
    ]);
    expect(await readSalesDocument(client, documentId)).toMatchObject({ documentId });
  });

  it.each<{ case: string; overrides: Partial<SalesDocumentInput>; errorno: string; description2: string; correction: RegExp }>([
    {
      case: 'an unknown department on a line',
      overrides: { lines: [{ ...line, departmentId: 'MARKETING' }] },
      errorno: 'BL03000003',
      description2: "Invalid Department 'MARKETING' specified.",
      correction: /department exists and is active/,
    },
    {
      case: 'an unknown location on a line',
      overrides: { lines: [{ ...line, locationId: '900' }] },
      errorno: 'BL03000003',
      description2: "Invalid Location '900' specified.",
      correction: /location exists/,
    },
    {
      case: 'an unknown class on a subtotal',
      overrides: { subtotals: [{ description: 'Shipping', total: '5.00', classId: 'OUTLET' }] },
      errorno: 'BL03000003',
      description2: "Invalid Class 'OUTLET' specified.",
      correction: /class exists/,
    },
    {
      case: 'an unknown project on the header',
      overrides: { projectId: 'PRJ-404' },
      errorno: 'BL03000003',
      description2: "Invalid Project 'PRJ-404' specified.",
      correction: /project exists/,
    },
    {
      case: 'an unknown customer dimension on a line',
      overrides: { lines: [{ ...line, customerId: 'C-4040' }] },
      errorno: 'BL03000003',
      description2: "Invalid Customer 'C-4040' specified.",
      correction: /customer exists/,
    },
    {
      case: 'a vendor the company does not have on a line',
      overrides: { lines: [{ ...line, vendorId: 'V-100' }] },
      errorno: 'BL03000003',
      description2: "Invalid Vendor 'V-100' specified.",
      correction: /vendor exists/,
    },
    {
      case: 'a user-defined dimension value that does not exist on the header',
      overrides: { customFields: [{ name: 'GLDIMCHANNEL', value: 'SPACE' }] },
      errorno: 'BL03000003',
      description2: "Invalid Channel 'SPACE' specified.",
      correction: /channel exists/,
    },
    {
      case: 'a user-defined dimension value that does not exist on a line',
      overrides: { lines: [{ ...line, customFields: [{ name: 'GLDIMCHANNEL', value: 'KIOSK' }] }] },
      errorno: 'BL03000003',
      description2: "Invalid Channel 'KIOSK' specified.",
      correction: /channel exists/,
    },
    {
      case: 'a custom field the transaction does not define',
      overrides: { customFields: [{ name: 'SALES_MOOD', value: 'cheerful' }] },
      errorno: 'BL03000002',
      description2: 'The custom field SALES_MOOD is not defined for the sales transaction.',
      correction: /Define the custom field/,
    },
    {
      case: 'a custom field the lines do not define (it exists on the header only)',
      overrides: { lines: [{ ...line, customFields: [{ name: 'SALES_REGION', value: 'NA' }] }] },
      errorno: 'BL03000002',
      description2: 'The custom field SALES_REGION is not defined for the sales transaction line.',
      correction: /Define the custom field/,
    },
  ])('when a document has $case, then the gateway refuses it with its error shape and writes nothing', async (example) => {
    const reference = uniqueId('BAD');
    const refused = await failure(createSalesDocument(client, document(reference, example.overrides), `so:${reference}`));
    expect(refused).toBeInstanceOf(IntacctInputError);
    expect(refused).toMatchObject({ level: 'function', functionName: 'create_sotransaction', vendorCode: example.errorno });
    expect(refused.errors).toEqual([
      {
        errorno: example.errorno,
        description: '',
        description2: example.description2,
        correction: expect.stringMatching(example.correction),
      },
    ]);
    expect(await documentOf(reference)).toBeUndefined();
  });
});
