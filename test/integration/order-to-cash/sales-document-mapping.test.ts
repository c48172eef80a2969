import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemActivities } from '../../../activities/items.js';
import { createSalesDocumentMappingActivities } from '../../../activities/sales-document-mapping.js';
import type { BuildSalesDocumentInput, ItemResolution } from '../../../activities/order-to-cash-types.js';
import { createSalesDocument, type SalesDocumentInput, type SalesDocumentLine } from '../../../connectors/intacct/index.js';
import type { CanonicalAddress, CanonicalOrder } from '../../../mappers/canonical-order.js';
import type { ResolvedItem } from '../../../mappers/to-intacct-sales-document.js';
import { upsertMappingRows } from '../../../store/mappings.js';
import { aCanonicalOrder, aCanonicalOrderLine } from '../../support/builders.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';

const billing: CanonicalAddress = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: 'Doe Design',
  line1: '1 Main St',
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'jane@doe.example',
  phone: '512-555-0100',
};
const shipping: CanonicalAddress = {
  firstName: 'John',
  lastName: 'Doe',
  line1: '22 Harbour Rd',
  line2: 'Unit 5',
  city: 'Portland',
  region: 'ME',
  postalCode: '04101',
  country: 'US',
};

/** 2 tees at 24.00, a mug at 14.50, 8.00 shipping, 10.00 off, 4.12 tax: 64.62. */
function order(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return aCanonicalOrder({
    orderId: uniqueId('order'),
    placedAt: '2026-03-02T15:00:00.000Z',
    customer: { kind: 'registered', customerId: '11', email: 'jane@doe.example' },
    billingAddress: billing,
    shippingAddress: shipping,
    lines: [
      aCanonicalOrderLine({ lineId: 'l1', sku: 'TSHIRT-BLK-M', name: 'Tee', quantity: 2, unitPrice: 2400 }),
      aCanonicalOrderLine({ lineId: 'l2', sku: 'MUG-CER-12OZ', name: 'Mug', quantity: 1, unitPrice: 1450 }),
    ],
    shipping: 800,
    discount: 1000,
    tax: 412,
    total: 4800 + 1450 + 800 - 1000 + 412,
    couponCodes: ['SPRING10'],
    amountPaid: 0,
    attributes: { channelId: '1', segment: 'retail' },
    ...overrides,
  });
}

const cents = (lines: readonly SalesDocumentLine[]) =>
  lines.reduce((sum, line) => sum + Number(line.quantity) * Math.round(Number(line.price) * 100), 0);

