import type { SalesDocumentLine } from '../connectors/intacct/functions/create-sotransaction.js';
import type { SalesLineChange } from '../connectors/intacct/functions/update-sotransaction.js';
import type { OrderDifference } from '../decisions/order-edit.js';
import { parseAmount } from './money.js';
import type { SalesOrderLine } from './to-intacct-sales-order-reduction.js';

export interface SalesOrderEditInput {
  /** The document's currency, for comparing prices to the cent. */
  currency: string;
  /** The sales order's lines as Intacct holds them now. */
  held: readonly SalesOrderLine[];
  /** The lines the order as the store has it now maps to (`buildSalesDocument`). */
  wanted: readonly SalesDocumentLine[];
}

/** The update that makes the sales order's lines what the store's order maps to, and what it changes, line by line. */
export interface SalesOrderEdit {
  changedLines: SalesLineChange[];
  addedLines: SalesDocumentLine[];
  /** What the store says against what Intacct holds, per Intacct item; empty when the lines already match. */
  differences: OrderDifference[];
  /**
   * The changed lines whose tax the store computes per line: Intacct's `updatesotransitem` has
   * no `taxentries` (Sage's `api.xsd`), so an update would leave their tax as first posted and
   * the sales order would no longer total the store's order. Empty when the edit only adds lines
   * (a new `sotransitem` carries its own tax entries) or the tenant posts no line tax.
   */
  taxNotUpdatable: OrderDifference[];
}

/**
 * The sales order's lines brought in line with the store's order, as absolute quantities and
 * prices (so sending it twice changes nothing). Each wanted line takes the first line Intacct
 * holds for the same item, in line order (a line an earlier edit set to 0 is taken again); a
 * line whose quantity or price differs is changed, a wanted line with none left is added, and
 * a held line nothing wants goes to quantity 0, since the XML API cannot remove a line.
 */
export function toIntacctSalesOrderEdit({ currency, held, wanted }: SalesOrderEditInput): SalesOrderEdit {
  const sameAmount = (a: string, b: string) => {
    try {
      const [left, right] = [parseAmount(a === '' ? '0' : a, currency), parseAmount(b === '' ? '0' : b, currency)];
      return left.exact && right.exact ? left.minor === right.minor : a === b;
    } catch {
      return a === b;
    }
  };
  const text = (quantity: string, price: string | undefined) => `${Number(quantity)} × ${price ?? 'the item price'} ${currency}`;
  const unused = [...held];
  const edit: SalesOrderEdit = { changedLines: [], addedLines: [], differences: [], taxNotUpdatable: [] };
  const taxText = (line: SalesDocumentLine) =>
    (line.taxEntries ?? []).map((entry) => `${entry.amount ?? 'the rate'} ${entry.detailId}`).join(' + ');
  const taxedPerLine = wanted.some((line) => (line.taxEntries?.length ?? 0) > 0);
  for (const line of wanted) {
    const index = unused.findIndex((candidate) => candidate.itemId === line.itemId);
    if (index === -1) {
      edit.addedLines.push(line);
      edit.differences.push({ what: `item ${line.itemId}`, storeSays: text(line.quantity, line.price), intacctHolds: 'none' });
      continue;
    }
    const [match] = unused.splice(index, 1) as [SalesOrderLine];
    const quantityChanged = Number(match.quantity) !== Number(line.quantity);
    const priceChanged = line.price !== undefined && !sameAmount(match.price, line.price);
    if (!quantityChanged && !priceChanged) continue;
    edit.changedLines.push({
      lineNumber: match.lineNumber,
      ...(quantityChanged && { quantity: line.quantity }),
      ...(priceChanged && { price: line.price }),
    });
    edit.differences.push({
      what: `item ${line.itemId} (line ${match.lineNumber})`,
      storeSays: text(line.quantity, line.price),
      intacctHolds: text(match.quantity, match.price),
    });
    if ((line.taxEntries?.length ?? 0) > 0)
      edit.taxNotUpdatable.push({
        what: `tax of item ${line.itemId} (line ${match.lineNumber})`,
        storeSays: taxText(line),
        intacctHolds: 'the tax first posted (an update cannot change a line’s tax)',
      });
  }
  for (const left of unused) {
    if (Number(left.quantity) === 0) continue;
    edit.changedLines.push({ lineNumber: left.lineNumber, quantity: '0' });
    edit.differences.push({
      what: `item ${left.itemId} (line ${left.lineNumber})`,
      storeSays: 'none',
      intacctHolds: text(left.quantity, left.price),
    });
    if (taxedPerLine)
      edit.taxNotUpdatable.push({
        what: `tax of item ${left.itemId} (line ${left.lineNumber})`,
        storeSays: 'none',
        intacctHolds: 'the tax first posted (an update cannot change a line’s tax)',
      });
  }
  return edit;
}
