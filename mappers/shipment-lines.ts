import type { OrderProduct, OrderShipment } from '../connectors/bigcommerce/index.js';
import type { ClarityOrder, ClarityShipment } from '../connectors/clarity/index.js';
import type { SalesDocumentLine, SalesDocumentSubtotal } from '../connectors/intacct/index.js';
import { formatAmount, parseAmount } from './money.js';
import type { BigCommerceShipmentItems } from './to-storefront-shipment.js';
import type { OrderLine, ShipmentInvoice, ShippedLine } from '../workflows/order-to-cash-contract.js';

/**
 * What each storefront shipment carries, by canonical order line, whether the order is fully
 * shipped, and which units of the sales order's lines a shipment's invoice takes.
 */

/** An order line with the units it was ordered with and the units that will never ship (refunded or cancelled). */
export interface OrderLineUnits extends ShippedLine {
  notShipping: number;
}

/** Units per line id, summed. */
function unitsByLine(lines: Iterable<ShippedLine>): Map<string, number> {
  const units = new Map<string, number>();
  for (const line of lines) units.set(line.lineId, (units.get(line.lineId) ?? 0) + line.quantity);
  return units;
}

/** BigCommerce order products that are order lines (bundle children ship with their parent), with their refunded units. */
export function bigCommerceOrderLines(
  products: readonly Pick<OrderProduct, 'id' | 'quantity' | 'quantity_refunded' | 'is_bundled_product' | 'parent_order_product_id'>[],
): OrderLineUnits[] {
  return products
    .filter((product) => !(product.is_bundled_product === true && product.parent_order_product_id != null))
    .map((product) => ({ lineId: String(product.id), quantity: product.quantity, notShipping: Number(product.quantity_refunded ?? 0) }));
}

/** A BigCommerce shipment's items as order lines; items of bundle children are left out. */
export function bigCommerceShipmentLines(shipment: Pick<OrderShipment, 'items'>, orderLines: readonly ShippedLine[]): ShippedLine[] {
  const known = new Set(orderLines.map((line) => line.lineId));
  return [...unitsByLine(shipment.items.map((item) => ({ lineId: String(item.order_product_id), quantity: item.quantity })))]
    .filter(([lineId, quantity]) => known.has(lineId) && quantity > 0)
    .map(([lineId, quantity]) => ({ lineId, quantity }));
}

/** Clarity order lines; Clarity's contract has no refunded or cancelled units per line. */
export function clarityOrderLines(order: Pick<ClarityOrder, 'lineItems'>): OrderLineUnits[] {
  return order.lineItems.map((line) => ({ lineId: line.lineId, quantity: line.quantity, notShipping: 0 }));
}

/**
 * Clarity shipments name SKUs, not lines: each shipment's units of a SKU go to the order's
 * lines of that SKU in line order, each line taking what the shipments before left of it.
 */
export function clarityShipmentLines(
  order: Pick<ClarityOrder, 'lineItems'>,
  shipments: readonly Pick<ClarityShipment, 'lineItems'>[],
): ShippedLine[][] {
  const left = new Map(order.lineItems.map((line) => [line.lineId, line.quantity]));
  return shipments.map((shipment) => {
    const carried: ShippedLine[] = [];
    for (const { sku, quantity } of shipment.lineItems) {
      let units = quantity;
      for (const line of order.lineItems.filter((candidate) => candidate.sku === sku)) {
        const taken = Math.min(units, left.get(line.lineId) ?? 0);
        if (taken <= 0) continue;
        left.set(line.lineId, (left.get(line.lineId) ?? 0) - taken);
        carried.push({ lineId: line.lineId, quantity: taken });
        units -= taken;
      }
    }
    return [...unitsByLine(carried)].map(([lineId, units]) => ({ lineId, quantity: units }));
  });
}

/** Every line is shipped, or what is left of it will never ship (refunded, cancelled). */
export function isFulfilled(orderLines: readonly OrderLineUnits[], shipments: readonly (readonly ShippedLine[])[]): boolean {
  const shipped = unitsByLine(shipments.flat());
  return orderLines.every((line) => (shipped.get(line.lineId) ?? 0) + line.notShipping >= line.quantity);
}

/** A sales order's lines cannot be matched to the storefront order's lines (edited or reduced since posting). */
export class ShipmentInvoiceMismatch extends Error {}

/** Units `from` to `to` of an order line, as one line of the sales order holds them. */
interface Run {
  line: SalesDocumentLine;
  from: number;
  to: number;
}

/**
 * Which lines of the sales order (every line, those at quantity 0 included) each order line owns.
 * The sales order's product lines follow the order's lines (a line whose amount does not divide
 * by its quantity is written as two, of the same item), so each order line owns a run of them. A
 * refund before invoicing takes a run down by the refunded units (to quantity 0 when all are
 * refunded), so a run may hold fewer units than ordered, but no fewer than ordered less
 * refunded; it ends at a line of another item, so it never takes the next order line's lines or
 * the charge lines after the products. `next` is the first line after the runs; `mismatch` says
 * where the sales order does not match the order lines.
 */
