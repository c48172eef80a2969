// The workflow bundle's entry point: every workflow type the worker serves.
export { selfCheck } from './self-check.js';
export { orderToCash } from './order-to-cash/index.js';
export { orderBackfill, orderSweep } from './order-sweep.js';
export { returnToCreditMemo } from './return-to-credit-memo.js';
export { inventoryReconcile } from './inventory-reconcile.js';
export { inventorySkuSync } from './inventory-sku-sync.js';
export { payoutReconcile } from './payout-reconcile.js';
export { payoutFailureReversal } from './payout-failure-reversal.js';
export { payoutDay } from './payout-day.js';
export { periodReconcile } from './period-reconcile.js';
export { dailySummary } from './daily-summary.js';
export { catalogSync } from './catalog-sync.js';
export { priceListSync } from './price-list-sync.js';
export { storefrontItemIntake } from './storefront-item-intake.js';
export { orderPreview } from './order-preview.js';
export { customerSync } from './customer-sync.js';
export { customerSyncPoll } from './customer-sync-poll.js';
export { clarityCustomerPoll } from './clarity-customer-poll.js';
