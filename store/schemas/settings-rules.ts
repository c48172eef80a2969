// Tenant settings, `rules`: the tenant's declarative business rules (conditions on the order, its
// lines and its customer → where and how the order is posted). Part of the schema in ./settings.ts.
import { z } from 'zod';
import { identifier, oneOf } from './fields.js';

/**
 * Order fields a condition can read, besides `order.attributes.<name>` (channel, storefront
 * custom fields, UTM attributes the storefront mapper keeps), `order.metafields.<namespace>.<key>`
 * and `order.productCustomFields.<name>`. Money fields are
 * decimal amounts in the order's currency (`order.total` 120.5 is 120.50). `productTypes` lists
 * the product types of the order's lines (a list: a condition passes when any line's type does),
 * so a document rule can route a whole order by what it sells; `brands`, `brandIds`,
 * `categories` and `categoryIds` list the lines' products' brands and categories the same way.
 */
export const orderRuleFields = [
  'storefront',
  'status',
  'currency',
  'total',
  'tax',
  'shipping',
  'discount',
  'couponCodes',
  'paymentMethod',
  'shippingMethod',
  'channelId',
  'billToCountry',
  'shipToCountry',
  'shipToRegion',
  'lineCount',
  'productTypes',
  'brands',
  'brandIds',
  'categories',
  'categoryIds',
] as const;
/** Customer fields a condition can read. `group` is the storefront customer group's id. */
export const customerRuleFields = ['kind', 'id', 'email', 'group'] as const;
/**
 * Line fields a condition of a `line` rule can read, besides `line.attributes.<name>` (product
 * type, options) and `line.productCustomFields.<name>`. `brand` and `categories` are the names
 * of the product's brand and categories, `brandId` and `categoryIds` their storefront ids.
 */
export const lineRuleFields = [
  'sku',
  'productId',
  'name',
  'quantity',
  'unitPrice',
  'amount',
  'upc',
  'locationId',
  'brand',
  'brandId',
  'categories',
  'categoryIds',
] as const;

/**
 * The product's brand and categories as the line names them: read from BigCommerce's catalogue
 * (the product's `brand_id` and `categories`, names resolved by one more request each) only for
 * tenants whose rules name one.
 */
export const productClassificationFields = ['brand', 'brandId', 'categories', 'categoryIds'] as const;
/** One of {@link productClassificationFields}. */
export type ProductClassificationField = (typeof productClassificationFields)[number];

const classificationByRuleField: Readonly<Record<string, ProductClassificationField>> = {
  'order.brands': 'brand',
  'order.brandIds': 'brandId',
  'order.categories': 'categories',
  'order.categoryIds': 'categoryIds',
  'line.brand': 'brand',
  'line.brandId': 'brandId',
  'line.categories': 'categories',
  'line.categoryIds': 'categoryIds',
};

/** Which product classification a rule field reads (`order.brands` and `line.brand` both read the brand's name); undefined for any other field. */
export const productClassificationOf = (field: string): ProductClassificationField | undefined =>
  Object.hasOwn(classificationByRuleField, field) ? classificationByRuleField[field] : undefined;

/**
 * `order.metafields.<namespace>.<key>`: a BigCommerce order metafield, read only for tenants
 * whose settings name one (the reference is `namespace.key`, as {@link orderMetafieldReference} checks).
 */
export const orderMetafieldPrefix = 'order.metafields.';
/** `line.productCustomFields.<name>`: a BigCommerce product custom field of the line's product, by its name as the merchant typed it. */
export const lineProductCustomFieldPrefix = 'line.productCustomFields.';
/**
 * `order.productCustomFields.<name>`: the distinct values the custom field of that name has on
 * the order's products (a list, like `order.productTypes`), so a document rule can ask whether
 * any line's product has it.
 */
export const orderProductCustomFieldPrefix = 'order.productCustomFields.';
/** The fields that name a product custom field, line by line or across the order. */
export const productCustomFieldPrefixes = [lineProductCustomFieldPrefix, orderProductCustomFieldPrefix] as const;

/**
 * A metafield named as `namespace.key` (each 1–64 characters, as BigCommerce allows; either may
 * itself hold dots, so the whole text is matched against `namespace.key` of each metafield).
 */
