import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { laterIntacctTimestamp, nextCatalogWatermark } from '../mappers/catalog-item-sync.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import type {
  CustomerSyncActivities,
  CustomerSyncPollCheckpoint,
  CustomerSyncPollCounters,
  CustomerSyncPollInput,
  CustomerSyncPollReport,
} from './customer-sync-contract.js';

export type { CustomerSyncPollInput, CustomerSyncPollReport } from './customer-sync-contract.js';

const { readChangedCustomers, planStorefrontCustomerChanges } = proxyActivities<CustomerSyncActivities>(inventoryPageReadOptions);
const { pushCustomerChanges } = proxyActivities<CustomerSyncActivities>(vendorCallOptions);
const { planCustomerSyncPoll, finishCustomerSyncPoll } = proxyActivities<CustomerSyncActivities>(scheduledRunBookkeepingOptions);

/** BigCommerce's customer batch: 10 per call. */
const customerBatchSize = 10;
const defaultPageSize = 200;
const defaultPagesPerRun = 10;
const samplesKept = 20;

const noCounters: CustomerSyncPollCounters = {
  pages: 0,
  intacctCustomers: 0,
  unlinked: 0,
  notInStorefront: 0,
  unchanged: 0,
  ownWrites: 0,
  customersWritten: 0,
  failed: 0,
  customerBatches: 0,
  intacctTransactions: 0,
  storefrontRequests: 0,
};

/**
 * Carries Intacct's customer changes (credit hold, price list, and contact where Intacct owns or
 * last changed it) to the linked storefront customers, in CatalogSync's shape: pages of customers
 * modified since the last poll by keyset on CUSTOMERID, each page's storefront customers read in
 * one request, only differing values written, ten customers per batch, continue-as-new every
 * `pagesPerRun` pages, and the watermark moved to the latest change read less the run's duration.
 * Customers still as the product's own write left them are not carried back.
 */
export async function customerSyncPoll(input: CustomerSyncPollInput): Promise<CustomerSyncPollReport> {
  const { tenantId } = input;
  const runId = input.runId ?? workflowInfo().runId;
  const plan = await planCustomerSyncPoll({ tenantId, ...(input.full === true && { full: true }) });
  const checkpoint: CustomerSyncPollCheckpoint = input.checkpoint
    ? { ...input.checkpoint, counters: { ...input.checkpoint.counters } }
    : {
        startedAtMs: Date.now(),
        ...(plan.modifiedSince !== undefined && { modifiedSince: plan.modifiedSince }),
        counters: { ...noCounters },
        failedSamples: [],
        generation: 0,
      };
  const { counters } = checkpoint;
  const deferred = plan.enabled && plan.deferredBecause !== undefined;
  const runs = plan.enabled && plan.storefront === 'bigcommerce' && !deferred;

  if (runs) {
    for (let pagesThisRun = 0; ; pagesThisRun += 1) {
      if (pagesThisRun >= (input.pagesPerRun ?? defaultPagesPerRun) && checkpoint.cursor !== undefined) {
        return continueAsNew<typeof customerSyncPoll>({
          ...input,
          runId,
          checkpoint: { ...checkpoint, generation: checkpoint.generation + 1 },
        });
      }
      const page = await readChangedCustomers({
        tenantId,
        pageSize: input.pageSize ?? defaultPageSize,
        ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
        ...(checkpoint.cursor !== undefined && { cursor: checkpoint.cursor }),
      });
      counters.pages += 1;
      counters.intacctCustomers += page.customers.length;
      counters.unlinked += page.unlinked;
      counters.intacctTransactions += page.intacctTransactions;
      for (const customer of page.customers) {
        const latest = laterIntacctTimestamp(checkpoint.latestModifiedAt, customer.modifiedAt);
        if (latest !== undefined) checkpoint.latestModifiedAt = latest;
      }
      const linked = page.customers.filter((customer) => customer.storefrontCustomerIds.length > 0);
      if (linked.length > 0) {
        const planned = await planStorefrontCustomerChanges({ tenantId, customers: linked });
        counters.notInStorefront += planned.notInStorefront;
        counters.unchanged += planned.unchanged;
        counters.ownWrites += planned.ownWrites;
        counters.storefrontRequests += planned.storefrontRequests;
        for (const batch of batchesOf(planned.changes, customerBatchSize)) {
          const result = await pushCustomerChanges({ tenantId, changes: batch });
          counters.customerBatches += 1;
          counters.storefrontRequests += 1;
          counters.customersWritten += result.written;
          counters.failed += result.failed.length;
          checkpoint.failedSamples = [...checkpoint.failedSamples, ...result.failed].slice(0, samplesKept);
        }
      }
      if (page.nextCursor === undefined) break;
      checkpoint.cursor = page.nextCursor;
    }
  }

  const finishedAtMs = Date.now();
  const nextModifiedSince = runs ? nextCatalogWatermark(checkpoint.latestModifiedAt, finishedAtMs - checkpoint.startedAtMs) : undefined;
  const report: CustomerSyncPollReport = {
    runId,
    tenantId,
    storefront: plan.storefront,
    outcome: !plan.enabled ? 'disabled' : deferred ? 'deferred' : runs ? 'completed' : 'unsupported',
    ...(deferred && plan.deferredBecause !== undefined && { note: plan.deferredBecause }),
    ...(checkpoint.modifiedSince !== undefined && { modifiedSince: checkpoint.modifiedSince }),
    ...(nextModifiedSince !== undefined && { nextModifiedSince }),
    startedAt: new Date(checkpoint.startedAtMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    durationMs: finishedAtMs - checkpoint.startedAtMs,
    ...counters,
    failedSamples: checkpoint.failedSamples,
    generations: checkpoint.generation + 1,
  };
  await finishCustomerSyncPoll(report);
  return report;
}
