import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { queryLiteral } from './formats.js';
import { createIctransaction, type InventoryTransactionInput } from './functions/create-ictransaction.js';
import { query } from './functions/query.js';
import { collectByQuery, queryAllByOffset, readAllByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/**
 * Field names of the per-warehouse quantities on ITEMWAREHOUSEINFO. They are not confirmed
 * by any published source, so they are configuration (check them with `lookup` on a tenant).
 */
export interface WarehouseQuantityFields {
  readonly onHand: string;
  readonly onOrder: string;
  readonly onHold: string;
}

/** The names assumed until a tenant's `lookup` says otherwise. */
export const defaultWarehouseQuantityFields: WarehouseQuantityFields = { onHand: 'QONHAND', onOrder: 'QONORDER', onHold: 'QONHOLD' };

/** Stock of one item in one warehouse (decimal text, as Intacct sends it). */
export interface WarehouseStock {
  readonly itemId: string;
  readonly warehouseId: string;
  readonly onHand: string;
  readonly onOrder: string;
  readonly onHold: string;
}

/**
 * Per-warehouse stock, page by page (readByQuery pages of up to 1000 + readMore), optionally
 * for some warehouses only.
 */
export async function* listWarehouseStock(
  client: IntacctClient,
  options: { readonly warehouseIds?: readonly string[]; readonly pageSize?: number; readonly fields?: WarehouseQuantityFields } = {},
): AsyncGenerator<WarehouseStock[]> {
  const fields = options.fields ?? defaultWarehouseQuantityFields;
  const query =
    options.warehouseIds === undefined || options.warehouseIds.length === 0
      ? ''
      : `WAREHOUSEID IN (${options.warehouseIds.map(queryLiteral).join(', ')})`;
  for await (const page of readAllByQuery(client, {
    object: 'ITEMWAREHOUSEINFO',
    query,
    fields: ['ITEMID', 'WAREHOUSEID', fields.onHand, fields.onOrder, fields.onHold],
    pageSize: options.pageSize ?? 1000,
    controlIdPrefix: 'stock',
  })) {
    yield page.records.map((record) => ({
      itemId: fieldText(record, 'ITEMID'),
      warehouseId: fieldText(record, 'WAREHOUSEID'),
      onHand: fieldText(record, fields.onHand),
      onOrder: fieldText(record, fields.onOrder),
      onHold: fieldText(record, fields.onHold),
    }));
  }
}

/**
 * Per-warehouse stock through the `query` function: pages of up to 2000 by offset, ordered by
 * RECORDNO so pages stay stable, fewer transactions than readByQuery for large catalogues.
 */
export async function* queryWarehouseStock(
  client: IntacctClient,
  options: { readonly warehouseIds?: readonly string[]; readonly pageSize?: number; readonly fields?: WarehouseQuantityFields } = {},
): AsyncGenerator<WarehouseStock[]> {
  const fields = options.fields ?? defaultWarehouseQuantityFields;
  for await (const page of queryAllByOffset(client, {
    object: 'ITEMWAREHOUSEINFO',
    select: ['RECORDNO', 'ITEMID', 'WAREHOUSEID', fields.onHand, fields.onOrder, fields.onHold],
    ...(options.warehouseIds === undefined || options.warehouseIds.length === 0
      ? {}
      : { filter: { field: 'WAREHOUSEID', operator: 'in' as const, values: options.warehouseIds } }),
    orderBy: [{ field: 'RECORDNO' }],
    pageSize: options.pageSize ?? 2000,
    controlIdPrefix: 'stock-query',
  })) {
    yield page.records.map((record) => ({
      itemId: fieldText(record, 'ITEMID'),
      warehouseId: fieldText(record, 'WAREHOUSEID'),
      onHand: fieldText(record, fields.onHand),
      onOrder: fieldText(record, fields.onOrder),
      onHold: fieldText(record, fields.onHold),
    }));
  }
}

/** One page of whole items' stock from {@link readWarehouseStockPage}. */
export interface WarehouseStockPage {
  /** Stock rows of each item on the page, grouped by item, in ITEMID order. */
  readonly items: ReadonlyArray<{ readonly itemId: string; readonly rows: readonly WarehouseStock[] }>;
  /** The next page starts after this item id; absent on the last page. */
  readonly nextAfterItemId?: string;
}

/**
 * One page of per-warehouse stock by keyset on ITEMID (one `query`, one API transaction): rows
 * ordered by ITEMID then RECORDNO, starting after `afterItemId`. An item whose rows run past the
 * page's end is left for the next page, so every item comes whole whatever its warehouse count;
 * a keyset (not an offset) keeps pages stable while stock rows are added during a long run.
 */
export async function readWarehouseStockPage(
  client: IntacctClient,
  options: {
    readonly afterItemId?: string | undefined;
    readonly pageSize?: number;
    readonly fields?: WarehouseQuantityFields;
    readonly controlId: string;
  },
): Promise<WarehouseStockPage> {
  const fields = options.fields ?? defaultWarehouseQuantityFields;
  const result = await client.executeOne({
    controlId: options.controlId,
    body: query({
      object: 'ITEMWAREHOUSEINFO',
      select: ['RECORDNO', 'ITEMID', 'WAREHOUSEID', fields.onHand, fields.onOrder, fields.onHold],
      ...(options.afterItemId !== undefined && {
        filter: { field: 'ITEMID', operator: 'greaterthan' as const, value: options.afterItemId },
      }),
      orderBy: [{ field: 'ITEMID' }, { field: 'RECORDNO' }],
      pageSize: options.pageSize ?? 2000,
    }),
  });
  const records = result.data?.records ?? [];
  const remaining = result.data?.numremaining ?? 0;
  const items: Array<{ itemId: string; rows: WarehouseStock[] }> = [];
  for (const record of records) {
    const row: WarehouseStock = {
      itemId: fieldText(record, 'ITEMID'),
      warehouseId: fieldText(record, 'WAREHOUSEID'),
      onHand: fieldText(record, fields.onHand),
      onOrder: fieldText(record, fields.onOrder),
      onHold: fieldText(record, fields.onHold),
    };
    const last = items.at(-1);
    if (last !== undefined && last.itemId === row.itemId) last.rows.push(row);
    else items.push({ itemId: row.itemId, rows: [row] });
  }
  if (remaining <= 0 || items.length === 0) return { items };
  // The last item may continue on the next page: read it again there, whole (unless it alone fills the page).
  const whole = items.length > 1 ? items.slice(0, -1) : items;
  return { items: whole, nextAfterItemId: whole.at(-1)!.itemId };
}

/** Posts an inventory adjustment exactly once; its reference number resolves a replay. */
export async function createInventoryAdjustment(
  client: IntacctClient,
  input: InventoryTransactionInput & { readonly referenceNumber: string },
  controlId: string,
): Promise<{ readonly documentId: string; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: createIctransaction(input) }, { uniqueId: true });
    return { documentId: result.key ?? '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const records = await collectByQuery(client, {
      object: 'INVDOCUMENT',
      query: `DOCPARID = ${queryLiteral(input.transactionDefinition)} AND PONUMBER = ${queryLiteral(input.referenceNumber)}`,
      fields: ['DOCID'],
      pageSize: 10,
      controlIdPrefix: 'invdoc-by-reference',
    });
    const documentId = records[0] === undefined ? '' : fieldText(records[0], 'DOCID');
    if (!documentId)
      throw recordedButMissing(
        controlId,
        'create_ictransaction',
        `no ${input.transactionDefinition} ${input.referenceNumber} exists`,
        error,
      );
    return { documentId, created: false };
  }
}

/** The DOCID of the inventory transaction of `transactionDefinition` with this reference (PONUMBER), or undefined. */
export async function findInventoryDocumentByReference(
  client: IntacctClient,
  transactionDefinition: string,
  referenceNumber: string,
): Promise<string | undefined> {
  const [found] = await collectByQuery(client, {
    object: 'INVDOCUMENT',
    query: `DOCPARID = ${queryLiteral(transactionDefinition)} AND PONUMBER = ${queryLiteral(referenceNumber)}`,
    fields: ['DOCID'],
    pageSize: 1,
    controlIdPrefix: 'invdoc-by-reference',
  });
  return found === undefined ? undefined : fieldText(found, 'DOCID');
}
