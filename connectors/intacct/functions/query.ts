import { element, optional, type XmlElement } from '../xml-writer.js';

/** Largest page the `query` function serves. */
export const maxQueryPageSize = 2000;

/** A `query` filter: one operator, nested under `and`/`or`. Values are display values, as text. */
export type QueryFilter =
  | { readonly and: readonly QueryFilter[] }
  | { readonly or: readonly QueryFilter[] }
  | {
      readonly field: string;
      readonly operator:
        'equalto' | 'notequalto' | 'lessthan' | 'lessthanorequalto' | 'greaterthan' | 'greaterthanorequalto' | 'like' | 'notlike';
      readonly value: string;
    }
  | { readonly field: string; readonly operator: 'between'; readonly values: readonly [string, string] }
  | { readonly field: string; readonly operator: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly field: string; readonly operator: 'isnull' | 'isnotnull' };

/** `query` input: an explicit field list (no `*`), offset paging, no resultId. */
export interface QueryInput {
  readonly object: string;
  readonly select: readonly string[];
  readonly docparid?: string;
  readonly filter?: QueryFilter;
  readonly orderBy?: ReadonlyArray<{ readonly field: string; readonly descending?: boolean }>;
  readonly caseInsensitive?: boolean;
  readonly pageSize?: number;
  readonly offset?: number;
}

function filterElement(filter: QueryFilter): XmlElement {
  if ('and' in filter) return element('and', filter.and.map(filterElement));
  if ('or' in filter) return element('or', filter.or.map(filterElement));
  const field = element('field', filter.field);
  switch (filter.operator) {
    case 'isnull':
    case 'isnotnull':
      return element(filter.operator, [field]);
    case 'between':
    case 'in':
    case 'notin':
      if (filter.values.length === 0 || filter.values.length > 1000) throw new RangeError(`${filter.operator} takes 1–1000 values`);
      return element(filter.operator, [field, ...filter.values.map((value) => element('value', value))]);
    default:
      return element(filter.operator, [field, element('value', filter.value)]);
  }
}

/** The `query` function (newer than Sage's 2019 schema; the live gateway serves it). Page with `offset` while `numremaining` > 0. */
export function query(input: QueryInput): XmlElement {
  const pageSize = input.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxQueryPageSize)
    throw new RangeError(`query page size is 1–${maxQueryPageSize}, got ${pageSize}`);
  if (input.select.length === 0 || input.select.includes('*')) throw new RangeError('query needs an explicit list of fields');
  const offset = input.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`query offset must be a non-negative integer, got ${offset}`);
  return element('query', [
    element('object', input.object),
    element(
      'select',
      input.select.map((field) => element('field', field)),
    ),
    ...optional('docparid', input.docparid),
    ...(input.filter === undefined ? [] : [element('filter', [filterElement(input.filter)])]),
    ...(input.orderBy === undefined || input.orderBy.length === 0
      ? []
      : [
          element(
            'orderby',
            input.orderBy.map((order) =>
              element('order', [element('field', order.field), element(order.descending ? 'descending' : 'ascending')]),
            ),
          ),
        ]),
    element('options', [element('caseinsensitive', input.caseInsensitive ? 'true' : 'false')]),
    element('pagesize', String(pageSize)),
    element('offset', String(offset)),
  ]);
}
