import type { BigCommerceClient } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import {
  fromBigCommerceOrderHeader,
  fromClarityOrderHeader,
  stampAfterOwnWrite,
  type StorefrontOrderStamp,
} from '../decisions/storefront-order-stamp.js';
import { clarityErpReference, intacctMarkerLine, withIntacctMarker } from '../mappers/sync-state-write-back.js';
import type { WriteBackInput } from '../workflows/order-to-cash-contract.js';
import type { RecentOrderHeaders } from './recent-order-headers.js';
import { aboutOrder, bigCommerceOrderId, idempotencyKey } from './storefront-order-access.js';
import type { StorefrontConnection } from './tenant-connections.js';

/**
 * BigCommerce keeps the state as one marker line in the staff notes; the PUT is skipped when the
 * line is already there. Answers the stamp to remember (see `stampAfterOwnWrite`): the PUT's
 * answer is the order after the write, so the store's echo of it can be recognised. The order
 * as it was before is the header that the fetch of the version acted on read in this worker,
 * when there is one and the store has signalled no change since (see `RecentOrderHeaders`),
 * else read now.
 */
async function writeBackToBigCommerce(
  client: BigCommerceClient,
  input: WriteBackInput,
  recentHeaders: RecentOrderHeaders,
): Promise<StorefrontOrderStamp | undefined> {
  const id = bigCommerceOrderId(input);
  return aboutOrder(input, async () => {
    // Taken either way, so a header the store has since changed is not kept for later.
    const remembered = recentHeaders.take(input, input.storefrontStamp);
    const before = (input.changeSignalledSinceFetch === true ? undefined : remembered) ?? (await client.orders.getOrder(id));
    const notes = withIntacctMarker(before.staff_notes, intacctMarkerLine(input));
    const after = notes === before.staff_notes ? before : await client.orders.updateStaffNotes(id, notes);
    return stampAfterOwnWrite(input.storefrontStamp, fromBigCommerceOrderHeader(before), fromBigCommerceOrderHeader(after));
  });
}

/** Clarity has `erpReference` only: the document id once synced, cleared on cancellation, untouched otherwise. */
async function writeBackToClarity(client: ClarityClient, input: WriteBackInput): Promise<StorefrontOrderStamp | undefined> {
  const decision = clarityErpReference(input);
  // Nothing written: the version the workflow acted on is still the last the product knows of.
  if (!decision.change) return input.storefrontStamp;
  return aboutOrder(input, async () => {
    const before = await client.getOrder(input.orderId);
    let after = before;
    if (before.erpReference !== decision.erpReference) {
      const key = idempotencyKey('erp-reference', input.tenantId, input.orderId, input.state, decision.erpReference ?? '');
      after = await client.setOrderErpReference(input.orderId, decision.erpReference, { idempotencyKey: key });
    }
    return stampAfterOwnWrite(input.storefrontStamp, fromClarityOrderHeader(before), fromClarityOrderHeader(after));
  });
}

/** Writes the Intacct document and sync state back to the order; answers the stamp to remember, if any. */
export async function writeSyncStateBack(
  storefront: StorefrontConnection,
  input: WriteBackInput,
  recentHeaders: RecentOrderHeaders,
): Promise<StorefrontOrderStamp | undefined> {
  return storefront.kind === 'bigcommerce'
    ? writeBackToBigCommerce(storefront.client, input, recentHeaders)
    : writeBackToClarity(storefront.client, input);
}
