import type { TaxRateMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalChargeTax, CanonicalOrder, CanonicalOrderLine } from './canonical-order.js';
import type { CanonicalRefund } from './canonical-refund.js';
import { allocateLargestRemainder, formatAmount } from './money.js';
import { toTaxPosting, type TaxPosting } from './order-tax-posting.js';

/**
 * What a refund needs of its order to reverse tax posted per line or per jurisdiction: the
 * refunded lines' quantities and tax (with the store's breakdown), and the shipping and handling
 * the refund gives back part of, with their tax. Only these, so the activity payload stays small.
 */
export interface RefundedOrderTax {
  lines: Array<Pick<CanonicalOrderLine, 'lineId' | 'quantity' | 'tax' | 'taxes'>>;
  shipping: number;
  handling: number;
  /** The tax of the shipping and handling the refund gives back part of. */
  chargeTaxes?: CanonicalChargeTax[];
}

/** The parts of `order` a refund's tax is reversed from (see {@link RefundedOrderTax}). */
export function refundedOrderTax(
  order: Pick<CanonicalOrder, 'lines' | 'shipping' | 'handling' | 'chargeTaxes'>,
  refund: Pick<CanonicalRefund, 'lines' | 'shipping' | 'handling'>,
): RefundedOrderTax {
  const refunded = new Set(refund.lines.map((line) => line.lineId));
  const charges = new Set([...(refund.shipping !== 0 ? ['shipping'] : []), ...(refund.handling !== 0 ? ['handling'] : [])]);
  const chargeTaxes = (order.chargeTaxes ?? []).filter((tax) => charges.has(tax.appliesTo));
  return {
    lines: order.lines
      .filter((line) => refunded.has(line.lineId))
      .map(({ lineId, quantity, tax, taxes }) => ({ lineId, quantity, tax, ...(taxes !== undefined && { taxes }) })),
    shipping: order.shipping,
    handling: order.handling,
    ...(chargeTaxes.length > 0 && { chargeTaxes }),
  };
}

interface TaxedPart {
  /** The tax as the sale posted it on the whole line or charge, by component. */
  components: Array<{ name?: string; ratePercent?: string; amount: number }>;
  /** The store's own figure for the refunded part, when it gives one. */
  stated?: number;
  /** The refunded share of the posted tax (numerator / denominator), before rounding. */
  numerator: number;
  denominator: number;
  tax: number;
}

const sumOf = (amounts: ReadonlyArray<{ amount: number }>) => amounts.reduce((total, entry) => total + entry.amount, 0);

/** Each refunded line and charge with the tax its sale posted on it and the refunded share (tax not yet assigned). */
function taxedPartsOf(
  refund: Pick<CanonicalRefund, 'lines' | 'shipping' | 'handling'>,
  orderTax: RefundedOrderTax,
  problems: string[],
): Map<string, TaxedPart> {
  const parts = new Map<string, TaxedPart>();
  for (const line of refund.lines) {
    const ordered = orderTax.lines.find((candidate) => candidate.lineId === line.lineId);
    if (ordered === undefined) {
      problems.push(`the order's tax of line ${line.lineId} (SKU ${line.sku}) is not known, so its tax cannot be reversed`);
      continue;
    }
    const components =
      ordered.taxes !== undefined && ordered.taxes.length > 0
        ? ordered.taxes.filter((tax) => tax.amount !== 0)
        : ordered.tax === 0
          ? []
          : [{ amount: ordered.tax }];
    parts.set(`line:${line.lineId}`, {
      components,
      ...(line.tax !== undefined && { stated: line.tax }),
      numerator: sumOf(components) * line.quantity,
      denominator: ordered.quantity,
      tax: 0,
    });
  }
  for (const [charge, refunded, whole] of [
    ['shipping', refund.shipping, orderTax.shipping],
    ['handling', refund.handling, orderTax.handling],
  ] as const) {
    const components = (orderTax.chargeTaxes ?? []).filter((tax) => tax.appliesTo === charge && tax.amount !== 0);
    if (refunded === 0 || components.length === 0 || whole <= 0) continue;
    parts.set(`charge:${charge}`, { components, numerator: sumOf(components) * refunded, denominator: whole, tax: 0 });
  }
  return parts;
}

/**
 * Gives each part its tax: the store's stated figure, else its share of the tax the sale posted.
 * When the shares explain the refund's tax to within rounding (a minor unit per part) they stand
 * (the difference is the residue), unless `exact`; otherwise the refund's tax is allocated over
 * them in proportion, so they sum to it.
 */
function assignTax(parts: Map<string, TaxedPart>, refund: CanonicalRefund, exact: boolean, problems: string[]): void {
  const shared = [...parts.values()].filter((part) => part.stated === undefined && part.numerator !== 0);
  const toShare = refund.tax - [...parts.values()].reduce((total, part) => total + (part.stated ?? 0), 0);
  for (const part of parts.values()) part.tax = part.stated ?? Math.round(part.numerator / part.denominator);
  const shares = shared.reduce((total, part) => total + part.tax, 0);
  if (toShare === shares || (!exact && Math.abs(toShare - shares) <= Math.max(shared.length, 1))) return;
  if (shared.length === 0) {
    if (toShare !== 0)
      problems.push(
        `the refund's tax of ${formatAmount(toShare, refund.currency)} falls on no refunded line or charge the order taxed: reverse it by hand`,
      );
    return;
  }
  // Weights over a common denominator keep each share's proportion exact.
  const common = shared.reduce((product, part) => product * part.denominator, 1);
  const weights = shared.map((part) => (part.numerator * common) / part.denominator);
  const exactWeights = weights.every(Number.isSafeInteger) ? weights : shared.map((part) => Math.max(part.tax, 0));
  allocateLargestRemainder(toShare, exactWeights).forEach((share, index) => (shared[index]!.tax = share));
}

