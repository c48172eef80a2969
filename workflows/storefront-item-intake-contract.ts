import type { NewStorefrontSku } from '../mappers/catalog-item-sync.js';

/**
 * StorefrontItemIntake's contract: a product or variant just added to the storefront
 * (`store/product/created`, `store/sku/created`), or a Clarity product reported changed
 * (`product.updated`, Clarity's only documented product event), whose SKU Intacct does not know becomes an
 * Intacct item, per the tenant's `catalog.items.createInIntacct` (inactive for review, or
 * active), or one attention item per missing SKU when creation is off. Orders for the SKU then
 * post (once the item is active) instead of each parking on an unknown item. The webhook
 * dispatcher, the activities and tests depend on this module, never on the workflow's code.
 */
export const storefrontItemIntakeWorkflowType = 'storefrontItemIntake';

/**
 * What the storefront added: BigCommerce names the product, or the variant (a new SKU of an
 * existing product); Clarity names the SKU of the product it reports.
 */
export type StorefrontItemTarget =
  | { kind: 'bigcommerceProduct'; productId: string }
  | { kind: 'bigcommerceVariant'; variantId: string }
  | { kind: 'claritySku'; sku: string };

/**
 * One intake per storefront record: `storefront-item:{tenantId}:product:{id}`, `…:variant:{id}`
 * or `…:sku:{sku}`; a repeated webhook joins (or, once closed, finds nothing left to create).
 */
export function storefrontItemIntakeWorkflowId(tenantId: string, target: StorefrontItemTarget): string {
  switch (target.kind) {
    case 'bigcommerceProduct':
      return `storefront-item:${tenantId}:product:${target.productId}`;
    case 'bigcommerceVariant':
      return `storefront-item:${tenantId}:variant:${target.variantId}`;
    case 'claritySku':
      return `storefront-item:${tenantId}:sku:${target.sku}`;
  }
}

/** Names an intake target for Temporal UI and logs. */
export function describeStorefrontItemTarget(target: StorefrontItemTarget): string {
  switch (target.kind) {
    case 'bigcommerceProduct':
      return `product ${target.productId}`;
    case 'bigcommerceVariant':
      return `variant ${target.variantId}`;
    case 'claritySku':
      return `SKU ${target.sku}`;
  }
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
