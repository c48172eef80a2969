/**
 * What the chaos run expects of an order the merchant edited after posting, and the checks of a
 * parked edit. Lines the store taxes per line cannot follow an edit (Intacct's
 * `updatesotransitem` has no tax entries), so the product writes nothing and parks the order as
 * `edit_changes_line_tax`: the sales order must then still be the order as it was before the
 * edit, to the cent, and the attention item must give the edited lines' new tax. Pure functions
 * of what the store said before and after the edit and what the product recorded; `verify.ts`
 * reads the systems.
 */

/** The park of an edit that changes the tax of lines taxed per line. */
export const editChangesLineTax = 'edit_changes_line_tax';

/** A store line as an edit is compared on (BigCommerce order product): its id, units, unit price excluding tax and tax. */
export interface EditedStoreLine {
  id: number;
  quantity: number;
  unitPriceExTaxCents: number;
  taxCents: number;
}

/**
 * What the product must make of the merchant's edit: `followed` (the sales order updated to the
 * store's order, or nothing to follow), or `parked` as `edit_changes_line_tax`, nothing written.
 * It parks when the tenant posts tax per line and the edit changes the units or the price of a
 * line that is taxed after it, or takes away a line of an order that carries tax; a line the
 * edit only adds is written with its own tax, so it does not park.
 */
export function expectedEditOutcome(
  before: readonly EditedStoreLine[],
  after: readonly EditedStoreLine[],
  taxedPerLine: boolean,
): 'followed' | 'parked' {
  if (!taxedPerLine) return 'followed';
  const now = new Map(after.map((line) => [line.id, line]));
  const taxed = before.some((line) => line.taxCents !== 0) || after.some((line) => line.taxCents !== 0);
  for (const was of before) {
    const line = now.get(was.id);
    if (line === undefined) {
      if (taxed) return 'parked';
      continue;
    }
    const changed = line.quantity !== was.quantity || line.unitPriceExTaxCents !== was.unitPriceExTaxCents;
    if (changed && line.taxCents !== 0) return 'parked';
  }
  return 'followed';
}

/** An attention item as MongoDB holds it, as far as these checks read it. */
export interface AttentionRecord {
  state: string;
  code?: string | undefined;
  reason?: string | undefined;
  details?: { differences?: Array<{ what: string; storeSays: string; intacctHolds: string }> } | undefined;
}

const money = (amount: number) => (amount / 100).toFixed(2);

/**
 * Differences between a parked edit's attention item and what it must say: open, coded
 * `edit_changes_line_tax`, with a reason, and a `tax of …` difference per edited line whose new
 * tax (the store's, named first in what the store says) adds up to the store's new tax of the
 * lines the edit changed.
 */
export function parkedEditDifferences(
  item: AttentionRecord | undefined,
  before: readonly EditedStoreLine[],
  after: readonly EditedStoreLine[],
): string[] {
  if (item === undefined) return [`no attention item; the edit must park the order as ${editChangesLineTax}`];
  if (item.state !== 'open' || item.code !== editChangesLineTax || !item.reason)
    return [`its attention item is ${item.state} ${item.code ?? '(no code)'}, not an open ${editChangesLineTax} with a reason`];
  const was = new Map(before.map((line) => [line.id, line]));
  const edited = after.filter((line) => {
    const old = was.get(line.id);
    return (
      old !== undefined && line.taxCents !== 0 && (old.quantity !== line.quantity || old.unitPriceExTaxCents !== line.unitPriceExTaxCents)
    );
  });
  const named = (item.details?.differences ?? []).filter((difference) => difference.what.startsWith('tax of '));
  const namedTax = named.reduce((sum, difference) => sum + Math.round(Number.parseFloat(difference.storeSays) * 100 || 0), 0);
  const newTax = edited.reduce((sum, line) => sum + line.taxCents, 0);
  if (named.length < edited.length || namedTax !== newTax)
    return [
      `its attention item names ${named.length} lines' new tax for ${money(namedTax)}; the edit changed ${edited.length} taxed lines, their new tax ${money(newTax)}`,
    ];
  return [];
}

/** One request the Intacct sandbox logged, as far as these checks read it. */
export interface LoggedIntacctRequest {
  functions: ReadonlyArray<{ name: string; controlId: string }>;
}

/**
 * The sales order updates the product sent for an order's edits: `update_sotransaction` under
 * the control id it gives an edit (`so-edit:{tenant}:{order}:{version}`), whatever the answer.
 */
export function editUpdatesSent(requests: readonly LoggedIntacctRequest[], tenantId: string, orderId: string): number {
  const prefix = `so-edit:${tenantId}:${orderId}:`;
  return requests
    .flatMap((request) => request.functions)
    .filter((call) => call.name === 'update_sotransaction' && call.controlId.startsWith(prefix)).length;
}
