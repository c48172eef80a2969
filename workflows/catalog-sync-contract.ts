import type { StorefrontKind } from '../mappers/canonical-order.js';
import type { WebProductToCreate } from '../decisions/web-product-creation.js';
import type { IntacctCatalogItem, ProductChange, VariantChange } from '../mappers/catalog-item-sync.js';

/**
 * CatalogSync's contract: Intacct items changed since the last run carried to the storefront's
 * products and variants (name, price, cost, visibility, per the tenant's field owners), on
 * BigCommerce or Clarity. The
 * schedule, the admin API, the activities and tests depend on this module, never on the
 * workflow's code.
 */
export const catalogSyncWorkflowType = 'catalogSync';

/** One run per tenant at a time: `catalog-sync:{tenantId}` (a schedule appends its time). */
export function catalogSyncWorkflowId(tenantId: string): string {
  return `catalog-sync:${tenantId}`;
}

/** The tenant's item sync schedule: `catalog-sync:{tenantId}`. */
export function catalogSyncScheduleId(tenantId: string): string {
  return `catalog-sync:${tenantId}`;
}

/** Counters a run accumulates across its continue-as-new runs. */
export interface CatalogSyncCounters {
  /** Intacct item pages read (one `query` transaction each). */
  pages: number;
  /** Changed Intacct items read. */
  intacctItems: number;
  /** Items without a storefront SKU (not in the items table and not matched by id). */
  unmapped: number;
  /** SKUs the storefront does not carry. */
  notInStorefront: number;
  /** SKUs whose storefront record already had every value Intacct owns. */
  unchanged: number;
  /** Items still the version the product itself wrote to Intacct: not carried back. */
  ownWrites: number;
  productsWritten: number;
  variantsWritten: number;
  /**
   * Storefront products created for Intacct items flagged for the web (`catalog.items.createInStorefront`);
   * absent in runs recorded before products were created.
   */
  productsCreated?: number;
  /** SKUs the storefront refused, or whose Intacct values could not be read. */
  failed: number;
  /** Storefront writes sent (BigCommerce: products up to 10, variants up to 50 each; Clarity: up to 10 products, one request each). */
  productBatches: number;
  variantBatches: number;
  intacctTransactions: number;
  /** Storefront requests the run made, reads and writes. */
  storefrontRequests: number;
}

/** Where a run stands: carried by continue-as-new, so a long run resumes at the page it reached. */
export interface CatalogSyncCheckpoint {
  /** The next Intacct page starts after this item id. Absent: the first page. */
  cursor?: string;
  /** Run start in ms since the epoch (workflow time). */
  startedAtMs: number;
  /** What the plan said: items modified at or after this (Intacct's `MM/DD/YYYY HH:MM:SS`); absent: every item. */
  modifiedSince?: string;
  /** The latest WHENMODIFIED read so far (Intacct's clock); the next run's watermark is taken from it. */
  latestModifiedAt?: string;
  counters: CatalogSyncCounters;
  failedSamples: Array<{ sku: string; reason: string }>;
  generation: number;
}

export interface CatalogSyncInput {
  tenantId: string;
  /** The run's id (idempotency keys); defaults to the first run's Temporal run id. */
  runId?: string;
  checkpoint?: CatalogSyncCheckpoint;
  /** Read every item, not only those changed since the last run (a first sync, or an operator's full resync). */
  full?: boolean;
  /** Intacct items per page (1–2000). Default 200. */
  pageSize?: number;
  /** Pages per run before continuing as new. Default 10. */
  pagesPerRun?: number;
}

/** The run's report: the workflow's result, also kept as the tenant's last run. */
export interface CatalogSyncReport extends CatalogSyncCounters {
  runId: string;
  tenantId: string;
  storefront: StorefrontKind;
  /**
   * `disabled`: `catalog.items.enabled` is off; `unsupported`: the storefront had no catalog
   * writes when the run started (Clarity, in runs recorded before its product write); `deferred`: the month reached the Intacct budget's soft limit
   * ({@link CatalogSyncReport.note} says). None of these reads or writes anything, and the watermark stays.
   */
  outcome: 'completed' | 'disabled' | 'unsupported' | 'deferred';
  /** Why the run was deferred, with the figures. */
  note?: string;
  modifiedSince?: string;
  /** Where the next run polls from (`nextCatalogWatermark`); absent when this run read nothing or did not run. */
  nextModifiedSince?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  failedSamples: Array<{ sku: string; reason: string }>;
  generations: number;
}