export const orderMetafieldReference = z
  .string({ error: 'a metafield is named as text' })
  .max(129, 'a metafield is named as namespace.key, each at most 64 characters')
  .regex(/^[^\p{Cc}]+\.[^\p{Cc}]+$/u, 'a metafield is named as namespace.key (for example erp.costCenter)');

/** A product custom field named as the merchant typed it (1–250 characters). */
export const productCustomFieldName = z
  .string({ error: 'a product custom field is named as text' })
  .min(1, 'a product custom field name must not be empty')
  .max(250, 'a product custom field name is at most 250 characters')
  .refine((name) => name.trim() === name, 'a product custom field name has no leading or trailing spaces');

const attributeName = '[A-Za-z_][A-Za-z0-9_:.-]*';
const fieldPattern = new RegExp(
  `^(order\\.(${orderRuleFields.join('|')})|order\\.attributes\\.${attributeName}|customer\\.(${customerRuleFields.join('|')})|line\\.(${lineRuleFields.join('|')})|line\\.attributes\\.${attributeName}|order\\.metafields\\..+|(order|line)\\.productCustomFields\\..+)$`,
);
const fieldMessage = `field must be order.<${orderRuleFields.join('|')}>, order.attributes.<name>, order.metafields.<namespace>.<key>, order.productCustomFields.<name>, customer.<${customerRuleFields.join('|')}>, line.<${lineRuleFields.join('|')}>, line.attributes.<name> or line.productCustomFields.<name>`;

// The pattern (published in the JSON Schema) admits any text after the two prefixes; the refinement says what is wrong with it.
const ruleField = z
  .string({ error: 'field must be text' })
  .regex(fieldPattern, fieldMessage)
  .superRefine((field, context) => {
    if (!fieldPattern.test(field)) return;
    if (field.startsWith(orderMetafieldPrefix)) {
      const reference = orderMetafieldReference.safeParse(field.slice(orderMetafieldPrefix.length));
      if (!reference.success) context.addIssue({ code: 'custom', message: `${field}: ${reference.error.issues[0]!.message}` });
      return;
    }
    const prefix = productCustomFieldPrefixes.find((each) => field.startsWith(each));
    if (prefix !== undefined) {
      const name = productCustomFieldName.safeParse(field.slice(prefix.length));
      if (!name.success) context.addIssue({ code: 'custom', message: `${field}: ${name.error.issues[0]!.message}` });
    }
  });

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * One test of a field: `equals` one value, is `in` a list, `matches` a regular expression
 * (JavaScript syntax, unanchored: use ^ and $ for the whole value), or lies `between` a minimum
 * and a maximum (numbers, both inclusive, either may be left out). A list field (coupon codes)
 * passes when any of its values does; a field the order lacks never passes.
 */
export const ruleConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ field: ruleField, op: z.literal('equals'), value: z.string({ error: 'value must be text' }) }),
    z.strictObject({
      field: ruleField,
      op: z.literal('in'),
      values: z.array(z.string({ error: 'values must be text' })).min(1, 'list at least one value'),
    }),
    z.strictObject({
      field: ruleField,
      op: z.literal('matches'),
      pattern: z.string({ error: 'pattern must be text' }).refine(isValidPattern, 'pattern is not a valid regular expression'),
    }),
    z
      .strictObject({
        field: ruleField,
        op: z.literal('between'),
        min: z.number({ error: 'min must be a number' }).optional(),
        max: z.number({ error: 'max must be a number' }).optional(),
      })
      .refine((range) => range.min !== undefined || range.max !== undefined, { message: 'between needs min, max or both' })
      .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, {
        message: 'min must not exceed max',
        path: ['max'],
      }),
  ],
  { error: 'op must be one of equals, in, matches, between' },
);

/** The Intacct dimensions an action can set: the standard ones (user-defined dimensions are custom fields). */
export const ruleDimensions = ['department', 'location', 'project', 'class', 'customer', 'vendor', 'employee', 'contract'] as const;

const customFieldName = z
  .string({ error: 'custom field names must be text' })
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a custom field name is the Intacct integration name (letters, digits, underscores)');

/**
 * What a matching case sets. Document rules may set every action (dimensions, warehouse and
 * custom fields then apply to every line, except `customFields`, which go on the document);
 * line rules set the line's own warehouse, dimensions and custom fields. `hold` stops the order
 * for approval with the given reason instead of posting it.
 */
