import { describe, expect, it } from 'vitest';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  availableQuantity,
  desiredLevels,
  warehousesByLocation,
  batchesOf,
  diffInventoryLevels,
  inventorySkuMapping,
  isSkuSynced,
  largestDrifts,
  maxInventoryBatchSize,
  storefrontSkusForItem,
  type InventorySettings,
  type WarehouseQuantities,
} from './inventory-availability.js';

type AvailabilitySettings = Pick<InventorySettings, 'availability' | 'warehouseIds' | 'safetyStock'>;
const onHand: AvailabilitySettings = { availability: 'onHand', warehouseIds: [], safetyStock: 0 };
const minusCommitted: AvailabilitySettings = { ...onHand, availability: 'onHandMinusCommitted' };
const wh = (warehouseId: string, hand: string, hold = '0'): WarehouseQuantities => ({ warehouseId, onHand: hand, onHold: hold });

describe('availableQuantity', () => {
  it.each<[string, WarehouseQuantities[], AvailabilitySettings, number]>([
    ['when no warehouse is chosen, then every warehouse counts', [wh('WH01', '120'), wh('WH02', '40')], onHand, 160],
    ['when warehouses are chosen, then only they count', [wh('WH01', '120'), wh('WH02', '40')], { ...onHand, warehouseIds: ['WH02'] }, 40],
    ['when a chosen warehouse has no row, then the item has nothing there', [wh('WH01', '120')], { ...onHand, warehouseIds: ['WH02'] }, 0],
    ['when the mode is on hand, then held stock still counts', [wh('WH01', '10', '4')], onHand, 10],
    [
      'when the mode is on hand minus committed, then held stock is taken off',
      [wh('WH01', '10', '4'), wh('WH02', '5', '1')],
      minusCommitted,
      10,
    ],
    ['when one warehouse is over-committed, then another covers it', [wh('WH01', '2', '5'), wh('WH02', '10')], minusCommitted, 7],
    ['when safety stock is set, then it is held back', [wh('WH01', '10')], { ...onHand, safetyStock: 3 }, 7],
    ['when safety stock exceeds the stock, then the level is 0, never negative', [wh('WH01', '2')], { ...onHand, safetyStock: 5 }, 0],
    ['when more is committed than on hand, then the level is 0', [wh('WH01', '3', '8')], minusCommitted, 0],
    ['when quantities are fractional, then whole units are sold', [wh('WH01', '10.75'), wh('WH02', '0.5')], onHand, 11],
    [
      'when decimals sum to a whole number, then no unit is lost to rounding',
      [wh('WH01', '0.1'), wh('WH02', '0.2'), wh('WH03', '0.7')],
      onHand,
      1,
    ],
    ['when a quantity is blank or not a number, then it counts as 0', [wh('WH01', ''), wh('WH02', 'n/a'), wh('WH03', '4')], onHand, 4],
    ['when the item has no stock rows, then the level is 0', [], onHand, 0],
  ])('%s', (_name, rows, settings, expected) => {
    expect(availableQuantity(rows, settings)).toBe(expected);
  });
});

describe('storefrontSkusForItem', () => {
  type Matching = TenantSettings['orderSync']['itemMatching'];
  const byItemId: Matching = { storefrontField: 'sku', intacctField: 'ITEMID' };
  const mapping = inventorySkuMapping([
    { storefrontSku: 'TEE-S', intacctItemId: 'TSHIRT-S' },
    { storefrontSku: 'TEE-SMALL', intacctItemId: 'TSHIRT-S' },
    { storefrontSku: 'MUG-CER-12OZ', intacctItemId: 'MUG-12' },
  ]);
  it.each<[string, string, Matching, string[]]>([
    ['when the table maps the item, then its storefront SKUs are used, sorted', 'TSHIRT-S', byItemId, ['TEE-S', 'TEE-SMALL']],
    ['when the table does not list the item, then its id is the SKU', 'WIDGET-1', byItemId, ['WIDGET-1']],
    ['when the item id is a SKU the table gives to another item, then the item is unmapped', 'MUG-CER-12OZ', byItemId, []],
    [
      'when items match by another field, then an unlisted item is unmapped',
      'WIDGET-1',
      { storefrontField: 'sku', intacctField: 'UPC' },
      [],
    ],
    [
      'when the storefront matches by product id, then an unlisted item is unmapped',
      'WIDGET-1',
      { storefrontField: 'productId', intacctField: 'ITEMID' },
      [],
    ],
    [
      'when items match by another field, then the table still maps',
      'MUG-12',
      { storefrontField: 'sku', intacctField: 'UPC' },
      ['MUG-CER-12OZ'],
    ],
  ])('%s', (_name, itemId, matching, expected) => {
    expect(storefrontSkusForItem(itemId, mapping, matching)).toEqual(expected);
  });
});

