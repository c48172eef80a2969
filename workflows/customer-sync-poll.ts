import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import { inventoryPageReadOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import { batchesOf } from '../mappers/inventory-availability.js';
import type {
  ChangedCustomersPage,
  CustomerSyncActivities,
  CustomerSyncPollCheckpoint,
  CustomerSyncPollCounters,
  CustomerSyncPollInput,
  CustomerSyncPollReport,
} from './customer-sync-contract.js';
import { noteFailures, runPagedIntacctSync } from './paged-intacct-sync.js';

export type { CustomerSyncPollInput, CustomerSyncPollReport } from './customer-sync-contract.js';

const { readChangedCustomers, planStorefrontCustomerChanges } = proxyActivities<CustomerSyncActivities>(inventoryPageReadOptions);
const { pushCustomerChanges } = proxyActivities<CustomerSyncActivities>(vendorCallOptions);
const { planCustomerSyncPoll, finishCustomerSyncPoll } = proxyActivities<CustomerSyncActivities>(scheduledRunBookkeepingOptions);

/** BigCommerce's customer batch: 10 per call. */
const customerBatchSize = 10;

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
 * last changed it) to the linked storefront customers, in CatalogSync's run shape
 * (`runPagedIntacctSync`): pages of customers modified since the last poll by keyset on
 * CUSTOMERID, each page's storefront customers read in one request, only differing values
 * written, ten customers per batch. Customers still as the product's own write left them are not
 * carried back.
 */
export async function customerSyncPoll(input: CustomerSyncPollInput): Promise<CustomerSyncPollReport> {
  const { tenantId } = input;
  const plan = await planCustomerSyncPoll({ tenantId, ...(input.full === true && { full: true }) });
  const report = await runPagedIntacctSync<
    CustomerSyncPollCounters,
    CustomerSyncPollCheckpoint['failedSamples'][number],
    CustomerSyncPollInput,
    ChangedCustomersPage
  >({
    input,
    plan,
    noCounters,
    readPage: readChangedCustomers,
    modifiedTimes: (page) => page.customers.map((customer) => customer.modifiedAt),
    applyPage: async (page, checkpoint) => {
      const { counters } = checkpoint;
      counters.intacctCustomers += page.customers.length;
      counters.unlinked += page.unlinked;
      const linked = page.customers.filter((customer) => customer.storefrontCustomerIds.length > 0);
      if (linked.length === 0) return;
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
        noteFailures(checkpoint, result.failed);
      }
    },
    continueAsNew: (next) => continueAsNew<typeof customerSyncPoll>(next),
  });
  await finishCustomerSyncPoll(report);
  return report;
}
