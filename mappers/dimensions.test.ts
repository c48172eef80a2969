import { describe, expect, it } from 'vitest';
import type { DimensionMappingRow } from '../store/schemas/mapping-tables.js';
import type { DimensionRule } from '../store/schemas/settings.js';
import { resolveDimensions, type DimensionResolution } from './dimensions.js';

const rows: DimensionMappingRow[] = [
  { storefrontValue: '1', department: 'ECOM', location: '100' },
  { storefrontValue: 'wholesale', class: 'WHOLESALE' },
  { storefrontValue: 'spring-launch', project: 'PRJ-7' },
];

describe('resolveDimensions', () => {
  it.each<{ case: string; rules: DimensionRule[]; attributes: Record<string, string>; expected: DimensionResolution }>([
    { case: 'there are no rules', rules: [], attributes: { channelId: '1' }, expected: { dimensions: {}, problems: [] } },
    {
      case: 'every dimension has a constant',
      rules: [
        { dimension: 'department', from: 'constant', value: 'SALES' },
        { dimension: 'location', from: 'constant', value: '200' },
        { dimension: 'project', from: 'constant', value: 'PRJ-7' },
        { dimension: 'class', from: 'constant', value: 'RETAIL' },
      ],
      attributes: {},
      expected: { dimensions: { departmentId: 'SALES', locationId: '200', projectId: 'PRJ-7', classId: 'RETAIL' }, problems: [] },
    },
    {
      case: 'department and location follow the storefront channel',
      rules: [
        { dimension: 'department', from: 'storefrontChannel' },
        { dimension: 'location', from: 'storefrontChannel' },
      ],
      attributes: { channelId: '1' },
      expected: { dimensions: { departmentId: 'ECOM', locationId: '100' }, problems: [] },
    },
    {
      case: 'the class follows the customer group',
      rules: [{ dimension: 'class', from: 'customerGroup' }],
      attributes: { customerGroupId: 'wholesale' },
      expected: { dimensions: { classId: 'WHOLESALE' }, problems: [] },
    },
    {
      case: 'the project follows a named order attribute',
      rules: [{ dimension: 'project', from: 'orderAttribute', value: 'campaign' }],
      attributes: { campaign: ' spring-launch ' },
      expected: { dimensions: { projectId: 'PRJ-7' }, problems: [] },
    },
    {
      case: 'the order lacks the channel',
      rules: [{ dimension: 'department', from: 'storefrontChannel' }],
      attributes: {},
      expected: {
        dimensions: {},
        problems: ['the department comes from the storefront channel (order attribute "channelId"), which this order does not have'],
      },
    },
    {
      case: 'the order lacks the customer group',
      rules: [{ dimension: 'class', from: 'customerGroup' }],
      attributes: { channelId: '1' },
      expected: {
        dimensions: {},
        problems: ['the class comes from the customer group (order attribute "customerGroupId"), which this order does not have'],
      },
    },
    {
      case: 'the named attribute is blank',
      rules: [{ dimension: 'project', from: 'orderAttribute', value: 'campaign' }],
      attributes: { campaign: '  ' },
      expected: { dimensions: {}, problems: ['the project comes from order attribute "campaign", which this order does not have'] },
    },
    {
      case: 'the value has no row',
      rules: [{ dimension: 'department', from: 'storefrontChannel' }],
      attributes: { channelId: '9' },
      expected: {
        dimensions: {},
        problems: [
          'the department comes from the storefront channel (order attribute "channelId"), whose value "9" has no row in the dimensionRules mapping table: add one with its department',
        ],
      },
    },
    {
      case: 'the row has no column for the dimension',
      rules: [{ dimension: 'project', from: 'storefrontChannel' }],
      attributes: { channelId: '1' },
      expected: { dimensions: {}, problems: ['row "1" of the dimensionRules mapping table has no project: fill its project column'] },
    },
    {
      case: 'a rule without the value it needs',
      rules: [
        { dimension: 'department', from: 'constant' },
        { dimension: 'class', from: 'orderAttribute' },
      ],
      attributes: {},
      expected: {
        dimensions: {},
        problems: [
          'the department rule is constant but names no Intacct department id: set its value',
          "the class rule reads an order attribute but does not name it: set its value to the attribute's name",
        ],
      },
    },
    {
      case: 'some rules apply and others do not',
      rules: [
        { dimension: 'location', from: 'constant', value: '100' },
        { dimension: 'department', from: 'storefrontChannel' },
        { dimension: 'class', from: 'customerGroup' },
      ],
      attributes: { channelId: '1' },
      expected: {
        dimensions: { locationId: '100', departmentId: 'ECOM' },
        problems: ['the class comes from the customer group (order attribute "customerGroupId"), which this order does not have'],
      },
    },
  ])('when $case, then the dimensions and problems are exact', ({ rules, attributes, expected }) => {
    expect(resolveDimensions(rules, rows, { attributes })).toEqual(expected);
  });

  it.each<{ case: string; metafields: Record<string, string> | undefined; expected: DimensionResolution }>([
    {
      case: 'the order has the metafield',
      metafields: { 'erp.costCenter': 'spring-launch' },
      expected: { dimensions: { projectId: 'PRJ-7' }, problems: [] },
    },
    {
      case: 'the order lacks it',
      metafields: undefined,
      expected: { dimensions: {}, problems: ['the project comes from order metafield "erp.costCenter", which this order does not have'] },
    },
  ])('when a dimension follows an order metafield and $case, then the dimensions and problems are exact', ({ metafields, expected }) => {
    const rules: DimensionRule[] = [{ dimension: 'project', from: 'orderMetafield', value: 'erp.costCenter' }];
    // An order attribute of the same name is not the metafield.
    expect(
      resolveDimensions(rules, rows, {
        attributes: { 'erp.costCenter': 'spring-launch' },
        ...(metafields !== undefined && { metafields }),
      }),
    ).toEqual(expected);
  });

  it.each(['constructor', 'toString', '__proto__'])(
    'when a dimension follows an order attribute or metafield named %s that the order does not have, then it is a problem, not a crash',
    (name) => {
      for (const from of ['orderAttribute', 'orderMetafield'] as const)
        expect(resolveDimensions([{ dimension: 'class', from, value: name }], rows, { attributes: {}, metafields: {} })).toEqual({
          dimensions: {},
          problems: [expect.stringContaining('which this order does not have')],
        });
    },
  );

  it('when the value differs only in case from a row, then it does not match (storefront values are exact)', () => {
    expect(
      resolveDimensions([{ dimension: 'class', from: 'customerGroup' }], rows, { attributes: { customerGroupId: 'Wholesale' } }).problems,
    ).toHaveLength(1);
  });
});