describe('isSkuSynced', () => {
  it.each<[string, string, InventorySettings['skus'], boolean]>([
    ['when every SKU syncs, then any SKU passes', 'ANY', { mode: 'all' }, true],
    ['when a list is set, then a listed SKU passes', 'MUG-1', { mode: 'list', skus: ['MUG-1', 'CAP-1'] }, true],
    ['when a list is set, then an unlisted SKU is filtered out', 'TEE-1', { mode: 'list', skus: ['MUG-1'] }, false],
    ['when a list is set, then SKUs compare exactly (case matters)', 'mug-1', { mode: 'list', skus: ['MUG-1'] }, false],
  ])('%s', (_name, sku, filter, expected) => {
    expect(isSkuSynced(sku, filter)).toBe(expected);
  });
});

describe('diffInventoryLevels', () => {
  it.each([
    [
      'when levels are equal, then nothing changes',
      [{ sku: 'A', available: 5 }],
      [{ sku: 'A', onHand: 5 }],
      { changes: [], unchanged: 1, notInStorefront: [] },
    ],
    [
      'when levels differ, then the absolute change carries the storefront ids',
      [{ sku: 'A', available: 7 }],
      [{ sku: 'A', onHand: 5, productId: '11', variantId: '21' }],
      { changes: [{ sku: 'A', from: 5, to: 7, productId: '11', variantId: '21' }], unchanged: 0, notInStorefront: [] },
    ],
    [
      'when the storefront lacks a SKU, then it is reported, not pushed',
      [{ sku: 'B', available: 3 }],
      [{ sku: 'A', onHand: 3 }],
      { changes: [], unchanged: 0, notInStorefront: ['B'] },
    ],
    [
      'when several differ, then changes keep the desired order',
      [
        { sku: 'C', available: 0 },
        { sku: 'A', available: 1 },
        { sku: 'B', available: 2 },
      ],
      [
        { sku: 'A', onHand: 1 },
        { sku: 'B', onHand: 9 },
        { sku: 'C', onHand: 4 },
      ],
      {
        changes: [
          { sku: 'C', from: 4, to: 0 },
          { sku: 'B', from: 9, to: 2 },
        ],
        unchanged: 1,
        notInStorefront: [],
      },
    ],
  ])('%s', (_name, desired, current, expected) => {
    expect(diffInventoryLevels(desired, current)).toEqual(expected);
  });
});

describe('batchesOf', () => {
  const items = (count: number) => Array.from({ length: count }, (_, index) => index);
  it.each<[string, number, number, number[]]>([
    ['when nothing changed, then there is no batch', 0, 2000, []],
    ['when there is exactly one BigCommerce batch, then it is sent whole', 2000, maxInventoryBatchSize.bigcommerce, [2000]],
    ['when one item more than a BigCommerce batch, then a second batch takes it', 2001, maxInventoryBatchSize.bigcommerce, [2000, 1]],
    ['when Clarity is the storefront, then batches follow its 500-item contract', 1201, maxInventoryBatchSize.clarity, [500, 500, 201]],
  ])('%s', (_name, count, size, sizes) => {
    const batches = batchesOf(items(count), size);
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items(count));
  });

  it('when the batch size is not a positive whole number, then it is refused', () => {
    expect(() => batchesOf([1], 0)).toThrow(RangeError);
  });
});

