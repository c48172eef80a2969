import type { LineDimensions } from '../connectors/intacct/functions/create-sotransaction.js';
import type { CustomFieldValue } from '../connectors/intacct/functions/legacy-parts.js';
import type { Rule, RuleActions, RuleCondition, RuleDimension } from '../store/schemas/settings.js';
import { storefrontEntry as named, type CanonicalOrder, type CanonicalOrderLine } from './canonical-order.js';
import { formatAmount } from './money.js';

/** Which rule (and which of its cases, from 0) set a value: what the preview shows beside it. */
export interface RuleSource {
  ruleId: string;
  caseIndex: number;
}

/** A value a rule set, with the rule that set it. */
export interface RuleValue extends RuleSource {
  value: string;
}

/** What rules set on one product line (document rules' line-wide values included). */
export interface LineRuleDecisions {
  warehouse?: RuleValue;
  dimensions: Partial<Record<RuleDimension, RuleValue>>;
  /** User-defined dimensions and custom fields of the line, by Intacct integration name. */
  customFields: Record<string, RuleValue>;
}

/** A rule's hold: the order waits for approval rather than being posted. */
export interface RuleHold extends RuleSource {
  reason: string;
  /** The line whose rule asked for the hold; absent for a document rule. */
  lineId?: string;
}

/** Everything the tenant's rules decided for one order. */
export interface RuleDecisions {
  entity?: RuleValue;
  transactionDefinition?: RuleValue;
  /** Custom fields and user-defined dimensions of the document header. */
  customFields: Record<string, RuleValue>;
  /** Values for lines no line rule names: shipping, tax and other adjustment lines. */
  allLines: LineRuleDecisions;
  /** By canonical line id: every product line, with what applies to it. */
  lines: Record<string, LineRuleDecisions>;
  holds: RuleHold[];
}

type FieldValue = string | number | readonly string[] | undefined;

const major = (minor: number, currency: string) => Number(formatAmount(minor, currency));

/** The value of an `order.*` or `customer.*` field of an order, as conditions read it. */
export function orderFieldValue(order: CanonicalOrder, field: string): FieldValue {
  const [scope, name, ...rest] = field.split('.');
  if (scope === 'customer') {
    switch (name) {
      case 'kind':
        return order.customer.kind;
      case 'id':
        return order.customer.kind === 'registered' ? order.customer.customerId : undefined;
      case 'email':
        return order.customer.email;
      case 'group':
        return order.attributes.customerGroupId;
    }
    return undefined;
  }
  if (scope !== 'order') return undefined;
  switch (name) {
    case 'attributes':
      return named(order.attributes, rest.join('.'));
    case 'metafields':
      return named(order.metafields, rest.join('.'));
    case 'productCustomFields': {
      const name = rest.join('.');
      return [...new Set(order.lines.flatMap((line) => named(line.productCustomFields, name) ?? []))];
    }
    case 'storefront':
    case 'status':
    case 'currency':
    case 'paymentMethod':
      return order[name];
    case 'total':
    case 'tax':
    case 'shipping':
    case 'discount':
      return major(order[name], order.currency);
    case 'couponCodes':
      return order.couponCodes;
    case 'shippingMethod':
    case 'channelId':
      return order.attributes[name];
    case 'billToCountry':
      return order.billingAddress.country;
    case 'shipToCountry':
      return order.shippingAddress?.country;
    case 'shipToRegion':
      return order.shippingAddress?.region;
    case 'lineCount':
      return order.lines.length;
    case 'productTypes':
      return [...new Set(order.lines.flatMap((line) => line.attributes?.productType ?? []))];
    case 'brands':
      return [...new Set(order.lines.flatMap((line) => line.brand ?? []))];
    case 'brandIds':
      return [...new Set(order.lines.flatMap((line) => line.brandId ?? []))];
    case 'categories':
    case 'categoryIds':
      return [...new Set(order.lines.flatMap((line) => line[name] ?? []))];
  }
  return undefined;
}

function lineFieldValue(line: CanonicalOrderLine, field: string, currency: string): FieldValue {
  const [, name, ...rest] = field.split('.');
  switch (name) {
    case 'attributes':
      return named(line.attributes, rest.join('.'));
    case 'productCustomFields':
      return named(line.productCustomFields, rest.join('.'));
    case 'sku':
    case 'productId':
    case 'name':
    case 'upc':
    case 'locationId':
    case 'brand':
    case 'brandId':
    case 'categories':
    case 'categoryIds':
      return line[name];
    case 'quantity':
      return line.quantity;
    case 'unitPrice':
      return major(line.unitPrice, currency);
    case 'amount':
      return major(line.lineTotal - line.lineDiscount, currency);
  }
  return undefined;
}

function valueHolds(condition: RuleCondition, value: string | number): boolean {
  switch (condition.op) {
    case 'equals':
      return String(value) === condition.value;
    case 'in':
      return condition.values.includes(String(value));
    case 'matches':
      return new RegExp(condition.pattern).test(String(value));
    case 'between': {
      const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
      if (Number.isNaN(number)) return false;
      return (condition.min === undefined || number >= condition.min) && (condition.max === undefined || number <= condition.max);
    }
  }
}

/** Whether a condition holds for a field's value; a missing field fails, a list passes when any of its values does. */
export function conditionHolds(condition: RuleCondition, value: FieldValue): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string' || typeof value === 'number') return valueHolds(condition, value);
  return value.some((each) => valueHolds(condition, each));
}

const emptyLine = (): LineRuleDecisions => ({ dimensions: {}, customFields: {} });

