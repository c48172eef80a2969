import { describe, expect, it } from 'vitest';
import type { ItemMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { inventorySkuMapping, storefrontSkusForItem, type InventorySettings } from './inventory-availability.js';
import {
  intacctItemForSku,
  skuAvailability,
  skuSyncReports,
  type SkuSyncReportInput,
  type SkuSyncReportLine,
} from './inventory-sku-sync.js';

type ItemMatching = TenantSettings['orderSync']['itemMatching'];
const byItemId: ItemMatching = { storefrontField: 'sku', intacctField: 'ITEMID' };
const byUpc: ItemMatching = { storefrontField: 'sku', intacctField: 'UPC' };
const row = (storefrontSku: string, intacctItemId: string): ItemMappingRow => ({ storefrontSku, intacctItemId });

describe('intacctItemForSku', () => {
  it.each<[string, string, ItemMappingRow[], ItemMatching, string | undefined]>([
    ['when the items table maps the SKU, then its row names the item', 'CAP-NVY-OS', [row('CAP-NVY-OS', 'WIDGET-1')], byItemId, 'WIDGET-1'],
    [
      'when the table maps the SKU and items are not matched by id, then the row still names the item',
      'CAP-NVY-OS',
      [row('CAP-NVY-OS', 'WIDGET-1')],
      byUpc,
      'WIDGET-1',
    ],
    ['when no row names the SKU and items match by ITEMID, then the SKU is the item id', 'TSHIRT-BLK-S', [], byItemId, 'TSHIRT-BLK-S'],
    ['when no row names the SKU and items match on another field, then it is unmapped', 'TSHIRT-BLK-S', [], byUpc, undefined],
    [
      'when the item of the same id is mapped to another SKU, then this SKU gets nothing from it',
      'CAP-NVY-OS',
      [row('CAP-RED-OS', 'CAP-NVY-OS')],
      byItemId,
      undefined,
    ],
    ['when the SKU maps to itself by a row, then the row wins', 'MUG', [row('MUG', 'MUG'), row('MUG-2', 'MUG')], byItemId, 'MUG'],
  ])('%s', (_name, sku, rows, matching, expected) => {
    expect(intacctItemForSku(sku, rows, matching)).toBe(expected);
  });

  it('when a reconciliation maps items to SKUs, then every SKU maps back to the item that feeds it', () => {
    const rows = [row('CAP-NVY-OS', 'WIDGET-1'), row('CAP-RED-OS', 'WIDGET-1'), row('TEE', 'SHIRT')];
    const mapping = inventorySkuMapping(rows);
    for (const itemId of ['WIDGET-1', 'SHIRT', 'CAP-NVY-OS', 'MUG', 'TEE']) {
      for (const sku of storefrontSkusForItem(itemId, mapping, byItemId)) {
        const relevant = rows.filter((candidate) => candidate.storefrontSku === sku || candidate.intacctItemId === sku);
        expect(intacctItemForSku(sku, relevant, byItemId), `${itemId} → ${sku}`).toBe(itemId);
      }
    }
  });
});

describe('skuAvailability', () => {
  const settings: Pick<InventorySettings, 'availability' | 'warehouseIds' | 'safetyStock'> = {
    availability: 'onHandMinusCommitted',
    warehouseIds: [],
    safetyStock: 2,
  };

  it('when SKUs share an item or have none in Intacct, then each gets its item’s availability or is reported missing', () => {
    const itemBySku = new Map([
      ['CAP-NVY-OS', 'WIDGET-1'],
      ['CAP-RED-OS', 'WIDGET-1'],
      ['TSHIRT-BLK-S', 'TSHIRT-BLK-S'],
      ['GONE', 'GONE'],
    ]);
    const rows = [
      { itemId: 'WIDGET-1', warehouseId: 'WH01', onHand: '10', onHold: '3' },
      { itemId: 'WIDGET-1', warehouseId: 'WH02', onHand: '5', onHold: '0' },
      { itemId: 'TSHIRT-BLK-S', warehouseId: 'WH01', onHand: '1', onHold: '0' },
    ];
    expect(skuAvailability(itemBySku, rows, settings, new Map())).toEqual({
      levels: [
        { sku: 'CAP-NVY-OS', available: 10, intacctItemId: 'WIDGET-1' },
        { sku: 'CAP-RED-OS', available: 10, intacctItemId: 'WIDGET-1' },
        { sku: 'TSHIRT-BLK-S', available: 0, intacctItemId: 'TSHIRT-BLK-S' },
      ],
      notInIntacct: [{ sku: 'GONE', intacctItemId: 'GONE' }],
    });
  });

  it('when there are no SKUs, then there is nothing', () => {
    expect(skuAvailability(new Map(), [], settings, new Map())).toEqual({ levels: [], notInIntacct: [] });
  });

  it.each<[string, Map<string, string[]>, Array<{ sku: string; available: number; intacctItemId: string; locationId?: string }>]>([
    [
      'when the warehouses table maps a storefront location to each warehouse, then each location gets its own warehouse’s stock',
      new Map([
        ['1', ['WH01']],
        ['2', ['WH02']],
      ]),
      [
        { sku: 'CAP-NVY-OS', available: 5, intacctItemId: 'WIDGET-1', locationId: '1' },
        { sku: 'CAP-NVY-OS', available: 3, intacctItemId: 'WIDGET-1', locationId: '2' },
      ],
    ],
    [
      'when one location sells two warehouses’ stock, then its level is over both, in the table’s order of locations',
      new Map([
        ['2', ['WH02']],
        ['1', ['WH01', 'WH02']],
      ]),
      [
        { sku: 'CAP-NVY-OS', available: 3, intacctItemId: 'WIDGET-1', locationId: '2' },
        { sku: 'CAP-NVY-OS', available: 10, intacctItemId: 'WIDGET-1', locationId: '1' },
      ],
    ],
    [
      'when a mapped location’s warehouse holds none of the item, then that location gets 0, not its neighbour’s stock',
      new Map([
        ['1', ['WH01']],
        ['3', ['WH03']],
      ]),
      [
        { sku: 'CAP-NVY-OS', available: 5, intacctItemId: 'WIDGET-1', locationId: '1' },
        { sku: 'CAP-NVY-OS', available: 0, intacctItemId: 'WIDGET-1', locationId: '3' },
      ],
    ],
    [
      'when the table is empty, then one level over every counted warehouse at the default location',
      new Map(),
      [{ sku: 'CAP-NVY-OS', available: 10, intacctItemId: 'WIDGET-1' }],
    ],
  ])('%s', (_name, locations, levels) => {
    // Safety stock 2 applies at each location; on hold counts against its own warehouse.
    const rows = [
      { itemId: 'WIDGET-1', warehouseId: 'WH01', onHand: '8', onHold: '1' },
      { itemId: 'WIDGET-1', warehouseId: 'WH02', onHand: '5', onHold: '0' },
    ];
    expect(skuAvailability(new Map([['CAP-NVY-OS', 'WIDGET-1']]), rows, settings, locations)).toEqual({ levels, notInIntacct: [] });
  });
});

describe('skuSyncReports', () => {
  const none: SkuSyncReportInput = {
    skus: [],
    stock: { levels: [], filtered: [], unmapped: [], notInIntacct: [] },
    current: [],
    changes: [],
    failed: [],
  };

  it.each<[string, Partial<SkuSyncReportInput>, SkuSyncReportLine[]]>([
    [
      'when the level differed and was written, then it is pushed with before and after',
      {
        skus: ['A'],
        stock: { ...none.stock, levels: [{ sku: 'A', available: 9, intacctItemId: 'I-A' }] },
        current: [{ sku: 'A', onHand: 4 }],
        changes: [{ sku: 'A', from: 4, to: 9 }],
      },
      [{ sku: 'A', outcome: 'pushed', intacctItemId: 'I-A', from: 4, to: 9 }],
    ],
    [
      'when the level already matched, then it is unchanged',
      {
        skus: ['A'],
        stock: { ...none.stock, levels: [{ sku: 'A', available: 9, intacctItemId: 'I-A' }] },
        current: [{ sku: 'A', onHand: 9 }],
      },
      [{ sku: 'A', outcome: 'unchanged', intacctItemId: 'I-A', from: 9, to: 9 }],
    ],
    [
      'when the storefront refused the write, then it failed with the reason',
      {
        skus: ['A'],
        stock: { ...none.stock, levels: [{ sku: 'A', available: 9, intacctItemId: 'I-A' }] },
        current: [{ sku: 'A', onHand: 4 }],
        changes: [{ sku: 'A', from: 4, to: 9 }],
        failed: [{ sku: 'A', reason: 'locked' }],
      },
      [{ sku: 'A', outcome: 'failed', intacctItemId: 'I-A', from: 4, to: 9, reason: 'locked' }],
    ],
    [
      'when the storefront does not track the SKU, then it is not in the storefront, with the level it would get',
      { skus: ['A'], stock: { ...none.stock, levels: [{ sku: 'A', available: 9, intacctItemId: 'I-A' }] } },
      [{ sku: 'A', outcome: 'notInStorefront', intacctItemId: 'I-A', to: 9 }],
    ],
    [
      'when the warehouses table maps two locations, then each location is reported with its own before and after',
      {
        skus: ['A'],
        stock: {
          ...none.stock,
          levels: [
            { sku: 'A', available: 9, intacctItemId: 'I-A', locationId: '1' },
            { sku: 'A', available: 2, intacctItemId: 'I-A', locationId: '2' },
            { sku: 'A', available: 7, intacctItemId: 'I-A', locationId: '3' },
          ],
        },
        current: [
          { sku: 'A', locationId: '1', onHand: 4 },
          { sku: 'A', locationId: '2', onHand: 2 },
        ],
        changes: [{ sku: 'A', locationId: '1', from: 4, to: 9 }],
      },
      [
        { sku: 'A', locationId: '1', outcome: 'pushed', intacctItemId: 'I-A', from: 4, to: 9 },
        { sku: 'A', locationId: '2', outcome: 'unchanged', intacctItemId: 'I-A', from: 2, to: 2 },
        { sku: 'A', locationId: '3', outcome: 'notInStorefront', intacctItemId: 'I-A', to: 7 },
      ],
    ],
    [
      'when a write of a SKU at two locations is refused, then both locations failed',
      {
        skus: ['A'],
        stock: {
          ...none.stock,
          levels: [
            { sku: 'A', available: 9, intacctItemId: 'I-A', locationId: '1' },
            { sku: 'A', available: 1, intacctItemId: 'I-A', locationId: '2' },
          ],
        },
        current: [
          { sku: 'A', locationId: '1', onHand: 4 },
          { sku: 'A', locationId: '2', onHand: 3 },
        ],
        changes: [
          { sku: 'A', locationId: '1', from: 4, to: 9 },
          { sku: 'A', locationId: '2', from: 3, to: 1 },
        ],
        failed: [{ sku: 'A', reason: 'locked' }],
      },
      [
        { sku: 'A', locationId: '1', outcome: 'failed', intacctItemId: 'I-A', from: 4, to: 9, reason: 'locked' },
        { sku: 'A', locationId: '2', outcome: 'failed', intacctItemId: 'I-A', from: 3, to: 1, reason: 'locked' },
      ],
    ],
    [
      'when SKUs were left out for a reason, then each says which, in the target’s order',
      {
        skus: ['F', 'U', 'N', 'X'],
        stock: { levels: [], filtered: ['F'], unmapped: ['U'], notInIntacct: [{ sku: 'N', intacctItemId: 'I-N' }] },
      },
      [
        { sku: 'F', outcome: 'filtered' },
        { sku: 'U', outcome: 'unmapped' },
        { sku: 'N', outcome: 'notInIntacct', intacctItemId: 'I-N' },
        { sku: 'X', outcome: 'unmapped' },
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(skuSyncReports({ ...none, ...input })).toEqual(expected);
  });
});