function orderLineRuns(
  salesOrderLines: readonly SalesDocumentLine[],
  orderLines: readonly OrderLine[],
): { runs: Map<string, Run[]>; next: number; mismatch?: string } {
  const owned = new Map<string, Run[]>();
  let next = 0;
  let mismatch: string | undefined;
  for (const orderLine of orderLines) {
    const fewest = orderLine.quantity - (orderLine.refunded ?? 0);
    const runs: Run[] = [];
    let units = 0;
    while (units < orderLine.quantity && next < salesOrderLines.length) {
      const line = salesOrderLines[next]!;
      const quantity = Number(line.quantity);
      if (runs.length > 0 && (line.itemId !== runs[0]!.line.itemId || units + quantity > orderLine.quantity)) break;
      next += 1;
      runs.push({ line, from: units, to: units + quantity });
      units += quantity;
    }
    if (mismatch === undefined && units < fewest && next === salesOrderLines.length)
      mismatch = `the sales order has fewer lines than the storefront order (line ${orderLine.lineId} is not there)`;
    else if (mismatch === undefined && (units < fewest || units > orderLine.quantity))
      mismatch = `the sales order's lines for storefront line ${orderLine.lineId} hold ${units} units, the storefront order ${
        orderLine.quantity
      }${orderLine.refunded ? ` (${orderLine.refunded} refunded)` : ''}`;
    owned.set(orderLine.lineId, runs);
  }
  return { runs: owned, next, ...(mismatch !== undefined && { mismatch }) };
}

type SalesLineTaxEntry = NonNullable<SalesDocumentLine['taxEntries']>[number];

/**
 * A sales order line's tax entries for units `from` to `to` of its `quantity`: each stated
 * amount prorated by units, rounded where the units so far end (the tax through unit `to` less
 * the tax through unit `from`), so the invoices of a line sum to its tax to the cent and the last
 * takes the remainder. An entry without an amount stays so: Intacct computes it from the
 * detail's rate on the invoice line's own amount.
 */
function taxEntriesFor(
  entries: readonly SalesLineTaxEntry[],
  units: { from: number; to: number; quantity: number },
  currency: string,
): SalesLineTaxEntry[] {
  return entries.map((entry) => {
    if (entry.amount === undefined || entry.amount.trim() === '') return entry;
    const tax = parseAmount(entry.amount, currency).minor;
    const through = (unit: number) => Math.round((tax * unit) / units.quantity);
    return { ...entry, amount: formatAmount(through(units.to) - through(units.from), currency) };
  });
}

/**
 * The lines of one shipment's invoice, from every line of the sales order as it is now: the
 * shipment takes its units of each order line's run (see {@link orderLineRuns}) next after the
 * units the shipments before it took, with the line's tax entries for those units (see
 * {@link taxEntriesFor}). The first shipment's invoice also carries every other line of the
 * sales order (shipping, handling, tax, discount lines) with their tax as the order holds them
 * after any refunds, so the invoices sum to the order, tax detail included. Lines at quantity 0
 * are never invoiced.
 */
export function toShipmentInvoiceLines(
  salesOrderLines: readonly SalesDocumentLine[],
  shipment: ShipmentInvoice,
  currency: string,
): SalesDocumentLine[] {
  const { runs: owned, next, mismatch } = orderLineRuns(salesOrderLines, shipment.orderLines);
  if (mismatch !== undefined) throw new ShipmentInvoiceMismatch(mismatch);
  const before = unitsByLine(shipment.shippedBefore);
  const invoiced: SalesDocumentLine[] = [];
  for (const { lineId, quantity } of shipment.lines) {
    const runs = owned.get(lineId);
    if (runs === undefined)
      throw new ShipmentInvoiceMismatch(`the shipment carries line ${lineId}, which the storefront order does not have`);
    const from = before.get(lineId) ?? 0;
    const to = from + quantity;
    const held = runs.at(-1)?.to ?? 0;
    if (to > held)
      throw new ShipmentInvoiceMismatch(
        `the shipments of storefront line ${lineId} carry ${to} units, the sales order's lines for it hold ${held}`,
      );
    for (const run of runs) {
      const units = Math.min(to, run.to) - Math.max(from, run.from);
      if (units <= 0) continue;
      const { taxEntries, ...line } = run.line;
      const taken = { from: Math.max(from, run.from) - run.from, to: Math.min(to, run.to) - run.from, quantity: run.to - run.from };
      invoiced.push({
        ...line,
        quantity: String(units),
        ...(taxEntries !== undefined && taxEntries.length > 0 && { taxEntries: taxEntriesFor(taxEntries, taken, currency) }),
      });
    }
  }
  if (shipment.shippedBefore.length === 0) invoiced.push(...salesOrderLines.slice(next).filter((line) => Number(line.quantity) > 0));
  return invoiced;
}

/**
 * A sales order's totals as Intacct holds them: the header's, each line's (decimal text), and
 * its lines' tax entries (the lines' own tax, which the header total holds beyond the lines).
 */
