import type { BigCommerceClient } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import { fromBigCommerceOrder } from '../mappers/from-bigcommerce-order.js';
import { fromClarityOrder } from '../mappers/from-clarity-order.js';
import { OrderMappingError } from '../mappers/order-mapping-error.js';
import { fromBigCommerceOrderHeader, fromClarityOrderHeader, type StorefrontOrderStamp } from '../decisions/storefront-order-stamp.js';
import { orderToCashFailures, type FetchedStorefrontOrder } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';
import { aboutOrder, bigCommerceOrderId, settleAll } from './storefront-order-access.js';
import type { StorefrontConnection } from './tenant-connections.js';

function mapOrder(map: () => CanonicalOrder): CanonicalOrder {
  try {
    return map();
  } catch (error) {
    if (!(error instanceof OrderMappingError)) throw error;
    throw flowFailure(orderToCashFailures, 'OrderMappingError', error.message, {
      details: { storefront: error.storefront, orderId: error.orderId, problems: error.problems.map((problem) => ({ ...problem })) },
    });
  }
}

/** The header's stamp dates the order on the safe side: a change while the other parts are read leaves the stamp behind the content, so the next look fetches again. */
function withStamp(order: CanonicalOrder, storefrontStamp: StorefrontOrderStamp | undefined): FetchedStorefrontOrder {
  return storefrontStamp === undefined ? order : { ...order, storefrontStamp };
}

async function fetchBigCommerceOrder(client: BigCommerceClient, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  const id = bigCommerceOrderId(ref);
  // Independent reads; the store's request limiter keeps them inside its quota.
  const [order, products, shippingAddresses, coupons, transactions, taxes] = await aboutOrder(ref, () =>
    settleAll([
      client.orders.getOrder(id),
      client.orders.listOrderProducts(id),
      client.orders.listShippingAddresses(id),
      client.orders.listCoupons(id),
      client.payments.listTransactions(id),
      // Each line's tax by rate, as the store computed it: what per-line and per-jurisdiction tax posting need.
      client.orders.listTaxes(id),
    ] as const),
  );
  return withStamp(
    mapOrder(() => fromBigCommerceOrder({ order, products, shippingAddresses, coupons, transactions, taxes })),
    fromBigCommerceOrderHeader(order),
  );
}

async function fetchClarityOrder(client: ClarityClient, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  const order = await aboutOrder(ref, () => client.getOrder(ref.orderId));
  return withStamp(
    mapOrder(() => fromClarityOrder(order)),
    fromClarityOrderHeader(order),
  );
}

/** The full order, mapped to the canonical order and dated by the storefront's stamp. */
export async function readFullOrder(storefront: StorefrontConnection, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  return storefront.kind === 'bigcommerce' ? fetchBigCommerceOrder(storefront.client, ref) : fetchClarityOrder(storefront.client, ref);
}

/** The stamp the storefront has for the order now: one request, the header alone. */
export async function readOrderStamp(storefront: StorefrontConnection, ref: OrderRef): Promise<StorefrontOrderStamp | undefined> {
  if (storefront.kind === 'bigcommerce') {
    const id = bigCommerceOrderId(ref);
    return fromBigCommerceOrderHeader(await aboutOrder(ref, () => storefront.client.orders.getOrder(id)));
  }
  return fromClarityOrderHeader(await aboutOrder(ref, () => storefront.client.getOrder(ref.orderId)));
}
