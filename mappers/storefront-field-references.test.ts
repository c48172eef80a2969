import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dimensionRuleSchema } from '../store/schemas/settings-order-documents.js';
import { rulesSchema } from '../store/schemas/settings-rules.js';
import { keepNamed, metafieldNamespaces, storefrontFieldReferences } from './storefront-field-references.js';

const settingsWith = (input: { rules?: unknown; dimensionRules?: unknown }) => ({
  rules: rulesSchema.parse(input.rules ?? []),
  orderSync: { dimensionRules: z.array(dimensionRuleSchema).parse(input.dimensionRules ?? []) },
});

describe('storefrontFieldReferences', () => {
  it.each<{ case: string; rules?: unknown; dimensionRules?: unknown; expected: unknown }>([
    { case: 'nothing names them', expected: { orderMetafields: [], productCustomFields: [] } },
    {
      case: 'other rules and dimension rules',
      rules: [
        { id: 'r', cases: [{ when: [{ field: 'order.attributes.erp.costCenter', op: 'equals', value: 'x' }], set: { class: 'C' } }] },
      ],
      dimensionRules: [{ dimension: 'department', from: 'orderAttribute', value: 'erp.costCenter' }],
      expected: { orderMetafields: [], productCustomFields: [] },
    },
    {
      case: 'a dimension rule and rule conditions, each named once',
      rules: [
        {
          id: 'segment',
          cases: [
            { when: [{ field: 'order.metafields.crm.segment', op: 'equals', value: 'b2b' }], set: { class: 'B2B' } },
            { when: [{ field: 'order.metafields.erp.costCenter', op: 'in', values: ['CC-1'] }], set: { class: 'CC' } },
          ],
        },
        { id: 'copy', cases: [{ set: { customFieldsFrom: { REGION: 'order.metafields.erp.region' } } }] },
        {
          id: 'line',
          scope: 'line',
          cases: [{ when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'Apparel' }], set: { class: 'APP' } }],
        },
      ],
      dimensionRules: [{ dimension: 'department', from: 'orderMetafield', value: 'erp.costCenter' }],
      expected: { orderMetafields: ['crm.segment', 'erp.costCenter', 'erp.region'], productCustomFields: ['Product Line'] },
    },
    {
      case: 'product custom fields named line by line and across the order, each once',
      rules: [
        {
          id: 'line',
          scope: 'line',
          cases: [{ when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'Apparel' }], set: { class: 'APP' } }],
        },
        {
          id: 'order',
          cases: [
            {
              when: [{ field: 'order.productCustomFields.Product Line', op: 'equals', value: 'Gifts' }],
              set: { customFieldsFrom: { WARRANTY: 'order.productCustomFields.Warranty' } },
            },
          ],
        },
      ],
      expected: { orderMetafields: [], productCustomFields: ['Product Line', 'Warranty'] },
    },
    {
      case: 'brands named across the order and line by line, category ids copied',
      rules: [
        { id: 'order', cases: [{ when: [{ field: 'order.brands', op: 'equals', value: 'Trailhead' }], set: { entity: '200' } }] },
        {
          id: 'line',
          scope: 'line',
          cases: [
            {
              when: [{ field: 'line.brand', op: 'in', values: ['Harbor Goods'] }],
              set: { customFieldsFrom: { CATS: 'line.categoryIds' } },
            },
          ],
        },
      ],
      expected: { orderMetafields: [], productCustomFields: [], productClassification: ['brand', 'categoryIds'] },
    },
    {
      case: 'category names and brand ids with a product custom field',
      rules: [
        {
          id: 'line',
          scope: 'line',
          cases: [
            {
              when: [
                { field: 'line.categories', op: 'equals', value: 'Apparel' },
                { field: 'line.brandId', op: 'equals', value: '35' },
                { field: 'line.productCustomFields.Warranty', op: 'equals', value: '2 years' },
              ],
              set: { class: 'C' },
            },
          ],
        },
      ],
      expected: { orderMetafields: [], productCustomFields: ['Warranty'], productClassification: ['brandId', 'categories'] },
    },
  ])('when $case, then the references are exact', ({ rules, dimensionRules, expected }) => {
    expect(storefrontFieldReferences(settingsWith({ rules, dimensionRules }))).toEqual(expected);
  });
});

describe('metafieldNamespaces', () => {
  it.each<{ references: string[]; expected: string[] }>([
    { references: [], expected: [] },
    { references: ['erp.costCenter', 'erp.region'], expected: ['erp'] },
    { references: ['com.acme.segment'], expected: ['com', 'com.acme'] },
  ])('$references → $expected', ({ references, expected }) => {
    expect(metafieldNamespaces(references)).toEqual(expected);
  });
});

describe('keepNamed', () => {
  it('when a name is repeated or is a property of every object, then the first value is kept as plain data', () => {
    const kept = keepNamed(
      [
        { name: '__proto__', value: 'x' },
        { name: 'constructor', value: 'y' },
        { name: 'constructor', value: 'z' },
        { name: 'other', value: 'w' },
      ],
      ['__proto__', 'constructor'],
    );
    expect(Object.entries(kept)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });
});