export type CatalogSyncResult = CatalogSyncReport;

/** What a run needs to know before it starts. */
export interface CatalogSyncPlan {
  enabled: boolean;
  /** Set when the month has reached the Intacct budget's soft limit: the run reads and writes nothing, the watermark stays. */
  deferredBecause?: string;
  storefront: StorefrontKind;
  /** Items modified at or after this are read (the tenant's watermark, Intacct's clock); absent: all. */
  modifiedSince?: string;
}

export interface ReadChangedItemsInput {
  tenantId: string;
  modifiedSince?: string;
  cursor?: string;
  pageSize?: number;
}

/** One page of changed items with the storefront SKUs each goes to. */
export interface ChangedItemsPage {
  items: Array<IntacctCatalogItem & { skus: string[] }>;
  unmapped: number;
  nextCursor?: string;
  intacctTransactions: number;
}

export interface PlanStorefrontChangesInput {
  tenantId: string;
  items: ChangedItemsPage['items'];
}

/** What one page asks of the storefront: only records with a value to change. */
export interface StorefrontCatalogChanges {
  products: ProductChange[];
  variants: VariantChange[];
  notInStorefront: number;
  unchanged: number;
  ownWrites: number;
  failed: Array<{ sku: string; reason: string }>;
  storefrontRequests: number;
  /** Products to create for items flagged for the web whose SKU the store lacks; absent in runs recorded before. */
  creations?: WebProductToCreate[];
}

export interface CreateStorefrontProductsInput {
  tenantId: string;
  /** At most 10, as a product write. */
  products: WebProductToCreate[];
}

export interface CreateStorefrontProductsResult {
  /** Products made by this call. */
  created: number;
  /** Products found already there by their SKU (an earlier attempt whose answer was lost). */
  existing: number;
  failed: Array<{ sku: string; reason: string }>;
  requests: number;
}

export interface PushProductChangesInput {
  tenantId: string;
  /** At most 10 (BigCommerce's product batch; Clarity's are written one by one). */
  changes: ProductChange[];
}

export interface PushVariantChangesInput {
  tenantId: string;
  /** At most 50 (BigCommerce's variant batch). */
  changes: VariantChange[];
}

export interface PushCatalogChangesResult {
  written: number;
  failed: Array<{ sku: string; reason: string }>;
  /** Storefront requests the write took (Clarity writes one product a request); absent in runs recorded before: one. */
  requests?: number;
}

/**
 * The activities CatalogSync calls; `activities/catalog-sync.ts` implements them and
 * `satisfies` this. Connector failures leave as classified Temporal failures.
 */
export interface CatalogSyncActivities {
  /** The tenant's catalog settings and the watermark the run polls from. */
  planCatalogSync(input: { tenantId: string; full?: boolean }): Promise<CatalogSyncPlan>;
  /** One page of Intacct items changed since the watermark, with their storefront SKUs. */
  readChangedItems(input: ReadChangedItemsInput): Promise<ChangedItemsPage>;
  /** Reads the page's SKUs from the storefront and keeps the changes the tenant's field owners ask for. */
  planStorefrontChanges(input: PlanStorefrontChangesInput): Promise<StorefrontCatalogChanges>;
  pushProductChanges(input: PushProductChangesInput): Promise<PushCatalogChangesResult>;
  pushVariantChanges(input: PushVariantChangesInput): Promise<PushCatalogChangesResult>;
  /** Creates the products planned for items flagged for the web, each once (BigCommerce only). */
  createStorefrontProducts(input: CreateStorefrontProductsInput): Promise<CreateStorefrontProductsResult>;
  /** Keeps the report and moves the tenant's watermark to the report's `nextModifiedSince`, never back. */
  finishCatalogSync(report: CatalogSyncReport): Promise<void>;
}
