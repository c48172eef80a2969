import { element, optional, type XmlElement } from '../xml-writer.js';

/** Largest page `readByQuery` serves. */
export const maxReadByQueryPageSize = 1000;

/**
 * `readByQuery`: records matching a query in Intacct's SQL-like language (`''` = all rows).
 * Build literals with `queryLiteral`. Page on with `readMore` while `numremaining` > 0.
 */
export function readByQuery(input: {
  readonly object: string;
  readonly query: string;
  readonly fields?: readonly string[];
  readonly pageSize?: number;
  readonly docparid?: string;
}): XmlElement {
  const pageSize = input.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxReadByQueryPageSize)
    throw new RangeError(`readByQuery page size is 1–${maxReadByQueryPageSize}, got ${pageSize}`);
  return element('readByQuery', [
    element('object', input.object),
    element('fields', input.fields?.join(',') ?? '*'),
    // Required even when empty: the schema has no default for it.
    element('query', input.query),
    element('pagesize', String(pageSize)),
    ...optional('docparid', input.docparid),
  ]);
}
