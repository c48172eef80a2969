import type { SalesDocumentLine } from '../connectors/intacct/functions/create-sotransaction.js';
import type { SalesLineChange } from '../connectors/intacct/functions/update-sotransaction.js';
import type { AdjustmentItemRow, TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalRefund } from './canonical-refund.js';
import { allocateLargestRemainder, formatAmount, parseAmount } from './money.js';
import { refundTaxPostingOf, type RefundedOrderTax } from './refund-tax.js';
import type { ResolvedItem } from './to-intacct-sales-document.js';

/** One line of the sales order as Intacct holds it now (SODOCUMENTENTRY), numbered 1-based as updates address it. */
export interface SalesOrderLine {
  /** 1-based, as `update_sotransaction` addresses lines (reads report LINE_NO 0-based). */
  lineNumber: number;
  itemId: string;
  /** Decimal text, as read. */
  quantity: string;
  /** Unit price, decimal text in the document's currency. */
  price: string;
  warehouseId?: string | undefined;
  unit?: string | undefined;
  memo?: string | undefined;
  locationId?: string | undefined;
  departmentId?: string | undefined;
  projectId?: string | undefined;
  classId?: string | undefined;
}

export interface SalesOrderReductionInput {
  refund: CanonicalRefund;
  /** DOCID of the sales order the refund reduces. */
  salesDocumentId: string;
  /** The sales order's lines as they are now: before this refund, after every earlier one. */
  lines: readonly SalesOrderLine[];
  /** The order's items by canonical line id (the resolution the order was posted with). */
  items: ReadonlyMap<string, ResolvedItem>;
  adjustmentItems: readonly AdjustmentItemRow[];
  settings: { orderSync: Pick<TenantSettings['orderSync'], 'adjustments'> & Partial<Pick<TenantSettings['orderSync'], 'tax'>> };
  /** The refunded order lines' tax as the sale posted it (tax handling perJurisdiction). */
  orderTax?: RefundedOrderTax;
  /** The tenant's taxRates mapping rows (perJurisdiction: the items of its tax lines). */
  taxRates?: readonly TaxRateMappingRow[];
}

/** What the refund does to the sales order: new absolute quantities and prices, or closing it when nothing is left. */
export type SalesOrderReduction =
  | {
      action: 'reduce';
      changedLines: SalesLineChange[];
      /** A product whose remaining amount no longer divides by its units gets a second line carrying the remainder. */
      addedLines: SalesDocumentLine[];
      /** How much the lines come down by, in minor units: the refund's total (less tax Intacct computes). */
      reducedBy: number;
      /** What the lines add up to afterwards, in minor units (header subtotals not included). */
      remaining: number;
    }
  /** Every line is refunded to zero: nothing is left to ship or bill, so the order is closed as it stands. */
  | { action: 'close'; reducedBy: number; remaining: 0 };

/**
 * Why a refund cannot reduce the sales order. `exceeds`: the refund takes back more units or
 * money than the order has left; `unmappable`: the order's lines or the tenant's settings do
 * not allow it.
 */
export class SalesOrderReductionError extends Error {
  override readonly name = 'SalesOrderReductionError';
  readonly type: 'RefundExceedsOrder' | 'SalesOrderReductionUnmappable';
  constructor(
    readonly refundId: string,
    readonly kind: 'exceeds' | 'unmappable',
    readonly problems: readonly string[],
  ) {
    super(`refund ${refundId} cannot reduce the sales order: ${problems.join('; ')}`);
    this.type = kind === 'exceeds' ? 'RefundExceedsOrder' : 'SalesOrderReductionUnmappable';
  }
}

const markerPrefix = 'Storefront refunds applied before invoicing:';

