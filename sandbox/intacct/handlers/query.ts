import type { FunctionFailure } from '../error-catalogue.js';
import { matches, type QueryExpression } from '../query-language.js';
import { recordElement } from '../record-output.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { el } from '../xml-output.js';
import type { FunctionContext, FunctionHandler } from './context.js';
import { objectName, selectFields } from './reads.js';

/** Largest `query` page; larger requests are cut to it. */
export const maxQueryPageSize = 2000;
/** Most values an `in`/`notin` filter takes. */
export const maxInValues = 1000;

const comparisons: Readonly<Record<string, '=' | '!=' | '<' | '>' | '<=' | '>='>> = {
  equalto: '=',
  notequalto: '!=',
  lessthan: '<',
  lessthanorequalto: '<=',
  greaterthan: '>',
  greaterthanorequalto: '>=',
};

function invalid(context: FunctionContext, message: string): FunctionFailure {
  return context.errors.fail('queryFailed', `Query Failed: ${message}`, 'Check the filter.');
}

function fieldOf(node: XmlNode, context: FunctionContext): string {
  const field = childText(node, 'field')?.trim().toUpperCase();
  if (!field) throw invalid(context, `<${node.name}> needs a <field>`);
  return field;
}

/** Turns a `<filter>` operator into the sandbox's query expression. */
function toExpression(node: XmlNode, context: FunctionContext): QueryExpression {
  const operator = node.name;
  if (operator === 'and' || operator === 'or') {
    if (node.children.length < 2) throw invalid(context, `<${operator}> needs at least two conditions`);
    return node.children.map((inner) => toExpression(inner, context)).reduce((left, right) => ({ kind: operator, left, right }));
  }
  const compare = comparisons[operator];
  if (compare) return { kind: 'compare', field: fieldOf(node, context), operator: compare, value: childText(node, 'value') ?? '' };
  const values = childrenNamed(node, 'value').map((value) => value.text);
  switch (operator) {
    case 'between': {
      if (values.length !== 2) throw invalid(context, '<between> takes exactly two values');
      const field = fieldOf(node, context);
      return {
        kind: 'and',
        left: { kind: 'compare', field, operator: '>=', value: values[0]! },
        right: { kind: 'compare', field, operator: '<=', value: values[1]! },
      };
    }
    case 'in':
    case 'notin':
      if (values.length === 0 || values.length > maxInValues) throw invalid(context, `<${operator}> takes 1 to ${maxInValues} values`);
      return { kind: 'in', field: fieldOf(node, context), values, negated: operator === 'notin' };
    case 'like':
    case 'notlike':
      return { kind: 'like', field: fieldOf(node, context), pattern: childText(node, 'value') ?? '', negated: operator === 'notlike' };
    case 'isnull':
    case 'isnotnull':
      return { kind: 'null', field: fieldOf(node, context), negated: operator === 'isnotnull' };
    default:
      throw invalid(context, `unknown filter operator <${operator}>`);
  }
}

const numeric = /^-?\d+(\.\d+)?$/;

/** A value as the sort compares it: numbers by value, everything else as text. */
interface SortKey {
  text: string;
  number: number | undefined;
}

const sortKey = (value: string): SortKey => ({ text: value, number: numeric.test(value) ? Number(value) : undefined });

function compareForSort(a: SortKey, b: SortKey): number {
  if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * `query`: an explicit select list, a filter tree, ordering, offset paging (pages of up to
 * 2000, no resultId), display values, optional case-insensitivity; UPPERCASE records.
 */
export const query: FunctionHandler = (body, context) => {
  const object = objectName(body, context);
  const fields = childrenNamed(child(body, 'select'), 'field').map((field) => field.text.trim().toUpperCase());
  if (fields.length === 0 || fields.includes('*')) throw invalid(context, '<select> needs an explicit list of <field> elements');
  const selected = selectFields(object, fields.join(','), context, []);
  const filter = child(body, 'filter');
  if (filter !== undefined && filter.children.length !== 1)
    throw invalid(context, '<filter> takes exactly one operator; combine conditions with <and> or <or>');
  const expression: QueryExpression = filter === undefined ? { kind: 'all' } : toExpression(filter.children[0]!, context);
  const caseInsensitive = childText(child(body, 'options'), 'caseinsensitive')?.trim() === 'true';
  const rawPageSize = (childText(body, 'pagesize') ?? '100').trim();
  const rawOffset = (childText(body, 'offset') ?? '0').trim();
  if (!/^\d+$/.test(rawPageSize) || Number(rawPageSize) < 1) throw invalid(context, `invalid pagesize ${rawPageSize}`);
  if (!/^\d+$/.test(rawOffset)) throw invalid(context, `invalid offset ${rawOffset}`);
  const pageSize = Math.min(Number(rawPageSize), maxQueryPageSize);
  const offset = Number(rawOffset);
  const docparid = childText(body, 'docparid');
  let rows: Row[] = context.store
    .all(object)
    .filter(
      (row) => (docparid === undefined || row.DOCPARID === docparid) && matches(expression, row, { caseInsensitive, displayValues: true }),
    );
  const orders = childrenNamed(child(body, 'orderby'), 'order').map((order) => ({
    field: fieldOf(order, context),
    descending: child(order, 'descending') !== undefined,
  }));
  if (orders.length > 0) {
    // Keys are worked out once per row, not once per comparison: a 100k-row sort makes millions.
    const keyed = rows.map((row) => ({ row, keys: orders.map((order) => sortKey(row[order.field] ?? '')) }));
    keyed.sort((a, b) => {
      for (const [index, order] of orders.entries()) {
        const result = compareForSort(a.keys[index]!, b.keys[index]!);
        if (result !== 0) return order.descending ? -result : result;
      }
      return 0;
    });
    rows = keyed.map((entry) => entry.row);
  }
  const page = rows.slice(offset, offset + pageSize);
  const remaining = Math.max(0, rows.length - offset - page.length);
  const fieldList = selected === '*' ? fields : selected;
  return {
    data: el(
      'data',
      page.map((row) => recordElement(object, row, fieldList)),
      {
        listtype: object,
        totalcount: String(rows.length),
        offset: String(offset),
        count: String(page.length),
        numremaining: String(remaining),
      },
    ),
  };
};
