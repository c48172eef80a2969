import { proxyActivities } from '@temporalio/workflow';
import { orderPreviewOptions } from './activity-options.js';
import type { OrderPreview, OrderPreviewActivities, OrderPreviewInput } from './order-preview-contract.js';

const { previewOrder } = proxyActivities<OrderPreviewActivities>(orderPreviewOptions);

/** A dry-run of OrderToCash's posting: one read-only activity, its answer the workflow's result. */
export async function orderPreview(input: OrderPreviewInput): Promise<OrderPreview> {
  return previewOrder(input);
}
