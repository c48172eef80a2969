import type { InventoryTransactionInput } from '../connectors/intacct/functions/create-ictransaction.js';
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import type { AdjustmentItemRow, TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalRefund } from './canonical-refund.js';
import { allocateLargestRemainder, formatAmount } from './money.js';
import { refundTaxPostingOf, type RefundedOrderTax } from './refund-tax.js';
import {
  businessDateOf,
  toDocumentLines,
  type DocumentDimensions,
  type PendingLine,
  type ResolvedItem,
} from './to-intacct-sales-document.js';

/** The original order's Intacct document the refund credits. */
export interface CreditedDocument {
  /** DOCID of the invoice (or the posting sales document) the refund credits. */
  documentId: string;
  customerId: string;
  /** The credited document's total as Intacct reads it back (decimal text), when read. */
  total?: string;
}

export interface CreditMemoMappingInput {
  refund: CanonicalRefund;
  credited: CreditedDocument;
  settings: Pick<TenantSettings, 'orderSync' | 'returns' | 'timezone'>;
  /** The order's items, by canonical line id (the same resolution the order was posted with). */
  items: ReadonlyMap<string, ResolvedItem>;
  adjustmentItems: readonly AdjustmentItemRow[];
  dimensions?: DocumentDimensions;
  /** The refunded order lines' tax as the sale posted it (needed for tax handling perLine and perJurisdiction). */
  orderTax?: RefundedOrderTax;
  /** The tenant's taxRates mapping rows (perLine and perJurisdiction). */
  taxRates?: readonly TaxRateMappingRow[];
}

/** Returned units the credit memo books into a warehouse although they did not come back: stock to take out again. */
export interface UnrestockedLine {
  itemId: string;
  warehouseId: string;
  quantity: number;
}

export interface CreditMemoMapping {
  document: SalesDocumentInput & { referenceNumber: string };
  /** Lines that do not restock (the tenant's `returns.restock` off, or the goods did not come back). */
  unrestocked: UnrestockedLine[];
}

/** Why a refund cannot become a credit memo with the tenant's settings, listing every reason. */
export class CreditMemoMappingError extends Error {
  override readonly name = 'CreditMemoMappingError';
  readonly type = 'CreditMemoMappingError';
  readonly code = 'credit_memo_unmappable';
  constructor(
    readonly refundId: string,
    readonly problems: readonly string[],
  ) {
    super(`refund ${refundId} cannot become a credit memo: ${problems.join('; ')}`);
  }
}

/**
 * A canonical refund as a credit memo of the tenant's `returns.creditMemoTransactionDefinition`,
 * for the customer of the document it credits. The reference number is the refund id (how a
 * retry finds it); the message names the order and the credited document. `createdfrom` is not
 * used: Intacct converts a document into one return only as a whole, and an order may be
 * refunded several times.
 *
 * - Product lines: the order line's item, the refunded quantity, the refunded amount; the
 *   warehouse is `returns.restockWarehouseId` when the line restocks, else the line's own (or
 *   the default) warehouse. A line restocks when `returns.restock` is on and the storefront
 *   does not say the goods stayed away; the others are listed as `unrestocked`.
 * - Shipping: `returns.shippingRefundItemId`, else the shipping adjustment item; handling: the
 *   handling adjustment item. Order-level amounts are spread over the product lines by largest
 *   remainder; without product lines they are refused.
 * - Tax as the order's tax handling: one tax item line (`separateLine`); line tax detail under
 *   the tenant's tax solution (`perLine`), each refunded line and taxed charge reversing its share
 *   of the tax the sale posted on it ({@link toRefundTaxPosting}); one line per storefront tax
 *   (`perJurisdiction`); or left to Intacct. A rounding residue is a line of the "taxRounding" item.
 *
 * The lines (with their tax entries) sum to the refund's total (less tax Intacct computes) to the
 * minor unit, or a `CreditMemoMappingError` is thrown.
 */
