import type { StorefrontKind } from '../mappers/canonical-order.js';
/**
 * InventoryReconcile's contract: workflow type, ids, input, checkpoint, report and the
 * activities' inputs and results. The worker's schedules, the admin API, the activities and
 * tests depend on this module, never on the workflow's code. No imports, so any process can load it.
 */
export const inventoryReconcileWorkflowType = 'inventoryReconcile';

/** One run per tenant at a time: `inventory-reconcile:{tenantId}` (a schedule appends its time). */
export function inventoryReconcileWorkflowId(tenantId: string): string {
  return `inventory-reconcile:${tenantId}`;
}

/** The tenant's reconciliation schedule: `inventory-reconcile:{tenantId}` (schedule ids and workflow ids are apart). */
export function inventoryReconcileScheduleId(tenantId: string): string {
  return `inventory-reconcile:${tenantId}`;
}

/** A drift worth reporting: what the storefront had and what Intacct says it should have. */
export interface InventoryDriftReport {
  sku: string;
  from: number;
  to: number;
}

/** Counters a run accumulates across its continue-as-new runs. */
export interface InventoryCounters {
  /** Intacct stock pages read. */
  pages: number;
  /** Intacct items read (with a stock row in any warehouse). */
  intacctItems: number;
  /** SKUs found in the storefront and compared. */
  compared: number;
  /** SKUs whose storefront level differed. */
  changed: number;
  pushed: number;
  failed: number;
  /** Intacct items without a storefront SKU (not in the items table and not matched by id). */
  unmapped: number;
  /** SKUs left out by the tenant's SKU filter. */
  filtered: number;
  /** SKUs Intacct stocks that the storefront does not carry or track. */
  notInStorefront: number;
  /** Storefront writes (batches) sent. */
  batches: number;
  /** Intacct API transactions the run used (Intacct bills them). */
  intacctTransactions: number;
}

/** Where a run stands: carried by continue-as-new, so a long run resumes at the page it reached. */
export interface InventoryCheckpoint {
  /** Intacct page cursor: the next page starts after this item id. Absent: the first page. */
  cursor?: string;
  /** The run's start, in ms since the epoch (workflow time). */
  startedAtMs: number;
  counters: InventoryCounters;
  largestDrifts: InventoryDriftReport[];
  /** Bounded samples for the report. */
  failedSamples: Array<{ sku: string; reason: string }>;
  unmappedSamples: string[];
  notInStorefrontSamples: string[];
  /** Continue-as-new generations so far. */
  generation: number;
}

export interface InventoryReconcileInput {
  tenantId: string;
  /** The reconciliation's id (report key, idempotency keys); defaults to the first run's Temporal run id. */
  runId?: string;
  checkpoint?: InventoryCheckpoint;
  /** Intacct rows per page (1–2000, the `query` cap). Default 2000. */
  pageSize?: number;
  /** Items per storefront write; capped at the storefront's limit (BigCommerce 2000, Clarity 500). */
  batchSize?: number;
  /** Pages per run before continuing as new. Default 5. */
  pagesPerRun?: number;
}

/** The run's report: the workflow's result, also stored in `inventory_reports`. */
export interface InventoryReport extends InventoryCounters {
  runId: string;
  tenantId: string;
  storefront: StorefrontKind;
  /**
   * `disabled`: the tenant's inventory sync is off, nothing was read or written. `deferred`: the
   * month reached the Intacct budget's soft limit before or during the run ({@link InventoryReport.note} says).
   */
  outcome: 'completed' | 'disabled' | 'deferred';
  /** Why the run was deferred, with the figures. */
  note?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  largestDrifts: InventoryDriftReport[];
  failedSamples: Array<{ sku: string; reason: string }>;
  unmappedSamples: string[];
  notInStorefrontSamples: string[];
  generations: number;
}

export type InventoryReconcileResult = InventoryReport;

/** What a run needs to know before it starts. */
export interface InventoryRunPlan {
  enabled: boolean;
  /** Set when the month has reached the Intacct budget's soft limit: the run reads and writes nothing. */
  deferredBecause?: string;
  storefront: StorefrontKind;
  /** The most items one storefront write takes. */
  maxBatchSize: number;
}

export interface ReadIntacctStockPageInput {
  tenantId: string;
  cursor?: string;
  pageSize?: number;
}

/** One page of desired storefront levels: ids and numbers only, small enough for history. */
export interface IntacctStockPage {
  /** `locationId`: the storefront location, when the warehouses mapping table maps locations (else the store's default). */
  levels: Array<{ sku: string; available: number; locationId?: string }>;
  intacctItems: number;
  /** Items on the page without a storefront SKU, and the first few of their ids. */
  unmapped: number;
  unmappedSamples: string[];
  filtered: number;
  nextCursor?: string;
  intacctTransactions: number;
}

export interface ReadStorefrontLevelsInput {
  tenantId: string;
  skus: string[];
  /** Storefront locations to read each SKU's level at (levels then carry `locationId`); absent or empty: the store's default location. */
  locationIds?: string[];
}

export interface StorefrontLevels {
  /** One per SKU, or per SKU and mapped location (`locationId`) when the warehouses table maps locations. */
  levels: Array<{ sku: string; onHand: number; productId?: string; variantId?: string; locationId?: string }>;
}

export interface PushInventoryBatchInput {
  tenantId: string;
  /** Stable across retries of this batch (Clarity's Idempotency-Key). */
  idempotencyKey: string;
  /** `locationId` absent: the store's default location. */
  levels: Array<{ sku: string; quantity: number; productId?: string; variantId?: string; locationId?: string }>;
}

export interface PushInventoryBatchResult {
  pushed: number;
  failed: Array<{ sku: string; reason: string }>;
}

/**
 * The activities InventoryReconcile calls; `activities/inventory.ts` implements them (with
 * InventorySkuSync's) and `satisfies` this. Connector failures leave as classified Temporal
 * failures (`withConnectorFailures`).
 */
export interface InventoryReconcileActivities {
  /** The tenant's inventory settings the run branches on. */
  planInventoryRun(input: { tenantId: string }): Promise<InventoryRunPlan>;
  /** One page of Intacct stock as desired storefront levels (SKU filter and item mapping applied). */
  readIntacctStockPage(input: ReadIntacctStockPageInput): Promise<IntacctStockPage>;
  /** The storefront's current levels of these SKUs. */
  readStorefrontLevels(input: ReadStorefrontLevelsInput): Promise<StorefrontLevels>;
  /** Writes one batch of absolute levels, recording each as the product's own write first. */
  pushInventoryBatch(input: PushInventoryBatchInput): Promise<PushInventoryBatchResult>;
  storeInventoryReport(report: InventoryReport): Promise<void>;
}
