/**
 * The chaos run's checks of money after posting, to the cent: what Intacct invoiced against
 * what the store shipped, what Intacct holds as payments against what the store captured, and
 * the sales order's lines against the store's (edited) lines. Pure functions of what both
 * sides answered; `verify.ts` reads the systems and reports what these return.
 */

/** An amount as the systems write it ("12.50", 12.5) in cents. */
export const cents = (amount: string | number | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

/** One line of a store's order as the checks need it: units ordered and shipped, and the unit price excluding tax, in cents. */
export interface StoreLine {
  quantity: number;
  shipped: number;
  unitPriceExTaxCents: number;
}

/**
 * What the invoices of an order must sum to, as the product invoices shipments: each shipment
 * its units at the line's price, the first one also every other line of the sales order
 * (shipping, tax). So: nothing before anything shipped, and then the order's total less the
 * units not shipped yet.
 */
export function shippedAmountCents(totalCents: number, lines: readonly StoreLine[]): number {
  if (lines.every((line) => line.shipped === 0)) return 0;
  return totalCents - lines.reduce((sum, line) => sum + (line.quantity - line.shipped) * line.unitPriceExTaxCents, 0);
}

/** A BigCommerce V3 payment transaction, as far as the checks read it. */
export interface StoreTransaction {
  id: number;
  event: string;
  amount: number;
  status?: string;
}

/** The money the store's gateway took for the order: its purchases and captures that went through. */
export function capturedCents(transactions: readonly StoreTransaction[]): { cents: number; count: number } {
  const taken = transactions.filter(
    (transaction) => (transaction.event === 'purchase' || transaction.event === 'capture') && (transaction.status ?? 'ok') === 'ok',
  );
  return { cents: taken.reduce((sum, transaction) => sum + cents(transaction.amount), 0), count: taken.length };
}

/**
 * The placed order an Intacct payment belongs to: the product writes the order's id as the
 * reference of the payment recorded at posting, and `{order}-{transaction}` for each capture
 * after posting. Undefined when the reference names no placed order.
 */
export function orderOfPayment(reference: string | undefined, placed: ReadonlySet<string>): string | undefined {
  if (reference === undefined) return undefined;
  if (placed.has(reference)) return reference;
  const cut = reference.lastIndexOf('-');
  if (cut <= 0 || !/^\d+$/.test(reference.slice(cut + 1))) return undefined;
  const order = reference.slice(0, cut);
  return placed.has(order) ? order : undefined;
}

/** A sales document line as Intacct's records show it (`SODOCUMENTENTRY`), in line order. */
export interface DocumentLine {
  quantity: number;
  price: number;
}

/**
 * The sales order's product lines follow the store's lines in order, one store line written as
 * a run of lines when its amount does not divide by its quantity: the run of each store line
 * (document line positions), taken until it holds the store line's units.
 */
export function storeLineRuns(storeQuantities: readonly number[], document: readonly { quantity: number }[]): number[][] {
  let next = 0;
  return storeQuantities.map((quantity) => {
    const run: number[] = [];
    let units = 0;
    while (units < quantity && next < document.length) {
      units += document[next]!.quantity;
      run.push(next++);
    }
    return run;
  });
}

/**
 * Differences between the store's lines and the sales order's product lines (see
 * {@link storeLineRuns}): each store line's run must hold its units and its amount (units ×
 * unit price excluding tax) to the cent. The lines after the runs (shipping, gift wrapping,
 * tax) are not the store's lines and are left to the document's total.
 */
export function lineDifferences(
  store: readonly { quantity: number; unitPriceExTaxCents: number }[],
  document: readonly DocumentLine[],
): string[] {
  const runs = storeLineRuns(
    store.map((line) => line.quantity),
    document,
  );
  const differences: string[] = [];
  for (const [position, line] of store.entries()) {
    const run = runs[position]!.map((index) => document[index]!);
    const units = run.reduce((sum, entry) => sum + entry.quantity, 0);
    const amount = run.reduce((sum, entry) => sum + Math.round(entry.quantity * entry.price * 100), 0);
    const expected = line.quantity * line.unitPriceExTaxCents;
    if (units !== line.quantity || amount !== expected)
      differences.push(
        `line ${position + 1}: the store has ${line.quantity} × ${(line.unitPriceExTaxCents / 100).toFixed(2)}, the sales order ${units} units for ${(amount / 100).toFixed(2)}`,
      );
  }
  return differences;
}
