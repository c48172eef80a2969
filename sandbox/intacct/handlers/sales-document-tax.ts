import { formatDecimal, multiply, parseDecimal, roundTo, type Scaled } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { requireActive, type FunctionContext } from './context.js';
import { documentContactFields } from './sales-document-header.js';
import type { SalesDefinition } from '../seed.js';

/*
 * Tax detail and shipping on sales documents: the document's tax solution, each line's tax
 * entries (tax details of that solution, with the tax amount stated or computed from the
 * detail's rate), line-level ship-to, and the shipping method. What the gateway refuses here is
 * what a company's setup makes it refuse: unknown or inactive solutions, details and shipping
 * methods, tax entries without a solution or from another one, purchase details on a sale, and
 * a line ship-to on a definition that does not enable it.
 */

/** The document's tax solution (`taxsolutionid`), checked, or undefined when the document has none. */
export function taxSolutionOf(body: XmlNode, context: FunctionContext): Row | undefined {
  const solutionId = childText(body, 'taxsolutionid');
  return solutionId === undefined ? undefined : requireActive(context, 'TAXSOLUTION', 'Tax Solution', solutionId);
}

/** The document's shipping method (`shippingmethod`), checked against the company's shipping methods. */
export function shippingMethodOf(body: XmlNode, context: FunctionContext): string {
  const name = childText(body, 'shippingmethod');
  return name === undefined ? '' : (requireActive(context, 'SHIPMETHOD', 'Shipping Method', name).NAME ?? name);
}

/** A line's own ship-to, as the line keeps it; only on definitions that enable line-level ship-to. */
export function lineShipToFields(line: XmlNode, lineNo: number, definition: SalesDefinition, context: FunctionContext): Row {
  const shipTo = child(line, 'shipto');
  if (shipTo === undefined) return {};
  if (definition.lineShipTo !== true)
    throw context.errors.fail(
      'validation',
      `Line ${lineNo}: line-level ship-to is not enabled on transaction definition ${definition.name}.`,
      'Enable line-level ship-to on the transaction definition, or give the ship-to on the header.',
    );
  return documentContactFields('SHIPTO', shipTo, context);
}

/** A line's tax entry, checked, before the line it belongs to is stored. */
export interface LineTaxEntry {
  readonly detail: Row;
  readonly amount: Scaled;
}

/**
 * Checks a line's tax entries; returns them with the line's tax. A detail appears once per line,
 * belongs to the document's solution and is a sales detail; `trx_tax` absent means the detail's
 * rate on the line's amount, rounded to the cent.
 */
export function lineTaxOf(
  line: XmlNode,
  lineNo: number,
  lineTotal: Scaled,
  solution: Row | undefined,
  context: FunctionContext,
): { tax: Scaled; entries: LineTaxEntry[] } {
  const nodes = childrenNamed(child(line, 'taxentries'), 'taxentry');
  if (nodes.length === 0) return { tax: 0n, entries: [] };
  if (solution === undefined)
    throw context.errors.fail('validation', `Line ${lineNo}: tax entries need the document's tax solution.`, 'Provide taxsolutionid.');
  const entries: LineTaxEntry[] = [];
  const seen = new Set<string>();
  for (const entry of nodes) {
    const detailId = childText(entry, 'detailid') ?? '';
    const detail = requireActive(context, 'TAXDETAIL', 'Tax Detail', detailId);
    if (detail.TAXSOLUTIONID !== solution.SOLUTIONID)
      throw context.errors.fail(
        'validation',
        `Line ${lineNo}: tax detail ${detailId} does not belong to tax solution ${solution.SOLUTIONID ?? ''}.`,
      );
    if (detail.TAXTYPE !== 'Sale')
      throw context.errors.fail(
        'validation',
        `Line ${lineNo}: tax detail ${detailId} is a purchase tax detail and cannot be used on a sale.`,
      );
    if (seen.has(detailId)) throw context.errors.fail('validation', `Line ${lineNo}: tax detail ${detailId} is given more than once.`);
    seen.add(detailId);
    const stated = childText(entry, 'trx_tax');
    const amount =
      stated === undefined || stated.trim() === ''
        ? roundTo(multiply(lineTotal, parseDecimal(detail.VALUE ?? '0') ?? 0n) / 100n, 2)
        : parseDecimal(stated);
    if (amount === undefined) throw context.errors.fail('validation', `Line ${lineNo}: tax amount ${stated ?? ''} is not a valid amount.`);
    entries.push({ detail, amount: roundTo(amount, 2) });
  }
  return { tax: entries.reduce((sum, entry) => sum + entry.amount, 0n), entries };
}

/**
 * Stores a stored line's tax entries as Intacct keeps a line's tax detail: line-level records of
 * SODOCUMENTSUBTOTALS (the document's subtotals object; Sage's REST "document line subtotals"),
 * each naming its document (DOCHDRNO) and line (DOCENTRYKEY), with the tax detail (DETAILID), its
 * rate (PERCENTVAL) and the tax in the transaction currency (TRX_ABSVAL, and TRX_TOTAL alike).
 * DOCHDRID, LINE_NO and TRX_TAX are kept beside them for the sandbox's own records readers.
 */
export function storeLineTax(
  entries: readonly LineTaxEntry[],
  line: { readonly documentRecordNo: number; readonly documentId: string; readonly lineRecordNo: number; readonly lineIndex: number },
  context: FunctionContext,
): void {
  for (const { detail, amount } of entries) {
    const tax = formatDecimal(amount);
    context.store.insert('SODOCUMENTSUBTOTALS', {
      DOCHDRNO: String(line.documentRecordNo),
      DOCHDRID: line.documentId,
      DOCENTRYKEY: String(line.lineRecordNo),
      LINE_NO: String(line.lineIndex),
      DESCRIPTION: detail.DETAILID ?? '',
      DETAILID: detail.DETAILID ?? '',
      TAXSOLUTIONID: detail.TAXSOLUTIONID ?? '',
      PERCENTVAL: detail.VALUE ?? '',
      TRX_ABSVAL: tax,
      TRX_TOTAL: tax,
      TRX_TAX: tax,
      STATUS: 'active',
    });
  }
}
