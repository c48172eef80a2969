import { defineSignal } from '@temporalio/workflow';
import type { StorefrontKind } from '../mappers/canonical-order.js';
import type { ClarityCustomerPollMark } from '../mappers/clarity-customer-poll.js';
import type { CustomerSyncField, IntacctSyncCustomer, StorefrontCustomerChange } from '../mappers/customer-sync.js';

/**
 * CustomerSync's contract: a linked customer's changes carried both ways per the tenant's field
 * owners (`catalog.customers`). Storefront → Intacct: one `customerSync` workflow per storefront
 * customer, started or signalled by the webhook receiver (BigCommerce) or the tenant's
 * `clarityCustomerPoll` (Clarity, which sends no customer events). Intacct → storefront: the tenant's
 * `customerSyncPoll` schedule pages the customers Intacct changed (WHENMODIFIED, as the item sync
 * does) and writes their storefront customer groups and contact in batches. The customers mapping
 * table is the one place linking the two ids. The dispatcher, schedule, activities and tests
 * depend on this module, never on the workflows' code.
 */
export const customerSyncWorkflowType = 'customerSync';
export const customerSyncPollWorkflowType = 'customerSyncPoll';

/** One per storefront customer: `customer-sync:{tenantId}:{storefront}:{customerId}`; a repeated webhook joins it. */
export function customerSyncWorkflowId(tenantId: string, storefront: StorefrontKind, customerId: string): string {
  return `customer-sync:${tenantId}:${storefront}:${customerId}`;
}

/** One poll per tenant at a time: `customer-sync-poll:{tenantId}` (a schedule appends its time). */
export function customerSyncPollWorkflowId(tenantId: string): string {
  return `customer-sync-poll:${tenantId}`;
}

/** The tenant's Intacct customer poll schedule: `customer-sync-poll:{tenantId}`. */
export function customerSyncPollScheduleId(tenantId: string): string {
  return `customer-sync-poll:${tenantId}`;
}

/** Signal: the storefront changed the customer (a webhook). Carries the delivery, so a copy of it is recognised. */
export interface CustomerChange {
  deliveryId: string;
  topic: string;
  occurredAt: string;
}

export const customerChangedSignal = defineSignal<[CustomerChange]>('customerChanged');

export interface CustomerSyncInput {
  tenantId: string;
  storefront: StorefrontKind;
  customerId: string;
  /** Deliveries already seen, carried across continue-as-new. */
  seenDeliveryIds?: string[];
  /** Changes received but not yet synced, carried across continue-as-new. */
  pending?: CustomerChange[];
}

/**
 * What one sync of a storefront customer did. `disabled`: the tenant's customer sync is off (or
 * the change names a storefront the tenant does not sell on);
 * `unlinked`: no Intacct customer is linked in the mapping table yet and none matches the
 * tenant's match key unambiguously (an order links or creates it);
 * `ownWrite`: the change was the store's echo of the product's own write; `unchanged`: nothing
 * the tenant's owners send to Intacct differs; `missing`: the customer is gone from one side.
 */
export interface StorefrontCustomerSyncResult {
  outcome: 'disabled' | 'unlinked' | 'ownWrite' | 'unchanged' | 'updated' | 'missing';
  intacctCustomerId?: string;
  /**
   * Set when this sync linked the customer: `mapping`, a row under its email (an earlier guest
   * order's); `matched`, the one existing Intacct customer the tenant's match key found.
   */
  linkedBy?: 'mapping' | 'matched';
  fields: CustomerSyncField[];
  storefrontRequests: number;
  intacctTransactions: number;
}

export interface CustomerSyncResult {
  tenantId: string;
  customerId: string;
  /** One per sync run (changes arriving during a run are synced once more after it). */
  syncs: StorefrontCustomerSyncResult[];
}

export interface SyncStorefrontCustomerInput {
  tenantId: string;
  storefront: StorefrontKind;
  customerId: string;
  /** The topics of the changes this sync answers (an address event is never taken for an echo). */
  topics: string[];
  /** The latest change's time (ISO 8601): the store's change time when later than its `date_modified`. */
  changedAt: string;
}

