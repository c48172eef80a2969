import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { vendorCallOptions } from './activity-options.js';
import {
  customerChangedSignal,
  type CustomerChange,
  type CustomerSyncActivities,
  type CustomerSyncInput,
  type CustomerSyncResult,
  type StorefrontCustomerSyncResult,
} from './customer-sync-contract.js';

export type { CustomerSyncInput, CustomerSyncResult } from './customer-sync-contract.js';

/** A vendor call: reads both sides and writes Intacct absolute values, so a retry after a lost answer writes the same again. */
const { syncStorefrontCustomer } = proxyActivities<CustomerSyncActivities>(vendorCallOptions);

/** Syncs per run before continuing as new: each is about six events. */
const syncsPerRun = 100;
/** How long a workflow started without its signal waits for it. */
const firstChangeWait = '1 minute';
/** Delivery ids remembered across continue-as-new: enough for any burst of copies. */
const deliveriesKept = 200;

/**
 * One storefront customer's changes carried to its linked Intacct customer. The webhook receiver
 * starts it (or signals the one running) with each change; a copy of a delivery already seen is
 * dropped, so three deliveries of one webhook cost one sync. Changes arriving while a sync runs
 * are synced once more after it, in one go. The activity decides per field owner and last change,
 * and recognises the store's echo of the product's own writes.
 */
export async function customerSync(input: CustomerSyncInput): Promise<CustomerSyncResult> {
  const { tenantId, storefront, customerId } = input;
  const seen = new Set<string>(input.seenDeliveryIds ?? []);
  const pending: CustomerChange[] = [...(input.pending ?? [])];
  setHandler(customerChangedSignal, (change) => {
    if (seen.has(change.deliveryId)) return;
    seen.add(change.deliveryId);
    pending.push(change);
  });
  if (pending.length === 0) await condition(() => pending.length > 0, firstChangeWait);

  const syncs: StorefrontCustomerSyncResult[] = [];
  while (pending.length > 0) {
    if (syncs.length >= syncsPerRun) {
      return continueAsNew<typeof customerSync>({ ...input, seenDeliveryIds: [...seen].slice(-deliveriesKept), pending: [...pending] });
    }
    const batch = pending.splice(0);
    const changedAt = batch.map((change) => change.occurredAt).reduce((latest, at) => (Date.parse(at) > Date.parse(latest) ? at : latest));
    syncs.push(await syncStorefrontCustomer({ tenantId, storefront, customerId, topics: batch.map((change) => change.topic), changedAt }));
  }
  return { tenantId, customerId, syncs };
}