export interface SalesOrderTotals {
  total: string;
  lineTotals: readonly string[];
  lines: readonly SalesDocumentLine[];
  currency: string;
}

/**
 * The subtotals an invoice converted from the sales order must carry so the order's invoices sum
 * to it: a conversion copies only lines, and Intacct keeps an order-level discount as a header
 * subtotal outside them (see `toIntacctSalesDocument`), worth the header total less the lines'
 * and less the lines' tax entries (per-line tax, which the invoices' lines carry themselves).
 * It is written as one subtotal named `description` (the tenant's discount subtotal, the one
 * posting writes) with the dimensions of the order's first line, which posting gives every line
 * and subtotal alike. None when the lines make up the whole total. Only the order's first invoice
 * (the one carrying the charges) or a whole-order invoice takes it.
 */
export function toInvoiceSubtotals(
  salesOrder: SalesOrderTotals,
  lines: readonly SalesDocumentLine[],
  description: string,
): SalesDocumentSubtotal[] {
  const minor = (text: string) => (text.trim() === '' ? 0 : parseAmount(text, salesOrder.currency).minor);
  const lineTax = salesOrder.lines
    .flatMap((line) => line.taxEntries ?? [])
    .reduce((sum, entry) => sum + (entry.amount === undefined ? 0 : minor(entry.amount)), 0);
  const subtotals = minor(salesOrder.total) - salesOrder.lineTotals.reduce((sum, total) => sum + minor(total), 0) - lineTax;
  if (subtotals === 0) return [];
  const first = lines[0];
  return [
    {
      description,
      total: formatAmount(subtotals, salesOrder.currency),
      ...(first?.locationId && { locationId: first.locationId }),
      ...(first?.departmentId && { departmentId: first.departmentId }),
      ...(first?.projectId && { projectId: first.projectId }),
      ...(first?.classId && { classId: first.classId }),
    },
  ];
}

/**
 * The order lines an Intacct fulfilment (a shipper or invoice converted from the sales order)
 * carries, read back through its lines' `sourcelinekey` from every line of the sales order (see
 * {@link orderLineRuns}; a sales order that does not match is read as far as it goes); lines
 * converted from charge lines (shipping, tax) carry no order line.
 */
export function fromIntacctFulfilmentLines(
  salesOrderLines: readonly SalesDocumentLine[],
  orderLines: readonly OrderLine[],
  fulfilmentLines: readonly { sourceLineKey: string; quantity: string }[],
): ShippedLine[] {
  const lineOfSource = new Map<string, string>();
  for (const [lineId, runs] of orderLineRuns(salesOrderLines, orderLines).runs)
    for (const { line } of runs) if (line.sourceLineKey !== undefined) lineOfSource.set(line.sourceLineKey, lineId);
  const carried = new Map<string, number>();
  for (const line of fulfilmentLines) {
    const lineId = lineOfSource.get(line.sourceLineKey);
    if (lineId !== undefined) carried.set(lineId, (carried.get(lineId) ?? 0) + Number(line.quantity));
  }
  return orderLines
    .filter((line) => (carried.get(line.lineId) ?? 0) > 0)
    .map((line) => ({ lineId: line.lineId, quantity: carried.get(line.lineId)! }));
}

/**
 * The BigCommerce shipments an Intacct shipment becomes, one per shipping address its lines go
 * to (BigCommerce ties a shipment to one address): the named lines' units, each no more than is
 * left of the line; without lines, everything left at every address.
 */
export function shipmentItems(
  open: readonly BigCommerceShipmentItems[],
  lines: readonly ShippedLine[] | undefined,
): BigCommerceShipmentItems[] {
  if (lines === undefined) return [...open];
  return open.flatMap(({ orderAddressId, items: openItems }) => {
    const left = new Map(openItems.map((item) => [String(item.order_product_id), item.quantity]));
    const items = lines
      .filter((line) => left.has(line.lineId))
      .map((line) => ({ order_product_id: Number(line.lineId), quantity: Math.min(line.quantity, left.get(line.lineId) ?? 0) }))
      .filter((item) => item.quantity > 0);
    return items.length === 0 ? [] : [{ orderAddressId, items }];
  });
}

/** What a new Clarity shipment carries: the named lines' SKUs and units, each no more than is left of the SKU; without lines, everything left. */
export function shipmentClarityLines(
  open: readonly { sku: string; quantity: number }[],
  order: Pick<ClarityOrder, 'lineItems'>,
  lines: readonly ShippedLine[] | undefined,
): { sku: string; quantity: number }[] {
  if (lines === undefined) return [...open];
  const left = new Map(open.map((line) => [line.sku, line.quantity]));
  const wanted = new Map<string, number>();
  for (const line of lines) {
    const sku = order.lineItems.find((item) => item.lineId === line.lineId)?.sku;
    if (sku !== undefined) wanted.set(sku, (wanted.get(sku) ?? 0) + line.quantity);
  }
  return [...wanted]
    .map(([sku, quantity]) => ({ sku, quantity: Math.min(quantity, left.get(sku) ?? 0) }))
    .filter((line) => line.quantity > 0);
}
