import type { CustomerFieldOwner, ItemFieldDirections, ItemFieldOwner } from '../store/schemas/settings.js';

/**
 * Which way one field's value flows, decided from its owner in the tenant's settings (and, for
 * customer fields that follow the last change, from when each side last changed it).
 * `toStorefront`: Intacct's value is written to the store; `toIntacct`: the store's to Intacct;
 * `none`: neither side is written.
 */
export type FieldFlow = 'toStorefront' | 'toIntacct' | 'none';

/** An item field's flow: its owner's value goes to the other side. */
export function itemFieldFlow(owner: ItemFieldOwner): FieldFlow {
  switch (owner) {
    case 'intacct':
      return 'toStorefront';
    case 'storefront':
      return 'toIntacct';
    case 'none':
      return 'none';
  }
}

/** The item fields a storefront's catalog may hold (description and images are never written by the item sync). */
export type StorefrontItemField = 'name' | 'price' | 'cost' | 'status';

/**
 * The tenant's item directions as far as one storefront can hold them: a field the store has no
 * place for (Clarity keeps no cost) flows neither way, so it is never compared, and never seen
 * as a difference to write on every run.
 */
export function itemDirectionsWithin(directions: ItemFieldDirections, held: readonly StorefrontItemField[]): ItemFieldDirections {
  const narrowed = { ...directions };
  for (const field of ['name', 'price', 'cost', 'status'] as const) if (!held.includes(field)) narrowed[field] = 'none';
  return narrowed;
}

/** The item fields a Clarity product holds: no cost, and no variants (every SKU is a product). */
export const clarityProductFields: readonly StorefrontItemField[] = ['name', 'price', 'status'];

/**
 * Whether the tenant's item sync writes Clarity products: it is on and Intacct owns a field a
 * Clarity product holds. Only then does the tenant's Clarity token ask for `products:write`.
 */
export function writesClarityProducts(items: { enabled: boolean; fields: ItemFieldDirections }): boolean {
  return items.enabled && clarityProductFields.some((field) => itemFieldFlow(items.fields[field]) === 'toStorefront');
}

/** When each side last changed a customer field (ISO 8601); undefined when that side never said. */
export interface CustomerFieldChanges {
  intacctChangedAt?: string | undefined;
  storefrontChangedAt?: string | undefined;
}

/**
 * A customer field's flow. Under `lastChange` the later change wins; a tie (the same second on
 * both sides, or one side's time unknown while the other's is known) goes to the side whose time
 * is known and, when both are equal, to Intacct: the books are the record of account, and a tie
 * resolved the same way on every run cannot flip back and forth. Neither time known: nothing is
 * written, since there is no evidence of a change to carry.
 */
export function customerFieldFlow(owner: CustomerFieldOwner, changes: CustomerFieldChanges = {}): FieldFlow {
  switch (owner) {
    case 'intacct':
      return 'toStorefront';
    case 'storefront':
      return 'toIntacct';
    case 'none':
      return 'none';
    case 'lastChange': {
      const intacctAt = timeOf(changes.intacctChangedAt);
      const storefrontAt = timeOf(changes.storefrontChangedAt);
      if (intacctAt === undefined && storefrontAt === undefined) return 'none';
      if (storefrontAt === undefined) return 'toStorefront';
      if (intacctAt === undefined) return 'toIntacct';
      return storefrontAt > intacctAt ? 'toIntacct' : 'toStorefront';
    }
  }
}

function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : at;
}
