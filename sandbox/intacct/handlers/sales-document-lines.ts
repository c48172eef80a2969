import { formatDecimal, multiply, parseDecimal, roundTo, type Scaled } from '../decimal.js';
import { salesDefinitions, type SalesDefinition } from '../seed.js';
import type { Row } from '../store.js';
import { childText, type XmlNode } from '../xml-tree.js';
import { checkDimensions, checkUnmodelledDimensions, entityOwnerFields, requireActive, type FunctionContext } from './context.js';
import { adjustStock, positiveQuantity } from './inventory.js';
import { customFieldsOf } from './sales-document-header.js';
import { lineShipToFields, lineTaxOf, storeLineTax } from './sales-document-tax.js';

/* Sales document lines: their definition, and how a line is checked, stored and moves stock. */

const hundred = 100_000_000n;

/** The sales transaction definition of that name, or an invalid-reference failure. */
export function definitionOf(name: string, context: FunctionContext): SalesDefinition {
  const definition = salesDefinitions.find((candidate) => candidate.name === name);
  if (!definition) throw context.errors.invalidReference('Transaction definition', name);
  return definition;
}

/** Whether an item keeps stock in warehouses. */
export function isStocked(item: Row): boolean {
  return item.ITEMTYPE === 'Inventory' || item.ITEMTYPE === 'Stockable Kit';
}

/** How a quantity on a document of this definition moves stock. */
export function stockDelta(definition: SalesDefinition, quantity: Scaled): Scaled {
  return definition.stock === 'decrease' ? -quantity : definition.stock === 'increase' ? quantity : 0n;
}

/** What conversions have not taken yet of a source line: its quantity less QTY_CONVERTED. */
export function sourceLineLeft(sourceLine: Row): Scaled {
  return (parseDecimal(sourceLine.QUANTITY ?? '0') ?? 0n) - (parseDecimal(sourceLine.QTY_CONVERTED ?? '0') ?? 0n);
}

/**
 * Checks one `sotransitem` and stores it as a SODOCUMENTENTRY, moving stock as the definition
 * says; returns what it adds to the document's total (its amount and its tax entries).
 */
export function addLine(
  line: XmlNode,
  lineNo: number,
  header: {
    readonly recordNo: number;
    readonly documentId: string;
    readonly definition: SalesDefinition;
    readonly source: Row | undefined;
    /** The document's tax solution, which the line's tax entries must belong to. */
    readonly taxSolution?: Row | undefined;
  },
  context: FunctionContext,
): Scaled {
  const itemId = childText(line, 'itemid') ?? '';
  const item = requireActive(context, 'ITEM', 'Item', itemId);
  const warehouseId = childText(line, 'warehouseid');
  if (warehouseId !== undefined) requireActive(context, 'WAREHOUSE', 'Warehouse', warehouseId);
  if (warehouseId === undefined && isStocked(item) && header.definition.stock !== 'none') {
    throw context.errors.fail(
      'validation',
      `Line ${lineNo + 1}: a warehouse is required for inventory item ${itemId}.`,
      'Provide warehouseid.',
    );
  }
  checkDimensions(line, context, { location: 'locationid', department: 'departmentid', project: 'projectid', class: 'classid' });
  const lineCustomer = childText(line, 'customerid');
  if (lineCustomer !== undefined) requireActive(context, 'CUSTOMER', 'Customer', lineCustomer);
  checkUnmodelledDimensions(line, context);
  const customFields = customFieldsOf(line, 'SODOCUMENTENTRY', context);
  const quantity = positiveQuantity(childText(line, 'quantity'), lineNo + 1, context);
  const rawPrice = childText(line, 'price') ?? item.BASEPRICE ?? '0';
  const price = parseDecimal(rawPrice);
  if (price === undefined || price < 0n)
    throw context.errors.fail('validation', `Line ${lineNo + 1}: price ${rawPrice} is not a valid amount.`);
  const rawDiscount = childText(line, 'discountpercent') ?? '0';
  const discount = parseDecimal(rawDiscount);
  if (discount === undefined || discount < 0n || discount > hundred)
    throw context.errors.fail('validation', `Line ${lineNo + 1}: discount percent ${rawDiscount} must be between 0 and 100.`);
  const sourceLineKey = childText(line, 'sourcelinekey');
  if (sourceLineKey !== undefined) {
    const sourceLine = context.store.get('SODOCUMENTENTRY', Number(sourceLineKey));
    if (!header.source || !sourceLine || sourceLine.DOCHDRID !== header.source.DOCID)
      throw context.errors.fail(
        'validation',
        `Line ${lineNo + 1}: source line ${sourceLineKey} does not belong to the document this one is created from.`,
      );
    const left = sourceLineLeft(sourceLine);
    if (quantity > left) {
      throw context.errors.fail(
        'validation',
        `Line ${lineNo + 1}: quantity ${formatDecimal(quantity)} is more than the ${formatDecimal(left)} left on source line ${sourceLineKey}.`,
      );
    }
    // Partial conversions: what later conversions may still take of the source line.
    context.store.update('SODOCUMENTENTRY', Number(sourceLineKey), {
      QTY_CONVERTED: formatDecimal((parseDecimal(sourceLine.QTY_CONVERTED ?? '0') ?? 0n) + quantity),
    });
  }
  const gross = multiply(quantity, price);
  const total = roundTo(gross - multiply(gross, discount) / 100n, 2);
  const shipTo = lineShipToFields(line, lineNo + 1, header.definition, context);
  const { tax, entries: taxEntries } = lineTaxOf(line, lineNo + 1, total, header.taxSolution, context);
  if (isStocked(item) && warehouseId !== undefined) adjustStock(context, itemId, warehouseId, stockDelta(header.definition, quantity));
  const lineRecordNo = context.store.insert('SODOCUMENTENTRY', {
    ...entityOwnerFields(context),
    DOCHDRNO: String(header.recordNo),
    DOCHDRID: header.documentId,
    LINE_NO: String(lineNo),
    ITEMID: itemId,
    ITEMDESC: childText(line, 'itemdesc') ?? item.NAME ?? '',
    WAREHOUSEID: warehouseId ?? '',
    QUANTITY: formatDecimal(quantity),
    UNIT: childText(line, 'unit') ?? item.UNIT ?? '',
    PRICE: formatDecimal(price),
    DISCOUNTPERCENT: formatDecimal(discount),
    TOTAL: formatDecimal(total),
    MEMO: childText(line, 'memo') ?? '',
    LOCATIONID: childText(line, 'locationid') ?? '',
    DEPARTMENTID: childText(line, 'departmentid') ?? '',
    PROJECTID: childText(line, 'projectid') ?? '',
    CLASSID: childText(line, 'classid') ?? '',
    SOURCELINEKEY: sourceLineKey ?? '',
    TAXAMOUNT: formatDecimal(tax),
    ...shipTo,
    ...customFields,
  });
  storeLineTax(taxEntries, { documentRecordNo: header.recordNo, documentId: header.documentId, lineRecordNo, lineIndex: lineNo }, context);
  return total + tax;
}
