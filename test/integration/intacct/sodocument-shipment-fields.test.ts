import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesDocument, query, type IntacctClient } from '../../../connectors/intacct/index.js';
import { startHarness, uniqueId, type SandboxHarness } from './support.js';

const shipmentFields = ['DOCID', 'SHIPVIA', 'TRACKINGNUMBER', 'SHIPPEDDATE'];

describe('Intacct sandbox: the shipment fields of SODOCUMENT', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const convertedFrom = (documentId: string) =>
    client.executeOne({
      controlId: uniqueId('q'),
      body: query({
        object: 'SODOCUMENT',
        select: shipmentFields,
        filter: { field: 'CREATEDFROM', operator: 'equalto', value: documentId },
      }),
    });

  it('when no document has been created yet, then a query may still select SHIPVIA, TRACKINGNUMBER and SHIPPEDDATE', async () => {
    const result = await convertedFrom('Sales Order-SO-9999');
    expect(result.data!.records).toEqual([]);
  });

  it('when an invoice converted from an order carries shipping and tracking, then the query by CREATEDFROM reads them back, empty where unset', async () => {
    const base = {
      date: '2026-03-10',
      customerId: 'C-1001',
      paymentTerm: 'Net 30',
      lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price: '19.99' }],
    };
    const order = await createSalesDocument(
      client,
      { ...base, transactionDefinition: 'Sales Order', referenceNumber: uniqueId('ref') },
      uniqueId('so'),
    );
    expect((await convertedFrom(order.documentId)).data!.records).toEqual([]);

    const invoice = await createSalesDocument(
      client,
      {
        ...base,
        transactionDefinition: 'Sales Invoice',
        referenceNumber: uniqueId('ref'),
        createdFrom: order.documentId,
        shippingMethod: 'UPS Ground',
        customFields: [{ name: 'TRACKINGNUMBER', value: '1Z999AA10123456784' }],
      },
      uniqueId('inv'),
    );
    expect((await convertedFrom(order.documentId)).data!.records).toEqual([
      { DOCID: invoice.documentId, SHIPVIA: 'UPS Ground', TRACKINGNUMBER: '1Z999AA10123456784', SHIPPEDDATE: '' },
    ]);
  });
});
