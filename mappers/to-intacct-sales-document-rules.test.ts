import { describe, expect, it } from 'vitest';
import { defaultTenantSettings, parseTenantSettings, type TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from './canonical-order.js';
import { evaluateOrderRules } from './order-rules.js';
import { toIntacctSalesDocument, type ResolvedItem } from './to-intacct-sales-document.js';

function settingsWith(rules: unknown): TenantSettings {
  const base = defaultTenantSettings({ storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } });
  const parsed = parseTenantSettings({ ...base, rules });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const address = { firstName: 'Jane', lastName: 'Doe', line1: '1 Main St', city: 'Austin', region: 'TX', country: 'US' };
const order: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '200',
  status: '11',
  placedAt: '2026-03-02T12:00:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '1' },
  billingAddress: address,
  lines: [
    {
      lineId: 'a',
      sku: 'TSHIRT-BLK-M',
      name: 'Tee',
      quantity: 3,
      unitPrice: 1000,
      lineTotal: 3001,
      lineDiscount: 0,
      tax: 0,
      attributes: { productType: 'physical' },
    },
    {
      lineId: 'b',
      sku: 'EBOOK-1',
      name: 'Guide',
      quantity: 1,
      unitPrice: 1450,
      lineTotal: 1450,
      lineDiscount: 0,
      tax: 0,
      attributes: { productType: 'digital' },
    },
  ],
  shipping: 800,
  handling: 0,
  discount: 0,
  tax: 0,
  total: 3001 + 1450 + 800,
  couponCodes: [],
  amountPaid: 0,
  attributes: { channelId: '2', campaign: 'spring' },
};
const items = new Map<string, ResolvedItem>([
  ['a', { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01' }],
  ['b', { itemId: 'EBOOK-1' }],
]);
const adjustmentItems = [{ kind: 'shipping' as const, intacctItemId: 'SHIPPING' }];

function documentFor(rules: unknown, dimensions = {}) {
  const settings = settingsWith(rules);
  return toIntacctSalesDocument({
    order,
    settings,
    customerId: 'C-1',
    items,
    adjustmentItems,
    dimensions,
    rules: evaluateOrderRules(settings.rules, order),
  });
}

describe('toIntacctSalesDocument with rules', () => {
  it('when there are no rules then the document is as without them', () => {
    const settings = settingsWith([]);
    const input = { order, settings, customerId: 'C-1', items, adjustmentItems };
    expect(toIntacctSalesDocument({ ...input, rules: evaluateOrderRules([], order) })).toEqual(toIntacctSalesDocument(input));
  });

  it('when rules set the definition, document custom fields, line dimensions, warehouses and user-defined dimensions then each lands where Intacct reads it', () => {
    const document = documentFor(
      [
        {
          id: 'channel-2',
          cases: [
            {
              when: [{ field: 'order.channelId', op: 'equals', value: '2' }],
              set: { transactionDefinition: 'Wholesale Order', department: 'B2B', customFields: { GLDIMCAMPAIGN: 'SPRING' } },
            },
          ],
        },
        {
          id: 'digital-lines',
          scope: 'line',
          cases: [
            {
              when: [{ field: 'line.attributes.productType', op: 'equals', value: 'digital' }],
              set: { class: 'DIGITAL', warehouse: 'WH-NONE', customFields: { GLDIMPRODUCTLINE: 'EBOOKS' } },
            },
          ],
        },
      ],
      { departmentId: 'FROM-DIMENSION-RULES', locationId: '100' },
    );
    expect(document).toMatchObject({
      transactionDefinition: 'Wholesale Order',
      customFields: [{ name: 'GLDIMCAMPAIGN', value: 'SPRING' }],
      lines: [
        // The line whose amount does not divide by its quantity is split; both parts carry the line's values.
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '2', price: '10.00', departmentId: 'B2B', locationId: '100' },
        { itemId: 'TSHIRT-BLK-M', warehouseId: 'WH01', quantity: '1', price: '10.01', departmentId: 'B2B', locationId: '100' },
        {
          itemId: 'EBOOK-1',
          warehouseId: 'WH-NONE',
          quantity: '1',
          price: '14.50',
          departmentId: 'B2B',
          locationId: '100',
          classId: 'DIGITAL',
          customFields: [{ name: 'GLDIMPRODUCTLINE', value: 'EBOOKS' }],
        },
        { itemId: 'SHIPPING', quantity: '1', price: '8.00', memo: 'shipping', departmentId: 'B2B', locationId: '100' },
      ],
    });
    expect(document.lines[0]).not.toHaveProperty('classId');
    expect(document.lines[0]).not.toHaveProperty('customFields');
    expect(document.lines[3]).not.toHaveProperty('customFields');
  });

  it('when a rule sets a standard dimension beyond the four of the dimension rules then the line carries it', () => {
    const document = documentFor([
      { id: 'all', cases: [{ set: { employee: 'E-7', contract: 'K-1', vendor: 'V-2', customer: 'C-9', project: 'P-1' } }] },
    ]);
    expect(document.lines[2]).toEqual({
      itemId: 'EBOOK-1',
      quantity: '1',
      price: '14.50',
      employeeId: 'E-7',
      contractId: 'K-1',
      vendorId: 'V-2',
      customerId: 'C-9',
      projectId: 'P-1',
    });
  });
});
