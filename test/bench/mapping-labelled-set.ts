import type { ConfirmedItemPair } from '../../mappers/item-suggestion-patterns.js';
import type { ItemSuggestionQuery, SuggestibleItem } from '../../mappers/item-suggestions.js';

/**
 * A labelled set for item suggestions, generated from a seed: an Intacct catalogue of apparel,
 * homeware and parts, and storefront SKUs that name those items the ways real stores do
 * (case, separators, leading zeros, a house prefix, size moved, typos, UPC only), plus decoys
 * whose right answer is "no item" (a size, colour or number Intacct does not stock, an
 * unrelated product). Deterministic: the same seed gives the same set.
 */

/** Mulberry32: small, seedable, good enough to draw test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const products = [
  ['TEE', 'Classic Tee'],
  ['HOOD', 'Pullover Hoodie'],
  ['SOCK', 'Merino Socks'],
  ['CAP', 'Baseball Cap'],
  ['JACKET', 'Rain Jacket'],
  ['SHORTS', 'Trail Shorts'],
  ['SCARF', 'Knit Scarf'],
  ['GLOVE', 'Winter Gloves'],
  ['LEGGING', 'Running Leggings'],
  ['POLO', 'Pique Polo'],
  ['BEANIE', 'Ribbed Beanie'],
  ['VEST', 'Fleece Vest'],
] as const;
const colours = [
  ['RED', 'Red'],
  ['BLU', 'Blue'],
  ['BLK', 'Black'],
  ['WHT', 'White'],
  ['GRN', 'Green'],
  ['GRY', 'Grey'],
  ['NAVY', 'Navy'],
] as const;
const sizes = [
  ['S', 'Small'],
  ['M', 'Medium'],
  ['L', 'Large'],
  ['XL', 'Extra Large'],
] as const;
const parts = ['BOLT', 'WASHER', 'BRACKET', 'HINGE', 'SPRING', 'GASKET', 'FILTER', 'VALVE', 'NOZZLE', 'BEARING'] as const;
const partWords = ['Steel', 'Brass', 'Nylon', 'Zinc', 'Rubber'] as const;
const letters = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];

/** A valid UPC-A: 11 digits and their check digit. */
function upcA(random: () => number): string {
  const body = Array.from({ length: 11 }, () => Math.floor(random() * 10));
  const sum = body.reduce((total, digit, index) => total + digit * (index % 2 === 0 ? 3 : 1), 0);
  return `${body.join('')}${(10 - (sum % 10)) % 10}`;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const price = (random: () => number, low: number, high: number) => Math.round((low + random() * (high - low)) * 100) / 100;

/** A generated Intacct item, with what the generator knows about it (for variations and decoys). */
export interface GeneratedItem extends SuggestibleItem {
  family: string;
  kind: 'apparel' | 'part';
  colour?: string;
  size?: string;
  number?: number;
}

/**
 * `count` Intacct items: apparel families (product + model code) in some colours and sizes
 * (`TEE-K7Q-RED-L`, "Classic Tee K7Q, Red, L"), and numbered parts (`BOLT-00420`). Every third
 * item has a UPC.
 */
export function generateCatalogue(count: number, seed = 1): GeneratedItem[] {
  const random = seededRandom(seed);
  const items: GeneratedItem[] = [];
  const seen = new Set<string>();
  const add = (item: GeneratedItem) => {
    if (seen.has(item.itemId) || items.length >= count) return;
    seen.add(item.itemId);
    items.push({ ...item, ...(items.length % 3 === 0 && { upc: upcA(random) }) });
  };
  while (items.length < count) {
    if (random() < 0.7) {
      const [code, title] = pick(random, products);
      const model = Array.from({ length: 3 }, () => pick(random, letters)).join('');
      const family = `${code}-${model}`;
      const basePrice = price(random, 12, 120);
      // Each family is stocked in a few colours and sizes, never all: the rest are decoys.
      for (const [colour, colourName] of colours.filter(() => random() < 0.4))
        for (const [size] of sizes.filter(() => random() < 0.6))
          add({
            itemId: `${family}-${colour}-${size}`,
            name: `${title} ${model}, ${colourName}, ${size}`,
            basePrice,
            unit: 'Each',
            family,
            kind: 'apparel',
            colour,
            size,
          });
    } else {
      const part = pick(random, parts);
      const number = 1 + Math.floor(random() * 99_999);
      add({
        itemId: `${part}-${String(number).padStart(5, '0')}`,
        name: `${pick(random, partWords)} ${part.toLowerCase()} no. ${number}`,
        basePrice: price(random, 0.5, 40),
        unit: 'Each',
        family: part,
        kind: 'part',
        number,
      });
    }
  }
  return items;
}

/** A storefront SKU with the item it should map to (null: none, a decoy) and how it was made. */
export interface LabelledQuery {
  query: ItemSuggestionQuery;
  expected: string | null;
  variation: string;
}

const storefrontName = (item: GeneratedItem): string => {
  if (item.kind === 'part') return item.name.replace(/no\. /, '#');
  const sizeName = sizes.find(([size]) => size === item.size)?.[1] ?? item.size;
  const colourName = colours.find(([colour]) => colour === item.colour)?.[1] ?? item.colour;
  return `${item.name.split(',')[0]} - ${sizeName} / ${colourName}`;
};

function typo(random: () => number, sku: string): string {
  // A slip inside the longest word (never in a number, a size or a colour: those are other products).
  const words = sku.split('-');
  const variantWords = new Set<string>([...colours.map(([colour]) => colour), ...sizes.map(([size]) => size)]);
  const longest = words.reduce(
    (best, word, index) => (word.length > words[best]!.length && /^[A-Z]+$/.test(word) && !variantWords.has(word) ? index : best),
    0,
  );
  const word = words[longest]!;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const slipped =
    random() < 0.5 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word.slice(0, at) + word.slice(at + 1);
  words[longest] = slipped;
  return words.join('-');
}

/** The variations a storefront SKU shows, each with how to make it from the item. */
const variations: Record<string, (item: GeneratedItem, random: () => number) => ItemSuggestionQuery | undefined> = {
  exact: (item) => ({ sku: item.itemId }),
  case: (item) => ({ sku: item.itemId.toLowerCase() }),
  separators: (item, random) => ({ sku: item.itemId.replace(/-/g, pick(random, ['_', ' ', '.', ''])) }),
  leadingZeros: (item) => (item.kind === 'part' ? { sku: `${item.family}${item.number}` } : undefined),
  housePrefix: (item) => ({ sku: `BC-${item.itemId}` }),
  sizeMoved: (item) => (item.kind === 'apparel' ? { sku: `${item.family}-${item.size}-${item.colour}` } : undefined),
  typo: (item, random) => ({ sku: typo(random, item.itemId) }),
  upcOnly: (item, random) => (item.upc ? { sku: `WEB${Math.floor(random() * 1e6)}`, upc: `0${item.upc}` } : undefined),
};

/**
 * `count` labelled storefront SKUs against a catalogue, about 15 % of them decoys, with names
 * and prices as a storefront would send them; and the tenant's confirmed pairs (a few `BC-`
 * prefixed SKUs, so the house prefix is a learned pattern).
 */
export function generateLabelledQueries(
  catalogue: readonly GeneratedItem[],
  count: number,
  seed = 2,
): { queries: LabelledQuery[]; confirmed: ConfirmedItemPair[] } {
  const random = seededRandom(seed);
  const ids = new Set(catalogue.map((item) => item.itemId));
  const confirmed = catalogue.slice(0, 5).map((item) => ({ storefrontSku: `BC-${item.itemId}`, intacctItemId: item.itemId }));
  const queries: LabelledQuery[] = [];
  const names = Object.keys(variations);
  while (queries.length < count) {
    const item = catalogue[5 + Math.floor(random() * (catalogue.length - 5))]!;
    const withPrice = (query: ItemSuggestionQuery) => ({
      ...query,
      ...(random() < 0.8 && { name: storefrontName(item) }),
      price: Math.round(item.basePrice! * (0.9 + random() * 0.2) * 100) / 100,
    });
    if (random() < 0.15) {
      const decoy = decoyFor(item, random, ids);
      if (decoy) queries.push({ ...decoy, expected: null });
      continue;
    }
    const variation = pick(random, names);
    const query = variations[variation]!(item, random);
    if (query) queries.push({ query: withPrice(query), expected: item.itemId, variation });
  }
  return { queries, confirmed };
}

function decoyFor(item: GeneratedItem, random: () => number, ids: ReadonlySet<string>): Omit<LabelledQuery, 'expected'> | undefined {
  if (item.kind === 'part') {
    const number = item.number! + 1 + Math.floor(random() * 3);
    const sku = `${item.family}-${String(number).padStart(5, '0')}`;
    return ids.has(sku)
      ? undefined
      : { query: { sku, name: `${item.family.toLowerCase()} #${number}` }, variation: 'decoy: another part number' };
  }
  if (random() < 0.5) {
    const [size, sizeName] = pick(random, sizes);
    const sku = `${item.family}-${item.colour}-${size}`;
    const name = `${item.name.split(',')[0]} - ${sizeName}`;
    return ids.has(sku) ? undefined : { query: { sku, name }, variation: 'decoy: a size not stocked' };
  }
  if (random() < 0.5) {
    const [colour, colourName] = pick(random, colours);
    const sku = `${item.family}-${colour}-${item.size}`;
    return ids.has(sku)
      ? undefined
      : { query: { sku, name: `${item.name.split(',')[0]} - ${colourName}` }, variation: 'decoy: a colour not stocked' };
  }
  const model = Array.from({ length: 3 }, () => pick(random, letters)).join('');
  return { query: { sku: `GIFT-${model}`, name: `Gift card ${model}` }, variation: 'decoy: an unrelated product' };
}