/**
 * The refund's tax on each refunded line and on refunded shipping and handling, as
 * {@link toRefundTaxPosting} shares it, always summing to the refund's tax (no residue): what a
 * storefront mapper extracts from gross refund amounts of a VAT-inclusive order.
 */
export function refundTaxShares(
  refund: CanonicalRefund,
  orderTax: RefundedOrderTax,
): { lines: Map<string, number>; shipping: number; handling: number; problems: string[] } {
  const problems: string[] = [];
  const parts = taxedPartsOf(refund, orderTax, problems);
  assignTax(parts, refund, true, problems);
  const lines = new Map(refund.lines.map((line) => [line.lineId, parts.get(`line:${line.lineId}`)?.tax ?? 0]));
  return { lines, shipping: parts.get('charge:shipping')?.tax ?? 0, handling: parts.get('charge:handling')?.tax ?? 0, problems };
}

/**
 * The refund's tax split as its sale posted it: each refunded line's tax (the store's, when the
 * refund line states it; else the line's posted tax × refunded units / ordered units), taxed
 * shipping and handling likewise by the share refunded, each split over the line's components
 * (rates or jurisdictions) by largest remainder. When those shares explain the refund's tax to
 * within rounding (a minor unit per taxed part), what is left is the refund's rounding residue,
 * posted like the sale's; when they do not (a refund of part of a line's price), the refund's
 * tax is allocated over them in proportion instead, so the residue is nothing.
 */
export function toRefundTaxPosting(input: {
  refund: CanonicalRefund;
  orderTax: RefundedOrderTax;
  mode: 'perLine' | 'perJurisdiction';
  taxRates: ReadonlyMap<string, TaxRateMappingRow>;
  defaultTaxDetailId?: string | undefined;
}): TaxPosting {
  const { refund } = input;
  const problems: string[] = [];
  const parts = taxedPartsOf(refund, input.orderTax, problems);
  assignTax(parts, refund, false, problems);

  const split = (part: TaxedPart) => {
    const posted = sumOf(part.components);
    if (part.tax === posted) return part.components;
    const weights = part.components.map((component) => Math.abs(component.amount));
    const amounts = weights.some((weight) => weight > 0) ? allocateLargestRemainder(part.tax, weights) : [part.tax];
    return part.components.map((component, index) => ({ ...component, amount: amounts[index] ?? 0 }));
  };
  const lines = refund.lines.flatMap((line) => {
    const part = parts.get(`line:${line.lineId}`);
    if (part === undefined || part.tax === 0) return [];
    const taxes = split(part).map(({ name, ratePercent, amount }) => ({
      name: name ?? '',
      ...(ratePercent !== undefined && { ratePercent }),
      amount,
    }));
    return [{ lineId: line.lineId, tax: part.tax, taxes: taxes.some((tax) => tax.name === '') ? [] : taxes }];
  });
  const chargeTaxes = (['shipping', 'handling'] as const).flatMap((charge) => {
    const part = parts.get(`charge:${charge}`);
    return part === undefined || part.tax === 0 ? [] : split(part).map((component) => ({ ...component, appliesTo: charge }));
  });

  const posting = toTaxPosting({
    order: { currency: refund.currency, tax: refund.tax, lines, chargeTaxes },
    document: 'refund',
    mode: input.mode,
    taxRates: input.taxRates,
    defaultTaxDetailId: input.defaultTaxDetailId,
  });
  return { ...posting, problems: [...problems, ...posting.problems] };
}

/**
 * The refund's tax as its sale posted it, when the tenant posts tax per line or per jurisdiction
 * (undefined for the other modes); its problems, and a missing `orderTax`, go to `problems`.
 */
export function refundTaxPostingOf(
  input: {
    refund: CanonicalRefund;
    orderTax?: RefundedOrderTax | undefined;
    taxRates?: readonly TaxRateMappingRow[] | undefined;
    settings: { orderSync: Pick<TenantSettings['orderSync'], 'adjustments'> & Partial<Pick<TenantSettings['orderSync'], 'tax'>> };
  },
  problems: string[],
): TaxPosting | undefined {
  const { orderSync } = input.settings;
  const mode = orderSync.adjustments.tax;
  if (mode !== 'perLine' && mode !== 'perJurisdiction') return undefined;
  if (input.orderTax === undefined) {
    problems.push(`tax handling "${mode}" reverses the order's line taxes, but they were not given`);
    return undefined;
  }
  const posting = toRefundTaxPosting({
    refund: input.refund,
    orderTax: input.orderTax,
    mode,
    taxRates: new Map((input.taxRates ?? []).map((row) => [row.storefrontTax, row])),
    defaultTaxDetailId: orderSync.tax?.defaultTaxDetailId,
  });
  problems.push(...posting.problems);
  return posting;
}
