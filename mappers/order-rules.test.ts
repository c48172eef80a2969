import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ruleConditionSchema, rulesSchema } from '../store/schemas/settings-rules.js';
import type { CanonicalOrder } from './canonical-order.js';
import { conditionHolds, evaluateOrderRules, orderFieldValue, type RuleDecisions } from './order-rules.js';

const address = { firstName: 'Jane', lastName: 'Doe', line1: '1 Main St', city: 'Austin', region: 'TX', country: 'US' };
const order: CanonicalOrder = {
  storefront: 'bigcommerce',
  orderId: '100',
  status: '11',
  placedAt: '2026-03-01T03:30:00.000Z',
  currency: 'USD',
  customer: { kind: 'registered', customerId: '7', email: 'jane@example.com' },
  billingAddress: address,
  shippingAddress: { ...address, country: 'CA', region: 'ON' },
  lines: [
    {
      lineId: 'a',
      sku: 'TSHIRT-BLK-M',
      name: 'Tee',
      quantity: 2,
      unitPrice: 2500,
      lineTotal: 5000,
      lineDiscount: 500,
      tax: 0,
      attributes: { productType: 'physical', brand: 'Acme' },
      productCustomFields: { 'Product Line': 'Apparel', 'fit.cut': 'slim' },
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
  tax: 412,
  total: 4500 + 1450 + 800 + 412,
  couponCodes: ['SPRING10', 'VIP'],
  paymentMethod: 'Credit Card',
  amountPaid: 0,
  attributes: { channelId: '1', customerGroupId: '3', shippingMethod: 'Ground', utm_campaign: 'spring' },
  metafields: { 'erp.costCenter': 'CC-42', 'com.acme.segment': 'b2b' },
};

describe('orderFieldValue', () => {
  it.each<{ field: string; expected: unknown }>([
    { field: 'order.storefront', expected: 'bigcommerce' },
    { field: 'order.status', expected: '11' },
    { field: 'order.currency', expected: 'USD' },
    { field: 'order.total', expected: 71.62 },
    { field: 'order.tax', expected: 4.12 },
    { field: 'order.shipping', expected: 8 },
    { field: 'order.discount', expected: 0 },
    { field: 'order.couponCodes', expected: ['SPRING10', 'VIP'] },
    { field: 'order.paymentMethod', expected: 'Credit Card' },
    { field: 'order.shippingMethod', expected: 'Ground' },
    { field: 'order.channelId', expected: '1' },
    { field: 'order.billToCountry', expected: 'US' },
    { field: 'order.shipToCountry', expected: 'CA' },
    { field: 'order.shipToRegion', expected: 'ON' },
    { field: 'order.lineCount', expected: 2 },
    { field: 'order.productTypes', expected: ['physical', 'digital'] },
    { field: 'order.attributes.utm_campaign', expected: 'spring' },
    { field: 'order.attributes.missing', expected: undefined },
    { field: 'order.metafields.erp.costCenter', expected: 'CC-42' },
    { field: 'order.metafields.com.acme.segment', expected: 'b2b' },
    { field: 'order.metafields.erp.region', expected: undefined },
    { field: 'order.productCustomFields.Product Line', expected: ['Apparel'] },
    { field: 'order.productCustomFields.fit.cut', expected: ['slim'] },
    { field: 'order.productCustomFields.Warranty', expected: [] },
    { field: 'order.attributes.constructor', expected: undefined },
    { field: 'order.metafields.__proto__', expected: undefined },
    { field: 'order.productCustomFields.constructor', expected: [] },
    { field: 'customer.kind', expected: 'registered' },
    { field: 'customer.id', expected: '7' },
    { field: 'customer.email', expected: 'jane@example.com' },
    { field: 'customer.group', expected: '3' },
  ])('$field reads $expected', ({ field, expected }) => {
    expect(orderFieldValue(order, field)).toEqual(expected);
  });

  it('an order read without metafields has none', () => {
    expect(orderFieldValue({ ...order, metafields: undefined }, 'order.metafields.erp.costCenter')).toBeUndefined();
  });

  it('order.productCustomFields lists each value once, in line order, from the lines whose product has the field', () => {
    const lines = [
      order.lines[0]!,
      { ...order.lines[1]!, productCustomFields: { 'Product Line': 'Gifts' } },
      { ...order.lines[0]!, lineId: 'c', productCustomFields: { 'Product Line': 'Apparel', Warranty: '2 years' } },
    ];
    expect(orderFieldValue({ ...order, lines }, 'order.productCustomFields.Product Line')).toEqual(['Apparel', 'Gifts']);
    expect(orderFieldValue({ ...order, lines }, 'order.productCustomFields.Warranty')).toEqual(['2 years']);
  });

  it('a guest has no customer id', () => {
    expect(orderFieldValue({ ...order, customer: { kind: 'guest' } }, 'customer.id')).toBeUndefined();
  });
});

describe('conditionHolds', () => {
  it.each<{ case: string; condition: unknown; value: string | number | string[] | undefined; holds: boolean }>([
    { case: 'equals the same text', condition: { op: 'equals', value: '1' }, value: '1', holds: true },
    { case: 'equals is case-sensitive', condition: { op: 'equals', value: 'acme' }, value: 'Acme', holds: false },
    { case: 'equals a number written as text', condition: { op: 'equals', value: '2' }, value: 2, holds: true },
    { case: 'in one of the values', condition: { op: 'in', values: ['1', '2'] }, value: '2', holds: true },
    { case: 'in none of the values', condition: { op: 'in', values: ['1', '2'] }, value: '3', holds: false },
    { case: 'matches a pattern', condition: { op: 'matches', pattern: '^EBOOK-' }, value: 'EBOOK-1', holds: true },
    { case: 'matches is unanchored', condition: { op: 'matches', pattern: 'BOOK' }, value: 'EBOOK-1', holds: true },
    { case: 'does not match', condition: { op: 'matches', pattern: '^TSHIRT' }, value: 'EBOOK-1', holds: false },
    { case: 'between min and max', condition: { op: 'between', min: 10, max: 100 }, value: 71.62, holds: true },
    { case: 'between includes min', condition: { op: 'between', min: 71.62 }, value: 71.62, holds: true },
    { case: 'between includes max', condition: { op: 'between', max: 71.62 }, value: 71.62, holds: true },
    { case: 'below min', condition: { op: 'between', min: 100 }, value: 71.62, holds: false },
    { case: 'above max', condition: { op: 'between', max: 50 }, value: 71.62, holds: false },
    { case: 'between reads numeric text', condition: { op: 'between', min: 5 }, value: '12.5', holds: true },
    { case: 'between refuses other text', condition: { op: 'between', min: 0 }, value: 'twelve', holds: false },
    { case: 'between refuses empty text', condition: { op: 'between', max: 10 }, value: '', holds: false },
    { case: 'a list passes when any value does', condition: { op: 'equals', value: 'VIP' }, value: ['SPRING10', 'VIP'], holds: true },
    { case: 'a list fails when none does', condition: { op: 'in', values: ['X'] }, value: ['SPRING10', 'VIP'], holds: false },
    { case: 'an empty list fails', condition: { op: 'matches', pattern: '.*' }, value: [], holds: false },
    { case: 'a missing field fails equals', condition: { op: 'equals', value: '' }, value: undefined, holds: false },
    { case: 'a missing field fails between', condition: { op: 'between', min: 0 }, value: undefined, holds: false },
  ])('when $case then $holds', ({ condition, value, holds }) => {
    const parsed = ruleConditionSchema.parse({ field: 'order.status', ...(condition as object) });
    expect(conditionHolds(parsed, value)).toBe(holds);
  });
});

const rules = (input: unknown) => rulesSchema.parse(input);
const none: RuleDecisions['allLines'] = { dimensions: {}, customFields: {} };

describe('evaluateOrderRules', () => {
  it('when there are no rules then nothing is set', () => {
    expect(evaluateOrderRules([], order)).toEqual({
      customFields: {},
      allLines: none,
      lines: { a: none, b: none },
      holds: [],
    });
  });

  it('when a document rule matches then every action is set with the rule that set it', () => {
    const decisions = evaluateOrderRules(
      rules([
        {
          id: 'web-channel',
          cases: [
            {
              when: [{ field: 'order.channelId', op: 'equals', value: '1' }],
              set: {
                entity: 'US-ENTITY',
                transactionDefinition: 'Web Sales Order',
                warehouse: 'WH-EAST',
                department: 'ECOM',
                location: '100',
                project: 'PRJ-7',
                class: 'RETAIL',
                customer: 'C-1',
                vendor: 'V-1',
                employee: 'E-1',
                contract: 'K-1',
                customFields: { gldimchannel: 'WEB', SALES_REGION: 'NA' },
                hold: 'web orders over the limit need approval',
              },
            },
          ],
        },
      ]),
      order,
    );
    const by = (value: string) => ({ value, ruleId: 'web-channel', caseIndex: 0 });
    const allLines = {
      warehouse: by('WH-EAST'),
      dimensions: {
        department: by('ECOM'),
        location: by('100'),
        project: by('PRJ-7'),
        class: by('RETAIL'),
        customer: by('C-1'),
        vendor: by('V-1'),
        employee: by('E-1'),
        contract: by('K-1'),
      },
      customFields: {},
    };
    expect(decisions).toEqual({
      entity: by('US-ENTITY'),
      transactionDefinition: by('Web Sales Order'),
      customFields: { GLDIMCHANNEL: by('WEB'), SALES_REGION: by('NA') },
      allLines: { ...allLines, customFields: {} },
      lines: { a: allLines, b: allLines },
      holds: [{ reason: 'web orders over the limit need approval', ruleId: 'web-channel', caseIndex: 0 }],
    });
  });

  it('when no case matches then the rule sets nothing', () => {
    const decisions = evaluateOrderRules(
      rules([{ id: 'wholesale', cases: [{ when: [{ field: 'customer.group', op: 'equals', value: '9' }], set: { class: 'WHOLESALE' } }] }]),
      order,
    );
    expect(decisions.allLines).toEqual(none);
  });

  const tiered = (match: 'first' | 'all') =>
    rules([
      {
        id: 'tiers',
        match,
        cases: [
          { when: [{ field: 'order.total', op: 'between', min: 50 }], set: { department: 'LARGE', class: 'BIG' } },
          { when: [{ field: 'order.total', op: 'between', min: 10 }], set: { department: 'MEDIUM' } },
          { when: [], set: { project: 'ANY' } },
        ],
      },
    ]);

  it('when a rule takes the first match then only its first matching case applies', () => {
    expect(evaluateOrderRules(tiered('first'), order).allLines.dimensions).toEqual({
      department: { value: 'LARGE', ruleId: 'tiers', caseIndex: 0 },
      class: { value: 'BIG', ruleId: 'tiers', caseIndex: 0 },
    });
  });

  it('when a rule takes all matches then every matching case applies, a later one replacing an earlier value', () => {
    expect(evaluateOrderRules(tiered('all'), order).allLines.dimensions).toEqual({
      department: { value: 'MEDIUM', ruleId: 'tiers', caseIndex: 1 },
      class: { value: 'BIG', ruleId: 'tiers', caseIndex: 0 },
      project: { value: 'ANY', ruleId: 'tiers', caseIndex: 2 },
    });
  });

  it('when every condition of a case must hold and one does not then the case does not match', () => {
    const decisions = evaluateOrderRules(
      rules([
        {
          id: 'vip-canada',
          cases: [
            {
              when: [
                { field: 'order.couponCodes', op: 'in', values: ['VIP'] },
                { field: 'order.shipToCountry', op: 'equals', value: 'US' },
              ],
              set: { location: 'CA-100' },
            },
          ],
        },
      ]),
      order,
    );
    expect(decisions.allLines.dimensions).toEqual({});
  });

  it('when line rules match by product attribute then each line gets its own values over the document values', () => {
    const decisions = evaluateOrderRules(
      rules([
        { id: 'default-class', cases: [{ when: [], set: { class: 'RETAIL', warehouse: 'WH-MAIN' } }] },
        {
          id: 'by-product-type',
          scope: 'line',
          cases: [
            {
              when: [{ field: 'line.attributes.productType', op: 'equals', value: 'digital' }],
              set: { class: 'DIGITAL', customFields: { REVENUE_STREAM: 'downloads' } },
            },
            { when: [{ field: 'line.sku', op: 'matches', pattern: '^TSHIRT-' }], set: { warehouse: 'WH-APPAREL' } },
          ],
        },
        {
          id: 'bulk-lines',
          scope: 'line',
          cases: [
            {
              when: [
                { field: 'line.quantity', op: 'between', min: 2 },
                { field: 'line.amount', op: 'between', max: 45 },
              ],
              set: { hold: 'bulk at a discount' },
            },
          ],
        },
      ]),
      order,
    );
    const retail = { value: 'RETAIL', ruleId: 'default-class', caseIndex: 0 };
    expect(decisions.lines).toEqual({
      a: { warehouse: { value: 'WH-APPAREL', ruleId: 'by-product-type', caseIndex: 1 }, dimensions: { class: retail }, customFields: {} },
      b: {
        warehouse: { value: 'WH-MAIN', ruleId: 'default-class', caseIndex: 0 },
        dimensions: { class: { value: 'DIGITAL', ruleId: 'by-product-type', caseIndex: 0 } },
        customFields: { REVENUE_STREAM: { value: 'downloads', ruleId: 'by-product-type', caseIndex: 0 } },
      },
    });
    expect(decisions.allLines.dimensions).toEqual({ class: retail });
    expect(decisions.holds).toEqual([{ reason: 'bulk at a discount', ruleId: 'bulk-lines', caseIndex: 0, lineId: 'a' }]);
  });

  it('when a later document rule sets what an earlier line rule set then the later rule wins on that line', () => {
    const decisions = evaluateOrderRules(
      rules([
        {
          id: 'digital',
          scope: 'line',
          cases: [
            {
              when: [{ field: 'line.attributes.productType', op: 'equals', value: 'digital' }],
              set: { class: 'DIGITAL', department: 'D1' },
            },
          ],
        },
        {
          id: 'everything-wholesale',
          cases: [{ when: [{ field: 'customer.group', op: 'equals', value: '3' }], set: { class: 'WHOLESALE' } }],
        },
      ]),
      order,
    );
    expect(decisions.lines.b!.dimensions).toEqual({
      class: { value: 'WHOLESALE', ruleId: 'everything-wholesale', caseIndex: 0 },
      department: { value: 'D1', ruleId: 'digital', caseIndex: 0 },
    });
  });

  it('when a line rule reads a product custom field and a document rule a metafield then each line and the document get theirs', () => {
    const rules = rulesSchema.parse([
      {
        id: 'cost-center',
        cases: [
          {
            when: [{ field: 'order.metafields.erp.costCenter', op: 'equals', value: 'CC-42' }],
            set: { customFields: { COSTCENTER: 'CC42' } },
          },
        ],
      },
      {
        id: 'product-line',
        scope: 'line',
        cases: [
          { when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'Apparel' }], set: { class: 'APPAREL' } },
          { when: [{ field: 'line.productCustomFields.fit.cut', op: 'equals', value: 'slim' }], set: { class: 'SLIM' } },
        ],
      },
    ]);
    const decisions = evaluateOrderRules(rules, order);
    expect(decisions.customFields).toEqual({ COSTCENTER: { value: 'CC42', ruleId: 'cost-center', caseIndex: 0 } });
    expect(decisions.lines.a!.dimensions).toEqual({ class: { value: 'APPAREL', ruleId: 'product-line', caseIndex: 0 } });
    expect(decisions.lines.b!.dimensions).toEqual({});
  });

  it('when rules copy a metafield, a product custom field and a list into custom fields then each lands with its value; a missing field sets nothing', () => {
    const rules = rulesSchema.parse([
      {
        id: 'copy-header',
        cases: [
          {
            set: {
              customFieldsFrom: {
                costcenter: 'order.metafields.erp.costCenter',
                COUPONS: 'order.couponCodes',
                TOTAL: 'order.total',
                REGION: 'order.metafields.erp.region',
              },
            },
          },
        ],
      },
      { id: 'copy-line', scope: 'line', cases: [{ set: { customFieldsFrom: { LINE_REF: 'line.productCustomFields.Product Line' } } }] },
    ]);
    const decisions = evaluateOrderRules(rules, order);
    const source = { ruleId: 'copy-header', caseIndex: 0 };
    expect(decisions.customFields).toEqual({
      COSTCENTER: { value: 'CC-42', ...source },
      COUPONS: { value: 'SPRING10, VIP', ...source },
      TOTAL: { value: '71.62', ...source },
    });
    expect(decisions.lines.a!.customFields).toEqual({ LINE_REF: { value: 'Apparel', ruleId: 'copy-line', caseIndex: 0 } });
    expect(decisions.lines.b!.customFields).toEqual({});
  });

  it("when a document rule asks whether any line's product has a custom field value then the order is routed by it and the values are copied as a list", () => {
    const byProductLine = rulesSchema.parse([
      {
        id: 'gifts-entity',
        cases: [
          {
            when: [{ field: 'order.productCustomFields.Product Line', op: 'in', values: ['Gifts', 'Apparel'] }],
            set: { entity: 'E-GIFTS', customFieldsFrom: { PRODUCT_LINES: 'order.productCustomFields.Product Line' } },
          },
        ],
      },
    ]);
    const mixed = {
      ...order,
      lines: [order.lines[0]!, { ...order.lines[1]!, productCustomFields: { 'Product Line': 'Gifts' } }],
    };
    const decisions = evaluateOrderRules(byProductLine, mixed);
    expect(decisions.entity).toEqual({ value: 'E-GIFTS', ruleId: 'gifts-entity', caseIndex: 0 });
    expect(decisions.customFields).toEqual({ PRODUCT_LINES: { value: 'Apparel, Gifts', ruleId: 'gifts-entity', caseIndex: 0 } });
    const withoutTheField = { ...order, lines: order.lines.map(({ productCustomFields: _fields, ...line }) => line) };
    const unrouted = evaluateOrderRules(byProductLine, withoutTheField);
    expect(unrouted.entity).toBeUndefined();
    expect(unrouted.customFields).toEqual({});
  });

  it('when a line rule names a custom field the product lacks, even one called like an object property, then it does not pass', () => {
    const decisions = evaluateOrderRules(
      rules([
        {
          id: 'odd-names',
          scope: 'line',
          cases: [
            { when: [{ field: 'line.productCustomFields.constructor', op: 'matches', pattern: '.*' }], set: { class: 'C' } },
            { when: [{ field: 'line.attributes.toString', op: 'matches', pattern: '.*' }], set: { class: 'T' } },
          ],
        },
      ]),
      order,
    );
    expect(decisions.lines.a!.dimensions).toEqual({});
    expect(decisions.lines.b!.dimensions).toEqual({});
  });

  it('when two document rules set the entity then the later one wins', () => {
    const decisions = evaluateOrderRules(
      rules([
        { id: 'us', cases: [{ when: [], set: { entity: 'US' } }] },
        { id: 'canada', cases: [{ when: [{ field: 'order.shipToCountry', op: 'equals', value: 'CA' }], set: { entity: 'CA' } }] },
      ]),
      order,
    );
    expect(decisions.entity).toEqual({ value: 'CA', ruleId: 'canada', caseIndex: 0 });
  });

  it('when a document rule routes by product type then an order with any digital line goes to the digital entity and one without does not', () => {
    const byProductType = rules([
      {
        id: 'entity-by-product-type',
        cases: [
          { when: [{ field: 'order.productTypes', op: 'equals', value: 'digital' }], set: { entity: 'E-DIGITAL' } },
          { when: [], set: { entity: 'E-GOODS' } },
        ],
      },
    ]);
    expect(evaluateOrderRules(byProductType, order).entity).toEqual({ value: 'E-DIGITAL', ruleId: 'entity-by-product-type', caseIndex: 0 });
    const physicalOnly = { ...order, lines: order.lines.filter((line) => line.attributes?.productType === 'physical') };
    expect(evaluateOrderRules(byProductType, physicalOnly).entity).toEqual({
      value: 'E-GOODS',
      ruleId: 'entity-by-product-type',
      caseIndex: 1,
    });
  });
});

