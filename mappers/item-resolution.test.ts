import { describe, expect, it } from 'vitest';
import type { ItemResolution } from '../workflows/order-to-cash-contract.js';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type { CanonicalOrderLine } from './canonical-order.js';
import {
  matchIntacctItems,
  resolveOrderItems,
  storefrontItemKey,
  type IntacctItemCandidate,
  type IntacctItemMatch,
  type OrderItemsInput,
  type StorefrontItemField,
} from './item-resolution.js';

const line = (lineId: string, sku: string, productId?: string, extra: Partial<CanonicalOrderLine> = {}): CanonicalOrderLine => ({
  lineId,
  sku,
  ...(productId !== undefined && { productId }),
  ...extra,
  name: sku,
  quantity: 1,
  unitPrice: 100,
  lineTotal: 100,
  lineDiscount: 0,
  tax: 0,
});

describe('storefrontItemKey', () => {
  it.each<{ case: string; field: StorefrontItemField; line: CanonicalOrderLine; expected: string | undefined }>([
    { case: 'matching by SKU', field: 'sku', line: line('a', ' TSHIRT-BLK-M '), expected: 'TSHIRT-BLK-M' },
    { case: 'matching by product id', field: 'productId', line: line('a', 'TSHIRT-BLK-M', '77'), expected: '77' },
    { case: 'matching by product id on a line without one', field: 'productId', line: line('a', 'TSHIRT-BLK-M'), expected: undefined },
    { case: 'matching by UPC on a line without one', field: 'upc', line: line('a', 'TSHIRT-BLK-M', '77'), expected: undefined },
    { case: 'matching by UPC', field: 'upc', line: line('a', 'TSHIRT-BLK-M', '77', { upc: ' 0012345678905 ' }), expected: '0012345678905' },
    { case: 'matching by SKU on a line with a blank SKU', field: 'sku', line: line('a', '  '), expected: undefined },
  ])('when $case, then the key is $expected', ({ field, line: orderLine, expected }) => {
    expect(storefrontItemKey(orderLine, field)).toBe(expected);
  });
});

describe('matchIntacctItems', () => {
  const candidate = (matchedValue: string, itemId: string, status = 'active'): IntacctItemCandidate => ({ matchedValue, itemId, status });
  it.each<{ case: string; keys: string[]; candidates: IntacctItemCandidate[]; matches: Record<string, string>; ambiguous: string[] }>([
    {
      case: 'each key has one active item',
      keys: ['A', 'B'],
      candidates: [candidate('A', 'A'), candidate('B', 'B')],
      matches: { A: 'A', B: 'B' },
      ambiguous: [],
    },
    {
      case: 'an item is inactive',
      keys: ['A', 'P'],
      candidates: [candidate('A', 'A'), candidate('P', 'P', 'inactive')],
      matches: { A: 'A' },
      ambiguous: [],
    },
    {
      case: 'Intacct answers in another case',
      keys: ['tshirt-blk-m'],
      candidates: [candidate('TSHIRT-BLK-M', 'TSHIRT-BLK-M')],
      matches: { 'tshirt-blk-m': 'TSHIRT-BLK-M' },
      ambiguous: [],
    },
    {
      case: 'an exact match and a case-insensitive one',
      keys: ['Ab'],
      candidates: [candidate('AB', 'X'), candidate('Ab', 'Y')],
      matches: { Ab: 'Y' },
      ambiguous: [],
    },
    {
      case: 'two active items share the value',
      keys: ['012345'],
      candidates: [candidate('012345', 'X'), candidate('012345', 'Y'), candidate('012345', 'Z', 'inactive')],
      matches: {},
      ambiguous: ['012345'],
    },
    {
      case: 'one active and one inactive item share the value',
      keys: ['012345'],
      candidates: [candidate('012345', 'X'), candidate('012345', 'Z', 'inactive')],
      matches: { '012345': 'X' },
      ambiguous: [],
    },
    { case: 'a key Intacct does not know', keys: ['NOPE'], candidates: [], matches: {}, ambiguous: [] },
  ])('when $case, then the matches and ambiguous keys are exact', ({ keys, candidates, matches, ambiguous }) => {
    const found = matchIntacctItems(keys, candidates);
    expect(Object.fromEntries([...found.matches].map(([key, match]) => [key, match.itemId]))).toEqual(matches);
    expect(found.ambiguous).toEqual(ambiguous);
  });
});

