import type { TenantSettings } from '../store/schemas/settings.js';
import { catalogSyncSchedule } from './catalog-sync.js';
import { clarityCustomerPollSchedule } from './clarity-customer-poll.js';
import { customerSyncSchedule } from './customer-sync.js';
import { dailySummarySchedule } from './daily-summary.js';
import { inventoryReconcileSchedule } from './inventory-reconcile.js';
import { orderSweepSchedule } from './order-sweep.js';
import { periodReconcileSchedule } from './period-reconcile.js';
import { priceListSyncSchedule } from './price-list-sync.js';
import type { TenantSchedule } from './schedule-sync.js';

/**
 * Every per-tenant schedule, in the order they are ensured: what the worker ensures for every
 * tenant at start-up and the admin API brings in step when a tenant's settings change. A new
 * scheduled flow is added here once and both follow.
 */
export const tenantSchedules: ReadonlyArray<TenantSchedule<TenantSettings>> = [
  orderSweepSchedule,
  inventoryReconcileSchedule,
  periodReconcileSchedule,
  catalogSyncSchedule,
  priceListSyncSchedule,
  customerSyncSchedule,
  clarityCustomerPollSchedule,
  dailySummarySchedule,
];
