import type { TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { CanonicalChargeTax, CanonicalOrder, CanonicalOrderLine, CanonicalTaxComponent } from './canonical-order.js';
import { formatAmount } from './money.js';

/** The order-level charges that can carry their own tax. */
export type TaxedCharge = CanonicalChargeTax['appliesTo'];

/** One tax entry of a line, in minor units, before it is written. */
export interface PendingTaxEntry {
  detailId: string;
  amount: number;
}

/** One tax line per storefront tax (jurisdiction or rate), in minor units. */
export interface JurisdictionTaxLine {
  /** The storefront's name of the tax, or "tax" for tax the store did not break down. */
  name: string;
  /** The item the taxRates table names for it; absent: the "tax" adjustment item. */
  itemId?: string;
  amount: number;
}

/** How the store's tax is posted, whichever the mode: the sum of what is posted plus {@link residue} is the order's tax. */
export interface TaxPosting {
  /** perLine: the tax entries of each product line, by canonical line id. */
  lineEntries: Map<string, PendingTaxEntry[]>;
  /** perLine: the tax entries of each charge's adjustment line. */
  chargeEntries: Map<TaxedCharge, PendingTaxEntry[]>;
  /** perJurisdiction: one line per storefront tax, in the order first seen. */
  jurisdictionLines: JurisdictionTaxLine[];
  /**
   * The store's order tax less the sum of its line and charge taxes: rounding the store did on
   * the order's tax rather than per line. Posted as the "taxRounding" adjustment line, never dropped.
   */
  residue: number;
  problems: string[];
}

export interface TaxPostingInput {
  order: Pick<CanonicalOrder, 'currency' | 'tax' | 'chargeTaxes'> & {
    lines: ReadonlyArray<Pick<CanonicalOrderLine, 'lineId' | 'tax' | 'taxes'>>;
  };
  /** Whose tax it is, for the problems' wording: an order's (default) or a refund's. */
  document?: 'order' | 'refund';
  mode: 'perLine' | 'perJurisdiction';
  /** The taxRates mapping table, by storefront tax name. */
  taxRates: ReadonlyMap<string, TaxRateMappingRow>;
  /** The tax detail for tax the store did not name (`orderSync.tax.defaultTaxDetailId`). */
  defaultTaxDetailId?: string | undefined;
}

/** The components of a line's tax: the store's breakdown, else the whole tax unnamed. */
function componentsOf(tax: number, taxes: readonly CanonicalTaxComponent[] | undefined): Array<{ name?: string; amount: number }> {
  if (taxes !== undefined && taxes.length > 0) return taxes.filter((component) => component.amount !== 0);
  return tax === 0 ? [] : [{ amount: tax }];
}

/**
 * The store's tax, as the store computed it, in the shape the tenant posts it: Intacct tax
 * entries per line (tax details from the taxRates table) or one tax line per jurisdiction or
 * rate. Nothing is recomputed: each amount is the store's, and the difference between the
 * store's order tax and the sum of its parts is returned as the residue to post by name.
 */
export function toTaxPosting(input: TaxPostingInput): TaxPosting {
  const { order, mode, taxRates } = input;
  const posting: TaxPosting = { lineEntries: new Map(), chargeEntries: new Map(), jurisdictionLines: [], residue: order.tax, problems: [] };
  const unmappedTaxes = new Set<string>();
  let unnamedWithoutDefault = false;

  const detailOf = (name: string | undefined): string | undefined => {
    if (name === undefined) {
      if (input.defaultTaxDetailId === undefined) unnamedWithoutDefault = true;
      return input.defaultTaxDetailId;
    }
    const detailId = taxRates.get(name)?.intacctTaxDetailId ?? input.defaultTaxDetailId;
    if (detailId === undefined) unmappedTaxes.add(name);
    return detailId;
  };
  const entriesOf = (components: ReadonlyArray<{ name?: string; amount: number }>): PendingTaxEntry[] => {
    const entries: PendingTaxEntry[] = [];
    for (const component of components) {
      posting.residue -= component.amount;
      const detailId = detailOf(component.name);
      if (detailId === undefined) continue;
      // Two storefront taxes posted as one tax detail make one entry: Intacct takes a detail once per line.
      const same = entries.find((entry) => entry.detailId === detailId);
      if (same) same.amount += component.amount;
      else entries.push({ detailId, amount: component.amount });
    }
    return entries;
  };
  const addJurisdiction = (components: ReadonlyArray<{ name?: string; amount: number }>) => {
    for (const component of components) {
      posting.residue -= component.amount;
      const name = component.name ?? 'tax';
      const existing = posting.jurisdictionLines.find((line) => line.name === name);
      if (existing) existing.amount += component.amount;
      else {
        const itemId = component.name === undefined ? undefined : taxRates.get(component.name)?.intacctItemId;
        posting.jurisdictionLines.push({ name, ...(itemId !== undefined && { itemId }), amount: component.amount });
      }
    }
  };

  for (const line of order.lines) {
    const components = componentsOf(line.tax, line.taxes);
    if (components.length === 0) continue;
    if (mode === 'perLine') posting.lineEntries.set(line.lineId, entriesOf(components));
    else addJurisdiction(components);
  }
  const charges = new Map<TaxedCharge, CanonicalChargeTax[]>();
  for (const tax of order.chargeTaxes ?? []) {
    if (tax.amount === 0) continue;
    charges.set(tax.appliesTo, [...(charges.get(tax.appliesTo) ?? []), tax]);
  }
  for (const [charge, taxes] of charges) {
    if (mode === 'perLine') posting.chargeEntries.set(charge, entriesOf(taxes));
    else addJurisdiction(taxes);
  }

  if (unmappedTaxes.size > 0)
    posting.problems.push(
      `no Intacct tax detail for ${[...unmappedTaxes].sort().join(', ')}: add rows with an intacctTaxDetailId to the taxRates mapping table (or set orderSync.tax.defaultTaxDetailId)`,
    );
  if (unnamedWithoutDefault)
    posting.problems.push(
      'the store taxed a line or charge without naming the tax, so orderSync.tax.defaultTaxDetailId is needed to post it as line tax detail',
    );
  if (Math.abs(posting.residue) > Math.max(order.lines.length + (order.chargeTaxes?.length ?? 0), 1))
    // More than a minor unit per taxed amount is not rounding: the store's parts do not explain its tax.
    posting.problems.push(
      `the store's line taxes come to ${formatAmount(order.tax - posting.residue, order.currency)}, not its ${input.document ?? 'order'} tax of ${formatAmount(order.tax, order.currency)}: more than rounding, so the ${input.document ?? 'order'} is checked by hand`,
    );
  return posting;
}