describe('resolveOrderItems', () => {
  const bySku = { storefrontField: 'sku', intacctField: 'ITEMID' } as const;
  const rows = new Map<string, ItemMappingRow>([
    ['SHOP-TEE', { storefrontSku: 'SHOP-TEE', intacctItemId: 'TSHIRT-BLK-M', unit: 'Each', warehouseId: 'WH02' }],
    ['SHOP-MUG', { storefrontSku: 'SHOP-MUG', intacctItemId: 'MUG-CER-12OZ' }],
  ]);
  const matched = new Map<string, IntacctItemMatch>([
    ['CAP-NVY-OS', { itemId: 'CAP-NVY-OS' }],
    ['SHOP-TEE', { itemId: 'SOMETHING-ELSE' }],
  ]);
  const base: OrderItemsInput = { lines: [], itemMatching: bySku, mappedRows: rows, intacctMatches: matched, defaultWarehouseId: 'WH01' };

  it.each<{ case: string; input: Partial<OrderItemsInput>; expected: ItemResolution }>([
    {
      case: 'lines are mapped and matched',
      input: { lines: [line('1', 'SHOP-TEE'), line('2', 'SHOP-MUG'), line('3', 'CAP-NVY-OS')] },
      expected: {
        resolved: true,
        items: {
          '1': { itemId: 'TSHIRT-BLK-M', unit: 'Each', warehouseId: 'WH02' },
          '2': { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01' },
          '3': { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' },
        },
      },
    },
    {
      case: 'the tenant has no default warehouse',
      input: { lines: [line('2', 'SHOP-MUG'), line('3', 'CAP-NVY-OS')], defaultWarehouseId: undefined },
      expected: { resolved: true, items: { '2': { itemId: 'MUG-CER-12OZ' }, '3': { itemId: 'CAP-NVY-OS' } } },
    },
    {
      case: 'two lines share a SKU',
      input: { lines: [line('1', 'CAP-NVY-OS'), line('2', 'CAP-NVY-OS')] },
      expected: {
        resolved: true,
        items: { '1': { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' }, '2': { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' } },
      },
    },
    {
      case: 'lines are matched by product id',
      input: { lines: [line('1', 'whatever', 'CAP-NVY-OS')], itemMatching: { storefrontField: 'productId', intacctField: 'ITEMID' } },
      expected: { resolved: true, items: { '1': { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' } } },
    },
    {
      case: 'lines are matched by their variant UPC',
      input: {
        lines: [line('1', 'TEE-BLUE-M', '77', { upc: '0012345678905' })],
        itemMatching: { storefrontField: 'upc', intacctField: 'UPC' },
        intacctMatches: new Map([['0012345678905', { itemId: 'TSHIRT-BLU-M' }]]),
      },
      expected: { resolved: true, items: { '1': { itemId: 'TSHIRT-BLU-M', warehouseId: 'WH01' } } },
    },
    {
      case: 'lines ship from storefront locations in the warehouses table',
      input: {
        lines: [
          line('1', 'CAP-NVY-OS', undefined, { locationId: '2' }),
          line('2', 'CAP-NVY-OS', undefined, { locationId: '9' }),
          line('3', 'SHOP-TEE', undefined, { locationId: '2' }),
        ],
        warehouses: new Map([['2', 'WH-EAST']]),
      },
      expected: {
        resolved: true,
        items: {
          // A mapped location wins over the default; an unmapped one falls back to it; the item row's own warehouse wins over both.
          '1': { itemId: 'CAP-NVY-OS', warehouseId: 'WH-EAST' },
          '2': { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' },
          '3': { itemId: 'TSHIRT-BLK-M', unit: 'Each', warehouseId: 'WH02' },
        },
      },
    },
    {
      case: 'some SKUs are unknown (listed once, sorted)',
      input: { lines: [line('1', 'ZED-1'), line('2', 'CAP-NVY-OS'), line('3', 'ALPHA-9'), line('4', 'ZED-1')] },
      expected: {
        resolved: false,
        missingSkus: ['ALPHA-9', 'ZED-1'],
        attention: {
          code: 'unknown_sku',
          reason:
            'no Intacct item for SKUs ALPHA-9, ZED-1: the item mapping table has no row for them and Intacct has no single active item whose ITEMID matches',
          fix: 'add the SKUs to the item mapping table (or create the items in Intacct), then retry the order',
          details: { missingSkus: ['ALPHA-9', 'ZED-1'] },
        },
      },
    },
    {
      case: 'an unknown SKU matched several active items',
      input: { lines: [line('1', '012345')], itemMatching: { storefrontField: 'sku', intacctField: 'UPC' }, ambiguous: ['012345'] },
      expected: {
        resolved: false,
        missingSkus: ['012345'],
        attention: {
          code: 'unknown_sku',
          reason:
            'no Intacct item for SKU 012345: the item mapping table has no row for it and Intacct has no single active item whose UPC matches (several active items match 012345)',
          fix: 'add the SKUs to the item mapping table (or create the items in Intacct), then retry the order',
          details: { missingSkus: ['012345'], ambiguous: ['012345'] },
        },
      },
    },
    {
      case: 'items are matched by UPC, which these variants have none of',
      input: { lines: [line('1', 'CAP-NVY-OS'), line('2', 'SHOP-MUG')], itemMatching: { storefrontField: 'upc', intacctField: 'UPC' } },
      expected: {
        resolved: false,
        missingSkus: ['CAP-NVY-OS', 'SHOP-MUG'],
        attention: {
          code: 'item_field_unavailable',
          reason:
            "items are matched by the storefront's UPC (orderSync.itemMatching.storefrontField), which these lines do not have: CAP-NVY-OS, SHOP-MUG",
          fix: 'match items by a field the order lines carry (set orderSync.itemMatching.storefrontField to sku or productId) or give every variant a UPC/GTIN in the storefront, then retry the order',
          details: { missingSkus: ['CAP-NVY-OS', 'SHOP-MUG'], storefrontField: 'upc', linesWithoutKey: ['CAP-NVY-OS', 'SHOP-MUG'] },
        },
      },
    },
    {
      case: 'a line has no product id and another is unknown',
      input: {
        lines: [line('1', 'TEE'), line('2', 'MUG', 'NOPE')],
        itemMatching: { storefrontField: 'productId', intacctField: 'ITEMID' },
      },
      expected: {
        resolved: false,
        missingSkus: ['NOPE', 'TEE'],
        attention: {
          code: 'item_field_unavailable',
          reason:
            "items are matched by the storefront's product id (orderSync.itemMatching.storefrontField), which these lines do not have: TEE",
          fix: 'match items by a field the order lines carry (set orderSync.itemMatching.storefrontField to sku), then retry the order',
          details: { missingSkus: ['NOPE', 'TEE'], storefrontField: 'productId', linesWithoutKey: ['TEE'], unknownKeys: ['NOPE'] },
        },
      },
    },
  ])('when $case, then the resolution is exact', ({ input, expected }) => {
    expect(resolveOrderItems({ ...base, ...input })).toEqual(expected);
  });

  it('when the mapping table has a row for a SKU Intacct also matched, then the row wins', () => {
    expect(resolveOrderItems({ ...base, lines: [line('1', 'SHOP-TEE')] })).toMatchObject({
      resolved: true,
      items: { '1': { itemId: 'TSHIRT-BLK-M' } },
    });
  });
});
