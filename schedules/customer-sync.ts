import type { TenantSettings } from '../store/schemas/settings.js';
import {
  customerSyncPollScheduleId,
  customerSyncPollWorkflowId,
  customerSyncPollWorkflowType,
  type CustomerSyncPollInput,
} from '../workflows/customer-sync-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

/** How late a customer poll missed while Temporal was down may still start: an hour, like the item sync's. */
export const customerSyncCatchupWindowMs = 60 * 60_000;

/**
 * The tenant's Intacct customer poll schedule, `customer-sync-poll:{tenantId}`:
 * `catalog.customers.schedule` in the tenant's time zone, starting `customerSyncPoll`, paused
 * while the customer sync is off or the tenant disabled.
 */
export const customerSyncSchedule = cronTenantSchedule<Pick<TenantSettings, 'catalog' | 'timezone'>>({
  name: 'customer sync',
  scheduleId: customerSyncPollScheduleId,
  workflowType: customerSyncPollWorkflowType,
  workflowId: customerSyncPollWorkflowId,
  input: (tenantId): CustomerSyncPollInput => ({ tenantId }),
  cron: (settings) => settings.catalog.customers.schedule,
  catchupWindowMs: customerSyncCatchupWindowMs,
  pausedBecause: (settings) => (settings.catalog.customers.enabled ? undefined : 'catalog.customers.enabled is false'),
  runs: 'polls Intacct customers',
});
