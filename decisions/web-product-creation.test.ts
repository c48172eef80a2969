import { describe, expect, it } from 'vitest';
import type { IntacctCatalogItem } from '../mappers/catalog-item-sync.js';
import type { CreateInStorefrontSettings } from '../store/schemas/settings.js';
import { isFlaggedForWeb, toWebProduct, type WebProductDecision, type WebProductFacts } from './web-product-creation.js';

const item: IntacctCatalogItem = {
  itemId: 'SOCKS-WOOL',
  name: 'Wool Socks',
  status: 'active',
  basePrice: '12.50',
  standardCost: '4',
  modifiedAt: '12/07/2026 10:00:00',
  webFlag: 'true',
};
const on: CreateInStorefrontSettings = { enabled: true, flagField: 'WEB_ENABLED', flagValue: 'true', visibility: 'hidden' };
const absent: WebProductFacts = { inStorefront: false, createdAlready: false };
const created = (extra: Partial<Extract<WebProductDecision, { kind: 'create' }>['product']> = {}): WebProductDecision => ({
  kind: 'create',
  product: { sku: 'SOCKS-WOOL', itemId: 'SOCKS-WOOL', name: 'Wool Socks', priceMinor: 1250, visible: false, ...extra },
});

describe('toWebProduct', () => {
  it.each<[string, Partial<IntacctCatalogItem>, Partial<CreateInStorefrontSettings>, Partial<WebProductFacts>, WebProductDecision]>([
    ['a flagged, active, priced item the store lacks: created hidden', {}, {}, {}, created()],
    [
      'the tenant starts products visible, in a category',
      {},
      { visibility: 'visible', categoryId: '23' },
      {},
      created({ visible: true, categoryId: '23' }),
    ],
    ['the flag in another case and with spaces', { webFlag: ' TRUE ' }, {}, {}, created()],
    ['a flag value of the tenant’s own', { webFlag: 'Web' }, { flagValue: 'web' }, {}, created()],
    ['an item without a name: named by its id', { name: '  ' }, {}, {}, created({ name: 'SOCKS-WOOL' })],
    ['creation off', {}, { enabled: false }, {}, { kind: 'skip', reason: 'off' }],
    ['not flagged', { webFlag: 'false' }, {}, {}, { kind: 'skip', reason: 'notFlagged' }],
    ['the flag field empty', { webFlag: '' }, {}, {}, { kind: 'skip', reason: 'notFlagged' }],
    ['the flag not read', { webFlag: undefined }, {}, {}, { kind: 'skip', reason: 'notFlagged' }],
    ['the item inactive', { status: 'inactive' }, {}, {}, { kind: 'skip', reason: 'inactive' }],
    ['the SKU already in the store', {}, {}, { inStorefront: true }, { kind: 'skip', reason: 'inStorefront' }],
    ['created already (since deleted from the store)', {}, {}, { createdAlready: true }, { kind: 'skip', reason: 'createdAlready' }],
    ['no price in Intacct', { basePrice: '' }, {}, {}, { kind: 'skip', reason: 'unpriced' }],
    [
      'a price that is not a number',
      { basePrice: 'abc' },
      {},
      {},
      { kind: 'unreadable', reason: 'item SOCKS-WOOL: "abc" is not a decimal amount' },
    ],
    [
      'a negative price',
      { basePrice: '-1' },
      {},
      {},
      { kind: 'unreadable', reason: "item SOCKS-WOOL: a negative price (-1) cannot be a product's" },
    ],
  ])('when %s', (_case, itemChange, settingsChange, factsChange, expected) => {
    expect(
      toWebProduct({ ...item, ...itemChange }, 'SOCKS-WOOL', { ...on, ...settingsChange }, { ...absent, ...factsChange }, 'USD'),
    ).toEqual(expected);
  });

  it('when the item name is longer than BigCommerce takes, then it is cut at 250 characters', () => {
    const decision = toWebProduct({ ...item, name: 'x'.repeat(300) }, 'SOCKS-WOOL', on, absent, 'USD');
    expect(decision.kind === 'create' && decision.product.name.length).toBe(250);
  });

  it('when the currency has no minor unit, then the price is whole units', () => {
    expect(toWebProduct({ ...item, basePrice: '1500' }, 'SOCKS-WOOL', on, absent, 'JPY')).toEqual(created({ priceMinor: 1500 }));
  });
});

describe('isFlaggedForWeb', () => {
  it.each([
    ['true', 'true', true],
    ['Yes', 'yes', true],
    ['no', 'yes', false],
    [undefined, 'true', false],
  ])('when the field holds %s and the tenant means %s, then %s', (webFlag, flagValue, expected) => {
    expect(isFlaggedForWeb(webFlag === undefined ? {} : { webFlag }, { flagValue })).toBe(expected);
  });
});
