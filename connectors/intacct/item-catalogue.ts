import type { IntacctClient } from './client.js';
import { queryLiteral } from './formats.js';
import { readAllByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/** An item as the mapping assistant's catalogue keeps it. */
export interface IntacctCatalogueItem {
  readonly itemId: string;
  readonly name: string;
  readonly status: string;
  readonly basePrice: string;
  readonly unit: string;
  /** The item's `UPC` (UPC/EAN/GTIN as entered), '' when it has none: what "same UPC" suggestions compare. */
  readonly upc: string;
  /** Intacct's `WHENMODIFIED` (`MM/DD/YYYY HH:MM:SS`), the cursor of the next refresh. */
  readonly whenModified: string;
}

const catalogueFields = ['RECORDNO', 'ITEMID', 'NAME', 'STATUS', 'BASEPRICE', 'UNIT', 'UPC', 'WHENMODIFIED'];

/**
 * The company's items page by page (1,000 a request, each one API transaction), all of them or
 * only those modified at or after `modifiedSince` (inclusive, so an item changed in the same
 * second as the last one seen is not missed). Inactive items come too, so a cache can drop them.
 */
export async function* readItemCatalogue(client: IntacctClient, modifiedSince?: string): AsyncGenerator<IntacctCatalogueItem[]> {
  const query = modifiedSince === undefined ? '' : `WHENMODIFIED >= ${queryLiteral(modifiedSince)}`;
  for await (const page of readAllByQuery(client, {
    object: 'ITEM',
    query,
    fields: catalogueFields,
    pageSize: 1000,
    controlIdPrefix: 'item-catalogue',
  }))
    yield page.records.map((record) => ({
      itemId: fieldText(record, 'ITEMID'),
      name: fieldText(record, 'NAME'),
      status: fieldText(record, 'STATUS'),
      basePrice: fieldText(record, 'BASEPRICE'),
      unit: fieldText(record, 'UNIT'),
      upc: fieldText(record, 'UPC'),
      whenModified: fieldText(record, 'WHENMODIFIED'),
    }));
}
