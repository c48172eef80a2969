import type { NewStorefrontSku } from '../mappers/catalog-item-sync.js';

/**
 * StorefrontItemIntake's contract: a product or variant just added to the storefront
 * (`store/product/created`, `store/sku/created`) whose SKU Intacct does not know becomes an
 * Intacct item, per the tenant's `catalog.items.createInIntacct` (inactive for review, or
 * active), or one attention item per missing SKU when creation is off. Orders for the SKU then
 * post (once the item is active) instead of each parking on an unknown item. The webhook
 * dispatcher, the activities and tests depend on this module, never on the workflow's code.
 */
export const storefrontItemIntakeWorkflowType = 'storefrontItemIntake';

/** What the storefront added: BigCommerce names the product, or the variant (a new SKU of an existing product). */
export type StorefrontItemTarget = { kind: 'bigcommerceProduct'; productId: string } | { kind: 'bigcommerceVariant'; variantId: string };

/**
 * One intake per storefront record: `storefront-item:{tenantId}:product:{id}` or
 * `…:variant:{id}`; a repeated webhook joins (or, once closed, finds nothing left to create).
 */
export function storefrontItemIntakeWorkflowId(tenantId: string, target: StorefrontItemTarget): string {
  return target.kind === 'bigcommerceProduct'
    ? `storefront-item:${tenantId}:product:${target.productId}`
    : `storefront-item:${tenantId}:variant:${target.variantId}`;
}

export interface StorefrontItemIntakeInput {
  tenantId: string;
  target: StorefrontItemTarget;
}

/** What became of each SKU of the storefront record. */
export interface StorefrontItemIntakeResult {
  tenantId: string;
  target: StorefrontItemTarget;
  /** `disabled`: the tenant neither creates items nor syncs the catalog; nothing was read. */
  outcome: 'completed' | 'disabled';
  /** SKUs Intacct already knows (by the items table or the item matching field). */
  known: string[];
  /** Items created now (or found created by an earlier attempt). */
  created: string[];
  /** SKUs raised for attention (creation off). */
  raised: string[];
  /** SKUs Intacct refused to create, with its message (each also raised for attention). */
  failed: Array<{ sku: string; reason: string }>;
}

/** The storefront record's SKUs, and whether the tenant takes storefront products in at all. */
export interface StorefrontItemsRead {
  enabled: boolean;
  skus: NewStorefrontSku[];
}

export interface CreateMissingItemsInput {
  tenantId: string;
  target: StorefrontItemTarget;
  skus: NewStorefrontSku[];
}

export type CreateMissingItemsResult = Omit<StorefrontItemIntakeResult, 'tenantId' | 'target' | 'outcome'>;

/** The activities StorefrontItemIntake calls; `activities/storefront-item-intake.ts` implements them. */
export interface StorefrontItemIntakeActivities {
  /** The record's SKUs with the name and prices the store gives them; nothing when the tenant's settings leave intake off. */
  readStorefrontItems(input: StorefrontItemIntakeInput): Promise<StorefrontItemsRead>;
  /** Looks the SKUs up in Intacct and creates (or raises) the missing ones. */
  createMissingItems(input: CreateMissingItemsInput): Promise<CreateMissingItemsResult>;
}
