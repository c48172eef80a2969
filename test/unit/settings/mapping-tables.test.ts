import { describe, expect, it } from 'vitest';
import { mappingRowKey, mappingTableNames, mappingTableSchemas, type MappingTableName } from '../../../store/schemas/mapping-tables.js';

function parseRow(table: MappingTableName, row: unknown) {
  const result = mappingTableSchemas[table].rowSchema.safeParse(row);
  return result.success
    ? { ok: true as const, row: result.data }
    : { ok: false as const, errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}

describe('mapping table definitions', () => {
  it('lists every table once, in the portal order', () => {
    expect(mappingTableNames).toStrictEqual([
      'items',
      'customers',
      'paymentMethods',
      'statuses',
      'dimensionRules',
      'adjustmentItems',
      'warehouses',
      'shippingMethods',
      'taxRates',
    ]);
    expect(Object.keys(mappingTableSchemas)).toStrictEqual([...mappingTableNames]);
  });

  it.each([
    ['items', 'storefrontSku', ['storefrontSku', 'intacctItemId', 'unit', 'warehouseId'], []],
    ['customers', 'storefrontCustomer', ['storefrontCustomer', 'intacctCustomerId'], []],
    ['paymentMethods', 'paymentMethod', ['paymentMethod', 'glAccountNo', 'undepositedFunds', 'bankAccountId'], ['undepositedFunds']],
    ['statuses', 'storefrontStatus', ['storefrontStatus', 'action'], []],
    ['dimensionRules', 'storefrontValue', ['storefrontValue', 'department', 'location', 'project', 'class'], []],
    ['adjustmentItems', 'kind', ['kind', 'intacctItemId'], []],
    ['warehouses', 'storefrontLocationId', ['storefrontLocationId', 'intacctWarehouseId'], []],
    ['shippingMethods', 'storefrontMethod', ['storefrontMethod', 'intacctShippingMethod'], []],
    ['taxRates', 'storefrontTax', ['storefrontTax', 'intacctTaxDetailId', 'intacctItemId'], []],
  ] as const)('%s is keyed by %s and exported with a fixed column order, key first', (table, keyField, csvColumns, booleanColumns) => {
    const definition = mappingTableSchemas[table];
    expect(definition.keyField).toBe(keyField);
    expect(definition.csvColumns).toStrictEqual(csvColumns);
    expect(definition.booleanColumns).toStrictEqual(booleanColumns);
    expect(definition.csvColumns[0]).toBe(keyField);
  });
});

describe('mapping row schemas: rows that are accepted', () => {
  it.each([
    [
      'items',
      { storefrontSku: ' WIDGET-RED-S ', intacctItemId: 'W-100' },
      { storefrontSku: 'WIDGET-RED-S', intacctItemId: 'W-100' },
      'WIDGET-RED-S',
    ],
    [
      'items',
      { storefrontSku: 'CASE-12', intacctItemId: 'W-100', unit: 'Case', warehouseId: 'EAST' },
      { storefrontSku: 'CASE-12', intacctItemId: 'W-100', unit: 'Case', warehouseId: 'EAST' },
      'CASE-12',
    ],
    [
      'customers',
      { storefrontCustomer: '42', intacctCustomerId: 'C-0042' },
      { storefrontCustomer: '42', intacctCustomerId: 'C-0042' },
      '42',
    ],
    [
      'customers',
      { storefrontCustomer: 'Jane.Doe@Example.com', intacctCustomerId: 'C-7' },
      { storefrontCustomer: 'jane.doe@example.com', intacctCustomerId: 'C-7' },
      'jane.doe@example.com',
    ],
    [
      'customers',
      { storefrontCustomer: 'CU-2001', intacctCustomerId: 'C-8' },
      { storefrontCustomer: 'CU-2001', intacctCustomerId: 'C-8' },
      'CU-2001',
    ],
    [
      'paymentMethods',
      { paymentMethod: 'Credit Card', glAccountNo: '1010' },
      { paymentMethod: 'Credit Card', glAccountNo: '1010', undepositedFunds: false },
      'Credit Card',
    ],
    ['paymentMethods', { paymentMethod: 'Cash', undepositedFunds: true }, { paymentMethod: 'Cash', undepositedFunds: true }, 'Cash'],
    [
      'paymentMethods',
      { paymentMethod: 'PayPal', bankAccountId: 'PAYPAL' },
      { paymentMethod: 'PayPal', bankAccountId: 'PAYPAL', undepositedFunds: false },
      'PayPal',
    ],
    ['statuses', { storefrontStatus: '12', action: 'wait' }, { storefrontStatus: '12', action: 'wait' }, '12'],
    ['dimensionRules', { storefrontValue: '2', department: 'WHOLESALE' }, { storefrontValue: '2', department: 'WHOLESALE' }, '2'],
    [
      'dimensionRules',
      { storefrontValue: 'vip', location: 'WEST', project: 'P1', class: 'VIP' },
      { storefrontValue: 'vip', location: 'WEST', project: 'P1', class: 'VIP' },
      'vip',
    ],
    ['adjustmentItems', { kind: 'shipping', intacctItemId: 'SHIP' }, { kind: 'shipping', intacctItemId: 'SHIP' }, 'shipping'],
    [
      'warehouses',
      { storefrontLocationId: '1', intacctWarehouseId: 'MAIN' },
      { storefrontLocationId: '1', intacctWarehouseId: 'MAIN' },
      '1',
    ],
    [
      'shippingMethods',
      { storefrontMethod: 'Free Shipping', intacctShippingMethod: 'Ground' },
      { storefrontMethod: 'Free Shipping', intacctShippingMethod: 'Ground' },
      'Free Shipping',
    ],
    [
      'taxRates',
      { storefrontTax: 'VAT 20%', intacctTaxDetailId: 'DE Sale Standard' },
      { storefrontTax: 'VAT 20%', intacctTaxDetailId: 'DE Sale Standard' },
      'VAT 20%',
    ],
    [
      'adjustmentItems',
      { kind: 'taxRounding', intacctItemId: 'TAX-ROUNDING' },
      { kind: 'taxRounding', intacctItemId: 'TAX-ROUNDING' },
      'taxRounding',
    ],
  ] as const)('%s accepts %j', (table, input, expected, key) => {
    const result = parseRow(table, input);
    expect(result).toStrictEqual({ ok: true, row: expected });
    expect(mappingRowKey(table, result.ok ? result.row : (undefined as never))).toBe(key);
  });
});

describe('mapping row schemas: rows that are refused', () => {
  it.each([
    ['items', { intacctItemId: 'W-100' }, [{ path: 'storefrontSku', message: 'storefrontSku is required' }]],
    [
      'items',
      { storefrontSku: '', intacctItemId: ' ' },
      [
        { path: 'storefrontSku', message: 'storefrontSku must not be empty' },
        { path: 'intacctItemId', message: 'intacctItemId must not be empty' },
      ],
    ],
    ['items', { storefrontSku: 7, intacctItemId: 'W' }, [{ path: 'storefrontSku', message: 'storefrontSku must be text' }]],
    ['items', { storefrontSku: 'A', intacctItemId: 'B', price: '1' }, [{ path: '', message: 'Unrecognized key: "price"' }]],
    [
      'items',
      { storefrontSku: 'x'.repeat(201), intacctItemId: 'B' },
      [{ path: 'storefrontSku', message: 'storefrontSku must be at most 200 characters' }],
    ],
    ['customers', { intacctCustomerId: 'C-1' }, [{ path: 'storefrontCustomer', message: 'storefrontCustomer is required' }]],
    ['taxRates', { storefrontTax: 'VAT 20%' }, [{ path: 'intacctTaxDetailId', message: 'give intacctTaxDetailId, intacctItemId or both' }]],
    [
      'paymentMethods',
      { paymentMethod: 'Card' },
      [{ path: 'glAccountNo', message: 'name a glAccountNo or a bankAccountId, or set undepositedFunds to true' }],
    ],
    [
      'paymentMethods',
      { paymentMethod: 'Card', undepositedFunds: true, bankAccountId: 'BOA' },
      [{ path: 'bankAccountId', message: 'a payment goes to undeposited funds or to a bank account, not both' }],
    ],
    [
      'paymentMethods',
      { paymentMethod: 'Card', undepositedFunds: 'yes' },
      [{ path: 'undepositedFunds', message: 'undepositedFunds must be true or false' }],
    ],
    [
      'statuses',
      { storefrontStatus: '11', action: 'post' },
      [{ path: 'action', message: 'action must be one of sync, wait, cancel, ignore' }],
    ],
    [
      'dimensionRules',
      { storefrontValue: '2' },
      [{ path: 'department', message: 'give at least one of department, location, project, class' }],
    ],
    [
      'adjustmentItems',
      { kind: 'fee', intacctItemId: 'FEE' },
      [{ path: 'kind', message: 'kind must be one of shipping, discount, tax, handling, giftWrapping, taxRounding' }],
    ],
    ['warehouses', { storefrontLocationId: '1' }, [{ path: 'intacctWarehouseId', message: 'intacctWarehouseId is required' }]],
  ] as const)('%s refuses %j', (table, input, errors) => {
    expect(parseRow(table, input)).toStrictEqual({ ok: false, errors });
  });
});