/** The refund ids the sales order's message says were applied to it. */
export function refundsAppliedTo(message: string): string[] {
  const line = message.split('\n').find((candidate) => candidate.startsWith(markerPrefix));
  if (line === undefined) return [];
  return line
    .slice(markerPrefix.length)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/**
 * The sales order's message with `refundId` added to its line of applied refunds, the rest
 * kept. The update that reduces the lines writes it in the same call, so the order itself says
 * which refunds it reflects: a retry whose answer was lost sees its refund there and writes nothing.
 */
export function withRefundApplied(message: string, refundId: string): string {
  const applied = refundsAppliedTo(message);
  if (applied.includes(refundId)) return message;
  const marker = `${markerPrefix} ${[...applied, refundId].join(', ')}`;
  const kept = message.split('\n').filter((line) => !line.startsWith(markerPrefix) && line !== '');
  return [...kept, marker].join('\n');
}

interface ParsedLine {
  line: SalesOrderLine;
  quantity: number;
  price: number;
}

interface Target {
  quantity: number;
  price: number;
}

/**
 * A refund before invoicing as the sales order's new line state, computed from the lines as they
 * are now (absolute quantities and prices, so writing it twice changes nothing):
 *
 * - Products, by the item the refunded order line resolved to: the item's lines lose the
 *   refunded units and amount. The remaining amount is written as the units at one price, plus
 *   one unit carrying the remainder when it does not divide (as the order was posted); lines no
 *   longer needed go to quantity 0.
 * - Shipping and handling come off their adjustment item's line (a line of price 0 goes to
 *   quantity 0); when the tenant spread them over the products, they come off the products.
 *   Order-level amounts come off the products that remain, by largest remainder.
 * - Tax comes off the tax item's line (`separateLine`), or off each jurisdiction's tax line by
 *   the refund's share of it, as the credit memo would reverse it (`perJurisdiction`, rounding
 *   off the "taxRounding" line); with `intacctCalculates` Intacct computes it again from the
 *   reduced lines. Line tax detail (`perLine`) cannot be changed on an existing line through
 *   `update_sotransaction`, so such refunds are refused: they wait for the invoice's credit memo.
 *
 * When every line comes down to zero the order is closed instead. The lines always come down by
 * exactly the refund's total (less tax Intacct computes), or a `SalesOrderReductionError` lists why not.
 */
export function toIntacctSalesOrderReduction(input: SalesOrderReductionInput): SalesOrderReduction {
  const { refund } = input;
  const { adjustments } = input.settings.orderSync;
  const currency = refund.currency;
  const unmappable: string[] = [];
  const exceeds: string[] = [];
  const money = (minor: number) => formatAmount(minor, currency);

  const parsed: ParsedLine[] = [];
  for (const line of input.lines) {
    const quantity = Number(line.quantity);
    const price = parseAmount(line.price === '' ? '0' : line.price, currency);
    if (!Number.isSafeInteger(quantity) || quantity < 0)
      unmappable.push(`line ${line.lineNumber} (${line.itemId}) has quantity ${line.quantity}, not a whole number of units`);
    else if (!price.exact || price.minor < 0)
      unmappable.push(`line ${line.lineNumber} (${line.itemId}) has price ${line.price}, not a whole amount in ${currency}`);
    else parsed.push({ line, quantity, price: price.minor });
  }
  const adjustmentItem = (kind: AdjustmentItemRow['kind']) => input.adjustmentItems.find((row) => row.kind === kind)?.intacctItemId;
  const taxLines = adjustments.tax === 'separateLine' || adjustments.tax === 'perJurisdiction';
  const jurisdictionItemIds = adjustments.tax === 'perJurisdiction' ? (input.taxRates ?? []).map((row) => row.intacctItemId) : [];
  const adjustmentIds = new Set(
    [
      ...(['shipping', 'handling', 'tax', 'discount', 'taxRounding'] as const)
        .filter((kind) => (kind !== 'tax' || taxLines) && (kind !== 'taxRounding' || adjustments.tax === 'perJurisdiction'))
        .map(adjustmentItem),
      ...jurisdictionItemIds,
    ].filter((id): id is string => id !== undefined),
  );
  const targets = new Map<number, Target>(parsed.map((entry) => [entry.line.lineNumber, { quantity: entry.quantity, price: entry.price }]));
  const amountOf = (entries: readonly ParsedLine[]) => entries.reduce((sum, entry) => sum + entry.quantity * entry.price, 0);

  // Products, grouped by Intacct item in line order.
  const groups = new Map<string, ParsedLine[]>();
  for (const entry of parsed) {
    if (adjustmentIds.has(entry.line.itemId)) continue;
    groups.set(entry.line.itemId, [...(groups.get(entry.line.itemId) ?? []), entry]);
  }
  const remaining = new Map<string, { units: number; amount: number }>(
    [...groups].map(([itemId, entries]) => [
      itemId,
      { units: entries.reduce((sum, entry) => sum + entry.quantity, 0), amount: amountOf(entries) },
    ]),
  );
  for (const line of refund.lines) {
    const item = input.items.get(line.lineId);
    if (item === undefined) {
      unmappable.push(`line ${line.lineId} (SKU ${line.sku}) has no Intacct item`);
      continue;
    }
    const left = remaining.get(item.itemId);
    if (left === undefined) {
      unmappable.push(`item ${item.itemId} (SKU ${line.sku}) is not on ${input.salesDocumentId}`);
      continue;
    }
    left.units -= line.quantity;
    left.amount -= line.amount;
    if (left.units < 0)
      exceeds.push(
        `${line.quantity} unit(s) of ${item.itemId} are refunded but ${left.units + line.quantity} remain on ${input.salesDocumentId}`,
      );
    else if (left.amount < 0)
      exceeds.push(
        `${money(line.amount)} of ${item.itemId} is refunded but ${money(left.amount + line.amount)} remains on ${input.salesDocumentId}`,
      );
  }

  // Adjustment lines come down from the last one up; what has no line is spread over the products.
  let spread = refund.orderLevel;
  const reduceAdjustment = (
    kind: string,
    amount: number,
    rule: string,
    itemId = adjustmentItem(kind as AdjustmentItemRow['kind']),
    memo?: string,
  ) => {
    if (amount === 0) return;
    const entries = parsed.filter(
      (entry) => itemId !== undefined && entry.line.itemId === itemId && (memo === undefined || entry.line.memo === memo),
    );
    if (entries.length === 0) {
      if (rule === 'allocateToLines') spread += amount;
      else unmappable.push(`the ${kind} refund of ${money(amount)} has no ${kind} line on ${input.salesDocumentId} to come off`);
      return;
    }
    let left = amount;
    for (const entry of [...entries].reverse()) {
      const target = targets.get(entry.line.lineNumber)!;
      const lineAmount = target.quantity * target.price;
      const taken = Math.min(lineAmount, left);
      const after = lineAmount - taken;
      targets.set(entry.line.lineNumber, after === 0 ? { quantity: 0, price: target.price } : { quantity: 1, price: after });
      left -= taken;
    }
    if (left > 0)
      exceeds.push(`the ${kind} refund of ${money(amount)} is more than the ${money(amount - left)} left on ${input.salesDocumentId}`);
  };
  reduceAdjustment('shipping', refund.shipping, adjustments.shipping);
  reduceAdjustment('handling', refund.handling, adjustments.handling);
  switch (adjustments.tax) {
    case 'separateLine':
      reduceAdjustment('tax', refund.tax, 'separateLine');
      break;
    case 'intacctCalculates':
      break;
    case 'perJurisdiction': {
      const taxPosting = refundTaxPostingOf(input, unmappable);
      for (const { name, itemId, amount } of taxPosting?.jurisdictionLines ?? [])
        reduceAdjustment(`tax "${name}"`, amount, 'separateLine', itemId ?? adjustmentItem('tax'), name);
      reduceAdjustment('tax rounding', taxPosting?.residue ?? 0, 'separateLine', adjustmentItem('taxRounding'));
      break;
    }
    case 'perLine':
      // update_sotransaction's updatesotransitem has no taxentries (api.xsd): a line's tax detail cannot come down.
      unmappable.push(
        "tax is posted as line tax detail (perLine), which Intacct cannot change on an existing sales order line: the refund's tax is reversed by a credit memo once the order is invoiced",
      );
      break;
  }
  if (spread !== 0) {
    const open = [...remaining].filter(([, left]) => left.units > 0 && left.amount > 0);
    if (open.length === 0) unmappable.push(`${money(spread)} refunded against the order as a whole has no remaining product to come off`);
    else {
      const shares = allocateLargestRemainder(
        spread,
        open.map(([, left]) => left.amount),
      );
      open.forEach(([itemId, left], index) => {
        left.amount -= shares[index]!;
        if (left.amount < 0) exceeds.push(`the order-level refund takes more than remains of ${itemId}`);
      });
    }
  }

  const addedLines: SalesDocumentLine[] = [];
  for (const [itemId, entries] of groups) {
    const left = remaining.get(itemId)!;
    if (left.units < 0 || left.amount < 0) continue;
    if (left.units === 0) {
      if (left.amount !== 0)
        unmappable.push(
          `every unit of ${itemId} is refunded but ${money(left.amount)} of it is not; refund the rest or reduce ${input.salesDocumentId} by hand`,
        );
      for (const entry of entries) targets.set(entry.line.lineNumber, { quantity: 0, price: entry.price });
      continue;
    }
    const unitPrice = Math.trunc(left.amount / left.units);
    const remainder = left.amount - unitPrice * left.units;
    const wanted: Target[] =
      remainder === 0
        ? [{ quantity: left.units, price: unitPrice }]
        : [
            { quantity: left.units - 1, price: unitPrice },
            { quantity: 1, price: unitPrice + remainder },
          ];
    entries.forEach((entry, index) => targets.set(entry.line.lineNumber, wanted[index] ?? { quantity: 0, price: entry.price }));
    for (const extra of wanted.slice(entries.length))
      addedLines.push(copyLine(entries[entries.length - 1]!.line, extra, currency, refund.refundId));
  }

  if (unmappable.length > 0) throw new SalesOrderReductionError(refund.refundId, 'unmappable', unmappable);
  if (exceeds.length > 0) throw new SalesOrderReductionError(refund.refundId, 'exceeds', exceeds);

  const before = amountOf(parsed);
  const after =
    [...targets.values()].reduce((sum, target) => sum + target.quantity * target.price, 0) +
    addedLines.reduce((sum, line) => sum + Number(line.quantity) * parseAmount(line.price!, currency).minor, 0);
  const expected = refund.total - (taxLines ? 0 : refund.tax);
  if (before - after !== expected) {
    throw new SalesOrderReductionError(refund.refundId, 'unmappable', [
      `the lines would come down by ${money(before - after)}, not the refund's ${money(expected)}`,
    ]);
  }
  if (expected === 0) throw new SalesOrderReductionError(refund.refundId, 'unmappable', ['the refund reduces nothing']);
  if (after === 0) return { action: 'close', reducedBy: expected, remaining: 0 };

  const changedLines: SalesLineChange[] = [];
  for (const entry of parsed) {
    const target = targets.get(entry.line.lineNumber)!;
    if (target.quantity === entry.quantity && target.price === entry.price) continue;
    changedLines.push({
      lineNumber: entry.line.lineNumber,
      quantity: String(target.quantity),
      ...(target.price !== entry.price && { price: formatAmount(target.price, currency) }),
    });
  }
  return { action: 'reduce', changedLines, addedLines, reducedBy: expected, remaining: after };
}

/** A second line for the same product: the item, warehouse, unit and dimensions of the line it continues. */
function copyLine(line: SalesOrderLine, target: Target, currency: string, refundId: string): SalesDocumentLine {
  return {
    itemId: line.itemId,
    quantity: String(target.quantity),
    price: formatAmount(target.price, currency),
    ...(line.warehouseId && { warehouseId: line.warehouseId }),
    ...(line.unit && { unit: line.unit }),
    ...(line.locationId && { locationId: line.locationId }),
    ...(line.departmentId && { departmentId: line.departmentId }),
    ...(line.projectId && { projectId: line.projectId }),
    ...(line.classId && { classId: line.classId }),
    memo: line.memo ? `${line.memo} (after refund ${refundId})` : `after refund ${refundId}`,
  };
}
