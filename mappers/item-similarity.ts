import { distance } from 'fastest-levenshtein';
import { canonicalToken, variantTokens } from './sku-normalisation.js';

/** 1 − edit distance ÷ the longer length: 1 for equal strings, 0 for nothing in common. */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/**
 * Whether `b` is `a` with two neighbouring letters swapped (`HOOD` → `HODO`), the commonest
 * typing slip, which plain edit distance counts as two edits.
 */
export function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let first = 0;
  while (a[first] === b[first]) first += 1;
  return a[first] === b[first + 1] && a[first + 1] === b[first] && a.slice(first + 2) === b.slice(first + 2);
}

/** Token pairs this similar count as the same word with a typo. */
const typoSimilarity = 0.7;

const isNumber = (token: string) => /^\d+$/.test(token);

/**
 * How alike two tokens are: numbers and size/colour words only when equal (a typo in `2` or
 * `XL` is another product), words by edit similarity when it is high enough to be a typo.
 */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (isNumber(a) || isNumber(b) || variantTokens.has(a) || variantTokens.has(b)) return 0;
  if (Math.max(a.length, b.length) < 4) return 0;
  const similarity = isAdjacentSwap(a, b) ? 1 - 1 / a.length : editSimilarity(a, b);
  return similarity >= typoSimilarity ? similarity : 0;
}

/** How two token lists line up: their similarity, and the tokens on each side that met no partner. */
export interface TokenAlignment {
  /** Dice coefficient where a token may meet its typo; order does not count. */
  similarity: number;
  unmatchedLeft: string[];
  unmatchedRight: string[];
}

/** Each token of the left list takes its best partner on the right, once. */
export function alignTokens(left: readonly string[], right: readonly string[]): TokenAlignment {
  const unused = [...right];
  const unmatchedLeft: string[] = [];
  let matched = 0;
  for (const token of left) {
    let bestIndex = -1;
    let best = 0;
    unused.forEach((candidate, index) => {
      const similarity = tokenSimilarity(token, candidate);
      if (similarity > best) [best, bestIndex] = [similarity, index];
    });
    if (bestIndex >= 0) {
      matched += best;
      unused.splice(bestIndex, 1);
    } else unmatchedLeft.push(token);
  }
  const total = left.length + right.length;
  return { similarity: total === 0 ? 0 : (2 * matched) / total, unmatchedLeft, unmatchedRight: unused };
}

/** {@link alignTokens}' similarity alone. */
export function tokenSetSimilarity(left: readonly string[], right: readonly string[]): number {
  return alignTokens(left, right).similarity;
}

/**
 * The size/colour words and numbers that tell sibling variants apart, present on both sides
 * but different (`TEE-RED-L` against `TEE-RED-XL` → `l` vs `xl`). Undefined when they agree or
 * one side names none.
 */
export function variantConflict(left: readonly string[], right: readonly string[]): { left: string[]; right: string[] } | undefined {
  const distinguishing = (tokens: readonly string[]) =>
    [...new Set(tokens.map(canonicalToken).filter((token) => variantTokens.has(token) || isNumber(token)))].sort();
  const ours = distinguishing(left);
  const theirs = distinguishing(right);
  if (ours.length === 0 || theirs.length === 0) return undefined;
  const onlyOurs = ours.filter((token) => !theirs.includes(token));
  const onlyTheirs = theirs.filter((token) => !ours.includes(token));
  return onlyOurs.length > 0 && onlyTheirs.length > 0 ? { left: onlyOurs, right: onlyTheirs } : undefined;
}

/** A share as a whole percentage for reasons ("92 %"). */
export const percent = (share: number): string => `${Math.round(share * 100)} %`;
