import { proxyActivities } from '@temporalio/workflow';
import { vendorCallOptions } from './activity-options.js';
import type {
  StorefrontItemIntakeActivities,
  StorefrontItemIntakeInput,
  StorefrontItemIntakeResult,
} from './storefront-item-intake-contract.js';

export type { StorefrontItemIntakeInput, StorefrontItemIntakeResult } from './storefront-item-intake-contract.js';

/**
 * Vendor calls: a storefront read, and Intacct's look-up and creates. The creates are idempotent
 * (a `uniqueid` control id per SKU, read back when already recorded; the look-up skips SKUs
 * already created), so a retry after a lost answer creates nothing twice.
 */
const { readStorefrontItems, createMissingItems } = proxyActivities<StorefrontItemIntakeActivities>(vendorCallOptions);

/**
 * A product or variant the storefront just added: reads its SKUs, and makes sure Intacct knows
 * each, creating the missing items with the tenant's item defaults (inactive for review, or
 * active) or raising one attention item per missing SKU. Items it creates are recorded as the
 * product's own writes, so CatalogSync does not carry them back to the store.
 */
export async function storefrontItemIntake(input: StorefrontItemIntakeInput): Promise<StorefrontItemIntakeResult> {
  const { tenantId, target } = input;
  const read = await readStorefrontItems(input);
  if (!read.enabled) return { tenantId, target, outcome: 'disabled', known: [], created: [], raised: [], failed: [] };
  if (read.skus.length === 0) return { tenantId, target, outcome: 'completed', known: [], created: [], raised: [], failed: [] };
  const result = await createMissingItems({ tenantId, target, skus: read.skus });
  return { tenantId, target, outcome: 'completed', ...result };
}
