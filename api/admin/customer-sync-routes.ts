import { HttpError } from '../errors.js';
import { customerSyncSchedule } from '../../schedules/customer-sync.js';
import { readCustomerSyncPollState } from '../../store/customer-sync-state.js';
import {
  customerSyncPollScheduleId,
  customerSyncPollWorkflowId,
  customerSyncPollWorkflowType,
} from '../../workflows/customer-sync-contract.js';
import type { AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { registerScheduledSyncRoutes } from './scheduled-sync-routes.js';

/**
 * The Intacct customer poll (Intacct → store), operator side, as the item and price list syncs':
 * run it now (customers changed since the watermark, through the tenant's schedule, overlap SKIP;
 * or every customer, as its own workflow), and read the watermark and the last run's report. An
 * operator who has just fixed a credit hold or a customer type in Intacct need not wait for the
 * schedule. Refused while the customer sync is off, and for a Clarity tenant, whose contract has
 * no customer writes.
 */
export function registerCustomerSyncRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  registerScheduledSyncRoutes(router, deps, {
    path: 'catalog/customers/sync',
    postSummary:
      "Poll the tenant's Intacct customers now and write their changes to the store: changes since the last poll, or every customer with full (503 without Temporal)",
    getSummary: "The Intacct customer poll's watermark and its last run's report",
    auditAction: 'customerSync.poll',
    refusal: (tenantId, settings) => {
      if (settings.connection.storefront.kind === 'clarity')
        return new HttpError(
          409,
          'wrong_storefront',
          `tenant ${tenantId} sells on Clarity, whose API takes no customer writes: Intacct customer changes cannot reach the store`,
        );
      return settings.catalog.customers.enabled
        ? undefined
        : new HttpError(
            409,
            'customer_sync_disabled',
            `the customer sync is off for tenant ${tenantId}; turn on catalog.customers.enabled first`,
          );
    },
    sync: (tenantId) => ({
      schedule: customerSyncSchedule,
      scheduleId: customerSyncPollScheduleId(tenantId),
      workflowType: customerSyncPollWorkflowType,
      // One full poll at a time: asking again while it runs joins it.
      fullWorkflowId: `${customerSyncPollWorkflowId(tenantId)}:full`,
    }),
    readState: readCustomerSyncPollState,
  });
}
