import { proxyActivities } from '@temporalio/workflow';
import type { OrderToCashActivities, StorefrontChangeActivities } from '../../activities/order-to-cash-types.js';
import {
  bestEffortBookkeepingOptions,
  bestEffortVendorCallOptions,
  bookkeepingOptions,
  mappingOptions,
  vendorCallOptions,
} from '../activity-options.js';

/** OrderToCash's activities, one proxy per latency class (see `activity-options.ts`). */
type Activities = OrderToCashActivities & StorefrontChangeActivities;

/** Intacct and storefront calls the order cannot do without. */
export const vendorCall = proxyActivities<Activities>(vendorCallOptions);
/** The look at the order's stamp and the courtesy write-back of a state: 3 attempts. */
export const bestEffortVendorCall = proxyActivities<Activities>(bestEffortVendorCallOptions);
/** The product's own records in MongoDB: retried until they work. */
export const bookkeeping = proxyActivities<Activities>(bookkeepingOptions);
/** Waking the order's waiting refunds: 3 attempts, they look again on their own. */
export const bestEffortBookkeeping = proxyActivities<Activities>(bestEffortBookkeepingOptions);
/** The order mapped to a sales document: 5 attempts. */
export const mapping = proxyActivities<Activities>(mappingOptions);
