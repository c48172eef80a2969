import { createCaptureActivities } from './captures.js';
import { createCatalogSyncActivities } from './catalog-sync.js';
import { createPriceListSyncActivities } from './price-list-sync.js';
import { createCustomerActivities } from './customers.js';
import { createCustomerSyncActivities } from './customer-sync.js';
import { createClarityCustomerPollActivities } from './clarity-customer-poll.js';
import { createDailySummaryActivities } from './daily-summary.js';
import type { ActivityDependencies } from './dependencies.js';
import { heartbeating } from './heartbeats.js';
import { createInventoryActivities } from './inventory.js';
import { createItemActivities } from './items.js';
import { createOrderAnomalyActivities } from './order-anomalies.js';
import { createOrderAttentionActivities } from './order-attention.js';
import { createOrderDiscoveryActivities } from './order-discovery.js';
import { createOrderIntakeActivities } from './order-intake.js';
import { createOrderPreviewActivities } from './order-preview.js';
import type { OrderToCashActivities } from '../workflows/order-to-cash-contract.js';
import { createPaymentActivities } from './payments.js';
import { createPayoutAttentionActivities } from './payout-attention.js';
import { createPayoutDayActivities } from './payout-day-postings.js';
import { createPayoutFailureReversalActivities } from './payout-failure-reversal.js';
import { createPayoutPostingActivities } from './payout-postings.js';
import { createPayoutReadActivities } from './payout-reads.js';
import type { PayoutReconcileActivities } from '../workflows/payout-reconcile-contract.js';
import type { PayoutDayActivities } from '../workflows/payout-day-contract.js';
import { createPeriodReconcileActivities } from './period-reconcile.js';
import { createRefundWakeupActivities } from './refund-wakeups.js';
import { createRefundActivities } from './refunds.js';
import { createSalesDocumentMappingActivities } from './sales-document-mapping.js';
import { createSalesDocumentActivities } from './sales-documents.js';
import { createSalesOrderEditActivities } from './sales-order-edits.js';
import { createSelfCheckActivities } from './self-check.js';
import { createStorefrontItemIntakeActivities } from './storefront-item-intake.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';
import { createWebhookHealthActivities } from './webhook-health.js';

export type { ActivityDependencies } from './dependencies.js';

/**
 * OrderToCash's activities, one factory per concern; `satisfies` keeps them equal to the
 * contract the workflow sees. They heartbeat while they run, because the workflow calls them as
 * vendor calls with a heartbeat timeout.
 */
export function createOrderToCashActivities(deps: ActivityDependencies) {
  return heartbeating({
    ...createOrderIntakeActivities(deps),
    ...createOrderAnomalyActivities(deps),
    ...createStorefrontOrderActivities(deps),
    ...createCustomerActivities(deps),
    ...createItemActivities(deps),
    ...createSalesDocumentMappingActivities(deps),
    ...createSalesDocumentActivities(deps),
    ...createSalesOrderEditActivities(deps),
    ...createPaymentActivities(deps),
    ...createCaptureActivities(deps),
    ...createOrderAttentionActivities(deps),
    ...createRefundWakeupActivities(deps),
  }) satisfies OrderToCashActivities;
}

/** PayoutReconcile's activities: reading and matching the payout, posting it to Intacct, its attention items. */
export function createPayoutReconcileActivities(deps: ActivityDependencies) {
  return heartbeating({
    ...createPayoutReadActivities(deps),
    ...createPayoutPostingActivities(deps),
    ...createPayoutAttentionActivities(deps),
    // Also PayoutDay's (the dailySummary posting mode).
    ...createPayoutDayActivities(deps),
  }) satisfies PayoutReconcileActivities & PayoutDayActivities;
}

/**
 * All activities the worker registers, built over injected dependencies. ReturnToCreditMemo's
 * and inventory's heartbeat like OrderToCash's (inventory's own heartbeats only say how far a
 * read got, nothing resumes from them); the sweep's are left alone: `startOrderToCash` resumes
 * from the progress it heartbeats, which a bare heartbeat would overwrite.
 */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSelfCheckActivities(deps),
    ...createOrderToCashActivities(deps),
    ...createOrderDiscoveryActivities(deps),
    ...createWebhookHealthActivities(deps),
    ...createOrderPreviewActivities(deps),
    ...heartbeating(createRefundActivities(deps)),
    ...heartbeating(createInventoryActivities(deps)),
    ...createPayoutReconcileActivities(deps),
    ...heartbeating(createPayoutFailureReversalActivities(deps)),
    ...heartbeating(createPeriodReconcileActivities(deps)),
    ...createDailySummaryActivities(deps),
    ...heartbeating(createCatalogSyncActivities(deps)),
    ...heartbeating(createPriceListSyncActivities(deps)),
    ...heartbeating(createStorefrontItemIntakeActivities(deps)),
    ...heartbeating(createCustomerSyncActivities(deps)),
    ...createClarityCustomerPollActivities(deps),
  };
}
