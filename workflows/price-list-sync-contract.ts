import type { IntacctPriceListEntry, PriceRecordChange } from '../mappers/price-list-sync.js';
import type { PagedSyncCheckpoint, PagedSyncInput, PagedSyncPlan, PagedSyncReport } from './paged-intacct-sync.js';

/**
 * PriceListSync's contract: Intacct order-entry price list entries changed since the last run
 * carried to the BigCommerce price lists the tenant maps them to (`catalog.items.priceLists`),
 * one price record per SKU; once a day (and on an operator's full run) a reconciliation of the
 * records it manages with every entry in effect. Activities, tests and callers depend on this
 * module, never on the workflow's code.
 */
export const priceListSyncWorkflowType = 'priceListSync';

/** One run per tenant at a time: `price-list-sync:{tenantId}`. */
export function priceListSyncWorkflowId(tenantId: string): string {
  return `price-list-sync:${tenantId}`;
}

/** Counters a run accumulates across its continue-as-new runs. */
export interface PriceListSyncCounters {
  /** Intacct entry pages read (one `query` transaction each). */
  pages: number;
  /** Changed entries read. */
  intacctEntries: number;
  /** Entries whose item has no storefront SKU. */
  unmapped: number;
  /** SKUs the storefront does not carry. */
  notInStorefront: number;
  /** SKUs whose price record already had the entry's price. */
  unchanged: number;
  /** Entries a price record cannot express (inactive, not a price, a quantity break, out of date). */
  skipped: number;
  recordsWritten: number;
  /**
   * Store records deleted because Intacct no longer holds a price in effect for their list and
   * SKU (inactive or out of its dates). Absent in runs started before deletions existed.
   */
  recordsDeleted?: number;
  /** Record upserts sent (up to 1,000 records each, one at a time). */
  recordBatches: number;
  failed: number;
  intacctTransactions: number;
  /** Storefront requests the run made, reads and writes. */
  storefrontRequests: number;
  /**
   * The run was a full reconciliation (an operator's `full` run, or the day's first scheduled run
   * at `priceListReconciliation.hour`) and compared every managed record with Intacct; absent otherwise.
   */
  reconciled?: boolean;
}

export type PriceListSyncFailure = { sku: string; reason: string };
export type PriceListSyncCheckpoint = PagedSyncCheckpoint<PriceListSyncCounters, PriceListSyncFailure>;
export type PriceListSyncInput = PagedSyncInput<PriceListSyncCheckpoint> & {
  /** Set by the run itself, so every continue-as-new generation of a reconciling run reconciles. */
  reconcile?: boolean;
};
export type PriceListSyncReport = PagedSyncReport<PriceListSyncCounters, PriceListSyncFailure>;
export type PriceListSyncResult = PriceListSyncReport;
/** What a run needs to know before it starts (the paged syncs' plan), and whether it reconciles. */
export type PriceListSyncPlan = PagedSyncPlan & {
  /** Read every entry (no `modifiedSince`) and then reconcile the managed records; absent in plans made before reconciliation. */
  reconcile?: boolean;
};

/** One page of changed entries with the storefront SKUs each prices. */
export interface ChangedPriceListEntriesPage {
  entries: Array<IntacctPriceListEntry & { skus: string[] }>;
  unmapped: number;
  nextCursor?: string;
  intacctTransactions: number;
}

/** A store record to delete: Intacct no longer holds a price in effect for its list and SKU. */
export interface PriceRecordDeletion {
  priceListId: number;
  sku: string;
}

/** What one page asks of the storefront: only records whose price differs, and records withdrawn. */
export interface PriceRecordChanges {
  changes: PriceRecordChange[];
  /** Absent from activities that ran before deletions existed. */
  deletions?: PriceRecordDeletion[];
  notInStorefront: number;
  unchanged: number;
  skipped: number;
  failed: PriceListSyncFailure[];
  storefrontRequests: number;
  /** Intacct reads of what it still holds for a withdrawn candidate's items. */
  intacctTransactions?: number;
}

/** One pass of the reconciliation over up to `limit` managed records the run has not confirmed. */
export interface PriceRecordReconciliation {
  /** Records Intacct still backs, now confirmed by the run. */
  confirmed: number;
  /** Records deleted from the store. */
  deleted: number;
  /** Records the store no longer held: forgotten without a request. */
  alreadyGone: number;
  storefrontRequests: number;
  intacctTransactions: number;
  /** No unconfirmed managed record is left. */
  done: boolean;
}

export interface PushPriceRecordsInput {
  tenantId: string;
  /** One storefront price list, at most 1,000 records. */
  priceListId: number;
  changes: PriceRecordChange[];
}

/**
 * The activities PriceListSync calls; `activities/price-list-sync.ts` implements them and
 * `satisfies` this.
 */
export interface PriceListSyncActivities {
  /** Runs while the item sync is on, Intacct owns prices and some price list is mapped; the watermark it polls from. */
  planPriceListSync(input: { tenantId: string; full?: boolean }): Promise<PriceListSyncPlan>;
  readChangedPriceListEntries(input: {
    tenantId: string;
    modifiedSince?: string;
    cursor?: string;
    pageSize?: number;
  }): Promise<ChangedPriceListEntriesPage>;
  /** Reads the page's SKUs and their current records from the store and keeps the records to write. */
  /**
   * Reads the page's SKUs and their current records from the store and keeps the records to write;
   * notes the records an entry in effect prices as managed, confirmed by `reconcilingRun` when given.
   */
  planPriceRecordChanges(input: {
    tenantId: string;
    entries: ChangedPriceListEntriesPage['entries'];
    reconcilingRun?: string;
  }): Promise<PriceRecordChanges>;
  /** One upsert; absolute prices, so a retry after a lost answer writes the same again. */
  pushPriceRecords(input: PushPriceRecordsInput): Promise<{ written: number; failed: PriceListSyncFailure[] }>;
  /** Deletes one list's records for these SKUs; a record already gone is success, so a retry deletes nothing more. */
  deletePriceRecords(input: { tenantId: string; priceListId: number; skus: string[] }): Promise<{ deleted: number }>;
  /**
   * After a reconciling run read every entry: the managed records it did not confirm are checked
   * with Intacct (every entry held for their items on their lists) and deleted from the store when
   * none is in effect. Only records in the managed-records ledger on a mapped list are considered.
   */
  reconcilePriceRecords(input: { tenantId: string; runId: string; limit?: number }): Promise<PriceRecordReconciliation>;
  /** Keeps the report and moves the price lists' watermark (and the day last reconciled) forward, never back. */
  finishPriceListSync(report: PriceListSyncReport): Promise<void>;
}