describe("buildSalesDocument over the tenant's settings and tables, accepted by the Intacct sandbox", () => {
  let fixture: OrderSyncFixture;
  let activities: ReturnType<typeof createSalesDocumentMappingActivities> & ReturnType<typeof createItemActivities>;
  const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    const deps = { db: fixture.database.db, connections: fixture.connections };
    activities = { ...createSalesDocumentMappingActivities(deps), ...createItemActivities(deps) };
  });
  afterAll(async () => {
    await fixture?.close();
  });

  type ItemsInput = { tenantId: string; order: CanonicalOrder };
  const buildSalesDocument = (input: BuildSalesDocumentInput) =>
    env.run<[BuildSalesDocumentInput], SalesDocumentInput & { referenceNumber: string }, typeof activities.buildSalesDocument>(
      activities.buildSalesDocument,
      input,
    );
  const itemsOf = async (tenantId: string, input: CanonicalOrder): Promise<Record<string, ResolvedItem>> => {
    const resolution = await env.run<[ItemsInput], ItemResolution, typeof activities.resolveItems>(activities.resolveItems, {
      tenantId,
      order: input,
    });
    if (!resolution.resolved) throw new Error(`items did not resolve: ${resolution.attention.reason}`);
    return resolution.items;
  };
  const records = async (object: string) =>
    (
      (await (await fetch(`${fixture.sandboxes.intacct.url}/__control/records/${object}`)).json()) as {
        records: Array<Record<string, string>>;
      }
    ).records;
  const failureOf = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ApplicationFailure) return error;
      throw error;
    }
    throw new Error('expected an ApplicationFailure');
  };

  it('when the order has dimensions, adjustments and two addresses, then the document sums to the total, carries its contacts and dimensions, and Intacct accepts it', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', {
      dimensionRules: [
        { dimension: 'department', from: 'storefrontChannel' },
        { dimension: 'location', from: 'constant', value: '100' },
        { dimension: 'class', from: 'orderAttribute', value: 'segment' },
      ],
      currency: { orderCurrency: 'USD' },
      // The coupon is spread over the product lines here; the default (a discount subtotal) is covered end to end.
      adjustments: { shipping: 'separateLine', handling: 'separateLine', discount: 'allocateToLines', tax: 'separateLine' },
    });
    await upsertMappingRows(
      fixture.database.db,
      tenantId,
      'dimensionRules',
      [
        { key: '1', row: { storefrontValue: '1', department: 'ECOM' } },
        { key: 'retail', row: { storefrontValue: 'retail', class: 'RETAIL' } },
      ],
      'test',
    );
    const input = order();
    const document = await buildSalesDocument({ tenantId, order: input, customerId: 'C-1001', items: await itemsOf(tenantId, input) });

    const dimensions = { departmentId: 'ECOM', locationId: '100', classId: 'RETAIL' };
    expect(document).toEqual({
      transactionDefinition: 'Sales Order',
      date: '2026-03-02',
      customerId: 'C-1001',
      referenceNumber: input.orderId,
      paymentTerm: 'Due on Receipt',
      message: `Storefront order ${input.orderId}; coupons SPRING10`,
      lines: [
        // 10.00 off spread 7.68 / 2.32 over 48.00 and 14.50.
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '20.16', ...dimensions },
        { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01', quantity: '1', price: '12.18', ...dimensions },
        { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping', ...dimensions },
        { itemId: 'SALES-TAX', quantity: '1', price: '4.12', memo: 'tax', ...dimensions },
      ],
      shipTo: {
        contact: {
          contactName: `John Doe - BC ${input.orderId} ship-to`,
          printAs: 'John Doe',
          firstName: 'John',
          lastName: 'Doe',
          mailAddress: {
            address1: '22 Harbour Rd',
            address2: 'Unit 5',
            city: 'Portland',
            state: 'ME',
            zip: '04101',
            country: 'United States',
            isoCountryCode: 'US',
          },
        },
      },
      billTo: {
        contact: {
          contactName: `Jane Doe - BC ${input.orderId} bill-to`,
          printAs: 'Jane Doe',
          companyName: 'Doe Design',
          firstName: 'Jane',
          lastName: 'Doe',
          phone1: '512-555-0100',
          email1: 'jane@doe.example',
          mailAddress: { address1: '1 Main St', city: 'Austin', state: 'TX', zip: '78701', country: 'United States', isoCountryCode: 'US' },
        },
      },
    });
    expect(cents(document.lines)).toBe(input.total);

    const client = await (await fixture.connections.forTenant(tenantId)).intacct();
    const created = await createSalesDocument(client, document, `so-create:${tenantId}:${input.orderId}:v1`);
    expect(created).toMatchObject({ created: true });
    const [stored] = (await records('SODOCUMENT')).filter((record) => record.DOCID === created.documentId);
    expect(stored).toMatchObject({
      PONUMBER: input.orderId,
      CUSTVENDID: 'C-1001',
      TOTAL: '64.62',
      'BILLTO.CONTACTNAME': `Jane Doe - BC ${input.orderId} bill-to`,
      'BILLTO.PRINTAS': 'Jane Doe',
      'BILLTO.COMPANYNAME': 'Doe Design',
      'BILLTO.EMAIL1': 'jane@doe.example',
      'BILLTO.MAILADDRESS.STATE': 'TX',
      'SHIPTO.CONTACTNAME': `John Doe - BC ${input.orderId} ship-to`,
      'SHIPTO.MAILADDRESS.CITY': 'Portland',
      'SHIPTO.MAILADDRESS.ISOCOUNTRYCODE': 'US',
    });
    const entries = (await records('SODOCUMENTENTRY')).filter((entry) => entry.DOCHDRID === created.documentId);
    expect(entries.map((entry) => [entry.ITEMID, entry.DEPARTMENTID, entry.LOCATIONID, entry.CLASSID])).toEqual(
      ['TSHIRT-BLK-M', 'MUG-CER-12OZ', 'SHIPPING', 'SALES-TAX'].map((itemId) => [itemId, 'ECOM', '100', 'RETAIL']),
    );
  });

  it("when a Clarity order ships nowhere and adjustments are spread over the lines, then the document has only a bill-to contact and Intacct accepts it at the order's total", async () => {
    const tenantId = await fixture.createTenant('clarity', {
      adjustments: { shipping: 'allocateToLines', handling: 'separateLine', discount: 'allocateToLines', tax: 'separateLine' },
    });
    const { shippingAddress: _none, ...rest } = order({
      storefront: 'clarity',
      orderId: uniqueId('CL-ORD'),
      customer: { kind: 'guest', email: 'jane@doe.example' },
      attributes: {},
    });
    const input: CanonicalOrder = rest;
    const document = await buildSalesDocument({ tenantId, order: input, customerId: 'WEB-GUEST', items: await itemsOf(tenantId, input) });
    expect(document.shipTo).toBeUndefined();
    expect(document.billTo).toMatchObject({ contact: { contactName: `Jane Doe - CL ${input.orderId} bill-to` } });
    expect(document.referenceNumber).toBe(input.orderId);
    // 8.00 shipping less 10.00 off: −2.00 spread −1.54 / −0.46 over 48.00 and 14.50.
    expect(document.lines).toEqual([
      { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '23.23' },
      { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01', quantity: '1', price: '14.04' },
      { itemId: 'SALES-TAX', quantity: '1', price: '4.12', memo: 'tax' },
    ]);
    expect(cents(document.lines)).toBe(input.total);

    const client = await (await fixture.connections.forTenant(tenantId)).intacct();
    const created = await createSalesDocument(client, document, `so-create:${tenantId}:${input.orderId}:v1`);
    const [stored] = (await records('SODOCUMENT')).filter((record) => record.DOCID === created.documentId);
    expect(stored).toMatchObject({ TOTAL: '64.62', PONUMBER: input.orderId, 'SHIPTO.CONTACTNAME': '' });
  });

  it('when the currency, a dimension and an item are wrong, then a non-retryable SalesDocumentMappingError lists every problem', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', {
      dimensionRules: [{ dimension: 'department', from: 'storefrontChannel' }],
      currency: { orderCurrency: 'USD' },
    });
    const input = order({ currency: 'EUR', attributes: { channelId: '9' } });
    const failure = await failureOf(
      buildSalesDocument({ tenantId, order: input, customerId: 'C-1001', items: { l1: { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01' } } }),
    );
    const problems = [
      'the order is in EUR but the tenant takes orders in USD (orderSync.currency.orderCurrency)',
      'the department comes from the storefront channel (order attribute "channelId"), whose value "9" has no row in the dimensionRules mapping table: add one with its department',
      'line l2 (SKU MUG-CER-12OZ) has no Intacct item',
    ];
    expect(failure).toMatchObject({ type: 'SalesDocumentMappingError', nonRetryable: true, details: [{ problems }] });
    expect(failure.message).toBe(`order ${input.orderId} cannot become a sales document: ${problems.join('; ')}`);
  });

  it('when only a dimension rule cannot be applied, then the order is refused rather than posted without it', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', { dimensionRules: [{ dimension: 'class', from: 'customerGroup' }] });
    const input = order();
    const failure = await failureOf(
      buildSalesDocument({ tenantId, order: input, customerId: 'C-1001', items: await itemsOf(tenantId, input) }),
    );
    expect(failure).toMatchObject({
      type: 'SalesDocumentMappingError',
      nonRetryable: true,
      details: [
        { problems: ['the class comes from the customer group (order attribute "customerGroupId"), which this order does not have'] },
      ],
    });
  });
});
