import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRequestXml, type IntacctFunctionCall } from '../../../connectors/intacct/envelope.js';
import { create, update } from '../../../connectors/intacct/functions/create.js';
import { createAradjustment } from '../../../connectors/intacct/functions/create-aradjustment.js';
import { createArpayment } from '../../../connectors/intacct/functions/create-arpayment.js';
import { createCustomer } from '../../../connectors/intacct/functions/create-customer.js';
import { createIctransaction } from '../../../connectors/intacct/functions/create-ictransaction.js';
import { assertBalanced, createJournalEntry } from '../../../connectors/intacct/functions/create-journal-entry.js';
import { createSotransaction, type SalesDocumentInput } from '../../../connectors/intacct/functions/create-sotransaction.js';
import { deleteRecords } from '../../../connectors/intacct/functions/delete.js';
import { deleteSotransaction } from '../../../connectors/intacct/functions/delete-sotransaction.js';
import { getApiSession } from '../../../connectors/intacct/functions/get-api-session.js';
import { query } from '../../../connectors/intacct/functions/query.js';
import { read } from '../../../connectors/intacct/functions/read.js';
import { readByName } from '../../../connectors/intacct/functions/read-by-name.js';
import { readByQuery } from '../../../connectors/intacct/functions/read-by-query.js';
import { readMore } from '../../../connectors/intacct/functions/read-more.js';
import { reverseArpayment } from '../../../connectors/intacct/functions/reverse-arpayment.js';
import { updateSotransaction } from '../../../connectors/intacct/functions/update-sotransaction.js';
import { renderXml } from '../../../connectors/intacct/xml-writer.js';
import { projectRoot } from '../../../config/index.js';
import { withNewerGatewayElements } from '../../../sandbox/intacct/schema-validator.js';

/** Sage's published request schema: every request the client builds must validate against it. */
const schema = fs.readFileSync(path.join(projectRoot, 'sandbox/intacct/schema/api.xsd'), 'utf8');
const sender = { senderId: 'sender', senderPassword: 'sender-pw' };

const fullSalesDocument: SalesDocumentInput = {
  transactionDefinition: 'Sales Order',
  date: '2024-03-15',
  datePosted: '2024-03-16',
  createdFrom: 'Sales Quote-Q-0009',
  customerId: 'C-1001',
  documentNumber: 'SO-778812',
  referenceNumber: 'EXT-55012',
  paymentTerm: 'Net 30',
  dueDate: '2024-04-14',
  message: 'Thank you & see you <soon>',
  shippingMethod: 'UPS Ground',
  shipTo: { contactName: 'Bright Hardware - Warehouse' },
  billTo: {
    contact: {
      contactName: 'Bright - AP',
      printAs: 'Bright Hardware Ltd',
      companyName: 'Bright',
      email1: 'ap@bright.example',
      mailAddress: { address1: '1 Market St', city: 'Springfield', state: 'IL', zip: '62701', country: 'United States' },
    },
  },
  externalId: 'shop-order-55012',
  currency: { baseCurrency: 'USD', currency: 'EUR', exchangeRateDate: '2024-03-15', exchangeRateType: 'Intacct Daily Rate' },
  customFields: [{ name: 'SALES_CHANNEL', value: 'Web' }],
  state: 'Pending',
  projectId: 'PRJ-7',
  lines: [
    {
      itemId: 'WIDGET-1',
      itemDescription: 'Blue',
      taxable: true,
      warehouseId: 'WH01',
      quantity: '10',
      unit: 'Each',
      discountPercent: '5',
      price: '19.99',
      sourceLineKey: '77',
      locationId: '100',
      departmentId: 'SALES',
      memo: 'm',
      customFields: [{ name: 'LINE_REF', value: 'L1' }],
      projectId: 'PRJ-7',
      customerId: 'C-1001',
      classId: 'RETAIL',
    },
    { itemId: 'SHIPPING', quantity: '1', price: '12' },
  ],
  subtotals: [{ description: 'Shipping', total: '12.00', locationId: '100' }],
};

