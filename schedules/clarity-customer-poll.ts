import type { TenantSettings } from '../store/schemas/settings.js';
import {
  clarityCustomerPollScheduleId,
  clarityCustomerPollWorkflowId,
  clarityCustomerPollWorkflowType,
  type ClarityCustomerPollInput,
} from '../workflows/customer-sync-contract.js';
import { customerSyncCatchupWindowMs } from './customer-sync.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

type ClaritySettingsView = Pick<TenantSettings, 'catalog' | 'connection' | 'timezone'>;

/** Why the settings pause the Clarity customer poll: the tenant sells elsewhere, or its customer sync is off. */
export function clarityCustomerPollPause(settings: Pick<TenantSettings, 'catalog' | 'connection'>): string | undefined {
  const kind = settings.connection.storefront.kind;
  if (kind !== 'clarity') return `the tenant sells on ${kind}, whose customer webhooks start CustomerSync`;
  return settings.catalog.customers.enabled ? undefined : 'catalog.customers.enabled is false';
}

function clarityPollState(settings: ClaritySettingsView, options: TenantScheduleOptions) {
  return tenantScheduleState(
    options,
    clarityCustomerPollPause(settings),
    `polls Clarity customers on "${settings.catalog.customers.schedule}" (${settings.timezone})`,
  );
}

/**
 * The Clarity customer poll schedule the tenant's settings ask for (pure): the customer sync's
 * own `catalog.customers.schedule` in the tenant's `timezone`, overlap SKIP, starting
 * `clarityCustomerPoll`; paused unless the tenant sells on Clarity with the customer sync on.
 */
export function desiredClarityCustomerSchedule(
  taskQueue: string,
  tenantId: string,
  settings: ClaritySettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: ClarityCustomerPollInput = { tenantId };
  return {
    scheduleId: clarityCustomerPollScheduleId(tenantId),
    spec: { cronExpressions: [settings.catalog.customers.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, clarityCustomerPollWorkflowType, clarityCustomerPollWorkflowId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: customerSyncCatchupWindowMs,
    ...clarityPollState(settings, options),
  };
}

/** The tenant's Clarity customer poll schedule, `clarity-customer-poll:{tenantId}`. */
export const clarityCustomerPollSchedule: TenantSchedule<ClaritySettingsView> = {
  name: 'Clarity customer poll',
  desired: desiredClarityCustomerSchedule,
};
