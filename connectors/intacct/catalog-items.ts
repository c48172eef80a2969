import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { createItem as createItemFunction, type ItemInput } from './functions/create-item.js';
import { query, type QueryFilter } from './functions/query.js';
import { readItems } from './items.js';
import { fieldText } from './response-parser.js';

/** An item as the catalog sync reads it: the fields Intacct may own and when it last changed. */
export interface IntacctCatalogItemRecord {
  readonly itemId: string;
  readonly name: string;
  readonly status: string;
  readonly basePrice: string;
  readonly standardCost: string;
  /** WHENMODIFIED, `MM/DD/YYYY HH:MM:SS`. */
  readonly modifiedAt: string;
  /** The value of the field that flags an item for the web, when the read asked for one ('' when unset). */
  readonly webFlag?: string;
}

/** One page of changed items from {@link readChangedItemsPage}. */
export interface ChangedItemsPage {
  readonly items: readonly IntacctCatalogItemRecord[];
  /** The next page starts after this item id; absent on the last page. */
  readonly nextAfterItemId?: string;
}

/**
 * One page of items modified at or after `modifiedSince` (all items when absent), by keyset on
 * ITEMID: one `query`, one API transaction. A keyset rather than an offset or a resultId, so a
 * run that continues as new, or resumes on another worker after a crash, starts the next page
 * from its checkpoint alone, and items changed while it pages do not shift the pages.
 */
export async function readChangedItemsPage(
  client: IntacctClient,
  options: {
    /** `MM/DD/YYYY HH:MM:SS`, inclusive: WHENMODIFIED counts whole seconds. */
    readonly modifiedSince?: string | undefined;
    readonly afterItemId?: string | undefined;
    readonly pageSize?: number;
    readonly controlId: string;
    /** The item field that flags an item for the web (a custom field such as WEB_ENABLED): read into `webFlag`. */
    readonly webFlagField?: string | undefined;
  },
): Promise<ChangedItemsPage> {
  const { webFlagField } = options;
  const conditions: QueryFilter[] = [
    ...(options.modifiedSince !== undefined
      ? [{ field: 'WHENMODIFIED', operator: 'greaterthanorequalto' as const, value: options.modifiedSince }]
      : []),
    ...(options.afterItemId !== undefined ? [{ field: 'ITEMID', operator: 'greaterthan' as const, value: options.afterItemId }] : []),
  ];
  const filter: QueryFilter | undefined = conditions.length > 1 ? { and: conditions } : conditions[0];
  const result = await client.executeOne({
    controlId: options.controlId,
    body: query({
      object: 'ITEM',
      select: [
        'RECORDNO',
        'ITEMID',
        'NAME',
        'STATUS',
        'BASEPRICE',
        'STANDARD_COST',
        'WHENMODIFIED',
        ...(webFlagField === undefined ? [] : [webFlagField]),
      ],
      ...(filter !== undefined && { filter }),
      orderBy: [{ field: 'ITEMID' }],
      pageSize: options.pageSize ?? 500,
    }),
  });
  const items = (result.data?.records ?? []).map((record) => ({
    itemId: fieldText(record, 'ITEMID'),
    name: fieldText(record, 'NAME'),
    status: fieldText(record, 'STATUS'),
    basePrice: fieldText(record, 'BASEPRICE'),
    standardCost: fieldText(record, 'STANDARD_COST'),
    modifiedAt: fieldText(record, 'WHENMODIFIED'),
    ...(webFlagField !== undefined && { webFlag: fieldText(record, webFlagField) }),
  }));
  const remaining = result.data?.numremaining ?? 0;
  const last = items.at(-1);
  return remaining > 0 && last !== undefined ? { items, nextAfterItemId: last.itemId } : { items };
}

/**
 * Creates an item exactly once: `uniqueid` makes a retry whose first answer was lost come back
 * as already recorded, and the item is then read back by its id. `created: false` says so.
 */
export async function createItem(
  client: IntacctClient,
  input: ItemInput,
  controlId: string,
): Promise<{ readonly itemId: string; readonly recordNo: string; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: createItemFunction(input) }, { uniqueId: true });
    const record = result.data?.records[0];
    return { itemId: input.itemId, recordNo: record ? fieldText(record, 'RECORDNO') : '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const [existing] = await readItems(client, [input.itemId]);
    if (!existing) throw recordedButMissing(controlId, 'create', `item ${input.itemId} no longer exists`, error);
    return { itemId: existing.itemId, recordNo: existing.recordNo, created: false };
  }
}