/** Counters a poll accumulates across its continue-as-new runs. */
export interface CustomerSyncPollCounters {
  pages: number;
  intacctCustomers: number;
  /** Changed Intacct customers no storefront customer is linked to. */
  unlinked: number;
  notInStorefront: number;
  unchanged: number;
  /** Customers still as the product's own write left them: not carried back. */
  ownWrites: number;
  customersWritten: number;
  failed: number;
  customerBatches: number;
  intacctTransactions: number;
  storefrontRequests: number;
}

export interface CustomerSyncPollCheckpoint {
  cursor?: string;
  startedAtMs: number;
  modifiedSince?: string;
  latestModifiedAt?: string;
  counters: CustomerSyncPollCounters;
  failedSamples: Array<{ customerId: string; reason: string }>;
  generation: number;
}

export interface CustomerSyncPollInput {
  tenantId: string;
  runId?: string;
  checkpoint?: CustomerSyncPollCheckpoint;
  /** Read every customer, not only those changed since the last poll. */
  full?: boolean;
  /** Intacct customers per page (1–2000). Default 200. */
  pageSize?: number;
  /** Pages per run before continuing as new. Default 10. */
  pagesPerRun?: number;
}

export interface CustomerSyncPollReport extends CustomerSyncPollCounters {
  runId: string;
  tenantId: string;
  storefront: StorefrontKind;
  /** As CatalogSync's: `disabled`, `unsupported` (Clarity: no customer writes in its contract) and `deferred` read and write nothing. */
  outcome: 'completed' | 'disabled' | 'unsupported' | 'deferred';
  note?: string;
  modifiedSince?: string;
  nextModifiedSince?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  failedSamples: Array<{ customerId: string; reason: string }>;
  generations: number;
}

export interface CustomerSyncPollPlan {
  enabled: boolean;
  deferredBecause?: string;
  storefront: StorefrontKind;
  modifiedSince?: string;
}

/** One page of changed Intacct customers with the storefront customers each is linked to. */
export interface ChangedCustomersPage {
  customers: Array<IntacctSyncCustomer & { storefrontCustomerIds: string[] }>;
  unlinked: number;
  nextCursor?: string;
  intacctTransactions: number;
}

export interface StorefrontCustomerChanges {
  changes: Array<StorefrontCustomerChange & { intacctCustomerId: string; fields: CustomerSyncField[] }>;
  notInStorefront: number;
  unchanged: number;
  ownWrites: number;
  storefrontRequests: number;
}

export interface PushCustomerChangesResult {
  written: number;
  failed: Array<{ customerId: string; reason: string }>;
}

/** The activities both CustomerSync workflows call; `activities/customer-sync.ts` implements them. */
export interface CustomerSyncActivities {
  /** Reads the storefront customer and its linked Intacct customer, and writes what the owners send to Intacct. */
  syncStorefrontCustomer(input: SyncStorefrontCustomerInput): Promise<StorefrontCustomerSyncResult>;
  planCustomerSyncPoll(input: { tenantId: string; full?: boolean }): Promise<CustomerSyncPollPlan>;
  readChangedCustomers(input: {
    tenantId: string;
    modifiedSince?: string;
    cursor?: string;
    pageSize?: number;
  }): Promise<ChangedCustomersPage>;
  planStorefrontCustomerChanges(input: {
    tenantId: string;
    customers: ChangedCustomersPage['customers'];
  }): Promise<StorefrontCustomerChanges>;
  /** At most 10 customers (BigCommerce's customer batch). */
  pushCustomerChanges(input: { tenantId: string; changes: StorefrontCustomerChanges['changes'] }): Promise<PushCustomerChangesResult>;
  finishCustomerSyncPoll(report: CustomerSyncPollReport): Promise<void>;
}

/**
 * Clarity → Intacct: Clarity's contract has no customer events (CEF has no outbound webhooks),
 * so the tenant's `clarityCustomerPoll` schedule lists the customers Clarity changed since the
 * last poll and hands each to its `customerSync`, as a BigCommerce customer webhook does.
 */
export const clarityCustomerPollWorkflowType = 'clarityCustomerPoll';