describe('rules on the product brand and categories', () => {
  const tee = order.lines[0]!;
  const guide = order.lines[1]!;
  const classified: CanonicalOrder = {
    ...order,
    lines: [
      { ...tee, brand: 'Trailhead', brandId: '35', categories: ['Apparel', 'Tees'], categoryIds: ['18', '19'] },
      // An e-book without a brand, in a category of its own.
      { ...guide, categories: ['Books'], categoryIds: ['23'] },
      { ...tee, lineId: 'c', brand: 'Harbor Goods', brandId: '36', categories: ['Kitchen', 'Apparel'], categoryIds: ['21', '18'] },
    ],
  };

  it.each<{ field: string; expected: unknown }>([
    { field: 'order.brands', expected: ['Trailhead', 'Harbor Goods'] },
    { field: 'order.brandIds', expected: ['35', '36'] },
    { field: 'order.categories', expected: ['Apparel', 'Tees', 'Books', 'Kitchen'] },
    { field: 'order.categoryIds', expected: ['18', '19', '23', '21'] },
  ])('$field lists each value once, in line order: $expected', ({ field, expected }) => {
    expect(orderFieldValue(classified, field)).toEqual(expected);
  });

  it('an order read without brands or categories lists none, so no condition on them passes', () => {
    expect(orderFieldValue(order, 'order.brands')).toEqual([]);
    expect(orderFieldValue(order, 'order.categories')).toEqual([]);
    const anyBrand = rules([
      { id: 'b', cases: [{ when: [{ field: 'order.brands', op: 'matches', pattern: '.*' }], set: { class: 'B' } }] },
    ]);
    expect(evaluateOrderRules(anyBrand, order).allLines.dimensions).toEqual({});
  });

  const lineClass = (condition: object) =>
    Object.fromEntries(
      Object.entries(
        evaluateOrderRules(rules([{ id: 'by-product', scope: 'line', cases: [{ when: [condition], set: { class: 'HIT' } }] }]), classified)
          .lines,
      ).map(([lineId, decided]) => [lineId, decided.dimensions.class?.value]),
    );

  it.each<{ case: string; condition: object; hits: Record<string, string | undefined> }>([
    {
      case: 'brand equals a name',
      condition: { field: 'line.brand', op: 'equals', value: 'Trailhead' },
      hits: { a: 'HIT', b: undefined, c: undefined },
    },
    {
      case: 'brand equals is case-sensitive',
      condition: { field: 'line.brand', op: 'equals', value: 'trailhead' },
      hits: { a: undefined, b: undefined, c: undefined },
    },
    {
      case: 'brand in a list',
      condition: { field: 'line.brand', op: 'in', values: ['Harbor Goods', 'Northwind'] },
      hits: { a: undefined, b: undefined, c: 'HIT' },
    },
    {
      case: 'brand matches a pattern (a product with no brand never matches, not even .*)',
      condition: { field: 'line.brand', op: 'matches', pattern: '.*' },
      hits: { a: 'HIT', b: undefined, c: 'HIT' },
    },
    {
      case: 'brand id equals',
      condition: { field: 'line.brandId', op: 'equals', value: '36' },
      hits: { a: undefined, b: undefined, c: 'HIT' },
    },
    {
      case: 'categories equals one of the product’s categories',
      condition: { field: 'line.categories', op: 'equals', value: 'Apparel' },
      hits: { a: 'HIT', b: undefined, c: 'HIT' },
    },
    {
      case: 'categories in a list',
      condition: { field: 'line.categories', op: 'in', values: ['Books', 'Tees'] },
      hits: { a: 'HIT', b: 'HIT', c: undefined },
    },
    {
      case: 'categories matches a pattern',
      condition: { field: 'line.categories', op: 'matches', pattern: '^Kit' },
      hits: { a: undefined, b: undefined, c: 'HIT' },
    },
    {
      case: 'category ids in a list',
      condition: { field: 'line.categoryIds', op: 'in', values: ['23'] },
      hits: { a: undefined, b: 'HIT', c: undefined },
    },
  ])('when a line rule asks $case then only the lines whose product passes get its value', ({ condition, hits }) => {
    expect(lineClass(condition)).toEqual(hits);
  });

  it.each<{ case: string; condition: object; entity: string }>([
    { case: 'any line’s brand equals', condition: { field: 'order.brands', op: 'equals', value: 'Harbor Goods' }, entity: 'E-200' },
    { case: 'no line’s brand is in the list', condition: { field: 'order.brands', op: 'in', values: ['Northwind'] }, entity: 'E-100' },
    { case: 'any line’s category matches', condition: { field: 'order.categories', op: 'matches', pattern: '^Book' }, entity: 'E-200' },
    { case: 'no line’s category id equals', condition: { field: 'order.categoryIds', op: 'equals', value: '99' }, entity: 'E-100' },
  ])('when a document rule routes by $case then the order goes to $entity', ({ condition, entity }) => {
    const routing = rules([
      {
        id: 'entity-by-brand',
        cases: [
          { when: [condition], set: { entity: 'E-200' } },
          { when: [], set: { entity: 'E-100' } },
        ],
      },
    ]);
    expect(evaluateOrderRules(routing, classified).entity?.value).toBe(entity);
  });

  it('when rules copy the brand and categories into custom fields then the line gets its own and the document the order’s list', () => {
    const decisions = evaluateOrderRules(
      rules([
        { id: 'copy-order', cases: [{ set: { customFieldsFrom: { BRANDS: 'order.brands' } } }] },
        {
          id: 'copy-line',
          scope: 'line',
          cases: [{ set: { customFieldsFrom: { BRAND: 'line.brand', CATEGORIES: 'line.categories' } } }],
        },
      ]),
      classified,
    );
    expect(decisions.customFields).toEqual({ BRANDS: { value: 'Trailhead, Harbor Goods', ruleId: 'copy-order', caseIndex: 0 } });
    const copied = (lineId: string) =>
      Object.fromEntries(Object.entries(decisions.lines[lineId]!.customFields).map(([name, set]) => [name, set.value]));
    expect(copied('a')).toEqual({ BRAND: 'Trailhead', CATEGORIES: 'Apparel, Tees' });
    expect(copied('b')).toEqual({ CATEGORIES: 'Books' });
  });
});

