import { formatDecimal, parseDecimal, type Scaled } from '../decimal.js';
import { inventoryDefinitions, quantityFieldsOf, stockRow } from '../seed.js';
import { child, childText, childrenNamed } from '../xml-tree.js';
import {
  checkDimensions,
  ensureOpenPeriod,
  legacyDateOf,
  requireActive,
  toUsDate,
  type FunctionContext,
  type FunctionHandler,
} from './context.js';

/**
 * Changes on-hand stock of an item in a warehouse; refuses to go below zero unless the
 * company allows negative inventory.
 */
export function adjustStock(context: FunctionContext, itemId: string, warehouseId: string, delta: Scaled): void {
  if (delta === 0n) return;
  const row = context.store.getById('ITEMWAREHOUSEINFO', `${itemId}@${warehouseId}`);
  const { onHand } = quantityFieldsOf(context.seed);
  const current = row === undefined ? 0n : (parseDecimal(row[onHand] ?? '0') ?? 0n);
  const next = current + delta;
  if (next < 0n && !context.seed.allowNegativeInventory) {
    throw context.errors.fail(
      'negativeInventory',
      `Not enough stock of item ${itemId} in warehouse ${warehouseId}: ${formatDecimal(current)} on hand, ${formatDecimal(-delta)} needed.`,
      'Receive stock first or reduce the quantity.',
    );
  }
  if (row === undefined) context.store.insert('ITEMWAREHOUSEINFO', stockRow(context.seed, itemId, warehouseId, formatDecimal(next)));
  else context.store.update('ITEMWAREHOUSEINFO', Number(row.RECORDNO), { [onHand]: formatDecimal(next) });
}

/** A positive quantity, or the gateway's validation failure. */
export function positiveQuantity(raw: string | undefined, line: number, context: FunctionContext): Scaled {
  const quantity = parseDecimal(raw ?? '');
  if (quantity === undefined || quantity <= 0n)
    throw context.errors.fail('validation', `Line ${line}: quantity ${raw ?? '(missing)'} must be a positive number.`);
  return quantity;
}

/** `create_ictransaction`: adjustment increases and decreases; the key is the DOCID. */
export const createIctransaction: FunctionHandler = (body, context) => {
  const definitionName = childText(body, 'transactiontype') ?? '';
  const definition = inventoryDefinitions.find((candidate) => candidate.name === definitionName);
  if (!definition) throw context.errors.invalidReference('Transaction definition', definitionName);
  const date = legacyDateOf(child(body, 'datecreated'), 'datecreated', context)!;
  ensureOpenPeriod(date, context);
  const documentNumber =
    childText(body, 'documentno') ?? `${definition.prefix}${String(context.store.nextSequence(`IC:${definition.name}`)).padStart(4, '0')}`;
  const documentId = `${definition.name}-${documentNumber}`;
  if (context.store.getById('INVDOCUMENT', documentId))
    throw context.errors.fail(
      'duplicateDocumentNumber',
      `Document number ${documentNumber} already exists for ${definition.name}.`,
      'Use a unique document number.',
    );
  const lines = childrenNamed(child(body, 'ictransitems'), 'ictransitem');
  const headerNo = context.store.insert('INVDOCUMENT', {
    DOCID: documentId,
    DOCNO: documentNumber,
    DOCPARID: definition.name,
    PONUMBER: childText(body, 'referenceno') ?? '',
    MESSAGE: childText(body, 'message') ?? '',
    EXTERNALID: childText(body, 'externalid') ?? '',
    STATE: 'Closed',
    WHENCREATED: toUsDate(date),
  });
  lines.forEach((line, index) => {
    const itemId = childText(line, 'itemid') ?? '';
    const item = requireActive(context, 'ITEM', 'Item', itemId);
    if (item.ITEMTYPE !== 'Inventory' && item.ITEMTYPE !== 'Stockable Kit')
      throw context.errors.fail('validation', `Line ${index + 1}: item ${itemId} is not an inventory item.`);
    const warehouseId = childText(line, 'warehouseid') ?? '';
    requireActive(context, 'WAREHOUSE', 'Warehouse', warehouseId);
    checkDimensions(line, context, { location: 'locationid', department: 'departmentid', class: 'classid' });
    const quantity = positiveQuantity(childText(line, 'quantity'), index + 1, context);
    adjustStock(context, itemId, warehouseId, definition.stock === 'increase' ? quantity : -quantity);
    context.store.insert('INVDOCUMENTENTRY', {
      DOCHDRNO: String(headerNo),
      DOCHDRID: documentId,
      LINE_NO: String(index),
      ITEMID: itemId,
      WAREHOUSEID: warehouseId,
      QUANTITY: formatDecimal(quantity),
      COST: childText(line, 'cost') ?? '',
    });
  });
  return { key: documentId };
};
