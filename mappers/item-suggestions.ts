import { alignTokens, editSimilarity, percent, tokenSetSimilarity, variantConflict } from './item-similarity.js';
import {
  applyAffixPattern,
  describePattern,
  learnSkuPatterns,
  type ConfirmedItemPair,
  type LearnedSkuPattern,
} from './item-suggestion-patterns.js';
import {
  canonicalToken,
  caseFolded,
  gtin14,
  nameTokens,
  separatorPattern,
  skuTokens,
  sortedTokenKey,
  withoutLeadingZeros,
  withoutSeparators,
} from './sku-normalisation.js';

/** An Intacct item as suggestions compare it. */
export interface SuggestibleItem {
  itemId: string;
  name: string;
  upc?: string | undefined;
  /** The item's base price in major units (Intacct's BASEPRICE), when it has one. */
  basePrice?: number | undefined;
  unit?: string | undefined;
}

/** A storefront product (or order line) looking for its Intacct item. */
export interface ItemSuggestionQuery {
  sku: string;
  name?: string | undefined;
  upc?: string | undefined;
  /** Its price in major units, compared with the item's base price. */
  price?: number | undefined;
  unit?: string | undefined;
}

/** One ranked candidate: the item, how sure, and why in words. */
export interface ItemCandidate {
  intacctItemId: string;
  /** In [0, 1]; rounded to two decimals. */
  confidence: number;
  reasons: string[];
}

/** What the tenant has told us: its confirmed pairs (mapping rows) and the pairs it rejected. */
export interface TenantMappingKnowledge {
  confirmed: readonly ConfirmedItemPair[];
  /** Rejected suggestions: never offered again for that SKU. */
  rejected?: readonly ConfirmedItemPair[];
}

export interface SuggestOptions {
  /** Most candidates per SKU (default 3). */
  limit?: number;
  /** Candidates below this confidence are not offered (default {@link defaultMinimumConfidence}). */
  minimumConfidence?: number;
}

/** Below this a candidate is noise: measured on the labelled set (docs/mapping-assistant.md). */
export const defaultMinimumConfidence = 0.6;

/** Confidence of each kind of equality, strongest first. */
const equalityEvidence = [
  { form: (sku: string) => sku.trim(), confidence: 0.99, reason: 'same SKU' },
  { form: caseFolded, confidence: 0.97, reason: 'SKU equal ignoring case' },
  { form: withoutSeparators, confidence: 0.95, reason: 'SKU equal after removing separators' },
  { form: withoutLeadingZeros, confidence: 0.93, reason: 'SKU equal after removing separators and leading zeros' },
] as const;

/** Fuzzy candidates scored per SKU: the items sharing the most trigrams (or name words). */
const fuzzyCandidatesPerQuery = 40;
/**
 * Trigrams and words in more items than this share (at least 500) say little and cost much;
 * they are not looked up.
 */
const commonShare = 0.02;

