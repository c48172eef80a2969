import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  createSalesDocument,
  type DocumentContact,
  type IntacctClient,
  type SalesDocumentInput,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

function order(
  referenceNumber: string,
  contacts: Pick<SalesDocumentInput, 'billTo' | 'shipTo'>,
): SalesDocumentInput & { referenceNumber: string } {
  return {
    transactionDefinition: 'Sales Order',
    date: '2026-01-10',
    customerId: 'C-1001',
    referenceNumber,
    paymentTerm: 'Net 30',
    lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price: '19.99' }],
    ...contacts,
  };
}

const inline = (contactName: string, printAs = 'Ana Silva'): DocumentContact => ({
  contact: {
    contactName,
    printAs,
    companyName: 'Bright Hardware Ltd',
    firstName: 'Ana',
    lastName: 'Silva',
    phone1: '+1 555 0100',
    email1: 'ap@bright.example',
    mailAddress: {
      address1: '1 Market St',
      city: 'Springfield',
      state: 'IL',
      zip: '62701',
      country: 'United States',
      isoCountryCode: 'US',
    },
  },
});

describe('Intacct sandbox: bill-to and ship-to contacts of create_sotransaction', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const documentOf = async (reference: string) => (await sandbox.records('SODOCUMENT')).filter((record) => record.PONUMBER === reference);

  it("when the document carries an inline bill-to and a ship-to by name, then it reads back with the contact's fields under BILLTO and the name under SHIPTO", async () => {
    const reference = uniqueId('ORD');
    const contactName = `Ana Silva - ${reference} bill-to`;
    await createSalesDocument(
      client,
      order(reference, { billTo: inline(contactName), shipTo: { contactName: 'Bright Hardware - Warehouse' } }),
      `so-create:${reference}`,
    );
    const [document] = await documentOf(reference);
    expect(document).toMatchObject({
      'BILLTO.CONTACTNAME': contactName,
      'BILLTO.PRINTAS': 'Ana Silva',
      'BILLTO.COMPANYNAME': 'Bright Hardware Ltd',
      'BILLTO.FIRSTNAME': 'Ana',
      'BILLTO.LASTNAME': 'Silva',
      'BILLTO.PHONE1': '+1 555 0100',
      'BILLTO.EMAIL1': 'ap@bright.example',
      'BILLTO.MAILADDRESS.ADDRESS1': '1 Market St',
      'BILLTO.MAILADDRESS.CITY': 'Springfield',
      'BILLTO.MAILADDRESS.STATE': 'IL',
      'BILLTO.MAILADDRESS.ZIP': '62701',
      'BILLTO.MAILADDRESS.COUNTRY': 'United States',
      'BILLTO.MAILADDRESS.ISOCOUNTRYCODE': 'US',
      'SHIPTO.CONTACTNAME': 'Bright Hardware - Warehouse',
    });
    expect(document).not.toHaveProperty('SHIPTO.PRINTAS');
  });

  it.each([
    ['a blank contact name', ' ', 'Ana Silva', 'The ship to contact has no contact name.'],
    ['a contact name over 200 characters', 'N'.repeat(201), 'Ana Silva', 'The ship to contact name is longer than 200 characters.'],
    ['a blank print-as name', 'Ana Silva - blank print as', ' ', 'The ship to contact Ana Silva - blank print as has no print as name.'],
  ])(
    'when an inline contact has %s, then the document is refused as invalid input and nothing is created',
    async (_case, contactName, printAs, message) => {
      const reference = uniqueId('ORD');
      const error = await failure(
        createSalesDocument(client, order(reference, { shipTo: inline(contactName, printAs) }), `so-create:${reference}`),
      );
      expect(error).toBeInstanceOf(IntacctInputError);
      expect(error.description2).toBe(message);
      expect(await documentOf(reference)).toEqual([]);
    },
  );
});
