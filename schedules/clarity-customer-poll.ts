import type { TenantSettings } from '../store/schemas/settings.js';
import {
  clarityCustomerPollScheduleId,
  clarityCustomerPollWorkflowId,
  clarityCustomerPollWorkflowType,
  type ClarityCustomerPollInput,
} from '../workflows/customer-sync-contract.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';
import { customerSyncCatchupWindowMs } from './customer-sync.js';

type ClaritySettingsView = Pick<TenantSettings, 'catalog' | 'connection' | 'timezone'>;

/** Why the settings pause the Clarity customer poll: the tenant sells elsewhere, or its customer sync is off. */
export function clarityCustomerPollPause(settings: Pick<TenantSettings, 'catalog' | 'connection'>): string | undefined {
  const kind = settings.connection.storefront.kind;
  if (kind !== 'clarity') return `the tenant sells on ${kind}, whose customer webhooks start CustomerSync`;
  return settings.catalog.customers.enabled ? undefined : 'catalog.customers.enabled is false';
}

/**
 * The tenant's Clarity customer poll schedule, `clarity-customer-poll:{tenantId}`: the customer
 * sync's own `catalog.customers.schedule` in the tenant's time zone, starting
 * `clarityCustomerPoll`; paused unless the tenant sells on Clarity with the customer sync on.
 */
export const clarityCustomerPollSchedule = cronTenantSchedule<ClaritySettingsView>({
  name: 'Clarity customer poll',
  scheduleId: clarityCustomerPollScheduleId,
  workflowType: clarityCustomerPollWorkflowType,
  workflowId: clarityCustomerPollWorkflowId,
  input: (tenantId): ClarityCustomerPollInput => ({ tenantId }),
  cron: (settings) => settings.catalog.customers.schedule,
  catchupWindowMs: customerSyncCatchupWindowMs,
  pausedBecause: clarityCustomerPollPause,
  runs: 'polls Clarity customers',
});
