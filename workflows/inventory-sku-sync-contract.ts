import { defineSignal } from '@temporalio/workflow';
import type { StorefrontKind } from '../mappers/canonical-order.js';
import type { InventoryReconcileActivities } from './inventory-reconcile-contract.js';
import type { FailureCatalogue } from './shared-contract.js';

/**
 * InventorySkuSync's contract: one SKU (or one storefront product's SKUs) brought to Intacct's
 * availability at once, when the storefront says its stock or product changed or an operator
 * asks. The webhook dispatcher, the admin API, the activities and tests depend on this module,
 * never on the workflow's code.
 */
export const inventorySkuSyncWorkflowType = 'inventorySkuSync';

/**
 * What to sync. Clarity events and operators name the SKU; BigCommerce's callbacks name only
 * the product or the variant, whose SKUs the workflow reads from the store.
 */
export type InventorySyncTarget =
  { kind: 'sku'; sku: string } | { kind: 'bigcommerceProduct'; productId: string } | { kind: 'bigcommerceVariant'; variantId: string };

/**
 * One workflow per target: `inventory-sku:{tenantId}:{sku}` (the SKU URI-encoded, so a SKU
 * holding a colon cannot collide with another key), `inventory-sku:{tenantId}:product:{id}`,
 * `inventory-sku:{tenantId}:variant:{id}`. A burst of events for one SKU joins the running sync.
 */
export function inventorySkuSyncWorkflowId(tenantId: string, target: InventorySyncTarget): string {
  switch (target.kind) {
    case 'sku':
      return `inventory-sku:${tenantId}:${encodeURIComponent(target.sku)}`;
    case 'bigcommerceProduct':
      return `inventory-sku:${tenantId}:product:${target.productId}`;
    case 'bigcommerceVariant':
      return `inventory-sku:${tenantId}:variant:${target.variantId}`;
  }
}

export interface InventorySkuSyncInput {
  tenantId: string;
  target: InventorySyncTarget;
  /** What started it: a storefront event or an operator. */
  trigger: 'webhook' | 'operator';
  /** Carried across continue-as-new. */
  rounds?: number;
  intacctTransactions?: number;
}

/** A change the storefront reported (or an operator's request) while a sync of the target runs. */
export interface InventoryChangeNotice {
  deliveryId: string;
  topic: string;
  occurredAt: string;
}

/** Another change of the target: the running sync goes round once more after the current round. */
export const inventoryChangedSignal = defineSignal<[InventoryChangeNotice]>('inventoryChanged');

/**
 * What happened to one SKU: `pushed` (the storefront had another level), `unchanged`, `failed`
 * (the storefront refused the write), or why it was left alone: `filtered` (not in
 * `inventory.skus`), `unmapped` (no Intacct item maps to it), `notInIntacct` (its item has no
 * stock rows), `notInStorefront` (the store does not carry or track it).
 */
export type SkuSyncOutcome = 'pushed' | 'unchanged' | 'failed' | 'filtered' | 'unmapped' | 'notInIntacct' | 'notInStorefront';

export interface SkuSyncReport {
  sku: string;
  /** The storefront location of this level, when the warehouses table maps locations (then each SKU has one report per location). */
  locationId?: string;
  outcome: SkuSyncOutcome;
  intacctItemId?: string;
  /** The storefront's level before, when it was read. */
  from?: number;
  /** Intacct's availability, when it was computed. */
  to?: number;
  reason?: string;
}

export interface InventorySkuSyncResult {
  tenantId: string;
  target: InventorySyncTarget;
  /** `disabled`: the tenant's inventory sync is off; nothing was read or written. */
  outcome: 'synced' | 'disabled';
  /** The last round's SKUs. */
  skus: SkuSyncReport[];
  /** Rounds run: one, plus one for each change reported while a round ran. */
  rounds: number;
  intacctTransactions: number;
}

export interface ResolveInventoryTargetInput {
  tenantId: string;
  target: InventorySyncTarget;
}

/** The target's SKUs, and whether (and how) to sync them. */
export interface ResolvedInventoryTarget {
  enabled: boolean;
  storefront: StorefrontKind;
  maxBatchSize: number;
  skus: string[];
}

export interface ReadIntacctStockForSkusInput {
  tenantId: string;
  skus: string[];
}

/**
 * Intacct's availability of the SKUs that have one, and why the others have none. With the
 * warehouses table mapping storefront locations, each SKU has a level per mapped location (over
 * that location's warehouses), naming it; without, one level at the store's default location.
 */
export interface IntacctSkuStock {
  levels: Array<{ sku: string; available: number; intacctItemId: string; locationId?: string }>;
  filtered: string[];
  unmapped: string[];
  notInIntacct: Array<{ sku: string; intacctItemId: string }>;
  intacctTransactions: number;
}

/**
 * The activities InventorySkuSync calls: its own two, and the storefront read and the push it
 * shares with InventoryReconcile. `activities/inventory.ts` implements them and `satisfies` this.
 */
export interface InventorySkuSyncActivities extends Pick<InventoryReconcileActivities, 'readStorefrontLevels' | 'pushInventoryBatch'> {
  /** The target's SKUs (a product's or variant's, read from the storefront), and the tenant's settings for them. */
  resolveInventoryTarget(input: ResolveInventoryTargetInput): Promise<ResolvedInventoryTarget>;
  /** Intacct's availability of these SKUs only. */
  readIntacctStockForSkus(input: ReadIntacctStockForSkusInput): Promise<IntacctSkuStock>;
}

/** Failure types the single-SKU sync's activities throw themselves (never retried). */
export const inventorySkuSyncFailures = {
  InventoryTargetMismatch: {
    code: 'inventory_target_mismatch',
    fix: "name a SKU, or a product or variant of the tenant's own storefront, then start the sync again",
  },
} as const satisfies FailureCatalogue;
