import type { LineDimensions, SalesDocumentInput, SalesDocumentLine } from '../connectors/intacct/functions/create-sotransaction.js';
import type { CustomFieldValue, DocumentContact } from '../connectors/intacct/functions/legacy-parts.js';
import type { AdjustmentItemRow, ShippingMethodMappingRow, TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from './canonical-order.js';
import { clip, toDocumentContact } from './document-contacts.js';
import { allocateLargestRemainder, formatAmount } from './money.js';
import { customFieldsOf, lineDimensionsOf, type RuleDecisions } from './order-rules.js';
import { toTaxPosting, type PendingTaxEntry, type TaxPosting } from './order-tax-posting.js';

/** The order sync settings a sales document is built from (tax and shipping may be absent in older callers' settings). */
export type SalesDocumentOrderSync = Omit<TenantSettings['orderSync'], 'tax' | 'shipping'> &
  Partial<Pick<TenantSettings['orderSync'], 'tax' | 'shipping'>>;

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
  settings: { orderSync: SalesDocumentOrderSync; timezone: TenantSettings['timezone'] };
  /** The Intacct customer the order is posted to (mapped, matched, created or the guest customer). */
  customerId: string;
  /** By canonical line id. */
  items: ReadonlyMap<string, ResolvedItem>;
  /** The tenant's adjustmentItems mapping rows. */
  adjustmentItems: readonly AdjustmentItemRow[];
  /** The tenant's taxRates mapping rows (needed for tax handling perLine and perJurisdiction). */
  taxRates?: readonly TaxRateMappingRow[];
  /** The tenant's shippingMethods mapping rows. */
  shippingMethods?: readonly ShippingMethodMappingRow[];
  dimensions?: DocumentDimensions;
  /** What the tenant's rules decided ({@link evaluateOrderRules}); their values win over the dimension rules'. */
  rules?: RuleDecisions;
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
  /** Line tax detail (tax handling perLine), written on the line's first part when it is split. */
  taxEntries?: PendingTaxEntry[];
  shipTo?: DocumentContact;
  /** This line's own dimensions (rules), over the document-wide ones. */
  dimensions?: LineDimensions;
  /** Custom fields and user-defined dimensions of the line (rules). */
  customFields?: readonly CustomFieldValue[];
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
export function toDocumentLines(pending: readonly PendingLine[], currency: string, dimensions: LineDimensions): SalesDocumentLine[] {
  return pending.flatMap(({ item, quantity, amount, memo, taxEntries, shipTo, dimensions: own, customFields }) => {
    const base = {
      itemId: item.itemId,
      ...(item.unit && { unit: item.unit }),
      ...(item.warehouseId && { warehouseId: item.warehouseId }),
      ...dimensions,
      ...own,
      ...(memo && { memo }),
      ...(customFields !== undefined && customFields.length > 0 && { customFields }),
      ...(shipTo && { shipTo }),
    };
    const taxed =
      taxEntries === undefined || taxEntries.length === 0
        ? {}
        : { taxEntries: taxEntries.map(({ detailId, amount: tax }) => ({ detailId, amount: formatAmount(tax, currency) })) };
    const unitPrice = Math.trunc(amount / quantity);
    const remainder = amount - unitPrice * quantity;
    if (remainder === 0) return [{ ...base, quantity: String(quantity), price: formatAmount(unitPrice, currency), ...taxed }];
    const lines: SalesDocumentLine[] = [];
    if (quantity > 1) lines.push({ ...base, quantity: String(quantity - 1), price: formatAmount(unitPrice, currency) });
    lines.push({ ...base, quantity: '1', price: formatAmount(unitPrice + remainder, currency) });
    return lines.map((line, index) => (index === 0 ? { ...line, ...taxed } : line));
  });
}

const kindMemos = { shipping: 'shipping', handling: 'handling', giftWrapping: 'gift wrapping', discount: 'discount' } as const;

/**
 * Each product line's own ship-to when the order ships to several addresses and the tenant
 * posts line-level ship-to; a problem when the tenant parks such orders; nothing otherwise
 * (one address, or the first address for the whole document).
 */
function lineShipTosOf(
  order: CanonicalOrder,
  consignments: NonNullable<SalesDocumentOrderSync['shipping']>['consignments'],
  problems: string[],
): Map<string, DocumentContact> {
  const shipTos = order.shipTos ?? [];
  const byLine = new Map<string, DocumentContact>();
  if (shipTos.length < 2 || consignments === 'firstAddress') return byLine;
  if (consignments === 'park') {
    problems.push(
      `the order ships to ${shipTos.length} addresses and orderSync.shipping.consignments is park: post it by hand, or set consignments to lineShipTo (the transaction definition must enable line-level ship-to) or firstAddress`,
    );
    return byLine;
  }
  // Intacct names inline contacts uniquely, and one shopper may receive several consignments: number them.
  const contacts = new Map(
    shipTos.map((shipTo, index): [string, DocumentContact] => {
      const contact = toDocumentContact(shipTo.address, order, 'shipTo');
      if (!('contact' in contact)) return [shipTo.id, contact];
      return [shipTo.id, { contact: { ...contact.contact, contactName: `${clip(contact.contact.contactName, 195)} ${index + 1}` } }];
    }),
  );
  for (const line of order.lines) {
    const contact = line.shipToId === undefined ? undefined : contacts.get(line.shipToId);
    if (contact !== undefined) byLine.set(line.lineId, contact);
  }
  return byLine;
}

/**
 * A canonical order as a sales document of the tenant's transaction definition. The reference
 * number is the storefront order id (how a retry finds the document). Shipping, handling and
 * gift wrapping become lines of their configured items, discounts a negative header subtotal,
 * or either is spread over the product lines by largest remainder. Tax is one tax item line, the
 * store's per-line tax as Intacct line tax detail, one line per storefront tax (jurisdiction or
 * rate), or left to Intacct; a rounding difference between the store's tax and its parts is a
 * line of the "taxRounding" item. The shipping method comes from the shippingMethods table or
 * the tenant's default; several ship-tos become line ship-tos or park the order, as the tenant
 * chose. Either way the lines (with their tax entries) sum to the order's total to the minor
 * unit, or nothing is returned.
 */
export function toIntacctSalesDocument(input: SalesDocumentMappingInput): SalesDocumentInput {
  const { order, settings, rules } = input;
  const dimensions: LineDimensions = { ...input.dimensions, ...(rules && lineDimensionsOf(rules.allLines)) };
  const { orderSync } = settings;
  const problems: string[] = [];
  const adjustmentItem = (kind: AdjustmentItemRow['kind']) => input.adjustmentItems.find((row) => row.kind === kind)?.intacctItemId;

  const taxMode = orderSync.adjustments.tax;
  const taxPosting: TaxPosting | undefined =
    taxMode === 'perLine' || taxMode === 'perJurisdiction'
      ? toTaxPosting({
          order,
          mode: taxMode,
          taxRates: new Map((input.taxRates ?? []).map((row) => [row.storefrontTax, row])),
          defaultTaxDetailId: orderSync.tax?.defaultTaxDetailId,
        })
      : undefined;
  if (taxPosting) problems.push(...taxPosting.problems);
  const lineShipTos = lineShipTosOf(order, orderSync.shipping?.consignments ?? 'firstAddress', problems);

  const productLines: PendingLine[] = [];
  for (const line of order.lines) {
    const item = input.items.get(line.lineId);
    if (!item) problems.push(`line ${line.lineId} (SKU ${line.sku}) has no Intacct item`);
    else {
      const taxEntries = taxPosting?.lineEntries.get(line.lineId);
      const shipTo = lineShipTos.get(line.lineId);
      const decided = rules?.lines[line.lineId];
      const customFields = decided && customFieldsOf(decided.customFields);
      productLines.push({
        item: decided?.warehouse === undefined ? item : { ...item, warehouseId: decided.warehouse.value },
        ...(decided !== undefined && { dimensions: lineDimensionsOf(decided) }),
        ...(customFields !== undefined && customFields.length > 0 && { customFields }),
        quantity: line.quantity,
        amount: line.lineTotal - line.lineDiscount,
        ...(taxEntries !== undefined && { taxEntries }),
        ...(shipTo !== undefined && { shipTo }),
      });
    }
  }

  const adjustments: PendingLine[] = [];
  const spread: number[] = [];
  const handle = (
    kind: 'shipping' | 'handling' | 'giftWrapping' | 'discount',
    amount: number,
    rule: 'separateLine' | 'allocateToLines',
  ) => {
    if (amount === 0) return;
    const taxEntries = kind === 'discount' ? undefined : taxPosting?.chargeEntries.get(kind);
    if (rule === 'allocateToLines') {
      if (taxEntries !== undefined && taxEntries.length > 0)
        problems.push(
          `the ${kind} is taxed and its tax is posted as line tax detail, so it needs a line of its own: set adjustments.${kind} to separateLine`,
        );
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
        memo: kind === 'discount' && order.couponCodes.length > 0 ? `coupons: ${order.couponCodes.join(', ')}` : kindMemos[kind],
        ...(taxEntries !== undefined && { taxEntries }),
      });
  };
  handle('shipping', order.shipping, orderSync.adjustments.shipping);
  handle('handling', order.handling, orderSync.adjustments.handling);
  handle('giftWrapping', order.giftWrapping ?? 0, orderSync.adjustments.giftWrapping ?? 'separateLine');
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
      if (orderSync.tax?.solutionId === undefined)
        problems.push('tax is posted as line tax detail, so orderSync.tax.solutionId (the Intacct tax solution) is required');
      postResidue();
      break;
    case 'perJurisdiction':
      for (const { name, itemId, amount } of taxPosting?.jurisdictionLines ?? []) {
        const taxItemId = itemId ?? adjustmentItem('tax');
        if (taxItemId === undefined)
          problems.push(
            `the tax "${name}" of ${formatAmount(amount, order.currency)} needs an item: add an intacctItemId to its taxRates row or a "tax" row to the adjustmentItems mapping table`,
          );
        else adjustments.push({ item: { itemId: taxItemId }, quantity: 1, amount, memo: name });
      }
      postResidue();
      break;
  }
  function postResidue() {
    const residue = taxPosting?.residue ?? 0;
    if (residue === 0) return;
    const itemId = adjustmentItem('taxRounding');
    if (itemId === undefined)
      problems.push(
        `the store's tax differs from the sum of its line taxes by ${formatAmount(residue, order.currency)} (rounding): add a "taxRounding" row to the adjustmentItems mapping table`,
      );
    else adjustments.push({ item: { itemId }, quantity: 1, amount: residue, memo: 'tax rounding' });
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
  const lineTax = [...productLines, ...adjustments].reduce(
    (sum, line) => sum + (line.taxEntries ?? []).reduce((entries, entry) => entries + entry.amount, 0),
    0,
  );
  const written = [...productLines, ...adjustments, ...subtotals].reduce((sum, line) => sum + line.amount, lineTax);
  if (written !== expectedTotal) {
    throw new SalesDocumentMappingError(order.orderId, [
      `the lines come to ${formatAmount(written, order.currency)}, not the order's ${formatAmount(expectedTotal, order.currency)}`,
    ]);
  }

  const date = businessDateOf(order.placedAt, settings.timezone);
  const storefrontMethod = order.attributes.shippingMethod;
  const shippingMethod =
    (storefrontMethod === undefined
      ? undefined
      : input.shippingMethods?.find((row) => row.storefrontMethod === storefrontMethod)?.intacctShippingMethod) ??
    orderSync.shipping?.defaultMethod;
  const { baseCurrency, exchangeRateType } = orderSync.currency;
  const customFields = rules && customFieldsOf(rules.customFields);
  const documentNumber =
    orderSync.documentNumberRule.kind === 'storefrontOrderNumber' ? `${orderSync.documentNumberRule.prefix}${order.orderId}` : undefined;
  return {
    transactionDefinition: rules?.transactionDefinition?.value ?? orderSync.transactionDefinition,
    date,
    customerId: input.customerId,
    referenceNumber: order.orderId,
    ...(documentNumber !== undefined && { documentNumber }),
    ...(orderSync.defaultPaymentTerm !== undefined && { paymentTerm: orderSync.defaultPaymentTerm }),
    ...(orderSync.dueDate.kind === 'daysAfterOrder' && { dueDate: addDays(date, orderSync.dueDate.days) }),
    ...(shippingMethod !== undefined && { shippingMethod }),
    ...(order.currency !== baseCurrency && { currency: { baseCurrency, currency: order.currency, exchangeRateType } }),
    ...(order.couponCodes.length > 0 && { message: `Storefront order ${order.orderId}; coupons ${order.couponCodes.join(', ')}` }),
    ...(customFields !== undefined && customFields.length > 0 && { customFields }),
    ...(taxMode === 'perLine' && orderSync.tax?.solutionId !== undefined && { taxSolutionId: orderSync.tax.solutionId }),
    lines,
    ...(subtotals.length > 0 && {
      subtotals: subtotals.map(({ description, amount }) => ({ description, total: formatAmount(amount, order.currency), ...dimensions })),
    }),
  };
}