const calls: Array<[string, IntacctFunctionCall['body']]> = [
  ['getAPISession', getApiSession()],
  ['getAPISession for an entity', getApiSession({ entityId: 'US-EAST' })],
  ['read', read({ object: 'CUSTOMER', keys: ['1', '2'], fields: ['RECORDNO', 'NAME'] })],
  ['readByName', readByName({ object: 'SODOCUMENT', keys: ['Sales Order-SO-1'], docparid: 'Sales Order' })],
  ['readByQuery with an empty query', readByQuery({ object: 'WAREHOUSE', query: '' })],
  [
    'readByQuery',
    readByQuery({
      object: 'SODOCUMENT',
      query: "DOCPARID = 'Sales Order' AND PONUMBER = 'A<&>'",
      fields: ['DOCID'],
      pageSize: 1000,
      docparid: 'Sales Order',
    }),
  ],
  ['readMore', readMore({ resultId: '7765623338X7bwUx4HsmSBC9j3Gof@eQAAAAY4' })],
  [
    'create CUSTOMER',
    createCustomer({
      customerId: 'C-9',
      name: 'Alpha & Omega',
      email: 'a@b',
      address: { city: 'Springfield' },
      paymentTerm: 'Net 30',
      customFields: { STOREFRONT_ID: '55' },
    }),
  ],
  [
    'update CUSTOMER',
    update([
      {
        object: 'CUSTOMER',
        fields: [
          ['CUSTOMERID', 'C-9'],
          ['TERMNAME', 'Net 15'],
        ],
      },
    ]),
  ],
  ['delete', deleteRecords({ object: 'CUSTOMER', keys: ['12'] })],
  [
    'create GLBATCH',
    createJournalEntry({
      journal: 'GJ',
      date: '2024-03-31',
      title: 'Accrual',
      referenceNumber: 'ACCR-1',
      lines: [
        { accountNumber: '6100', direction: 'debit', amount: '10.50', departmentId: 'OPS' },
        { accountNumber: '2100', direction: 'credit', amount: '10.5' },
      ],
    }),
  ],
  ['create_sotransaction (every header and line element)', createSotransaction(fullSalesDocument)],
  [
    'create_sotransaction (minimal)',
    createSotransaction({
      transactionDefinition: 'Sales Invoice',
      date: '2024-01-01',
      customerId: 'C',
      lines: [{ itemId: 'I', quantity: '1' }],
    }),
  ],
  [
    'create_sotransaction with an explicit rate',
    createSotransaction({
      transactionDefinition: 'Sales Invoice',
      date: '2024-01-01',
      customerId: 'C',
      currency: { currency: 'EUR', exchangeRate: '1.1' },
      lines: [{ itemId: 'I', quantity: '1' }],
    }),
  ],
  [
    'update_sotransaction',
    updateSotransaction({
      documentId: 'Sales Order-SO-1',
      referenceNumber: 'R',
      paymentTerm: 'Net 15',
      dueDate: '2024-05-01',
      message: 'm',
      state: 'Pending',
      changedLines: [{ lineNumber: 1, quantity: '2', price: '3', memo: 'x', warehouseId: 'WH01' }],
      addedLines: [{ itemId: 'I', warehouseId: 'WH01', quantity: '1', price: '5' }],
    }),
  ],
  [
    'update_sotransaction with new contacts',
    updateSotransaction({
      documentId: 'Sales Order-SO-1',
      message: 'm',
      shipTo: fullSalesDocument.billTo!,
      billTo: { contactName: 'Bright - AP' },
      customFields: [{ name: 'SALES_CHANNEL', value: 'Web' }],
      changedLines: [{ lineNumber: 1, quantity: '0' }],
    }),
  ],
  ['delete_sotransaction', deleteSotransaction({ documentId: 'Sales Order-SO-1' })],
  [
    'create_ictransaction',
    createIctransaction({
      transactionDefinition: 'Adjustment Increase',
      date: '2024-03-15',
      documentNumber: 'A1',
      referenceNumber: 'CC-17',
      message: 'count',
      externalId: 'e',
      lines: [
        {
          itemId: 'W',
          itemDescription: 'd',
          warehouseId: 'WH01',
          quantity: '5',
          unit: 'Each',
          cost: '7.5',
          locationId: '100',
          departmentId: 'OPS',
          classId: 'RETAIL',
        },
      ],
    }),
  ],
  [
    'create_arpayment into a bank account',
    createArpayment({
      customerId: 'C',
      amount: '150.00',
      deposit: { bankAccountId: 'BOA-CHK' },
      referenceId: 'W-1',
      dateReceived: '2024-03-20',
      paymentMethod: 'EFT',
      applications: [{ invoiceKey: '5512', amount: '150.00' }],
    }),
  ],
  [
    'create_arpayment into undeposited funds',
    createArpayment({
      customerId: 'C',
      amount: '1',
      deposit: { undepositedFundsAccount: '1050' },
      dateReceived: '2024-03-20',
      paymentMethod: 'Credit Card',
      currency: { currency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
      applications: [],
    }),
  ],
  ['reverse_arpayment', reverseArpayment({ paymentKey: '42', dateReversed: '2024-03-21', description: 'refund' })],
  [
    'create_aradjustment',
    createAradjustment({
      customerId: 'C',
      date: '2024-03-22',
      adjustmentNumber: 'CM-7',
      invoiceNumber: 'INV-42',
      description: 'credit',
      externalId: 'rma',
      lines: [{ glAccountNumber: '4000', amount: '-25.00', memo: 'RMA', locationId: '100', departmentId: 'SALES' }],
    }),
  ],
];

describe('Intacct request builders', () => {
  let verdicts: Map<string, string[]>;

  beforeAll(async () => {
    // One xmllint run for every request keeps this fast.
    const documents = calls.map(([name, body], index) => ({
      name,
      fileName: `request-${index}.xml`,
      contents: buildRequestXml({
        sender,
        controlId: 'req-1',
        uniqueId: true,
        transaction: index % 2 === 0,
        authentication: index === 0 ? { login: { userId: 'u', companyId: 'C', userPassword: 'p', entityId: 'E' } } : { sessionId: 'abc..' },
        functions: [{ controlId: `f-${index}`, body }],
      }),
    }));
    const result = await validateXML({
      xml: documents.map(({ fileName, contents }) => ({ fileName, contents })),
      schema: [{ fileName: 'api.xsd', contents: schema }],
    });
    verdicts = new Map(
      documents.map(({ name, fileName }) => [
        name,
        result.errors
          .filter((error) => error.loc?.fileName === fileName || error.rawMessage.startsWith(fileName))
          .map((error) => error.rawMessage),
      ]),
    );
  }, 60_000);

  it.each(calls.map(([name]) => [name]))("builds a request Sage's schema accepts: %s", (name) => {
    expect(verdicts.get(name)).toEqual([]);
  });

  it("writes the envelope in the gateway's element order", () => {
    const xml = buildRequestXml({
      sender,
      controlId: 'req-1',
      uniqueId: false,
      transaction: false,
      authentication: { login: { userId: 'u', companyId: 'C', userPassword: 'p' } },
      functions: [{ controlId: 'f1', body: getApiSession() }],
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><request><control><senderid>sender</senderid><password>sender-pw</password><controlid>req-1</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace></control><operation transaction="false"><authentication><login><userid>u</userid><companyid>C</companyid><password>p</password></login></authentication><content><function controlid="f1"><getAPISession/></function></content></operation></request>',
    );
  });

  it('writes create_sotransaction header elements in the schema sequence', () => {
    const xml = renderXml(createSotransaction(fullSalesDocument));
    const order = [
      'transactiontype',
      'datecreated',
      'dateposted',
      'createdfrom',
      'customerid',
      'documentno',
      'referenceno',
      'termname',
      'datedue',
      'message',
      'shippingmethod',
      'shipto',
      'billto',
      'externalid',
      'basecurr',
      'currency',
      'exchratedate',
      'exchratetype',
      'customfields',
      'state',
      'projectid',
      'sotransitems',
      'subtotals',
    ];
    const header = xml.slice(0, xml.indexOf('<sotransitems>') + '<sotransitems>'.length) + xml.slice(xml.indexOf('</sotransitems>'));
    const billTo = header.slice(header.indexOf('<billto>'), header.indexOf('</billto>'));
    const outline = header.replace(billTo, '<billto>');
    const positions = order.map((name) => outline.indexOf(`<${name}>`));
    expect(positions.filter((position) => position < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('writes the newer query function (not in the 2019 schema) with its filter tree', () => {
    const xml = renderXml(
      query({
        object: 'ITEMWAREHOUSEINFO',
        select: ['ITEMID', 'QONHAND'],
        filter: {
          and: [
            { field: 'WAREHOUSEID', operator: 'in', values: ['WH01', 'WH02'] },
            { field: 'QONHAND', operator: 'between', values: ['1', '5'] },
            { field: 'ITEMID', operator: 'isnotnull' },
          ],
        },
        orderBy: [{ field: 'RECORDNO' }],
        pageSize: 2000,
        offset: 4000,
      }),
    );
    expect(xml).toBe(
      '<query><object>ITEMWAREHOUSEINFO</object><select><field>ITEMID</field><field>QONHAND</field></select><filter><and><in><field>WAREHOUSEID</field><value>WH01</value><value>WH02</value></in><between><field>QONHAND</field><value>1</value><value>5</value></between><isnotnull><field>ITEMID</field></isnotnull></and></filter><orderby><order><field>RECORDNO</field><ascending/></order></orderby><options><caseinsensitive>false</caseinsensitive></options><pagesize>2000</pagesize><offset>4000</offset></query>',
    );
  });

  it.each([
    ['query page size 2001', () => query({ object: 'ITEM', select: ['ITEMID'], pageSize: 2001 })],
    ['query of all fields', () => query({ object: 'ITEM', select: ['*'] })],
    [
      'no functions',
      () =>
        buildRequestXml({ sender, controlId: 'r', uniqueId: false, transaction: false, authentication: { sessionId: 's' }, functions: [] }),
    ],
    [
      'a control id over 256 characters',
      () =>
        buildRequestXml({
          sender,
          controlId: 'r',
          uniqueId: false,
          transaction: false,
          authentication: { sessionId: 's' },
          functions: [{ controlId: 'x'.repeat(257), body: getApiSession() }],
        }),
    ],
    ['readByQuery page size 1001', () => readByQuery({ object: 'ITEM', query: '', pageSize: 1001 })],
    ['read with 101 keys', () => read({ object: 'ITEM', keys: Array.from({ length: 101 }, (_, index) => String(index)) })],
    ['readByName with a comma in a key', () => readByName({ object: 'ITEM', keys: ['A,B'] })],
    [
      'create with 101 records',
      () => create(Array.from({ length: 101 }, () => ({ object: 'CUSTOMER', fields: [['NAME', 'x']] as const }))),
    ],
    ['a sales document without lines', () => createSotransaction({ ...fullSalesDocument, lines: [] })],
    ['a zero line number', () => updateSotransaction({ documentId: 'D', changedLines: [{ lineNumber: 0, quantity: '1' }] })],
    [
      'an unbalanced journal entry',
      () =>
        assertBalanced([
          { accountNumber: '1', direction: 'debit', amount: '10.00' },
          { accountNumber: '2', direction: 'credit', amount: '9.99' },
        ]),
    ],
    [
      'a journal amount with three decimals',
      () =>
        assertBalanced([
          { accountNumber: '1', direction: 'debit', amount: '1.005' },
          { accountNumber: '2', direction: 'credit', amount: '1.005' },
        ]),
    ],
  ])('refuses %s before sending', (_name, build) => {
    expect(build).toThrow();
  });
});

describe('create_sotransaction under a tax solution', () => {
  const taxedDocument: SalesDocumentInput = {
    transactionDefinition: 'Sales Invoice',
    date: '2026-03-01',
    customerId: 'C-2001',
    referenceNumber: '3001',
    shippingMethod: 'DHL Express',
    taxSolutionId: 'EU - VAT',
    lines: [
      {
        itemId: 'BOOK-1',
        quantity: '1',
        price: '9.35',
        shipTo: { contactName: 'Anna Schmidt - Berlin' },
        taxEntries: [{ detailId: 'DE Sale Reduced Rate', amount: '0.65' }],
      },
      { itemId: 'TSHIRT-BLK-M', quantity: '2', price: '16.80', taxEntries: [{ detailId: 'DE Sale Standard Rate' }] },
    ],
  };
  const request = () =>
    buildRequestXml({
      sender,
      controlId: 'req-1',
      uniqueId: true,
      transaction: false,
      authentication: { sessionId: 'abc..' },
      functions: [{ controlId: 'f-1', body: createSotransaction(taxedDocument) }],
    });

  it('when lines carry tax entries and a ship-to, then they are written last on the line and the solution before the lines', () => {
    const xml = renderXml(createSotransaction(taxedDocument));
    expect(xml).toContain(
      '<sotransitem><itemid>BOOK-1</itemid><quantity>1</quantity><price>9.35</price><shipto><contactname>Anna Schmidt - Berlin</contactname></shipto><taxentries><taxentry><detailid>DE Sale Reduced Rate</detailid><trx_tax>0.65</trx_tax></taxentry></taxentries></sotransitem>',
    );
    expect(xml).toContain('<shippingmethod>DHL Express</shippingmethod>');
    expect(xml).toContain('<taxsolutionid>EU - VAT</taxsolutionid><sotransitems>');
  });

  it("when validated, then the gateway's newer elements pass and Sage's 2019 schema alone does not know them", async () => {
    const newer = await validateXML({
      xml: [{ fileName: 'taxed.xml', contents: request() }],
      schema: [{ fileName: 'api.xsd', contents: withNewerGatewayElements(schema) }],
    });
    expect(newer.errors.map((error) => error.rawMessage)).toEqual([]);
    const published = await validateXML({
      xml: [{ fileName: 'taxed.xml', contents: request() }],
      schema: [{ fileName: 'api.xsd', contents: schema }],
    });
    expect(published.valid).toBe(false);
  }, 60_000);
});
