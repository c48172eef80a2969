import type { TenantSettings } from '../store/schemas/settings.js';
import { priceListSyncWorkflowId, priceListSyncWorkflowType, type PriceListSyncInput } from '../workflows/price-list-sync-contract.js';
import { catalogSyncCatchupWindowMs } from './catalog-sync.js';
import {
  startTenantWorkflow,
  tenantScheduleState,
  type DesiredSchedule,
  type TenantSchedule,
  type TenantScheduleOptions,
} from './schedule-sync.js';

type PriceListSettingsView = Pick<TenantSettings, 'catalog' | 'timezone'>;

/** Why the settings pause the price list schedule: the item sync off, prices not Intacct's, or no list mapped. */
export function priceListPause(settings: PriceListSettingsView): string | undefined {
  const { items } = settings.catalog;
  if (!items.enabled) return 'catalog.items.enabled is false';
  if (items.fields.price !== 'intacct') return 'catalog.items.fields.price is not intacct';
  if (Object.keys(items.priceLists).length === 0) return 'catalog.items.priceLists maps no price list';
  return undefined;
}

/**
 * The price list sync schedule the tenant's settings ask for (pure): the item sync's cron
 * (`catalog.items.schedule`, the tenant's `timezone`), overlap SKIP, starting `priceListSync`,
 * paused while the item sync is off, Intacct does not own prices, no price list is mapped, or
 * the tenant is disabled.
 */
export function desiredPriceListSchedule(
  taskQueue: string,
  tenantId: string,
  settings: PriceListSettingsView,
  options: TenantScheduleOptions = {},
): DesiredSchedule {
  const input: PriceListSyncInput = { tenantId };
  return {
    scheduleId: priceListSyncWorkflowId(tenantId),
    spec: { cronExpressions: [settings.catalog.items.schedule], timezone: settings.timezone },
    action: startTenantWorkflow(taskQueue, tenantId, priceListSyncWorkflowType, priceListSyncWorkflowId(tenantId), input),
    overlap: 'SKIP',
    catchupWindowMs: catalogSyncCatchupWindowMs,
    ...tenantScheduleState(
      options,
      priceListPause(settings),
      `syncs price lists on "${settings.catalog.items.schedule}" (${settings.timezone})`,
    ),
  };
}

/** The tenant's price list sync schedule, `price-list-sync:{tenantId}`. */
export const priceListSyncSchedule: TenantSchedule<PriceListSettingsView> = { name: 'price list', desired: desiredPriceListSchedule };
