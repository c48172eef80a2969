import type { CanonicalAddress, CanonicalOrder, CanonicalOrderLine } from '../mappers/canonical-order.js';
import { formatAmount } from '../mappers/money.js';

/** The parts of an order the books hold: what a posted order's edit is compared on. */
export type BookedOrder = Pick<
  CanonicalOrder,
  'currency' | 'lines' | 'shipping' | 'handling' | 'discount' | 'tax' | 'billingAddress' | 'shippingAddress'
>;

/** One thing the store says differently from what the sales document holds, in words a person can check line by line. */
export interface OrderDifference {
  /** `SKU MUG-11 (line 7)`, `shipping`, `ship-to address`. */
  what: string;
  /** What the storefront says now; `none` for a line it no longer has. */
  storeSays: string;
  /** What Intacct holds (what the product sent it); `none` for a line it never had. */
  intacctHolds: string;
}

/**
 * What OrderToCash does with an edit made after the sales document exists:
 * - `none`: nothing the books hold changed (staff notes, status, the store's echo of the
 *   product's own write-back);
 * - `update`: the sales order is brought in line with the store (nothing is invoiced yet);
 * - `park`: something is invoiced, so the books cannot follow on their own; a person settles
 *   the differences (`edited_after_invoicing`).
 */
export type OrderEditDecision =
  { action: 'none' } | { action: 'update'; differences: OrderDifference[] } | { action: 'park'; differences: OrderDifference[] };

export interface OrderEditInput {
  /** The order as the sales document holds it (as posted, or as last updated); undefined when this run does not know it. */
  booked: BookedOrder | undefined;
  /** The order as the storefront has it now. */
  current: BookedOrder;
  /** Whether the workflow knows of an invoice made from the sales order. */
  invoiced: boolean;
}

/**
 * Decides what an edit after posting does. Lines are compared by the storefront's line id, so
 * a changed quantity or price is one difference, a replaced product two (one line gone, one
 * new). An unknown `booked` (a run that found the order posted by an earlier one) cannot be
 * compared here: it is an `update`, and the update compares with Intacct itself (and finds
 * any invoice there).
 */
export function decideOrderEdit({ booked, current, invoiced }: OrderEditInput): OrderEditDecision {
  if (booked === undefined) return { action: 'update', differences: [] };
  const differences = orderDifferences(booked, current);
  if (differences.length === 0) return { action: 'none' };
  return invoiced ? { action: 'park', differences } : { action: 'update', differences };
}

/** What the store says differently from what was booked, lines first, in the store's line order. */
export function orderDifferences(booked: BookedOrder, current: BookedOrder): OrderDifference[] {
  const money = (minor: number, currency: string) => `${formatAmount(minor, currency)} ${currency}`;
  const differences: OrderDifference[] = [];
  const bookedLines = new Map(booked.lines.map((line) => [line.lineId, line]));
  const lineText = (line: CanonicalOrderLine, currency: string) =>
    `${line.quantity} × ${money(line.unitPrice, currency)}${line.lineDiscount === 0 ? '' : ` less ${money(line.lineDiscount, currency)}`}`;
  for (const line of current.lines) {
    const was = bookedLines.get(line.lineId);
    bookedLines.delete(line.lineId);
    const now = lineText(line, current.currency);
    if (was === undefined) differences.push({ what: `SKU ${line.sku} (line ${line.lineId})`, storeSays: now, intacctHolds: 'none' });
    else if (was.sku !== line.sku)
      differences.push({
        what: `line ${line.lineId}`,
        storeSays: `SKU ${line.sku}, ${now}`,
        intacctHolds: `SKU ${was.sku}, ${lineText(was, booked.currency)}`,
      });
    else if (now !== lineText(was, booked.currency))
      differences.push({ what: `SKU ${line.sku} (line ${line.lineId})`, storeSays: now, intacctHolds: lineText(was, booked.currency) });
  }
  for (const gone of bookedLines.values())
    differences.push({ what: `SKU ${gone.sku} (line ${gone.lineId})`, storeSays: 'none', intacctHolds: lineText(gone, booked.currency) });
  for (const amount of ['shipping', 'handling', 'discount', 'tax'] as const) {
    const storeSays = money(current[amount], current.currency);
    const intacctHolds = money(booked[amount], booked.currency);
    if (storeSays !== intacctHolds) differences.push({ what: amount, storeSays, intacctHolds });
  }
  const addresses = [
    ['bill-to address', current.billingAddress, booked.billingAddress],
    ['ship-to address', current.shippingAddress, booked.shippingAddress],
  ] as const;
  for (const [what, now, was] of addresses) {
    const storeSays = addressText(now);
    const intacctHolds = addressText(was);
    if (storeSays !== intacctHolds) differences.push({ what, storeSays, intacctHolds });
  }
  return differences;
}

/** The differences as one line each, for a park's reason and the attention queue. */
export function describeDifferences(differences: readonly OrderDifference[]): string[] {
  return differences.map(({ what, storeSays, intacctHolds }) => `${what}: the store says ${storeSays}, Intacct holds ${intacctHolds}`);
}

function addressText(address: CanonicalAddress | undefined): string {
  if (address === undefined) return 'none';
  const parts = [
    `${address.firstName} ${address.lastName}`.trim(),
    address.company,
    address.line1,
    address.line2,
    address.city,
    [address.region, address.postalCode].filter(Boolean).join(' '),
    address.country,
    address.email,
    address.phone,
  ];
  return parts.filter((part) => part !== undefined && part !== '').join(', ');
}
