import { skuTokens, sortedTokenKey, withoutLeadingZeros, withoutSeparators } from './sku-normalisation.js';

/** A storefront SKU the tenant confirmed as an Intacct item (a mapping row a person wrote or accepted). */
export interface ConfirmedItemPair {
  storefrontSku: string;
  intacctItemId: string;
}

/**
 * A way the tenant's storefront SKUs differ from their Intacct item ids, read off pairs the
 * tenant confirmed: the storefront adds a prefix or a suffix (`BC-TEE-RED` ↔ `TEE-RED`),
 * Intacct adds one, or the parts come in another order (`TEE-L-RED` ↔ `TEE-RED-L`).
 */
export type SkuPattern =
  | { kind: 'storefrontPrefix'; affix: string }
  | { kind: 'storefrontSuffix'; affix: string }
  | { kind: 'intacctPrefix'; affix: string }
  | { kind: 'intacctSuffix'; affix: string }
  | { kind: 'partsReordered' };

/** A pattern and how many confirmed pairs show it. */
export interface LearnedSkuPattern {
  pattern: SkuPattern;
  confirmations: number;
}

/** Longest affix taken for a pattern: longer ones are a different product line, not a house prefix. */
const maxAffixLength = 6;
/** Shortest remainder: stripping `BC` from `BCX` says nothing. */
const minRemainderLength = 3;

function affixPattern(longer: string, shorter: string, side: 'storefront' | 'intacct'): SkuPattern | undefined {
  if (longer.length - shorter.length > maxAffixLength || shorter.length < minRemainderLength) return undefined;
  if (longer.endsWith(shorter)) return { kind: `${side}Prefix`, affix: longer.slice(0, longer.length - shorter.length) };
  if (longer.startsWith(shorter)) return { kind: `${side}Suffix`, affix: longer.slice(shorter.length) };
  return undefined;
}

/** The pattern one confirmed pair shows, if any (pairs equal once normalised show none). */
export function patternOf(pair: ConfirmedItemPair): SkuPattern | undefined {
  const storefront = withoutSeparators(pair.storefrontSku);
  const intacct = withoutSeparators(pair.intacctItemId);
  if (withoutLeadingZeros(pair.storefrontSku) === withoutLeadingZeros(pair.intacctItemId)) return undefined;
  if (skuTokens(pair.storefrontSku).length > 1 && sortedTokenKey(pair.storefrontSku) === sortedTokenKey(pair.intacctItemId))
    return { kind: 'partsReordered' };
  if (storefront.length > intacct.length) return affixPattern(storefront, intacct, 'storefront');
  if (intacct.length > storefront.length) return affixPattern(intacct, storefront, 'intacct');
  return undefined;
}

const patternKey = (pattern: SkuPattern) => ('affix' in pattern ? `${pattern.kind}:${pattern.affix}` : pattern.kind);

/** The patterns the tenant's confirmed pairs show, most confirmed first. */
export function learnSkuPatterns(pairs: readonly ConfirmedItemPair[]): LearnedSkuPattern[] {
  const counts = new Map<string, LearnedSkuPattern>();
  for (const pair of pairs) {
    const pattern = patternOf(pair);
    if (pattern === undefined) continue;
    const key = patternKey(pattern);
    const known = counts.get(key);
    if (known) known.confirmations += 1;
    else counts.set(key, { pattern, confirmations: 1 });
  }
  return [...counts.values()].sort(
    (a, b) => b.confirmations - a.confirmations || patternKey(a.pattern).localeCompare(patternKey(b.pattern)),
  );
}

/**
 * The separator-free Intacct key a storefront SKU becomes under an affix pattern, or undefined
 * when the pattern does not apply to it.
 */
export function applyAffixPattern(pattern: Exclude<SkuPattern, { kind: 'partsReordered' }>, storefrontSku: string): string | undefined {
  const sku = withoutSeparators(storefrontSku);
  switch (pattern.kind) {
    case 'storefrontPrefix':
      return sku.startsWith(pattern.affix) && sku.length - pattern.affix.length >= minRemainderLength
        ? sku.slice(pattern.affix.length)
        : undefined;
    case 'storefrontSuffix':
      return sku.endsWith(pattern.affix) && sku.length - pattern.affix.length >= minRemainderLength
        ? sku.slice(0, sku.length - pattern.affix.length)
        : undefined;
    case 'intacctPrefix':
      return pattern.affix + sku;
    case 'intacctSuffix':
      return sku + pattern.affix;
  }
}

/** The pattern in words, for a suggestion's reasons. */
export function describePattern(learned: LearnedSkuPattern): string {
  const times = `confirmed ${learned.confirmations} time${learned.confirmations === 1 ? '' : 's'}`;
  const { pattern } = learned;
  const affix = 'affix' in pattern ? pattern.affix.toUpperCase() : '';
  switch (pattern.kind) {
    case 'storefrontPrefix':
      return `SKU equal after removing the prefix ${affix} (a pattern ${times})`;
    case 'storefrontSuffix':
      return `SKU equal after removing the suffix ${affix} (a pattern ${times})`;
    case 'intacctPrefix':
      return `SKU equal after adding the prefix ${affix} (a pattern ${times})`;
    case 'intacctSuffix':
      return `SKU equal after adding the suffix ${affix} (a pattern ${times})`;
    case 'partsReordered':
      return `same SKU parts in another order (a pattern ${times})`;
  }
}