const trigrams = (text: string): string[] => {
  const padded = ` ${text} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index += 1) grams.add(padded.slice(index, index + 3));
  return [...grams];
};

interface Evidence {
  confidence: number;
  reasons: string[];
}

const pairKey = (sku: string, itemId: string) => `${withoutSeparators(sku)}\u0000${itemId}`;

/**
 * The tenant's Intacct items indexed for suggestions: equality maps per normal form, barcodes,
 * sorted SKU parts, and trigram and name-word postings for fuzzy candidates, so a suggestion
 * looks at a few dozen items, not the catalogue. Pure: built from data, no I/O.
 */
export class ItemSuggestionIndex {
  private readonly items: SuggestibleItem[];
  private readonly itemPositions = new Map<string, number>();
  private readonly byForm: Array<Map<string, number[]>> = equalityEvidence.map(() => new Map<string, number[]>());
  private readonly byGtin = new Map<string, number[]>();
  private readonly bySortedParts = new Map<string, number[]>();
  private readonly byTrigram = new Map<string, number[]>();
  private readonly byNameToken = new Map<string, number[]>();
  private readonly skuParts: string[][];
  private readonly nameParts: string[][];
  /** Scratch counts for candidate generation, one per item, zeroed after each query. */
  private readonly sharedCounts: Uint16Array;
  private readonly maxPostingLength: number;

  constructor(items: readonly SuggestibleItem[]) {
    this.items = [...items];
    this.sharedCounts = new Uint16Array(this.items.length);
    this.maxPostingLength = Math.max(500, Math.ceil(commonShare * this.items.length));
    this.skuParts = [];
    this.nameParts = [];
    this.items.forEach((item, position) => {
      this.itemPositions.set(item.itemId, position);
      // The SKU's parts are split once and every form is made from them: 100,000 items add up.
      const parts = skuTokens(item.itemId);
      const compact = parts.join('');
      const folded = caseFolded(item.itemId);
      const forms = [item.itemId.trim(), folded, folded.replace(separatorPattern, ''), compact];
      forms.forEach((form, index) => push(this.byForm[index]!, form, position));
      const gtin = gtin14(item.upc) ?? gtin14(item.itemId);
      if (gtin !== undefined) push(this.byGtin, gtin, position);
      push(this.bySortedParts, [...parts].sort().join(' '), position);
      for (const gram of trigrams(compact)) push(this.byTrigram, gram, position);
      const name = nameTokens(item.name);
      for (const token of new Set(name)) push(this.byNameToken, token, position);
      this.skuParts.push(parts.map(canonicalToken));
      this.nameParts.push(name);
    });
  }

  get size(): number {
    return this.items.length;
  }

  /** Whether this (active) item is in the index. */
  has(itemId: string): boolean {
    return this.itemPositions.has(itemId);
  }

  /**
   * Ranked candidates for one storefront SKU, best first: the tenant's confirmed pair, equality
   * in ever looser forms, learned patterns, then edit and word similarity of SKU and name; price
   * and unit adjust the score. Rejected pairs and sibling variants (`…-L` for `…-XL`) drop out.
   */
  suggest(query: ItemSuggestionQuery, knowledge: TenantMappingKnowledge, options: SuggestOptions = {}): ItemCandidate[] {
    return this.suggestWith(query, prepareKnowledge(knowledge), options);
  }

  /** {@link suggest} for many SKUs, the tenant's knowledge prepared once. */
  suggestMany(queries: readonly ItemSuggestionQuery[], knowledge: TenantMappingKnowledge, options: SuggestOptions = {}) {
    const prepared = prepareKnowledge(knowledge);
    return queries.map((query) => ({ sku: query.sku, candidates: this.suggestWith(query, prepared, options) }));
  }

  private suggestWith(query: ItemSuggestionQuery, knowledge: PreparedKnowledge, options: SuggestOptions): ItemCandidate[] {
    const evidence = new Map<number, Evidence>();
    const offer = (position: number | undefined, found: Evidence) => {
      if (position === undefined) return;
      const known = evidence.get(position);
      if (known === undefined || known.confidence < found.confidence) evidence.set(position, found);
    };

    const confirmed = knowledge.confirmed.get(withoutSeparators(query.sku));
    if (confirmed !== undefined)
      offer(this.itemPositions.get(confirmed.intacctItemId), {
        confidence: confirmed.storefrontSku === query.sku ? 1 : 0.98,
        reasons: [`the tenant confirmed ${confirmed.storefrontSku} → ${confirmed.intacctItemId}`],
      });

    equalityEvidence.forEach((kind, index) => {
      for (const position of this.byForm[index]!.get(kind.form(query.sku)) ?? [])
        offer(position, { confidence: kind.confidence, reasons: [kind.reason] });
    });
    const gtin = gtin14(query.upc) ?? gtin14(query.sku);
    if (gtin !== undefined)
      for (const position of this.byGtin.get(gtin) ?? []) offer(position, { confidence: 0.97, reasons: ['same UPC/GTIN'] });

    for (const learned of knowledge.patterns) {
      const { pattern } = learned;
      // Each further confirmation makes a pattern a little more trustworthy, up to 0.93.
      const confidence = Math.min(0.93, 0.86 + 0.02 * learned.confirmations);
      const positions =
        pattern.kind === 'partsReordered'
          ? this.bySortedParts.get(sortedTokenKey(query.sku))
          : this.byForm[2]!.get(applyAffixPattern(pattern, query.sku) ?? '\u0000');
      for (const position of positions ?? []) offer(position, { confidence, reasons: [describePattern(learned)] });
    }
    for (const position of this.bySortedParts.get(sortedTokenKey(query.sku)) ?? [])
      offer(position, { confidence: 0.84, reasons: ['same SKU parts in another order'] });

    const queryParts = skuTokens(query.sku).map(canonicalToken);
    const queryName = query.name === undefined ? [] : nameTokens(query.name);
    for (const position of this.fuzzyCandidates(query.sku, queryName)) {
      if (evidence.has(position)) continue;
      const found = this.similarity(position, query.sku, queryParts, queryName);
      if (found !== undefined) offer(position, found);
    }

    const candidates: ItemCandidate[] = [];
    for (const [position, found] of evidence) {
      const item = this.items[position]!;
      if (knowledge.rejected.has(pairKey(query.sku, item.itemId))) continue;
      const adjusted = adjustForPriceAndUnit(found, item, query);
      candidates.push({ intacctItemId: item.itemId, confidence: Math.round(adjusted.confidence * 100) / 100, reasons: adjusted.reasons });
    }
    const minimum = options.minimumConfidence ?? defaultMinimumConfidence;
    return candidates
      .filter((candidate) => candidate.confidence >= minimum)
      .sort((a, b) => b.confidence - a.confidence || a.intacctItemId.localeCompare(b.intacctItemId))
      .slice(0, options.limit ?? 3);
  }

  /** The items sharing the most SKU trigrams and name words with the query. */
  private fuzzyCandidates(sku: string, queryName: readonly string[]): number[] {
    const { sharedCounts } = this;
    const touched: number[] = [];
    const count = (postings: readonly number[] | undefined, weight: number) => {
      if (postings === undefined || postings.length > this.maxPostingLength) return;
      for (const position of postings) {
        if (sharedCounts[position] === 0) touched.push(position);
        sharedCounts[position] = sharedCounts[position]! + weight;
      }
    };
    for (const gram of trigrams(withoutLeadingZeros(sku))) count(this.byTrigram.get(gram), 1);
    for (const token of new Set(queryName)) count(this.byNameToken.get(token), 2);
    // Only the better half reaches the sort: a common trigram can touch thousands of items.
    let most = 0;
    for (const position of touched) most = Math.max(most, sharedCounts[position]!);
    const better = touched.filter((position) => sharedCounts[position]! * 2 >= most);
    better.sort((a, b) => sharedCounts[b]! - sharedCounts[a]! || a - b);
    const chosen = better.slice(0, fuzzyCandidatesPerQuery);
    for (const position of touched) sharedCounts[position] = 0;
    return chosen;
  }

  private similarity(position: number, sku: string, queryParts: readonly string[], queryName: readonly string[]): Evidence | undefined {
    const item = this.items[position]!;
    const itemParts = this.skuParts[position]!;
    const itemName = this.nameParts[position]!;
    const alignment = alignTokens(queryParts, itemParts);
    // A SKU written as one word meets nothing part by part; its typos show in the edit distance.
    const oneWord = queryParts.length <= 1 || itemParts.length <= 1;
    const skuEdit = oneWord ? editSimilarity(withoutLeadingZeros(sku), withoutLeadingZeros(item.itemId)) : 0;
    const skuScore = Math.max(skuEdit, alignment.similarity);
    const reasons = [
      oneWord && skuEdit >= alignment.similarity ? `SKU ${percent(skuEdit)} similar` : `SKU parts ${percent(alignment.similarity)} alike`,
    ];
    let score = skuScore;
    if (queryName.length > 0 && itemName.length > 0) {
      const nameScore = Math.max(tokenSetSimilarity(queryName, itemName), editSimilarity(queryName.join(' '), itemName.join(' ')));
      reasons.push(`name ${percent(nameScore)} similar`);
      score = 0.5 * skuScore + 0.5 * nameScore;
    }
    let confidence = 0.9 * score;
    // A part replaced by another (a model code, a number, a size) is another product, where an
    // extra part on one side only (a prefix) is not.
    const replaced =
      !oneWord && alignment.unmatchedLeft.length > 0 && alignment.unmatchedRight.length > 0
        ? { left: alignment.unmatchedLeft, right: alignment.unmatchedRight }
        : variantConflict([...queryParts, ...queryName], [...itemParts, ...itemName]);
    if (replaced !== undefined) {
      confidence *= 0.5;
      reasons.push(
        `another product or variant: ${replaced.left.join('/').toUpperCase()} here, ${replaced.right.join('/').toUpperCase()} on the item`,
      );
    }
    return confidence > 0 ? { confidence, reasons } : undefined;
  }
}

function push<K>(map: Map<K, number[]>, key: K, position: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [position]);
  else if (list.at(-1) !== position) list.push(position);
}

interface PreparedKnowledge {
  confirmed: Map<string, ConfirmedItemPair>;
  patterns: LearnedSkuPattern[];
  rejected: Set<string>;
}

function prepareKnowledge(knowledge: TenantMappingKnowledge): PreparedKnowledge {
  return {
    confirmed: new Map(knowledge.confirmed.map((pair) => [withoutSeparators(pair.storefrontSku), pair])),
    patterns: learnSkuPatterns(knowledge.confirmed),
    rejected: new Set((knowledge.rejected ?? []).map((pair) => pairKey(pair.storefrontSku, pair.intacctItemId))),
  };
}

/**
 * A price within a third of the item's base price backs the match a little; one more than
 * three times off (or under a third) weakens it, as does another unit of measure.
 */
function adjustForPriceAndUnit(found: Evidence, item: SuggestibleItem, query: ItemSuggestionQuery): Evidence {
  let { confidence } = found;
  const reasons = [...found.reasons];
  if (query.price !== undefined && item.basePrice !== undefined && item.basePrice > 0 && query.price > 0) {
    const ratio = query.price / item.basePrice;
    if (ratio >= 0.75 && ratio <= 1.33) {
      confidence += (1 - confidence) * 0.2;
      reasons.push(`price ${query.price} close to the item's ${item.basePrice}`);
    } else if (ratio > 3 || ratio < 1 / 3) {
      confidence *= 0.75;
      reasons.push(`price ${query.price} far from the item's ${item.basePrice}`);
    }
  }
  if (query.unit !== undefined && item.unit !== undefined && item.unit !== '' && caseFolded(query.unit) !== caseFolded(item.unit)) {
    confidence *= 0.9;
    reasons.push(`unit ${query.unit} where the item is sold by ${item.unit}`);
  }
  return { confidence: Math.min(1, confidence), reasons };
}
