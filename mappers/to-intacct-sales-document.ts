import type { SalesDocumentInput, SalesDocumentLine } from '../connectors/intacct/functions/create-sotransaction.js';
import type { AdjustmentItemRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from './canonical-order.js';
import { allocateLargestRemainder, formatAmount } from './money.js';

/** The Intacct item (and optional unit and warehouse) a storefront line resolved to. */
export interface ResolvedItem {
  itemId: string;
  unit?: string | undefined;
  warehouseId?: string | undefined;
}

/** Dimension ids already resolved from the tenant's rules, applied to every line. */
export interface DocumentDimensions {
  departmentId?: string;
  locationId?: string;
  projectId?: string;
  classId?: string;
}

export interface SalesDocumentMappingInput {
  order: CanonicalOrder;
  settings: Pick<TenantSettings, 'orderSync' | 'timezone'>;
  /** The Intacct customer the order is posted to (mapped, matched, created or the guest customer). */
  customerId: string;
  /** By canonical line id. */
  items: ReadonlyMap<string, ResolvedItem>;
  /** The tenant's adjustmentItems mapping rows. */
  adjustmentItems: readonly AdjustmentItemRow[];
  dimensions?: DocumentDimensions;
}

/** Why an order cannot become a sales document with the tenant's settings, listing every reason. */
export class SalesDocumentMappingError extends Error {
  override readonly name = 'SalesDocumentMappingError';
  readonly code = 'sales_document_unmappable';
  constructor(
    readonly orderId: string,
    readonly problems: readonly string[],
  ) {
    super(`order ${orderId} cannot become a sales document: ${problems.join('; ')}`);
  }
}

/** One line before it is written: quantity and the exact amount it must carry, in minor units. */
export interface PendingLine {
  item: ResolvedItem;
  quantity: number;
  amount: number;
  memo?: string;
}

/** The order date in the tenant's time zone, as Intacct's business date (YYYY-MM-DD). */
export function businessDateOf(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(instant),
  );
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

/**
 * Writes lines so that quantity × price is exactly each line's amount: a line whose amount does
 * not divide by its quantity becomes two lines (the units at the lower price, and one unit
 * carrying the remainder), because Intacct prices have the currency's precision here.
 */
export function toDocumentLines(pending: readonly PendingLine[], currency: string, dimensions: DocumentDimensions): SalesDocumentLine[] {
  return pending.flatMap(({ item, quantity, amount, memo }) => {
    const base = {
      itemId: item.itemId,
      ...(item.unit && { unit: item.unit }),
      ...(item.warehouseId && { warehouseId: item.warehouseId }),
      ...dimensions,
      ...(memo && { memo }),
    };
    const unitPrice = Math.trunc(amount / quantity);
    const remainder = amount - unitPrice * quantity;
    if (remainder === 0) return [{ ...base, quantity: String(quantity), price: formatAmount(unitPrice, currency) }];
    const lines: SalesDocumentLine[] = [];
    if (quantity > 1) lines.push({ ...base, quantity: String(quantity - 1), price: formatAmount(unitPrice, currency) });
    lines.push({ ...base, quantity: '1', price: formatAmount(unitPrice + remainder, currency) });
    return lines;
  });
}

/**
 * A canonical order as a sales document of the tenant's transaction definition. The reference
 * number is the storefront order id (how a retry finds the document). Shipping and handling
 * become lines of their configured items, discounts a negative header subtotal, or either is
 * spread over the product lines by largest remainder; tax becomes a line of the tax item or is left to Intacct. Either way the
 * lines sum to the order's total to the minor unit, or nothing is returned.
 */
export function toIntacctSalesDocument(input: SalesDocumentMappingInput): SalesDocumentInput {
  const { order, settings, dimensions = {} } = input;
  const { orderSync } = settings;
  const problems: string[] = [];
  const adjustmentItem = (kind: AdjustmentItemRow['kind']) => input.adjustmentItems.find((row) => row.kind === kind)?.intacctItemId;

  const productLines: PendingLine[] = [];
  for (const line of order.lines) {
    const item = input.items.get(line.lineId);
    if (!item) problems.push(`line ${line.lineId} (SKU ${line.sku}) has no Intacct item`);
    else productLines.push({ item, quantity: line.quantity, amount: line.lineTotal - line.lineDiscount });
  }

  const adjustments: PendingLine[] = [];
  const spread: number[] = [];
  const handle = (kind: 'shipping' | 'handling' | 'discount', amount: number, rule: 'separateLine' | 'allocateToLines') => {
    if (amount === 0) return;
    if (rule === 'allocateToLines') {
      spread.push(amount);
      return;
    }
    const itemId = adjustmentItem(kind);
    if (itemId === undefined)
      problems.push(
        `the ${kind} of ${formatAmount(Math.abs(amount), order.currency)} needs an item: add a "${kind}" row to the adjustmentItems mapping table`,
      );
    else
      adjustments.push({
        item: { itemId },
        quantity: 1,
        amount,
        memo: kind === 'discount' && order.couponCodes.length > 0 ? `coupons: ${order.couponCodes.join(', ')}` : kind,
      });
  };
  handle('shipping', order.shipping, orderSync.adjustments.shipping);
  handle('handling', order.handling, orderSync.adjustments.handling);
  const subtotals: Array<{ description: string; amount: number }> = [];
  if (orderSync.adjustments.discount === 'subtotal') {
    if (order.discount !== 0) subtotals.push({ description: orderSync.adjustments.discountSubtotal, amount: -order.discount });
  } else {
    handle('discount', -order.discount, orderSync.adjustments.discount);
  }

  let expectedTotal = order.total;
  switch (orderSync.adjustments.tax) {
    case 'separateLine':
      handleTax();
      break;
    case 'intacctCalculates':
      // Intacct adds tax from its own tax setup; the document's lines are the pre-tax total.
      expectedTotal -= order.tax;
      break;
    case 'perLine':
      problems.push('tax handling "perLine" is not supported yet: use separateLine or intacctCalculates');
      break;
  }
  function handleTax() {
    if (order.tax === 0) return;
    const itemId = adjustmentItem('tax');
    if (itemId === undefined)
      problems.push(
        `the tax of ${formatAmount(order.tax, order.currency)} needs an item: add a "tax" row to the adjustmentItems mapping table`,
      );
    else adjustments.push({ item: { itemId }, quantity: 1, amount: order.tax, memo: 'tax' });
  }

  const toSpread = spread.reduce((sum, amount) => sum + amount, 0);
  if (toSpread !== 0 && productLines.length > 0) {
    const weights = productLines.map((line) => Math.max(line.amount, 0));
    if (weights.every((weight) => weight === 0))
      problems.push('there are no product amounts to spread shipping, handling or discounts over');
    else allocateLargestRemainder(toSpread, weights).forEach((share, index) => (productLines[index]!.amount += share));
  }
  if (productLines.some((line) => line.amount < 0))
    problems.push('a discount spread over the lines would make a line negative: use a separate discount line');
  if (problems.length > 0) throw new SalesDocumentMappingError(order.orderId, problems);

  const lines = toDocumentLines([...productLines, ...adjustments], order.currency, dimensions);
  const written = [...productLines, ...adjustments, ...subtotals].reduce((sum, line) => sum + line.amount, 0);
  if (written !== expectedTotal) {
    throw new SalesDocumentMappingError(order.orderId, [
      `the lines come to ${formatAmount(written, order.currency)}, not the order's ${formatAmount(expectedTotal, order.currency)}`,
    ]);
  }

  const date = businessDateOf(order.placedAt, settings.timezone);
  const { baseCurrency, exchangeRateType } = orderSync.currency;
  const documentNumber =
    orderSync.documentNumberRule.kind === 'storefrontOrderNumber' ? `${orderSync.documentNumberRule.prefix}${order.orderId}` : undefined;
  return {
    transactionDefinition: orderSync.transactionDefinition,
    date,
    customerId: input.customerId,
    referenceNumber: order.orderId,
    ...(documentNumber !== undefined && { documentNumber }),
    ...(orderSync.defaultPaymentTerm !== undefined && { paymentTerm: orderSync.defaultPaymentTerm }),
    ...(orderSync.dueDate.kind === 'daysAfterOrder' && { dueDate: addDays(date, orderSync.dueDate.days) }),
    ...(order.currency !== baseCurrency && { currency: { baseCurrency, currency: order.currency, exchangeRateType } }),
    ...(order.couponCodes.length > 0 && { message: `Storefront order ${order.orderId}; coupons ${order.couponCodes.join(', ')}` }),
    lines,
    ...(subtotals.length > 0 && {
      subtotals: subtotals.map(({ description, amount }) => ({ description, total: formatAmount(amount, order.currency), ...dimensions })),
    }),
  };
}