export function toIntacctCreditMemo(input: CreditMemoMappingInput): CreditMemoMapping {
  const { refund, settings, dimensions = {} } = input;
  const { orderSync, returns } = settings;
  const problems: string[] = [];
  const adjustmentItem = (kind: AdjustmentItemRow['kind']) => input.adjustmentItems.find((row) => row.kind === kind)?.intacctItemId;
  const taxPosting = refundTaxPostingOf(input, problems);

  const productLines: PendingLine[] = [];
  const unrestocked: UnrestockedLine[] = [];
  for (const line of refund.lines) {
    const item = input.items.get(line.lineId);
    if (item === undefined) {
      problems.push(`line ${line.lineId} (SKU ${line.sku}) has no Intacct item`);
      continue;
    }
    const restock = returns.restock && line.restock !== false;
    const ownWarehouse = item.warehouseId ?? orderSync.defaultWarehouseId;
    const warehouseId = restock ? (returns.restockWarehouseId ?? ownWarehouse) : ownWarehouse;
    if (!restock && warehouseId !== undefined) unrestocked.push({ itemId: item.itemId, warehouseId, quantity: line.quantity });
    const taxEntries = taxPosting?.lineEntries.get(line.lineId);
    productLines.push({
      item: { itemId: item.itemId, unit: item.unit, warehouseId },
      quantity: line.quantity,
      amount: line.amount,
      memo: `refund ${refund.refundId}`,
      ...(taxEntries !== undefined && { taxEntries }),
    });
  }

  if (refund.orderLevel !== 0) {
    if (productLines.length === 0)
      problems.push(
        `an order-level refund of ${formatAmount(refund.orderLevel, refund.currency)} without refunded products has no line to go on: refund it against products or shipping`,
      );
    else {
      const weights = productLines.map((line) => Math.max(line.amount, 0));
      const spread = weights.every((weight) => weight === 0) ? weights.map(() => 1) : weights;
      allocateLargestRemainder(refund.orderLevel, spread).forEach((share, index) => (productLines[index]!.amount += share));
    }
  }

  const adjustments: PendingLine[] = [];
  const adjustment = (kind: 'shipping' | 'handling' | 'tax' | 'tax rounding', amount: number, itemId: string | undefined, hint: string) => {
    if (amount === 0) return;
    const taxEntries = kind === 'shipping' || kind === 'handling' ? taxPosting?.chargeEntries.get(kind) : undefined;
    if (itemId === undefined) problems.push(`the ${kind} refund of ${formatAmount(amount, refund.currency)} needs an item: ${hint}`);
    else
      adjustments.push({
        item: { itemId },
        quantity: 1,
        amount,
        memo: `${kind} refund ${refund.refundId}`,
        ...(taxEntries !== undefined && { taxEntries }),
      });
  };
  adjustment(
    'shipping',
    refund.shipping,
    returns.shippingRefundItemId ?? adjustmentItem('shipping'),
    'set returns.shippingRefundItemId or add a "shipping" row to the adjustmentItems mapping table',
  );
  adjustment('handling', refund.handling, adjustmentItem('handling'), 'add a "handling" row to the adjustmentItems mapping table');

  let expectedTotal = refund.total;
  switch (orderSync.adjustments.tax) {
    case 'separateLine':
      adjustment('tax', refund.tax, adjustmentItem('tax'), 'add a "tax" row to the adjustmentItems mapping table');
      break;
    case 'intacctCalculates':
      expectedTotal -= refund.tax;
      break;
    case 'perLine':
      if (orderSync.tax?.solutionId === undefined)
        problems.push('tax is reversed as line tax detail, so orderSync.tax.solutionId (the Intacct tax solution) is required');
      postResidue();
      break;
    case 'perJurisdiction':
      for (const { name, itemId, amount } of taxPosting?.jurisdictionLines ?? []) {
        if (amount === 0) continue;
        const taxItemId = itemId ?? adjustmentItem('tax');
        if (taxItemId === undefined)
          problems.push(
            `the tax "${name}" refund of ${formatAmount(amount, refund.currency)} needs an item: add an intacctItemId to its taxRates row or a "tax" row to the adjustmentItems mapping table`,
          );
        else adjustments.push({ item: { itemId: taxItemId }, quantity: 1, amount, memo: `${name} refund ${refund.refundId}` });
      }
      postResidue();
      break;
  }
  function postResidue() {
    adjustment(
      'tax rounding',
      taxPosting?.residue ?? 0,
      adjustmentItem('taxRounding'),
      `the refund's tax differs from the sum of its line taxes (rounding): add a "taxRounding" row to the adjustmentItems mapping table`,
    );
  }
  if ([...productLines, ...adjustments].some((line) => line.amount < 0)) problems.push('a credit memo line would be negative');
  if (problems.length > 0) throw new CreditMemoMappingError(refund.refundId, problems);

  const lineTax = [...productLines, ...adjustments].reduce(
    (sum, line) => sum + (line.taxEntries ?? []).reduce((entries, entry) => entries + entry.amount, 0),
    0,
  );
  const written = [...productLines, ...adjustments].reduce((sum, line) => sum + line.amount, lineTax);
  if (written !== expectedTotal) {
    throw new CreditMemoMappingError(refund.refundId, [
      `the lines come to ${formatAmount(written, refund.currency)}, not the refund's ${formatAmount(expectedTotal, refund.currency)}`,
    ]);
  }
  if (written === 0) throw new CreditMemoMappingError(refund.refundId, ['the refund credits nothing']);

  const { baseCurrency, exchangeRateType } = orderSync.currency;
  const document: SalesDocumentInput & { referenceNumber: string } = {
    transactionDefinition: returns.creditMemoTransactionDefinition,
    date: businessDateOf(refund.createdAt, settings.timezone),
    customerId: input.credited.customerId,
    referenceNumber: refund.refundId,
    ...(orderSync.defaultPaymentTerm !== undefined && { paymentTerm: orderSync.defaultPaymentTerm }),
    ...(refund.currency !== baseCurrency && { currency: { baseCurrency, currency: refund.currency, exchangeRateType } }),
    message: `Refund ${refund.refundId} of storefront order ${refund.orderId}; credits ${input.credited.documentId}`,
    ...(orderSync.adjustments.tax === 'perLine' && orderSync.tax?.solutionId !== undefined && { taxSolutionId: orderSync.tax.solutionId }),
    lines: toDocumentLines([...productLines, ...adjustments], refund.currency, dimensions),
  };
  return { document, unrestocked };
}