export const ruleActionsSchema = z
  .strictObject({
    /** The Intacct entity (top-level location id of a multi-entity company) the document is posted to. */
    entity: identifier('entity').optional(),
    transactionDefinition: identifier('transactionDefinition').optional(),
    warehouse: identifier('warehouse').optional(),
    department: identifier('department').optional(),
    location: identifier('location').optional(),
    project: identifier('project').optional(),
    class: identifier('class').optional(),
    customer: identifier('customer').optional(),
    vendor: identifier('vendor').optional(),
    employee: identifier('employee').optional(),
    contract: identifier('contract').optional(),
    /** Intacct custom fields and user-defined dimensions, by integration name (e.g. `GLDIMCHANNEL`, `SALES_REGION`). */
    customFields: z.record(customFieldName, identifier('a custom field value')).optional(),
    /**
     * Intacct custom fields and user-defined dimensions whose value is copied from a field a
     * condition could read (e.g. `{ "COSTCENTER": "order.metafields.erp.costCenter" }`); a field
     * the order lacks sets nothing. Line fields only in line rules.
     */
    customFieldsFrom: z.record(customFieldName, ruleField).optional(),
    /** Why the order waits for approval. */
    hold: identifier('hold').optional(),
  })
  .refine((actions) => Object.values(actions).some((value) => value !== undefined), { message: 'set at least one action' });

const ruleCaseSchema = z.strictObject({
  /** Every condition must hold; none: the case always matches. */
  when: z.array(ruleConditionSchema).default(() => []),
  set: ruleActionsSchema,
});

/**
 * One rule: cases tried in order. `first` applies the first case that matches; `all` applies
 * every matching case, a later case's value replacing an earlier one's. `document` rules are
 * evaluated once per order; `line` rules once per product line, and may read `line.*` fields.
 */
export const ruleSchema = z
  .strictObject({
    /** The rule's name, shown with every value it sets (preview, sync log). */
    id: identifier('id').max(80, 'id must be at most 80 characters'),
    description: z.string({ error: 'description must be text' }).max(500).optional(),
    scope: oneOf('scope', ['document', 'line']).default('document'),
    match: oneOf('match', ['first', 'all']).default('first'),
    cases: z.array(ruleCaseSchema).min(1, 'a rule needs at least one case'),
  })
  .superRefine((rule, context) => {
    for (const [index, ruleCase] of rule.cases.entries()) {
      if (rule.scope === 'document') {
        for (const [conditionIndex, condition] of ruleCase.when.entries()) {
          if (condition.field.startsWith('line.'))
            context.addIssue({
              code: 'custom',
              path: ['cases', index, 'when', conditionIndex, 'field'],
              message: `${condition.field} is a line field: set the rule's scope to line`,
            });
        }
        for (const [name, field] of Object.entries(ruleCase.set.customFieldsFrom ?? {})) {
          if (field.startsWith('line.'))
            context.addIssue({
              code: 'custom',
              path: ['cases', index, 'set', 'customFieldsFrom', name],
              message: `${field} is a line field: set the rule's scope to line`,
            });
        }
      } else {
        for (const action of ['entity', 'transactionDefinition'] as const) {
          if (ruleCase.set[action] !== undefined)
            context.addIssue({
              code: 'custom',
              path: ['cases', index, 'set', action],
              message: `${action} applies to the whole document: set it in a document rule`,
            });
        }
      }
    }
  });

/** The tenant's rule list: evaluated in order, a later rule's value replacing an earlier one's. */
export const rulesSchema = z.array(ruleSchema).superRefine((rules, context) => {
  const seen = new Set<string>();
  for (const [index, rule] of rules.entries()) {
    if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `rule id "${rule.id}" is used twice` });
    seen.add(rule.id);
  }
});

/** One condition of a rule. */
export type RuleCondition = z.output<typeof ruleConditionSchema>;
/** What a rule's case sets. */
export type RuleActions = z.output<typeof ruleActionsSchema>;
/** One rule of {@link TenantSettings}. */
export type Rule = z.output<typeof ruleSchema>;
/** One of {@link ruleDimensions}. */
export type RuleDimension = (typeof ruleDimensions)[number];
