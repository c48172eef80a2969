import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TenantSettings } from '../store/schemas/settings.js';
import {
  customerSyncPollScheduleId,
  customerSyncPollWorkflowId,
  customerSyncPollWorkflowType,
  type CustomerSyncPollInput,
} from '../workflows/customer-sync-contract.js';
import { TenantId } from '../workflows/search-attributes.js';
import {
  ensureForEveryTenant,
  ensureSchedule,
  type DesiredSchedule,
  type EnsureAllSchedulesResult,
  type ScheduleOutcome,
} from './schedule-sync.js';

/** How late a customer poll missed while Temporal was down may still start: an hour, like the item sync's. */
export const customerSyncCatchupWindowMs = 60 * 60_000;

export interface EnsureCustomerScheduleOptions {
  /** A disabled tenant's schedule is paused like one whose customer sync is off. */
  tenantDisabled?: boolean;
}

/** Why the settings pause the schedule, or what it runs when they do not. */
export function customerScheduleNote(
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCustomerScheduleOptions = {},
): string {
  if (options.tenantDisabled === true) return 'paused: the tenant is disabled';
  if (!settings.catalog.customers.enabled) return 'paused: catalog.customers.enabled is false';
  return `polls Intacct customers on "${settings.catalog.customers.schedule}" (${settings.timezone})`;
}

/**
 * The Intacct customer poll schedule the tenant's settings ask for (pure), in the item sync
 * schedule's shape: `catalog.customers.schedule` in the tenant's `timezone`, overlap SKIP,
 * starting `customerSyncPoll`, paused while the customer sync is off or the tenant disabled.
 */
export function desiredCustomerSchedule(
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCustomerScheduleOptions = {},
): DesiredSchedule {
  const input: CustomerSyncPollInput = { tenantId };
  return {
    scheduleId: customerSyncPollScheduleId(tenantId),
    spec: { cronExpressions: [settings.catalog.customers.schedule], timezone: settings.timezone },
    action: {
      workflowType: customerSyncPollWorkflowType,
      workflowId: customerSyncPollWorkflowId(tenantId),
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: TenantId, value: tenantId }],
    },
    overlap: 'SKIP',
    catchupWindowMs: customerSyncCatchupWindowMs,
    paused: !settings.catalog.customers.enabled || options.tenantDisabled === true,
    note: customerScheduleNote(settings, options),
  };
}

/** Makes the tenant's customer poll schedule (`customer-sync-poll:{tenantId}`) match its settings; an operator's pause stays. */
export async function ensureCustomerSchedule(
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: Pick<TenantSettings, 'catalog' | 'timezone'>,
  options: EnsureCustomerScheduleOptions = {},
): Promise<ScheduleOutcome> {
  return ensureSchedule(client, desiredCustomerSchedule(taskQueue, tenantId, settings, options));
}

/** {@link ensureCustomerSchedule} for every tenant that has settings; one tenant's failure does not stop the rest. */
export async function ensureAllCustomerSchedules(client: Client, db: Db, taskQueue: string): Promise<EnsureAllSchedulesResult> {
  return ensureForEveryTenant(db, (tenant, settings) =>
    ensureCustomerSchedule(client, taskQueue, tenant._id, settings, { tenantDisabled: tenant.status === 'disabled' }),
  );
}
