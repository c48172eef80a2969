import type { IntacctClient } from './client.js';
import { query, type QueryFilter } from './functions/query.js';
import { fieldText } from './response-parser.js';

/** An order-entry price list entry (SOPRICELISTENTRY) as the price list sync reads it: fields as Intacct gives them. */
export interface IntacctPriceListEntryRecord {
  readonly recordNo: string;
  readonly priceListId: string;
  readonly itemId: string;
  readonly valueType: string;
  readonly value: string;
  /** QTYLIMITMIN. */
  readonly minQuantity: string;
  /** DATEFROM / DATETO, `MM/DD/YYYY`. */
  readonly dateFrom: string;
  readonly dateTo: string;
  readonly status: string;
  /** WHENMODIFIED, `MM/DD/YYYY HH:MM:SS`. */
  readonly modifiedAt: string;
}

/** One page of changed price list entries from {@link readChangedPriceListEntriesPage}. */
export interface ChangedPriceListEntriesPage {
  readonly entries: readonly IntacctPriceListEntryRecord[];
  /** The next page starts after this RECORDNO; absent on the last page. */
  readonly nextAfterRecordNo?: string;
}

/**
 * One page of order-entry price list entries (SOPRICELISTENTRY) of the given price lists
 * modified at or after `modifiedSince` (all when absent), by keyset on RECORDNO: one `query`,
 * one API transaction, resumable from the checkpoint alone as the item pages are.
 */
export async function readChangedPriceListEntriesPage(
  client: IntacctClient,
  options: {
    readonly priceListIds: readonly string[];
    /** Only these items' entries, changed or not: what Intacct still holds for them. */
    readonly itemIds?: readonly string[];
    readonly modifiedSince?: string | undefined;
    readonly afterRecordNo?: string | undefined;
    readonly pageSize?: number;
    readonly controlId: string;
  },
): Promise<ChangedPriceListEntriesPage> {
  const conditions: QueryFilter[] = [
    { field: 'PRICELISTID', operator: 'in', values: [...options.priceListIds] },
    ...(options.itemIds !== undefined ? [{ field: 'ITEMID', operator: 'in' as const, values: [...options.itemIds] }] : []),
    ...(options.modifiedSince !== undefined
      ? [{ field: 'WHENMODIFIED', operator: 'greaterthanorequalto' as const, value: options.modifiedSince }]
      : []),
    ...(options.afterRecordNo !== undefined ? [{ field: 'RECORDNO', operator: 'greaterthan' as const, value: options.afterRecordNo }] : []),
  ];
  const result = await client.executeOne({
    controlId: options.controlId,
    body: query({
      object: 'SOPRICELISTENTRY',
      select: ['RECORDNO', 'PRICELISTID', 'ITEMID', 'VALUETYPE', 'VALUE', 'QTYLIMITMIN', 'DATEFROM', 'DATETO', 'STATUS', 'WHENMODIFIED'],
      filter: conditions.length > 1 ? { and: conditions } : conditions[0]!,
      orderBy: [{ field: 'RECORDNO' }],
      pageSize: options.pageSize ?? 500,
    }),
  });
  const entries = (result.data?.records ?? []).map((record) => ({
    recordNo: fieldText(record, 'RECORDNO'),
    priceListId: fieldText(record, 'PRICELISTID'),
    itemId: fieldText(record, 'ITEMID'),
    valueType: fieldText(record, 'VALUETYPE'),
    value: fieldText(record, 'VALUE'),
    minQuantity: fieldText(record, 'QTYLIMITMIN'),
    dateFrom: fieldText(record, 'DATEFROM'),
    dateTo: fieldText(record, 'DATETO'),
    status: fieldText(record, 'STATUS'),
    modifiedAt: fieldText(record, 'WHENMODIFIED'),
  }));
  const remaining = result.data?.numremaining ?? 0;
  const last = entries.at(-1);
  return remaining > 0 && last !== undefined ? { entries, nextAfterRecordNo: last.recordNo } : { entries };
}
