import { proxyActivities } from '@temporalio/workflow';
import { vendorCallOptions } from '../../../workflows/activity-options.js';

/** A vendor call that waits for an Intacct request slot, scheduled exactly as the product's workflows schedule vendor calls. */
export interface QueuedVendorCallActivities {
  callWhenSlotFrees(company: string): Promise<{ queuedMs: number }>;
}

const { callWhenSlotFrees } = proxyActivities<QueuedVendorCallActivities>(vendorCallOptions);

export async function queuedVendorCall(company: string): Promise<{ queuedMs: number }> {
  return callWhenSlotFrees(company);
}