describe('rulesSchema', () => {
  const problems = (input: unknown) => {
    const result = rulesSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it.each<{ case: string; input: unknown; expected: string[] }>([
    { case: 'a valid rule with defaults', input: [{ id: 'r', cases: [{ set: { department: 'D' } }] }], expected: [] },
    {
      case: 'an unknown field',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.colour', op: 'equals', value: 'x' }], set: { department: 'D' } }] }],
      expected: [expect.stringMatching(/^0\.cases\.0\.when\.0\.field: field must be order\./)],
    },
    {
      case: 'a line field in a document rule',
      input: [{ id: 'r', cases: [{ when: [{ field: 'line.sku', op: 'equals', value: 'x' }], set: { department: 'D' } }] }],
      expected: ["0.cases.0.when.0.field: line.sku is a line field: set the rule's scope to line"],
    },
    {
      case: 'an entity in a line rule',
      input: [{ id: 'r', scope: 'line', cases: [{ set: { entity: 'E' } }] }],
      expected: ['0.cases.0.set.entity: entity applies to the whole document: set it in a document rule'],
    },
    {
      case: 'a bad pattern',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.status', op: 'matches', pattern: '(' }], set: { department: 'D' } }] }],
      expected: ['0.cases.0.when.0.pattern: pattern is not a valid regular expression'],
    },
    {
      case: 'a range without bounds',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.total', op: 'between' }], set: { department: 'D' } }] }],
      expected: ['0.cases.0.when.0: between needs min, max or both'],
    },
    {
      case: 'a reversed range',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.total', op: 'between', min: 5, max: 1 }], set: { department: 'D' } }] }],
      expected: ['0.cases.0.when.0.max: min must not exceed max'],
    },
    { case: 'a case that sets nothing', input: [{ id: 'r', cases: [{ set: {} }] }], expected: ['0.cases.0.set: set at least one action'] },
    {
      case: 'two rules with one id',
      input: [
        { id: 'r', cases: [{ set: { department: 'D' } }] },
        { id: 'r', cases: [{ set: { class: 'C' } }] },
      ],
      expected: ['1.id: rule id "r" is used twice'],
    },
    {
      case: 'a metafield named without its namespace',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.metafields.costCenter', op: 'equals', value: 'x' }], set: { class: 'C' } }] }],
      expected: ['0.cases.0.when.0.field: order.metafields.costCenter: a metafield is named as namespace.key (for example erp.costCenter)'],
    },
    {
      case: 'a product custom field in a document rule',
      input: [{ id: 'r', cases: [{ when: [{ field: 'line.productCustomFields.Size', op: 'equals', value: 'x' }], set: { class: 'C' } }] }],
      expected: ["0.cases.0.when.0.field: line.productCustomFields.Size is a line field: set the rule's scope to line"],
    },
    {
      case: "a line's brand in a document rule",
      input: [{ id: 'r', cases: [{ when: [{ field: 'line.brand', op: 'equals', value: 'x' }], set: { class: 'C' } }] }],
      expected: ["0.cases.0.when.0.field: line.brand is a line field: set the rule's scope to line"],
    },
    {
      case: 'the brand named in the singular across the order',
      input: [{ id: 'r', cases: [{ when: [{ field: 'order.brand', op: 'equals', value: 'x' }], set: { class: 'C' } }] }],
      expected: [
        expect.stringMatching(/^0\.cases\.0\.when\.0\.field: field must be order\.<.*\|brands\|brandIds\|categories\|categoryIds>/),
      ],
    },
    {
      case: 'an order-wide product custom field in a document rule and a line rule',
      input: [
        {
          id: 'd',
          cases: [{ when: [{ field: 'order.productCustomFields.Product Line', op: 'equals', value: 'x' }], set: { class: 'C' } }],
        },
        {
          id: 'l',
          scope: 'line',
          cases: [{ when: [{ field: 'order.productCustomFields.Product Line', op: 'equals', value: 'x' }], set: { class: 'C' } }],
        },
      ],
      expected: [],
    },
    {
      case: 'an order-wide product custom field name with a leading space',
      input: [
        { id: 'r', cases: [{ when: [{ field: 'order.productCustomFields. Size', op: 'equals', value: 'x' }], set: { class: 'C' } }] },
      ],
      expected: ['0.cases.0.when.0.field: order.productCustomFields. Size: a product custom field name has no leading or trailing spaces'],
    },
    {
      case: 'a product custom field name with a trailing space',
      input: [
        {
          id: 'r',
          scope: 'line',
          cases: [{ when: [{ field: 'line.productCustomFields.Size ', op: 'equals', value: 'x' }], set: { class: 'C' } }],
        },
      ],
      expected: ['0.cases.0.when.0.field: line.productCustomFields.Size : a product custom field name has no leading or trailing spaces'],
    },
    {
      case: 'a product custom field named by nothing',
      input: [
        {
          id: 'r',
          scope: 'line',
          cases: [{ when: [{ field: 'line.productCustomFields.', op: 'equals', value: 'x' }], set: { class: 'C' } }],
        },
      ],
      expected: [expect.stringMatching(/^0\.cases\.0\.when\.0\.field: field must be order\./)],
    },
    {
      case: 'a document rule copying a line field into a custom field',
      input: [{ id: 'r', cases: [{ set: { customFieldsFrom: { LINE_REF: 'line.productCustomFields.Size' } } }] }],
      expected: ["0.cases.0.set.customFieldsFrom.LINE_REF: line.productCustomFields.Size is a line field: set the rule's scope to line"],
    },
    {
      case: 'a custom field copied from a field that does not exist',
      input: [{ id: 'r', cases: [{ set: { customFieldsFrom: { REGION: 'order.metafields.region' } } }] }],
      expected: [
        '0.cases.0.set.customFieldsFrom.REGION: order.metafields.region: a metafield is named as namespace.key (for example erp.costCenter)',
      ],
    },
    {
      case: 'a custom field name Intacct cannot have',
      input: [{ id: 'r', cases: [{ set: { customFields: { 'sales region': 'NA' } } }] }],
      expected: [expect.stringContaining('0.cases.0.set.customFields.sales region')],
    },
  ])('when $case then the problems are listed', ({ input, expected }) => {
    expect(problems(input)).toEqual(expected);
  });

  it('is published as JSON Schema, so a form can be built from it', () => {
    const schema = z.toJSONSchema(rulesSchema, { io: 'input' }) as { type: string; items: { properties: Record<string, unknown> } };
    expect(schema.type).toBe('array');
    expect(Object.keys(schema.items.properties)).toEqual(['id', 'description', 'scope', 'match', 'cases']);
  });

  it.each([
    ['order.productCustomFields.Product Line', true],
    ['line.productCustomFields.Product Line', true],
    ['order.productTypes', true],
    ['order.productCustomField.Size', false],
    ['order.brands', true],
    ['order.brandIds', true],
    ['order.categories', true],
    ['order.categoryIds', true],
    ['line.brand', true],
    ['line.brandId', true],
    ['line.categories', true],
    ['line.categoryIds', true],
    ['order.brand', false],
    ['line.brands', false],
  ])('publishes a field pattern a form can check: %s → %s', (field, admitted) => {
    const published = JSON.stringify(z.toJSONSchema(rulesSchema, { io: 'input' }));
    const patterns = [...published.matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
    const fieldPattern = patterns.find((pattern) => pattern.startsWith('^(order'));
    expect(new RegExp(fieldPattern!).test(field)).toBe(admitted);
  });
});
