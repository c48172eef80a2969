import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { budgetDeferral } from '../decisions/intacct-budget-deferral.js';
import { customersPastMark, polledCustomerChange, type ClarityCustomerPollMark } from '../mappers/clarity-customer-poll.js';
import { intacctUsageMonth, readIntacctUsage } from '../store/intacct-usage.js';
import { readClarityCustomerPollState, saveClarityCustomerPollMark, saveClarityCustomerPollReport } from '../store/customer-sync-state.js';
import {
  customerChangedSignal,
  customerSyncWorkflowId,
  customerSyncWorkflowType,
  type ChangedClarityCustomersPage,
  type ClarityCustomerPollActivities,
  type ClarityCustomerPollPlan,
  type ClarityCustomerPollReport,
  type CustomerSyncInput,
} from '../workflows/customer-sync-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import { tenantPriority } from '../workflows/task-priority.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/** Clarity's largest page. */
const clarityPageSize = 200;
/** CustomerSyncs started or signalled at a time, as the order sweep starts OrderToCash. */
const offerConcurrency = 8;

/**
 * The Clarity customer poll's activities: plan from the settings and the saved mark, list one page
 * of changed customers, hand each to its CustomerSync (`signalWithStart`, as the webhook receiver
 * does for BigCommerce), and keep the mark and the last report.
 */
export function createClarityCustomerPollActivities(deps: ActivityDependencies) {
  return {
    async planClarityCustomerPoll(input: { tenantId: string; full?: boolean }): Promise<ClarityCustomerPollPlan> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      if (!settings.catalog.customers.enabled) return { outcome: 'disabled' };
      if (settings.connection.storefront.kind !== 'clarity') return { outcome: 'unsupported' };
      // Each customer handed on costs its CustomerSync Intacct transactions (a backfill, one to three per customer).
      const month = intacctUsageMonth(new Date());
      const usage = await readIntacctUsage(deps.db, input.tenantId, month);
      const deferredBecause = budgetDeferral(settings.intacctBudget, { month, transactions: usage?.transactions ?? 0 });
      if (deferredBecause !== undefined) return { outcome: 'deferred', note: deferredBecause };
      if (input.full === true) return { outcome: 'polls' };
      const state = await readClarityCustomerPollState(deps.db, input.tenantId);
      // No mark yet: the tenant's first poll reads every customer from the beginning, so the store's
      // existing customers are linked to (and brought in step with) the books, not only those who
      // change later. It pages oldest change first and saves the mark per page, so a backfill cut
      // short resumes at the next run from where it stopped.
      return state?.mark === undefined ? { outcome: 'polls' } : { outcome: 'polls', mark: state.mark };
    },

    listChangedClarityCustomers: withConnectorFailures(
      async (input: {
        tenantId: string;
        mark?: ClarityCustomerPollMark;
        cursor?: string;
        pageSize?: number;
      }): Promise<ChangedClarityCustomersPage> => {
        const storefront = await (await deps.connections.forTenant(input.tenantId)).storefront();
        if (storefront.kind !== 'clarity')
          throw new RangeError(`tenant ${input.tenantId} sells on ${storefront.kind}: no Clarity customers`);
        const page = await storefront.client.listCustomers({
          limit: input.pageSize ?? clarityPageSize,
          ...(input.mark !== undefined && { updatedSince: input.mark.updatedAt }),
          ...(input.cursor !== undefined && { cursor: input.cursor }),
        });
        const changes = customersPastMark(page.items, input.mark).map(({ customerId, updatedAt }) => ({ customerId, updatedAt }));
        return { listed: page.items.length, changes, ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }) };
      },
    ),

    async offerCustomerChanges(input: { tenantId: string; changes: ClarityCustomerPollMark[] }): Promise<{ offered: number }> {
      const temporal = deps.temporal;
      if (temporal === undefined) {
        throw ApplicationFailure.nonRetryable(
          'the worker was built without a Temporal client (ActivityDependencies.temporal), so it cannot start CustomerSync',
          'TemporalClientMissing',
        );
      }
      let done = (activityInfo().heartbeatDetails as { done: number } | undefined)?.done ?? 0;
      while (done < input.changes.length) {
        const batch = input.changes.slice(done, done + offerConcurrency);
        await Promise.all(
          batch.map(async (customer) => {
            const syncInput: CustomerSyncInput = { tenantId: input.tenantId, storefront: 'clarity', customerId: customer.customerId };
            await temporal.client.workflow.signalWithStart(customerSyncWorkflowType, {
              workflowId: customerSyncWorkflowId(input.tenantId, 'clarity', customer.customerId),
              taskQueue: temporal.taskQueue,
              args: [syncInput],
              signal: customerChangedSignal,
              signalArgs: [polledCustomerChange(customer)],
              workflowIdConflictPolicy: 'USE_EXISTING',
              typedSearchAttributes: [{ key: TenantId, value: input.tenantId }],
              priority: tenantPriority(input.tenantId, 'bulk'),
              staticSummary: `Clarity customer ${customer.customerId} changed → Intacct customer (tenant ${input.tenantId})`,
            });
          }),
        );
        done += batch.length;
        heartbeat({ done });
      }
      return { offered: input.changes.length };
    },

    async saveClarityCustomerPollMark(input: { tenantId: string; mark: ClarityCustomerPollMark }): Promise<void> {
      await saveClarityCustomerPollMark(deps.db, input.tenantId, input.mark);
    },

    async finishClarityCustomerPoll(report: ClarityCustomerPollReport): Promise<void> {
      await saveClarityCustomerPollReport(deps.db, report.tenantId, report);
    },
  } satisfies ClarityCustomerPollActivities;
}
