import { createCustomerActivities } from './customers.js';
import type { ActivityDependencies } from './dependencies.js';
import { createInventoryActivities } from './inventory.js';
import { createItemActivities } from './items.js';
import { createOrderAttentionActivities } from './order-attention.js';
import { createOrderDiscoveryActivities } from './order-discovery.js';
import { createOrderIntakeActivities } from './order-intake.js';
import type { OrderToCashActivities } from './order-to-cash-types.js';
import { createPaymentActivities } from './payments.js';
import { createRefundWakeupActivities } from './refund-wakeups.js';
import { createRefundActivities } from './refunds.js';
import { createSalesDocumentMappingActivities } from './sales-document-mapping.js';
import { createSalesDocumentActivities } from './sales-documents.js';
import { createSelfCheckActivities } from './self-check.js';
import { createStorefrontOrderActivities } from './storefront-orders.js';
import { createWebhookHealthActivities } from './webhook-health.js';

export type { ActivityDependencies } from './dependencies.js';

/** OrderToCash's activities, one factory per concern; `satisfies` keeps them equal to the contract the workflow sees. */
export function createOrderToCashActivities(deps: ActivityDependencies) {
  return {
    ...createOrderIntakeActivities(deps),
    ...createStorefrontOrderActivities(deps),
    ...createCustomerActivities(deps),
    ...createItemActivities(deps),
    ...createSalesDocumentMappingActivities(deps),
    ...createSalesDocumentActivities(deps),
    ...createPaymentActivities(deps),
    ...createOrderAttentionActivities(deps),
    ...createRefundWakeupActivities(deps),
  } satisfies OrderToCashActivities;
}

/** All activities the worker registers, built over injected dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSelfCheckActivities(deps),
    ...createOrderToCashActivities(deps),
    ...createOrderDiscoveryActivities(deps),
    ...createWebhookHealthActivities(deps),
    ...createRefundActivities(deps),
    ...createInventoryActivities(deps),
  };
}
