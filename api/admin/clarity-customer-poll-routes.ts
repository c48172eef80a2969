import { HttpError } from '../errors.js';
import { clarityCustomerPollPause, clarityCustomerPollSchedule } from '../../schedules/clarity-customer-poll.js';
import { readClarityCustomerPollState } from '../../store/customer-sync-state.js';
import {
  clarityCustomerPollScheduleId,
  clarityCustomerPollWorkflowId,
  clarityCustomerPollWorkflowType,
} from '../../workflows/customer-sync-contract.js';
import type { AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { registerScheduledSyncRoutes } from './scheduled-sync-routes.js';

/**
 * The Clarity customer poll, operator side, as the item and price list syncs': run it now
 * (customers changed since the mark, through the tenant's schedule, overlap SKIP; or every
 * customer, as its own workflow), and read the mark and the last run's report. Refused for a
 * tenant that does not sell on Clarity and while the customer sync is off.
 */
export function registerClarityCustomerPollRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  registerScheduledSyncRoutes(router, deps, {
    path: 'catalog/customers/clarity-poll',
    postSummary:
      "Poll the tenant's Clarity customers now and hand each change to CustomerSync: changes past the mark (every customer on the first poll), or every customer with full (503 without Temporal)",
    getSummary: "The Clarity customer poll's mark (the last customer handed on) and its last run's report",
    auditAction: 'clarityCustomerPoll.run',
    refusal: (tenantId, settings) => {
      if (settings.connection.storefront.kind !== 'clarity')
        return new HttpError(
          409,
          'wrong_storefront',
          `tenant ${tenantId} sells on ${settings.connection.storefront.kind}, not Clarity: its customer webhooks start CustomerSync, there is nothing to poll`,
        );
      const pause = clarityCustomerPollPause(settings);
      return pause === undefined
        ? undefined
        : new HttpError(409, 'customer_sync_disabled', `the Clarity customer poll is off for tenant ${tenantId}: ${pause}`);
    },
    sync: (tenantId) => ({
      schedule: clarityCustomerPollSchedule,
      scheduleId: clarityCustomerPollScheduleId(tenantId),
      workflowType: clarityCustomerPollWorkflowType,
      // One full poll at a time: asking again while it runs joins it.
      fullWorkflowId: `${clarityCustomerPollWorkflowId(tenantId)}:full`,
    }),
    readState: readClarityCustomerPollState,
  });
}