function applyToLine(target: LineRuleDecisions, set: RuleActions, source: RuleSource): void {
  if (set.warehouse !== undefined) target.warehouse = { value: set.warehouse, ...source };
  for (const dimension of ['department', 'location', 'project', 'class', 'customer', 'vendor', 'employee', 'contract'] as const) {
    const value = set[dimension];
    if (value !== undefined) target.dimensions[dimension] = { value, ...source };
  }
}

/** A field's value as a custom field takes it: a list joined, a number as text; nothing for a field the order lacks. */
function copiedValue(value: FieldValue): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : value.join(', ');
  return text === '' ? undefined : text;
}

function applyCustomFields(
  target: Record<string, RuleValue>,
  set: RuleActions,
  source: RuleSource,
  read: (field: string) => FieldValue,
): void {
  for (const [name, value] of Object.entries(set.customFields ?? {})) target[name.toUpperCase()] = { value, ...source };
  for (const [name, field] of Object.entries(set.customFieldsFrom ?? {})) {
    const value = copiedValue(read(field));
    if (value !== undefined) target[name.toUpperCase()] = { value, ...source };
  }
}

/** The indexes of a rule's cases that apply: the first that matches, or every one that does. */
function matchingCases(rule: Rule, holds: (condition: RuleCondition) => boolean): number[] {
  const matching: number[] = [];
  for (const [index, ruleCase] of rule.cases.entries()) {
    if (!ruleCase.when.every(holds)) continue;
    matching.push(index);
    if (rule.match === 'first') break;
  }
  return matching;
}

/**
 * Evaluates the tenant's rules against an order, purely. Rules run in list order and a later
 * rule's value replaces an earlier one's (so a specific rule goes after a general one). A
 * document rule reads the order and its customer; its warehouse and dimensions apply to every
 * line, its custom fields to the document. A line rule is tried on each product line and its
 * values override the document's for that line. Every value keeps the rule that set it, and
 * every `hold` is collected, so the caller can say which rule stopped the order.
 */
export function evaluateOrderRules(rules: readonly Rule[], order: CanonicalOrder): RuleDecisions {
  const decisions: RuleDecisions = { customFields: {}, allLines: emptyLine(), lines: {}, holds: [] };
  const lineOverrides = new Map<string, LineRuleDecisions>();
  const documentHolds = (condition: RuleCondition) => conditionHolds(condition, orderFieldValue(order, condition.field));

  for (const rule of rules) {
    if (rule.scope === 'document') {
      for (const caseIndex of matchingCases(rule, documentHolds)) {
        const set = rule.cases[caseIndex]!.set;
        const source = { ruleId: rule.id, caseIndex };
        if (set.entity !== undefined) decisions.entity = { value: set.entity, ...source };
        if (set.transactionDefinition !== undefined) decisions.transactionDefinition = { value: set.transactionDefinition, ...source };
        applyToLine(decisions.allLines, set, source);
        // A later document rule wins over an earlier line rule's value too: drop what it replaces.
        for (const override of lineOverrides.values()) dropReplaced(override, set);
        applyCustomFields(decisions.customFields, set, source, (field) => orderFieldValue(order, field));
        if (set.hold !== undefined) decisions.holds.push({ reason: set.hold, ...source });
      }
      continue;
    }
    for (const line of order.lines) {
      const read = (field: string) =>
        field.startsWith('line.') ? lineFieldValue(line, field, order.currency) : orderFieldValue(order, field);
      const lineHolds = (condition: RuleCondition) => conditionHolds(condition, read(condition.field));
      for (const caseIndex of matchingCases(rule, lineHolds)) {
        const set = rule.cases[caseIndex]!.set;
        const source = { ruleId: rule.id, caseIndex };
        let override = lineOverrides.get(line.lineId);
        if (override === undefined) lineOverrides.set(line.lineId, (override = emptyLine()));
        applyToLine(override, set, source);
        applyCustomFields(override.customFields, set, source, read);
        if (set.hold !== undefined) decisions.holds.push({ reason: set.hold, ...source, lineId: line.lineId });
      }
    }
  }

  for (const line of order.lines) {
    const override = lineOverrides.get(line.lineId) ?? emptyLine();
    const warehouse = override.warehouse ?? decisions.allLines.warehouse;
    decisions.lines[line.lineId] = {
      ...(warehouse !== undefined && { warehouse }),
      dimensions: { ...decisions.allLines.dimensions, ...override.dimensions },
      customFields: { ...override.customFields },
    };
  }
  return decisions;
}

function dropReplaced(override: LineRuleDecisions, set: RuleActions): void {
  if (set.warehouse !== undefined) delete override.warehouse;
  for (const dimension of Object.keys(override.dimensions) as RuleDimension[]) {
    if (set[dimension] !== undefined) delete override.dimensions[dimension];
  }
}

const lineDimensionFields = {
  department: 'departmentId',
  location: 'locationId',
  project: 'projectId',
  class: 'classId',
  customer: 'customerId',
  vendor: 'vendorId',
  employee: 'employeeId',
  contract: 'contractId',
} as const satisfies Record<RuleDimension, keyof LineDimensions>;

/** The dimensions rules set on a line, as the sales line's fields. */
export function lineDimensionsOf(decisions: LineRuleDecisions): LineDimensions {
  const dimensions: { -readonly [K in keyof LineDimensions]: string } = {};
  for (const [dimension, set] of Object.entries(decisions.dimensions) as Array<[RuleDimension, RuleValue]>) {
    dimensions[lineDimensionFields[dimension]] = set.value;
  }
  return dimensions;
}

/** Custom fields rules set, as Intacct custom field values, in name order. */
export function customFieldsOf(fields: Record<string, RuleValue>): CustomFieldValue[] {
  return Object.keys(fields)
    .sort()
    .map((name) => ({ name, value: fields[name]!.value }));
}
