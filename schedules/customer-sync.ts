import type { TenantSettings } from '../store/schemas/settings.js';
import {
  customerSyncPollScheduleId,
  customerSyncPollWorkflowId,
  customerSyncPollWorkflowType,
  type CustomerSyncPollInput,
} from '../workflows/customer-sync-contract.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

/** How late a customer poll missed while Temporal was down may still start: an hour, like the item sync's. */
export const customerSyncCatchupWindowMs = 60 * 60_000;

type CustomerSettingsView = Pick<TenantSettings, 'catalog' | 'timezone'>;

/** Why the settings pause the schedule, or what it runs when they do not. */
export function customerScheduleNote(settings: CustomerSettingsView, options: TenantScheduleOptions = {}): string {
  return customerScheduleState(settings, options).note;
}

function customerScheduleState(settings: CustomerSettingsView, options: TenantScheduleOptions) {
  return tenantScheduleState(
    options,
    settings.catalog.customers.enabled ? undefined : 'catalog.customers.enabled is false',
    `polls Intacct customers on "${settings.catalog.customers.schedule}" (${settings.timezone})`,
  );
}

/**
 * The Intacct customer poll schedule the tenant's settings ask for (pure), in the item sync
 * schedule's shape: `catalog.customers.schedule` in the tenant's `timezone`, overlap SKIP,
 * starting `customerSyncPoll`, paused while the customer sync is off or the tenant disabled.
 */
export function desiredCustomerSchedule(
  taskQueue: string,
  tenantId: string,
  settings: CustomerSettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: CustomerSyncPollInput = { tenantId };
  return {
    scheduleId: customerSyncPollScheduleId(tenantId),
    spec: { cronExpressions: [settings.catalog.customers.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, customerSyncPollWorkflowType, customerSyncPollWorkflowId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: customerSyncCatchupWindowMs,
    ...customerScheduleState(settings, options),
  };
}

/** The tenant's Intacct customer poll schedule, `customer-sync-poll:{tenantId}`. */
export const customerSyncSchedule: TenantSchedule<CustomerSettingsView> = { name: 'customer sync', desired: desiredCustomerSchedule };
