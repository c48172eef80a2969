import type { TenantSettings } from '../store/schemas/settings.js';
import { priceListSyncWorkflowId, priceListSyncWorkflowType, type PriceListSyncInput } from '../workflows/price-list-sync-contract.js';
import { catalogSyncCatchupWindowMs } from './catalog-sync.js';
import { cronTenantSchedule } from './cron-tenant-schedule.js';

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
 * The tenant's price list sync schedule, `price-list-sync:{tenantId}`: the item sync's cron
 * (`catalog.items.schedule`, the tenant's time zone), starting `priceListSync`, paused while the
 * item sync is off, Intacct does not own prices, no price list is mapped, or the tenant is
 * disabled.
 */
export const priceListSyncSchedule = cronTenantSchedule<PriceListSettingsView>({
  name: 'price list',
  scheduleId: priceListSyncWorkflowId,
  workflowType: priceListSyncWorkflowType,
  workflowId: priceListSyncWorkflowId,
  input: (tenantId): PriceListSyncInput => ({ tenantId }),
  cron: (settings) => settings.catalog.items.schedule,
  catchupWindowMs: catalogSyncCatchupWindowMs,
  pausedBecause: priceListPause,
  runs: 'syncs price lists',
});
