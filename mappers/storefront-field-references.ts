import type { DimensionRule, Rule } from '../store/schemas/settings.js';
import {
  orderMetafieldPrefix,
  productClassificationOf,
  productCustomFieldPrefixes,
  type ProductClassificationField,
} from '../store/schemas/settings-rules.js';

/**
 * The storefront data beyond the order itself that a tenant's settings name: order metafields
 * (as `namespace.key`), product custom fields (by name) and the products' brand and categories
 * (names or ids). The order read fetches them only when a list is not empty, and keeps only the
 * named ones, so nothing else travels.
 */
export interface StorefrontFieldReferences {
  orderMetafields: string[];
  productCustomFields: string[];
  /** Which of the line's brand and categories fields rules read (`order.brands` counts as `brand`); absent: none. */
  productClassification?: ProductClassificationField[];
}

/** What the tenant's rules (conditions and copied custom fields) and dimension rules name, each once, sorted. */
export function storefrontFieldReferences(settings: {
  rules: readonly Rule[];
  orderSync: { dimensionRules: readonly DimensionRule[] };
}): StorefrontFieldReferences {
  const metafields = new Set<string>();
  const customFields = new Set<string>();
  const classification = new Set<ProductClassificationField>();
  for (const rule of settings.orderSync.dimensionRules) {
    if (rule.from === 'orderMetafield' && rule.value !== undefined) metafields.add(rule.value);
  }
  const fields = settings.rules.flatMap((rule) =>
    rule.cases.flatMap((ruleCase) => [
      ...ruleCase.when.map((condition) => condition.field),
      ...Object.values(ruleCase.set.customFieldsFrom ?? {}),
    ]),
  );
  for (const field of fields) {
    if (field.startsWith(orderMetafieldPrefix)) metafields.add(field.slice(orderMetafieldPrefix.length));
    const prefix = productCustomFieldPrefixes.find((each) => field.startsWith(each));
    if (prefix !== undefined) customFields.add(field.slice(prefix.length));
    const classified = productClassificationOf(field);
    if (classified !== undefined) classification.add(classified);
  }
  return {
    orderMetafields: [...metafields].sort(),
    productCustomFields: [...customFields].sort(),
    ...(classification.size > 0 && { productClassification: [...classification].sort() }),
  };
}

/**
 * The namespaces to ask BigCommerce for: a namespace or a key may hold dots, so `a.b.c` is
 * namespace `a` key `b.c` or namespace `a.b` key `c`, and both namespaces are read.
 */
export function metafieldNamespaces(references: readonly string[]): string[] {
  const namespaces = new Set<string>();
  for (const reference of references) {
    for (let dot = reference.indexOf('.'); dot > 0 && dot < reference.length - 1; dot = reference.indexOf('.', dot + 1))
      namespaces.add(reference.slice(0, dot));
  }
  return [...namespaces].sort();
}

/** The named entries only, by name; a name given twice keeps its first value. */
export function keepNamed(entries: ReadonlyArray<{ name: string; value: string }>, named: readonly string[]): Record<string, string> {
  // A Map, not an object: a merchant's field may be called `__proto__` or `constructor`.
  const kept = new Map<string, string>();
  for (const { name, value } of entries) {
    if (named.includes(name) && !kept.has(name)) kept.set(name, value);
  }
  return Object.fromEntries(kept);
}
