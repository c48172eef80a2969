/**
 * How one payment is spread over an order's invoices: the rule behind "a payment applies to
 * the order's invoices, oldest first, each up to what it still owes". An order shipped in
 * parts has one invoice per shipment; Intacct refuses an application larger than an invoice's
 * amount due, so no invoice takes more than it owes, and what none owes stays on the payment
 * unapplied (an advance, as a payment before invoicing is recorded).
 */

/** One of the order's AR invoices with what it still owes, in minor units of the order's currency. */
export interface OpenInvoice {
  /** The ARINVOICE RECORDNO the payment applies to. */
  invoiceKey: string;
  due: number;
}

/** One `arpaymentitem`: what of the payment one invoice takes, in minor units. */
export interface InvoiceApplication {
  invoiceKey: string;
  amount: number;
}

export interface PaymentApplications {
  applications: InvoiceApplication[];
  /** What of the amount to apply no invoice owes: it stays on the payment unapplied. */
  unapplied: number;
}

/**
 * Applies `toApply` minor units to `invoices` in the order given (oldest first), each up to its
 * amount due; invoices that owe nothing get no line. Whole minor units only: amounts are never
 * floats, so the lines and the unapplied rest sum to `toApply` exactly.
 */
export function applyToInvoicesOldestFirst(toApply: number, invoices: readonly OpenInvoice[]): PaymentApplications {
  if (!Number.isSafeInteger(toApply) || toApply < 0) throw new RangeError(`cannot apply ${toApply} minor units`);
  const applications: InvoiceApplication[] = [];
  let left = toApply;
  for (const invoice of invoices) {
    if (!Number.isSafeInteger(invoice.due)) throw new RangeError(`invoice ${invoice.invoiceKey} owes ${invoice.due} minor units`);
    if (left === 0) break;
    const amount = Math.min(left, invoice.due);
    if (amount <= 0) continue;
    applications.push({ invoiceKey: invoice.invoiceKey, amount });
    left -= amount;
  }
  return { applications, unapplied: left };
}
