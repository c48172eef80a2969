import { describe, expect, it } from 'vitest';
import { alignTokens, isAdjacentSwap, type TokenAlignment } from './item-similarity.js';
import { learnSkuPatterns, patternOf } from './item-suggestion-patterns.js';
import { ItemSuggestionIndex, type ItemSuggestionQuery, type SuggestibleItem, type TenantMappingKnowledge } from './item-suggestions.js';
import { gtin14, nameTokens, skuTokens, sortedTokenKey, withoutLeadingZeros, withoutSeparators } from './sku-normalisation.js';

const catalogue: SuggestibleItem[] = [
  { itemId: 'TEE-RED-L', name: 'Classic Tee, Red, L', basePrice: 20, unit: 'Each' },
  { itemId: 'TEE-RED-M', name: 'Classic Tee, Red, M', basePrice: 20, unit: 'Each' },
  { itemId: 'TEE-BLU-L', name: 'Classic Tee, Blue, L', basePrice: 20, unit: 'Each' },
  { itemId: 'MUG-0042', name: 'Stoneware Mug 12oz', basePrice: 9.5, unit: 'Each' },
  { itemId: 'CABLE-USB-2M', name: 'USB-C cable 2 m', basePrice: 12, unit: 'Each' },
  { itemId: 'LANTERN-BRASS', name: 'Brass camping lantern', basePrice: 45, unit: 'Each', upc: '036000291452' },
  { itemId: 'Notebook-A5', name: 'Dotted notebook A5', basePrice: 6, unit: 'Each' },
  { itemId: 'JACKET-SVP-GRN-M', name: 'Rain Jacket SVP, Green, M', basePrice: 80, unit: 'Each' },
  { itemId: 'COFFEE-BEANS-1KG', name: 'Espresso roast beans 1 kg', basePrice: 30, unit: 'Bag' },
];
const index = new ItemSuggestionIndex(catalogue);
const nothingKnown: TenantMappingKnowledge = { confirmed: [] };
const top = (query: ItemSuggestionQuery, knowledge: TenantMappingKnowledge = nothingKnown) => index.suggest(query, knowledge)[0];