/** One poll per tenant at a time: `clarity-customer-poll:{tenantId}` (a schedule appends its time). */
export function clarityCustomerPollWorkflowId(tenantId: string): string {
  return `clarity-customer-poll:${tenantId}`;
}

/** The tenant's Clarity customer poll schedule: `clarity-customer-poll:{tenantId}`. */
export function clarityCustomerPollScheduleId(tenantId: string): string {
  return `clarity-customer-poll:${tenantId}`;
}

export type { ClarityCustomerPollMark } from '../mappers/clarity-customer-poll.js';

/**
 * What a Clarity customer poll runs from. `polls`: list customers updated since `mark` (all of them
 * when absent: the tenant's first poll, its backfill, or an operator's full poll); `disabled`: the
 * tenant's customer sync is off; `unsupported`: the tenant sells on BigCommerce, whose webhooks
 * start CustomerSync; `deferred`: the month has spent
 * the soft limit of the tenant's Intacct budget (`intacctBudget.deferNonUrgentAtPercent`), as
 * CatalogSync defers, since every customer handed on costs its CustomerSync Intacct transactions.
 */
export interface ClarityCustomerPollPlan {
  outcome: 'polls' | 'disabled' | 'unsupported' | 'deferred';
  mark?: ClarityCustomerPollMark;
  /** Why a `deferred` poll reads nothing: the month has spent the Intacct budget's soft limit. */
  note?: string;
}

export interface ClarityCustomerPollCounters {
  pages: number;
  /** Customers Clarity listed as updated since the mark (the mark's own instant included). */
  listed: number;
  /** Changes handed to CustomerSync (started, or signalled when running). */
  offered: number;
}

/** Where a run stopped when it continued as new. */
export interface ClarityCustomerPollProgress {
  startedAt: string;
  plan: ClarityCustomerPollPlan;
  mark?: ClarityCustomerPollMark;
  cursor: string;
  counters: ClarityCustomerPollCounters;
  generation: number;
}

export interface ClarityCustomerPollInput {
  tenantId: string;
  /** Read every customer, not only those changed since the last poll. */
  full?: boolean;
  /** Customers per Clarity page (1–200). Default 200. */
  pageSize?: number;
  /** Pages per run before continuing as new. Default 20. */
  pagesPerRun?: number;
  progress?: ClarityCustomerPollProgress;
}

export interface ClarityCustomerPollReport extends ClarityCustomerPollCounters {
  tenantId: string;
  outcome: Exclude<ClarityCustomerPollPlan['outcome'], 'polls'> | 'completed';
  note?: string;
  /** The mark the poll started from (absent: it read every customer), and the one it leaves for the next. */
  since?: ClarityCustomerPollMark;
  mark?: ClarityCustomerPollMark;
  startedAt: string;
  finishedAt: string;
  generations: number;
}

/** One page of Clarity customers, with those past the poll's mark to hand on. */
export interface ChangedClarityCustomersPage {
  listed: number;
  changes: ClarityCustomerPollMark[];
  nextCursor?: string;
}

/** The activities of the Clarity customer poll; `activities/clarity-customer-poll.ts` implements them. */
export interface ClarityCustomerPollActivities {
  /** Reads the tenant's settings and the saved mark; a first poll (no mark yet) reads every customer from the beginning. */
  planClarityCustomerPoll(input: { tenantId: string; full?: boolean }): Promise<ClarityCustomerPollPlan>;
  listChangedClarityCustomers(input: {
    tenantId: string;
    mark?: ClarityCustomerPollMark;
    cursor?: string;
    pageSize?: number;
  }): Promise<ChangedClarityCustomersPage>;
  /** Starts (or signals the running) CustomerSync of each customer; heartbeats and resumes as the order sweep's starts do. */
  offerCustomerChanges(input: { tenantId: string; changes: ClarityCustomerPollMark[] }): Promise<{ offered: number }>;
  /** Saves the mark after a page is handed on, so a crashed poll resumes there. */
  saveClarityCustomerPollMark(input: { tenantId: string; mark: ClarityCustomerPollMark }): Promise<void>;
  finishClarityCustomerPoll(report: ClarityCustomerPollReport): Promise<void>;
}
