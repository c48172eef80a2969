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

export const vendorCall = proxyActivities<Activities>(vendorCallOptions);
export const bestEffortVendorCall = proxyActivities<Activities>(bestEffortVendorCallOptions);
export const bookkeeping = proxyActivities<Activities>(bookkeepingOptions);
export const bestEffortBookkeeping = proxyActivities<Activities>(bestEffortBookkeepingOptions);
export const mapping = proxyActivities<Activities>(mappingOptions);