describe('SKU normal forms', () => {
  it.each([
    ['withoutSeparators', withoutSeparators('BC-Tee_Red.L / 2'), 'bcteeredl2'],
    ['skuTokens splits letters from digits and drops leading zeros', skuTokens('MUG0042-x'), ['mug', '42', 'x']],
    ['withoutLeadingZeros', withoutLeadingZeros('SKU-00042'), 'sku42'],
    ['sortedTokenKey', sortedTokenKey('TEE-L-RED'), sortedTokenKey('tee_red_l')],
    ['nameTokens spells sizes and colours one way', nameTokens('Classic T-Shirt, Black, Extra Large'), ['classic', 'tee', 'blk', 'xl']],
    ['gtin14 pads a UPC-A', gtin14('036000291452'), '00036000291452'],
    ['gtin14 takes the same product as EAN-13', gtin14('0036000291452'), '00036000291452'],
    ['gtin14 refuses a wrong check digit', gtin14('036000291453'), undefined],
    ['gtin14 refuses what is not a barcode', gtin14('TEE-RED-L'), undefined],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('learned SKU patterns', () => {
  it.each([
    [
      { storefrontSku: 'BC-TEE-RED-L', intacctItemId: 'TEE-RED-L' },
      { kind: 'storefrontPrefix', affix: 'bc' },
    ],
    [
      { storefrontSku: 'TEE-RED-L-WEB', intacctItemId: 'TEE-RED-L' },
      { kind: 'storefrontSuffix', affix: 'web' },
    ],
    [
      { storefrontSku: 'TEE-RED-L', intacctItemId: 'IC-TEE-RED-L' },
      { kind: 'intacctPrefix', affix: 'ic' },
    ],
    [{ storefrontSku: 'TEE-L-RED', intacctItemId: 'TEE-RED-L' }, { kind: 'partsReordered' }],
    [{ storefrontSku: 'tee_red_l', intacctItemId: 'TEE-RED-L' }, undefined],
    [{ storefrontSku: 'WHOLLY-DIFFERENT', intacctItemId: 'TEE-RED-L' }, undefined],
  ])('when %o is confirmed then the pattern is %o', (pair, expected) => {
    expect(patternOf(pair)).toEqual(expected);
  });

  it('when several pairs show the same pattern then it is counted once per pair, most confirmed first', () => {
    const learned = learnSkuPatterns([
      { storefrontSku: 'TEE-L-RED', intacctItemId: 'TEE-RED-L' },
      { storefrontSku: 'BC-A100', intacctItemId: 'A100' },
      { storefrontSku: 'BC-A200', intacctItemId: 'A200' },
    ]);
    expect(learned).toEqual([
      { pattern: { kind: 'storefrontPrefix', affix: 'bc' }, confirmations: 2 },
      { pattern: { kind: 'partsReordered' }, confirmations: 1 },
    ]);
  });
});

describe('item suggestions: each reason', () => {
  it.each<[string, ItemSuggestionQuery, string, number, string]>([
    ['same SKU', { sku: 'TEE-RED-L' }, 'TEE-RED-L', 0.99, 'same SKU'],
    ['case', { sku: 'tee-red-l' }, 'TEE-RED-L', 0.97, 'SKU equal ignoring case'],
    ['separators', { sku: 'TEE_RED L' }, 'TEE-RED-L', 0.95, 'SKU equal after removing separators'],
    ['leading zeros', { sku: 'MUG-42' }, 'MUG-0042', 0.93, 'SKU equal after removing separators and leading zeros'],
    ['UPC', { sku: 'STORE-77812', upc: '0036000291452' }, 'LANTERN-BRASS', 0.97, 'same UPC/GTIN'],
    ['reordered parts', { sku: 'TEE-L-RED' }, 'TEE-RED-L', 0.84, 'same SKU parts in another order'],
  ])('when the SKU differs by %s then the reason says so', (_name, query, itemId, confidence, reason) => {
    expect(top(query)).toEqual({ intacctItemId: itemId, confidence, reasons: [reason] });
  });

  it('when the tenant confirmed the pair then it comes first with confidence 1', () => {
    const knowledge = { confirmed: [{ storefrontSku: 'OLD-LANTERN', intacctItemId: 'LANTERN-BRASS' }] };
    expect(top({ sku: 'OLD-LANTERN' }, knowledge)).toEqual({
      intacctItemId: 'LANTERN-BRASS',
      confidence: 1,
      reasons: ['the tenant confirmed OLD-LANTERN → LANTERN-BRASS'],
    });
  });

  it('when the tenant confirmed prefixed pairs then a prefixed SKU matches through the pattern', () => {
    const knowledge = {
      confirmed: [
        { storefrontSku: 'BC-A100', intacctItemId: 'A100' },
        { storefrontSku: 'BC-A200', intacctItemId: 'A200' },
      ],
    };
    expect(top({ sku: 'BC-MUG-0042' }, knowledge)).toEqual({
      intacctItemId: 'MUG-0042',
      confidence: 0.9,
      reasons: ['SKU equal after removing the prefix BC (a pattern confirmed 2 times)'],
    });
  });

  it('when a word of the SKU has a typo then the item is found by SKU and name similarity', () => {
    const found = top({ sku: 'LANTREN-BRASS', name: 'Brass Camping Lantern' });
    expect(found?.intacctItemId).toBe('LANTERN-BRASS');
    expect(found?.reasons).toEqual(['SKU parts 93 % alike', 'name 100 % similar']);
    expect(found?.confidence).toBe(0.87);
  });

  it('when the price is close to the base price then confidence rises and the reason says so', () => {
    expect(top({ sku: 'TEE-L-RED', price: 21 })).toEqual({
      intacctItemId: 'TEE-RED-L',
      confidence: 0.87,
      reasons: ['same SKU parts in another order', "price 21 close to the item's 20"],
    });
  });

  it('when the price is far from the base price or the unit differs then confidence falls below the threshold', () => {
    const query = { sku: 'TEE-L-RED', price: 200, unit: 'Case' };
    expect(index.suggest(query, nothingKnown)).toEqual([]);
    expect(index.suggest(query, nothingKnown, { minimumConfidence: 0 })[0]).toEqual({
      intacctItemId: 'TEE-RED-L',
      confidence: 0.57,
      reasons: ['same SKU parts in another order', "price 200 far from the item's 20", 'unit Case where the item is sold by Each'],
    });
  });
});

describe('token similarity', () => {
  it.each([
    ['a swap of neighbouring letters is one slip', isAdjacentSwap('HOOD', 'HODO'), true],
    ['two swaps are not', isAdjacentSwap('HOOD', 'OHDO'), false],
    ['equal words are no swap', isAdjacentSwap('HOOD', 'HOOD'), false],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each<[string, string[], string[], TokenAlignment]>([
    [
      'a typo in a long word still pairs',
      ['lantren', 'brass'],
      ['lantern', 'brass'],
      { similarity: 0.93, unmatchedLeft: [], unmatchedRight: [] },
    ],
    [
      'a prefix is unmatched on one side only',
      ['bc', 'tee', 'red'],
      ['tee', 'red'],
      { similarity: 0.8, unmatchedLeft: ['bc'], unmatchedRight: [] },
    ],
    ['sizes never pair with other sizes', ['tee', 'l'], ['tee', 'xl'], { similarity: 0.5, unmatchedLeft: ['l'], unmatchedRight: ['xl'] }],
    [
      'numbers never pair with other numbers',
      ['bolt', '42'],
      ['bolt', '43'],
      { similarity: 0.5, unmatchedLeft: ['42'], unmatchedRight: ['43'] },
    ],
    [
      'short codes never pair with other codes',
      ['jacket', 'svp'],
      ['jacket', 'pvj'],
      { similarity: 0.5, unmatchedLeft: ['svp'], unmatchedRight: ['pvj'] },
    ],
  ])('when %s then the alignment says so', (_name, left, right, expected) => {
    const alignment = alignTokens(left, right);
    expect({ ...alignment, similarity: Math.round(alignment.similarity * 100) / 100 }).toEqual(expected);
  });
});

describe('item suggestions: decoys', () => {
  it.each<[string, ItemSuggestionQuery]>([
    ['another size of a stocked tee', { sku: 'TEE-RED-XL', name: 'Classic Tee, Red, Extra Large' }],
    ['another colour', { sku: 'TEE-GRN-L', name: 'Classic Tee, Green, Large' }],
    ['another length of cable', { sku: 'CABLE-USB-3M', name: 'USB-C cable 3 m' }],
    ['another mug number', { sku: 'MUG-0043' }],
    ['another model of the same product line', { sku: 'JACKET-PVJ-GRN-M', name: 'Rain Jacket PVJ - Green' }],
    ['an unrelated product', { sku: 'GIFT-CARD-50', name: 'Gift card 50' }],
    ['a barcode with a wrong check digit', { sku: 'X-1', upc: '036000291453' }],
  ])('when the SKU is %s then nothing is offered', (_name, query) => {
    expect(index.suggest(query, nothingKnown)).toEqual([]);
  });

  it('when a suggestion was rejected then it is not offered again, and others still are', () => {
    const knowledge = { confirmed: [], rejected: [{ storefrontSku: 'tee-red-l', intacctItemId: 'TEE-RED-L' }] };
    expect(index.suggest({ sku: 'tee-red-l' }, knowledge).map((candidate) => candidate.intacctItemId)).not.toContain('TEE-RED-L');
    expect(index.suggest({ sku: 'tee-red-l' }, nothingKnown)[0]?.intacctItemId).toBe('TEE-RED-L');
  });

  it('when two items are equally close then both are offered in a stable order, limited', () => {
    const suggestions = index.suggest({ sku: 'TEE-RED', name: 'Classic Tee Red' }, nothingKnown, { limit: 2, minimumConfidence: 0 });
    expect(suggestions.map((candidate) => candidate.intacctItemId)).toEqual(['TEE-RED-L', 'TEE-RED-M']);
  });
});
