import { describe, expect, it } from 'vitest';
import { parseTenantSettings, type CatalogSettings, type ItemFieldDirections } from '../store/schemas/settings.js';
import {
  clarityProductFields,
  customerFieldFlow,
  itemDirectionsWithin,
  itemFieldFlow,
  writesClarityProducts,
  type CustomerFieldChanges,
  type FieldFlow,
  type StorefrontItemField,
} from './catalog-field-directions.js';
import {
  formatIntacctTimestamp,
  fromStorefrontPrice,
  intacctItemStamp,
  intacctTimestampMs,
  laterIntacctTimestamp,
  nextCatalogWatermark,
  toIntacctItemFromStorefront,
  toStorefrontCatalogChange,
  toStorefrontPrice,
  type CatalogItemDecision,
  type IntacctCatalogItem,
  type IntacctItemToCreate,
  type NewStorefrontSku,
  type StorefrontCatalogEntry,
} from './catalog-item-sync.js';

const defaults: CatalogSettings = (() => {
  const parsed = parseTenantSettings({
    connection: {
      storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
      intacct: { companyId: 'DEMO-CO' },
    },
    orderSync: { triggerStatuses: ['11'] },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings.catalog;
})();
const intacctOwns = defaults.items.fields;

const item = (overrides: Partial<IntacctCatalogItem> = {}): IntacctCatalogItem => ({
  itemId: 'MUG-CER-12OZ',
  name: 'Ceramic Mug, 12 oz',
  status: 'active',
  basePrice: '14.5',
  standardCost: '5.2',
  modifiedAt: '12/07/2026 00:10:00',
  ...overrides,
});
const product: StorefrontCatalogEntry = {
  kind: 'product',
  sku: 'MUG-CER-12OZ',
  productId: '115',
  name: 'Ceramic Mug, 12 oz',
  priceMinor: 1450,
  costMinor: 520,
  visible: true,
};
const variant: StorefrontCatalogEntry = {
  kind: 'variant',
  sku: 'TSHIRT-BLK-M',
  productId: '111',
  variantId: '202',
  priceMinor: 2400,
  costMinor: 950,
  purchasable: true,
};
/** A Clarity product: every SKU is a product, with no cost, keyed by its last change. */
const clarityProduct: StorefrontCatalogEntry = {
  kind: 'product',
  sku: 'MUG-CER-12OZ',
  productId: 'P-115',
  name: 'Ceramic Mug, 12 oz',
  priceMinor: 1450,
  costMinor: undefined,
  visible: true,
  version: '2026-12-07T09:00:00.000Z',
};
const clarityHolds: StorefrontItemField[] = [...clarityProductFields];
const variantItem = item({ itemId: 'TSHIRT-BLK-M', name: 'Classic T-Shirt, Black, M', basePrice: '24', standardCost: '9.5' });

describe('the catalog settings defaults', () => {
  it('when nothing is set, then Intacct owns name, price, cost and status, the store owns description and images', () => {
    expect(defaults.items.fields).toEqual({
      name: 'intacct',
      price: 'intacct',
      cost: 'intacct',
      status: 'intacct',
      description: 'storefront',
      images: 'storefront',
    });
    expect(defaults.items).toMatchObject({ enabled: false, createInIntacct: 'off', itemDefaults: { itemType: 'Inventory' } });
  });

  it('when nothing is set, then customer contact details follow the last change and Intacct owns credit hold and terms', () => {
    expect(defaults.customers.fields).toEqual({
      contact: 'lastChange',
      email: 'lastChange',
      addresses: 'lastChange',
      customerGroup: 'storefront',
      creditHold: 'intacct',
      priceGroup: 'intacct',
      terms: 'intacct',
    });
  });
});

describe('itemFieldFlow', () => {
  it.each<[ItemFieldDirections['name'], FieldFlow]>([
    ['intacct', 'toStorefront'],
    ['storefront', 'toIntacct'],
    ['none', 'none'],
  ])('when the owner is %s, then the value flows %s', (owner, flow) => {
    expect(itemFieldFlow(owner)).toBe(flow);
  });
});

describe('itemDirectionsWithin', () => {
  it.each<[string, ItemFieldDirections, StorefrontItemField[], Partial<ItemFieldDirections>]>([
    ['when the store holds every field, then the directions stay', intacctOwns, ['name', 'price', 'cost', 'status'], intacctOwns],
    ['when the store keeps no cost (Clarity), then cost flows neither way', intacctOwns, clarityHolds, { ...intacctOwns, cost: 'none' }],
    [
      'when the store owns the price and holds it, then it still owns it',
      { ...intacctOwns, price: 'storefront' },
      clarityHolds,
      { ...intacctOwns, price: 'storefront', cost: 'none' },
    ],
    [
      'when the store holds nothing, then only description and images keep their owners',
      intacctOwns,
      [],
      { ...intacctOwns, name: 'none', price: 'none', cost: 'none', status: 'none' },
    ],
  ])('%s', (_name, directions, held, expected) => {
    expect(itemDirectionsWithin(directions, held)).toEqual(expected);
  });
});

describe('writesClarityProducts: whether the tenant’s Clarity token asks for products:write', () => {
  it.each<[string, boolean, Partial<ItemFieldDirections>, boolean]>([
    ['the item sync is off (the default)', false, {}, false],
    ['the item sync is on and Intacct owns name, price and status (the defaults)', true, {}, true],
    ['the item sync is on and Intacct owns only the price', true, { name: 'storefront', status: 'none' }, true],
    [
      'the item sync is on and the store owns every field a Clarity product holds',
      true,
      { name: 'storefront', price: 'storefront', status: 'none' },
      false,
    ],
    [
      'Intacct owns only the cost, which Clarity keeps nowhere',
      true,
      { name: 'none', price: 'none', status: 'storefront', cost: 'intacct' },
      false,
    ],
  ])('when %s', (_name, enabled, fields, writes) => {
    expect(writesClarityProducts({ enabled, fields: { ...intacctOwns, ...fields } })).toBe(writes);
  });
});

describe('customerFieldFlow', () => {
  const at = (intacct?: string, storefront?: string): CustomerFieldChanges => ({
    intacctChangedAt: intacct,
    storefrontChangedAt: storefront,
  });
  it.each<[string, Parameters<typeof customerFieldFlow>[0], CustomerFieldChanges, FieldFlow]>([
    [
      'when Intacct owns it, then Intacct wins even after a later store change',
      'intacct',
      at('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
      'toStorefront',
    ],
    ['when the store owns it, then the store wins', 'storefront', at('2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z'), 'toIntacct'],
    ['when neither side syncs it, then nothing flows', 'none', at('2026-01-01T00:00:00Z'), 'none'],
    ['when the store changed it last, then the store wins', 'lastChange', at('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), 'toIntacct'],
    ['when Intacct changed it last, then Intacct wins', 'lastChange', at('2026-01-01T00:00:02Z', '2026-01-01T00:00:01Z'), 'toStorefront'],
    [
      'when both changed it in the same second, then Intacct wins the tie',
      'lastChange',
      at('2026-01-01T00:00:01Z', '2026-01-01T00:00:01Z'),
      'toStorefront',
    ],
    ['when only the store says when, then the store wins', 'lastChange', at(undefined, '2026-01-01T00:00:01Z'), 'toIntacct'],
    ['when only Intacct says when, then Intacct wins', 'lastChange', at('2026-01-01T00:00:01Z'), 'toStorefront'],
    ['when neither side says when, then nothing flows', 'lastChange', at(), 'none'],
    ['when a time is unreadable, then it counts as unknown', 'lastChange', at('yesterday', '2026-01-01T00:00:01Z'), 'toIntacct'],
  ])('%s', (_name, owner, changes, flow) => {
    expect(customerFieldFlow(owner, changes)).toBe(flow);
  });
});

describe('toStorefrontCatalogChange', () => {
  it.each<[string, IntacctCatalogItem, StorefrontCatalogEntry, ItemFieldDirections, CatalogItemDecision]>([
    ['when nothing Intacct owns differs, then nothing is written', item(), product, intacctOwns, { kind: 'unchanged' }],
    [
      'when the price changed, then only the price is written',
      item({ basePrice: '15.75' }),
      product,
      intacctOwns,
      { kind: 'product', change: { sku: 'MUG-CER-12OZ', productId: '115', priceMinor: 1575 } },
    ],
    [
      'when name, cost and status changed, then all three are written',
      item({ name: 'Stoneware Mug, 12 oz', standardCost: '5.5', status: 'inactive' }),
      product,
      intacctOwns,
      { kind: 'product', change: { sku: 'MUG-CER-12OZ', productId: '115', name: 'Stoneware Mug, 12 oz', costMinor: 550, visible: false } },
    ],
    [
      'when the store owns the price, then a changed Intacct price is not written',
      item({ basePrice: '15.75' }),
      product,
      { ...intacctOwns, price: 'storefront' },
      { kind: 'unchanged' },
    ],
    [
      'when the name is synced neither way, then a changed name is not written',
      item({ name: 'Other' }),
      product,
      { ...intacctOwns, name: 'none' },
      { kind: 'unchanged' },
    ],
    [
      'when Intacct has no price, then the store keeps its own',
      item({ basePrice: '', standardCost: '' }),
      product,
      intacctOwns,
      { kind: 'unchanged' },
    ],
    [
      'when the price differs only in trailing zeros, then nothing is written',
      item({ basePrice: '14.5000' }),
      product,
      intacctOwns,
      { kind: 'unchanged' },
    ],
    [
      'when a variant price changed, then the variant is written, not the product',
      { ...variantItem, basePrice: '26' },
      variant,
      intacctOwns,
      { kind: 'variant', change: { sku: 'TSHIRT-BLK-M', productId: '111', variantId: '202', priceMinor: 2600 } },
    ],
    [
      'when a variant item is renamed, then nothing is written (a variant has no name of its own)',
      { ...variantItem, name: 'Renamed' },
      variant,
      intacctOwns,
      { kind: 'unchanged' },
    ],
    [
      'when a variant item turns inactive, then the variant can no longer be bought',
      { ...variantItem, status: 'inactive' },
      variant,
      intacctOwns,
      { kind: 'variant', change: { sku: 'TSHIRT-BLK-M', productId: '111', variantId: '202', purchasable: false } },
    ],
    [
      'when a variant inherits its price, then Intacct’s price is set on the variant',
      variantItem,
      { ...variant, priceMinor: undefined },
      intacctOwns,
      { kind: 'variant', change: { sku: 'TSHIRT-BLK-M', productId: '111', variantId: '202', priceMinor: 2400 } },
    ],
    [
      'when the price is not a decimal, then the item is reported, not written',
      item({ basePrice: 'n/a' }),
      product,
      intacctOwns,
      { kind: 'unreadable', reason: 'item MUG-CER-12OZ: "n/a" is not a decimal amount' },
    ],
    [
      'when a Clarity product’s price changed, then the price is written, keyed to the version it was read at',
      item({ basePrice: '15.75' }),
      clarityProduct,
      itemDirectionsWithin(intacctOwns, clarityHolds),
      {
        kind: 'product',
        change: { sku: 'MUG-CER-12OZ', productId: 'P-115', version: '2026-12-07T09:00:00.000Z', priceMinor: 1575 },
      },
    ],
    [
      'when a Clarity product matches Intacct but keeps no cost, then nothing is written',
      item(),
      clarityProduct,
      itemDirectionsWithin(intacctOwns, clarityHolds),
      { kind: 'unchanged' },
    ],
    [
      'when a Clarity product differs only in a field the store does not own, then nothing is written',
      item({ name: 'Stoneware Mug' }),
      clarityProduct,
      itemDirectionsWithin({ ...intacctOwns, name: 'storefront' }, clarityHolds),
      { kind: 'unchanged' },
    ],
    [
      'when a Clarity item turns inactive, then the product is deactivated',
      item({ status: 'inactive' }),
      clarityProduct,
      itemDirectionsWithin(intacctOwns, clarityHolds),
      { kind: 'product', change: { sku: 'MUG-CER-12OZ', productId: 'P-115', version: '2026-12-07T09:00:00.000Z', visible: false } },
    ],
  ])('%s', (_name, intacct, entry, directions, expected) => {
    expect(toStorefrontCatalogChange(intacct, entry, directions, 'USD')).toEqual(expected);
  });

  it('when the item is still the version the product wrote, then it is the product’s own echo and nothing is written', () => {
    const created = item({ name: 'New Mug', status: 'inactive', basePrice: '9', standardCost: '' });
    const stamp = intacctItemStamp({ name: 'New Mug', status: 'inactive', basePrice: '9.00', standardCost: '' });
    expect(toStorefrontCatalogChange(created, product, intacctOwns, 'USD', stamp)).toEqual({ kind: 'ownWrite' });
  });

  it('when someone changed the item after the product wrote it, then the change is carried to the store', () => {
    const stamp = intacctItemStamp({ name: 'Ceramic Mug, 12 oz', status: 'inactive', basePrice: '14.50', standardCost: '5.20' });
    expect(toStorefrontCatalogChange(item({ basePrice: '16' }), product, intacctOwns, 'USD', stamp)).toEqual({
      kind: 'product',
      change: { sku: 'MUG-CER-12OZ', productId: '115', priceMinor: 1600 },
    });
  });
});

describe('storefront prices', () => {
  it.each<[number | null | undefined, string, number | undefined]>([
    [14.5, 'USD', 1450],
    [0.1 + 0.2, 'USD', 30],
    [1999, 'JPY', 1999],
    [null, 'USD', undefined],
    [undefined, 'USD', undefined],
  ])('when the store says %s %s, then it is %s minor units', (price, currency, minor) => {
    expect(fromStorefrontPrice(price, currency)).toBe(minor);
  });

  it('when minor units go back to the store, then they are its float', () => {
    expect(toStorefrontPrice(1575, 'USD')).toBe(15.75);
    expect(toStorefrontPrice(1999, 'JPY')).toBe(1999);
  });
});

describe('toIntacctItemFromStorefront', () => {
  const sku: NewStorefrontSku = { sku: 'SOCKS-BLK-M', name: 'Crew Socks, Black, M', priceMinor: 900, costMinor: 310 };
  const items = defaults.items;
  it.each<[string, NewStorefrontSku, Parameters<typeof toIntacctItemFromStorefront>[1], IntacctItemToCreate | undefined]>([
    ['when creation is off, then no item is made', sku, items, undefined],
    [
      'when items are created for review, then the item is inactive with the store’s price and cost',
      sku,
      { ...items, createInIntacct: 'inactive' },
      {
        itemId: 'SOCKS-BLK-M',
        name: 'Crew Socks, Black, M',
        itemType: 'Inventory',
        status: 'inactive',
        basePrice: '9.00',
        standardCost: '3.10',
      },
    ],
    [
      'when items are created active with defaults, then the defaults are used',
      { ...sku, costMinor: undefined },
      {
        ...items,
        createInIntacct: 'active',
        itemDefaults: { itemType: 'Non-Inventory', unitOfMeasure: 'Count', glGroup: 'Apparel', taxGroup: 'Taxable' },
      },
      {
        itemId: 'SOCKS-BLK-M',
        name: 'Crew Socks, Black, M',
        itemType: 'Non-Inventory',
        status: 'active',
        basePrice: '9.00',
        unitOfMeasureGroup: 'Count',
        glGroup: 'Apparel',
        taxGroup: 'Taxable',
      },
    ],
    [
      'when prices are synced neither way, then the item has none',
      sku,
      { ...items, createInIntacct: 'inactive', fields: { ...items.fields, price: 'none', cost: 'none' } },
      { itemId: 'SOCKS-BLK-M', name: 'Crew Socks, Black, M', itemType: 'Inventory', status: 'inactive' },
    ],
    [
      'when the store has no name, then the SKU names the item',
      { ...sku, name: '  ', priceMinor: undefined, costMinor: undefined },
      { ...items, createInIntacct: 'inactive' },
      { itemId: 'SOCKS-BLK-M', name: 'SOCKS-BLK-M', itemType: 'Inventory', status: 'inactive' },
    ],
  ])('%s', (_name, input, settings, expected) => {
    expect(toIntacctItemFromStorefront(input, settings, 'USD')).toEqual(expected);
  });

  it('when the name is longer than Intacct takes, then it is cut to 100 characters', () => {
    const created = toIntacctItemFromStorefront({ ...sku, name: 'x'.repeat(140) }, { ...items, createInIntacct: 'active' }, 'USD');
    expect(created?.name).toHaveLength(100);
  });
});

describe('the catalog watermark, in Intacct’s own clock', () => {
  it.each<[string, string | undefined, number, string | undefined]>([
    [
      'when the run read changes, then the next run starts 5 minutes plus the run’s duration before the latest',
      '12/07/2026 01:10:00',
      60_000,
      '12/07/2026 01:04:00',
    ],
    [
      'when the latest change is just after midnight, then the watermark crosses into the day before',
      '01/01/2027 00:02:00',
      0,
      '12/31/2026 23:57:00',
    ],
    ['when the run read nothing, then there is no new watermark', undefined, 60_000, undefined],
    ['when the time is unreadable, then there is no new watermark', '2026-12-07T01:10:00Z', 0, undefined],
  ])('%s', (_name, latest, duration, expected) => {
    expect(nextCatalogWatermark(latest, duration)).toBe(expected);
  });

  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['12/07/2026 01:10:00', '01/05/2027 09:00:00', '01/05/2027 09:00:00'],
    ['12/31/2026 23:59:59', '01/01/2026 00:00:00', '12/31/2026 23:59:59'],
    [undefined, '01/05/2026 09:00:00', '01/05/2026 09:00:00'],
    ['01/05/2026 09:00:00', 'soon', '01/05/2026 09:00:00'],
    [undefined, undefined, undefined],
  ])('when %s and %s are compared, then the later is %s (by date, not by text)', (a, b, later) => {
    expect(laterIntacctTimestamp(a, b)).toBe(later);
  });

  it('when a timestamp is read and written back, then it is unchanged', () => {
    expect(formatIntacctTimestamp(intacctTimestampMs('02/28/2026 23:59:07')!)).toBe('02/28/2026 23:59:07');
  });
});
