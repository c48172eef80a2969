import type { IntacctClient } from './client.js';
import { readByName } from './functions/read-by-name.js';
import { queryLiteral } from './formats.js';
import { collectByQuery, readAllByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';

/** An item as the product needs it. */
export interface IntacctItem {
  readonly recordNo: string;
  readonly itemId: string;
  readonly name: string;
  readonly itemType: string;
  readonly status: string;
  readonly basePrice: string;
  readonly unit: string;
}

const itemFields = ['RECORDNO', 'ITEMID', 'NAME', 'ITEMTYPE', 'STATUS', 'BASEPRICE', 'UNIT'];

function toItem(record: IntacctRecord): IntacctItem {
  return {
    recordNo: fieldText(record, 'RECORDNO'),
    itemId: fieldText(record, 'ITEMID'),
    name: fieldText(record, 'NAME'),
    itemType: fieldText(record, 'ITEMTYPE'),
    status: fieldText(record, 'STATUS'),
    basePrice: fieldText(record, 'BASEPRICE'),
    unit: fieldText(record, 'UNIT'),
  };
}

/** Items by ITEMID (up to 100); unknown ids are simply absent from the answer. */
export async function readItems(client: IntacctClient, itemIds: readonly string[]): Promise<IntacctItem[]> {
  const result = await client.executeOne({
    controlId: 'item-read',
    body: readByName({ object: 'ITEM', keys: itemIds, fields: itemFields }),
  });
  return (result.data?.records ?? []).map(toItem);
}

/** Items matching a readByQuery expression, page by page. */
export async function* queryItems(client: IntacctClient, query: string, pageSize = 1000): AsyncGenerator<IntacctItem[]> {
  for await (const page of readAllByQuery(client, { object: 'ITEM', query, fields: itemFields, pageSize, controlIdPrefix: 'item-query' }))
    yield page.records.map(toItem);
}

/** An item whose matching field holds one of the keys looked up, with that field's value. */
export interface IntacctItemMatch {
  readonly matchedValue: string;
  readonly itemId: string;
  readonly status: string;
}

/** The items whose `field` holds one of `values`: one `readByQuery` with `FIELD IN (…)` returning the field. */
export async function findItemsByField(client: IntacctClient, field: string, values: readonly string[]): Promise<IntacctItemMatch[]> {
  const records = await collectByQuery(client, {
    object: 'ITEM',
    query: `${field} IN (${values.map(queryLiteral).join(', ')})`,
    fields: ['RECORDNO', 'ITEMID', 'STATUS', field],
    pageSize: 1000,
    controlIdPrefix: 'item-by-field',
  });
  return records.map((record) => ({
    matchedValue: fieldText(record, field),
    itemId: fieldText(record, 'ITEMID'),
    status: fieldText(record, 'STATUS'),
  }));
}
