import { parseAmount } from './money.js';

/**
 * Intacct price list entries → BigCommerce price list records (issue 20): which entries a store
 * can carry, and what changes. Pure; the activities read both sides and write the result.
 */

/** An Intacct order-entry price list entry (SOPRICELISTENTRY) as the price list sync reads it. */
export interface IntacctPriceListEntry {
  recordNo: string;
  /** PRICELISTID: the price list's name. */
  priceListId: string;
  itemId: string;
  /** VALUETYPE: `Actual` is a price; the others (percent or amount off, markups) are not carried. */
  valueType: string;
  /** VALUE: the price, for `Actual`. */
  value: string;
  /** QTYLIMITMIN: above 1 the entry is a quantity break, which a price record cannot hold. */
  minQuantity: string;
  /** DATEFROM / DATETO, `MM/DD/YYYY`; empty: open. */
  dateFrom: string;
  dateTo: string;
  status: string;
  /** WHENMODIFIED, `MM/DD/YYYY HH:MM:SS`. */
  modifiedAt: string;
}

/** A record to upsert: a SKU's price on a storefront price list. */
export interface PriceRecordChange {
  priceListId: number;
  sku: string;
  priceMinor: number;
}

/** Why an entry is not carried: reported, never an error. */
export type PriceEntrySkipReason = 'inactive' | 'notAPrice' | 'quantityBreak' | 'notInEffect';

export type PriceRecordDecision =
  | { kind: 'upsert'; change: PriceRecordChange }
  | { kind: 'unchanged' }
  | { kind: 'skipped'; reason: PriceEntrySkipReason }
  | { kind: 'unreadable'; reason: string };

/** `MM/DD/YYYY` as `YYYY-MM-DD` (comparable as text); undefined when empty or not a date. */
function isoDate(text: string): string | undefined {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(text.trim());
  return match ? `${match[3]}-${match[1]}-${match[2]}` : undefined;
}

/**
 * What one Intacct price list entry means for the storefront price list it maps to: the record
 * to write when the store's price differs (or it has none), else `unchanged`, so a second run
 * writes nothing. Entries a price record cannot express — inactive, not an actual price, a
 * quantity break, or dated outside `today` (`YYYY-MM-DD`) — are skipped with the reason.
 */
export function toPriceRecordChange(
  entry: IntacctPriceListEntry,
  target: { priceListId: number; sku: string; currentPriceMinor: number | undefined; currency: string; today: string },
): PriceRecordDecision {
  if (entry.status !== '' && entry.status !== 'active') return { kind: 'skipped', reason: 'inactive' };
  if (entry.valueType.trim().toLowerCase() !== 'actual') return { kind: 'skipped', reason: 'notAPrice' };
  const minQuantity = entry.minQuantity.trim() === '' ? 0 : Number(entry.minQuantity);
  if (Number.isFinite(minQuantity) && minQuantity > 1) return { kind: 'skipped', reason: 'quantityBreak' };
  const from = isoDate(entry.dateFrom);
  const to = isoDate(entry.dateTo);
  if ((from !== undefined && from > target.today) || (to !== undefined && to < target.today))
    return { kind: 'skipped', reason: 'notInEffect' };
  let priceMinor: number;
  try {
    priceMinor = parseAmount(entry.value, target.currency).minor;
  } catch (error) {
    return {
      kind: 'unreadable',
      reason: `price list ${entry.priceListId} item ${entry.itemId}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (priceMinor === target.currentPriceMinor) return { kind: 'unchanged' };
  return { kind: 'upsert', change: { priceListId: target.priceListId, sku: target.sku, priceMinor } };
}

/**
 * Whether the store's record for one list and SKU is a price this sync wrote that Intacct no
 * longer holds, so it must be deleted: the store has a record, no entry Intacct holds for that
 * list and item is a price in effect today, and one of them is a price the sync carries but now
 * inactive or out of its dates. A record whose entries were never carried (percent off,
 * quantity breaks only) is someone else's and is left alone. `entries`: all of Intacct's entries
 * for the list and item, not only the changed ones.
 */
export function isWithdrawnPriceRecord(
  entries: readonly IntacctPriceListEntry[],
  target: { currentPriceMinor: number | undefined; currency: string; today: string },
): boolean {
  if (target.currentPriceMinor === undefined || entries.length === 0) return false;
  const decisions = entries.map((entry) =>
    toPriceRecordChange(entry, {
      priceListId: 0,
      sku: '',
      currentPriceMinor: target.currentPriceMinor,
      currency: target.currency,
      today: target.today,
    }),
  );
  if (decisions.some((decision) => decision.kind !== 'skipped')) return false;
  return decisions.some((decision) => decision.kind === 'skipped' && (decision.reason === 'inactive' || decision.reason === 'notInEffect'));
}

/**
 * Whether Intacct still backs a store record the sync manages: one of `entries` (what Intacct
 * holds for its list and items today) is a price the sync carries and in effect on `today`. An
 * entry whose value cannot be read counts as backing it, so a typo never deletes a record. With
 * no entry at all (deleted outright), or only withdrawn or uncarried ones, it is not backed.
 */
export function isBackedPriceRecord(entries: readonly IntacctPriceListEntry[], target: { currency: string; today: string }): boolean {
  return entries.some(
    (entry) =>
      toPriceRecordChange(entry, { priceListId: 0, sku: '', currentPriceMinor: undefined, currency: target.currency, today: target.today })
        .kind !== 'skipped',
  );
}