describe('largestDrifts', () => {
  it.each([
    [
      'when more drifts than the limit, then the largest are kept',
      [{ sku: 'A', from: 0, to: 1 }],
      [
        { sku: 'B', from: 10, to: 0 },
        { sku: 'C', from: 0, to: 5 },
      ],
      2,
      [
        { sku: 'B', from: 10, to: 0 },
        { sku: 'C', from: 0, to: 5 },
      ],
    ],
    [
      'when drifts are equal, then SKU order decides',
      [{ sku: 'B', from: 0, to: 3 }],
      [{ sku: 'A', from: 3, to: 0 }],
      5,
      [
        { sku: 'A', from: 3, to: 0 },
        { sku: 'B', from: 0, to: 3 },
      ],
    ],
    [
      'when extra fields come with a change, then the drift keeps only sku, from and to',
      [],
      [{ sku: 'A', from: 1, to: 2, productId: '7' }],
      5,
      [{ sku: 'A', from: 1, to: 2 }],
    ],
  ])('%s', (_name, kept, more, limit, expected) => {
    expect(largestDrifts(kept, more, limit)).toEqual(expected);
  });
});

describe('desiredLevels and diffInventoryLevels by storefront location (the warehouses table)', () => {
  const stock = [
    { warehouseId: 'WH01', onHand: '40', onHold: '5' },
    { warehouseId: 'WH02', onHand: '10', onHold: '0' },
    { warehouseId: 'WH03', onHand: '7', onHold: '0' },
  ];
  const settings = { availability: 'onHand' as const, warehouseIds: [] as string[], safetyStock: 0 };

  it.each([
    ['no rows: one level per SKU over every counted warehouse', [], [{ sku: 'A', available: 57 }]],
    [
      'one location per warehouse',
      [
        { storefrontLocationId: '1', intacctWarehouseId: 'WH01' },
        { storefrontLocationId: '2', intacctWarehouseId: 'WH02' },
      ],
      [
        { sku: 'A', available: 40, locationId: '1' },
        { sku: 'A', available: 10, locationId: '2' },
      ],
    ],
    [
      'two warehouses selling through one location',
      [
        { storefrontLocationId: 'MAIN', intacctWarehouseId: 'WH01' },
        { storefrontLocationId: 'MAIN', intacctWarehouseId: 'WH03' },
      ],
      [{ sku: 'A', available: 47, locationId: 'MAIN' }],
    ],
    [
      'a mapped warehouse without a stock row',
      [{ storefrontLocationId: '9', intacctWarehouseId: 'WH09' }],
      [{ sku: 'A', available: 0, locationId: '9' }],
    ],
  ])('when the table has %s, then the levels are as expected', (_case, rows, expected) => {
    expect(desiredLevels(['A'], stock, settings, warehousesByLocation(rows))).toEqual(expected);
  });

  it('when counted warehouses are limited, then a location sells only its counted warehouses', () => {
    const locations = warehousesByLocation([
      { storefrontLocationId: 'MAIN', intacctWarehouseId: 'WH01' },
      { storefrontLocationId: 'MAIN', intacctWarehouseId: 'WH03' },
    ]);
    expect(desiredLevels(['A'], stock, { ...settings, warehouseIds: ['WH01'] }, locations)).toEqual([
      { sku: 'A', available: 40, locationId: 'MAIN' },
    ]);
  });

  it('when a SKU is at two locations, then each location is compared with its own level', () => {
    const diff = diffInventoryLevels(
      [
        { sku: 'A', available: 40, locationId: '1' },
        { sku: 'A', available: 10, locationId: '2' },
        { sku: 'A', available: 3, locationId: '3' },
      ],
      [
        { sku: 'A', locationId: '1', onHand: 40, productId: '7' },
        { sku: 'A', locationId: '2', onHand: 12, productId: '7' },
      ],
    );
    expect(diff).toEqual({
      changes: [{ sku: 'A', locationId: '2', from: 12, to: 10, productId: '7' }],
      unchanged: 1,
      notInStorefront: ['A'],
    });
  });
});