export interface StockOffsetMappingInput {
  refund: Pick<CanonicalRefund, 'refundId' | 'orderId' | 'createdAt'>;
  creditMemoId: string;
  unrestocked: readonly UnrestockedLine[];
  /** Which of the unrestocked items Intacct keeps stock of (inventory items); the others moved no stock. */
  stockedItemIds: ReadonlySet<string>;
  settings: Pick<TenantSettings, 'returns' | 'timezone'>;
}

/**
 * What takes back out of stock the units a credit memo returned to stock although they were not
 * restocked: an inventory transaction of `returns.stockOffsetTransactionDefinition`, one line per
 * stocked item and warehouse, referenced by the refund id. Undefined when nothing stocked is left out.
 */
export function toIntacctStockOffset(
  input: StockOffsetMappingInput,
): (InventoryTransactionInput & { referenceNumber: string }) | undefined {
  const quantities = new Map<string, UnrestockedLine>();
  for (const line of input.unrestocked) {
    if (!input.stockedItemIds.has(line.itemId)) continue;
    const key = `${line.itemId}\u0000${line.warehouseId}`;
    const known = quantities.get(key);
    quantities.set(key, { ...line, quantity: (known?.quantity ?? 0) + line.quantity });
  }
  if (quantities.size === 0) return undefined;
  const { refund } = input;
  return {
    transactionDefinition: input.settings.returns.stockOffsetTransactionDefinition,
    date: businessDateOf(refund.createdAt, input.settings.timezone),
    referenceNumber: refund.refundId,
    message: `Refund ${refund.refundId} of storefront order ${refund.orderId}: not restocked (${input.creditMemoId})`,
    lines: [...quantities.values()].map((line) => ({
      itemId: line.itemId,
      warehouseId: line.warehouseId,
      quantity: String(line.quantity),
    })),
  };
}
