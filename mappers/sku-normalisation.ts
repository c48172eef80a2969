/**
 * The normal forms item suggestions compare SKUs, names and barcodes in. Each form forgives one
 * more kind of difference than the one before, so the reason a pair matched can say which
 * difference it forgave ("equal ignoring case", "equal after removing separators", …).
 */

/** Characters storefronts and ERPs use between the parts of a SKU. */
export const separatorPattern = /[\s\-_./\\:,;|#+()[\]]+/g;

/** The SKU in lower case, otherwise untouched. */
export function caseFolded(sku: string): string {
  return sku.trim().toLowerCase();
}

/** Lower case without separators: `BC-Tee_Red.L` → `bcteeredl`. */
export function withoutSeparators(sku: string): string {
  return caseFolded(sku).replace(separatorPattern, '');
}

/**
 * The SKU's parts: split at separators and where letters meet digits (`TEE12L` → `tee`, `12`,
 * `l`), numbers without leading zeros (`0042` → `42`).
 */
export function skuTokens(sku: string): string[] {
  return caseFolded(sku)
    .split(separatorPattern)
    .flatMap((part) => part.match(/[a-z]+|\d+|[^a-z\d]+/g) ?? [])
    .filter((token) => /[a-z\d]/.test(token))
    .map((token) => (/^\d+$/.test(token) ? String(Number.parseInt(token, 10)) : token));
}

/** Separators and leading zeros forgiven: `SKU-00042` and `sku42` are both `sku42`. */
export function withoutLeadingZeros(sku: string): string {
  return skuTokens(sku).join('');
}

/** The parts in sorted order, so `TEE-L-RED` and `TEE-RED-L` meet. */
export function sortedTokenKey(sku: string): string {
  return [...skuTokens(sku)].sort().join(' ');
}

/**
 * Words that stand for the same size or colour; storefront names spell them out where ERP
 * item names abbreviate. Applied to name and SKU tokens alike.
 */
const synonyms: Readonly<Record<string, string>> = {
  extrasmall: 'xs',
  small: 's',
  sm: 's',
  medium: 'm',
  med: 'm',
  md: 'm',
  large: 'l',
  lg: 'l',
  extralarge: 'xl',
  xxl: '2xl',
  xxxl: '3xl',
  black: 'blk',
  blue: 'blu',
  green: 'grn',
  grey: 'gry',
  gray: 'gry',
  white: 'wht',
  pink: 'pnk',
  yellow: 'ylw',
  orange: 'org',
  purple: 'prp',
  brown: 'brn',
  tshirt: 'tee',
};

/** Tokens that name a size or a colour: a pair differing in one of them is a sibling variant. */
export const variantTokens: ReadonlySet<string> = new Set([
  'xs',
  's',
  'm',
  'l',
  'xl',
  '2xl',
  '3xl',
  'blk',
  'blu',
  'grn',
  'gry',
  'wht',
  'red',
  'pnk',
  'ylw',
  'org',
  'prp',
  'brn',
  'navy',
  'tan',
  'beige',
  'gold',
  'silver',
]);

/** A token in its canonical spelling (`Large` → `l`, `black` → `blk`). */
export function canonicalToken(token: string): string {
  return synonyms[token] ?? token;
}

/** The words of a name, canonical and without separators: `Classic T-Shirt, Extra Large` → `classic`, `tee`, `xl`. */
export function nameTokens(name: string): string[] {
  const folded = caseFolded(name)
    .replace(/t-shirt/g, 'tshirt')
    .replace(/extra[\s-]+(small|large)/g, 'extra$1');
  return skuTokens(folded).map(canonicalToken);
}

/**
 * A UPC, EAN or GTIN as the 14-digit GTIN it denotes (zero-padded), or undefined when it is not
 * one: 8, 12, 13 or 14 digits whose check digit is right. UPC-A `036000291452` and EAN-13
 * `0036000291452` are the same product and give the same GTIN.
 */
export function gtin14(code: string | undefined): string | undefined {
  const digits = code?.replace(/[\s-]/g, '');
  if (digits === undefined || !/^(\d{8}|\d{12,14})$/.test(digits)) return undefined;
  const padded = digits.padStart(14, '0');
  const body = padded.slice(0, 13);
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  const check = (10 - (sum % 10)) % 10;
  return check === Number(padded[13]) ? padded : undefined;
}
