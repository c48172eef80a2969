import { catalogResource, type CatalogResource } from './resources/catalog.js';
import { customersResource, type CustomersResource } from './resources/customers.js';
import { hooksResource, type HooksResource } from './resources/hooks.js';
import { inventoryResource, type InventoryResource } from './resources/inventory.js';
import { ordersResource, type OrdersResource } from './resources/orders.js';
import { paymentsResource, type PaymentsResource } from './resources/payments.js';
import { priceListsResource, type PriceListsResource } from './resources/price-lists.js';
import type { RateLimitState } from './rate-limit.js';
import { createBigCommerceTransport, type BigCommerceTransportOptions } from './transport.js';

/** A typed client for one BigCommerce store, grouped by API area. */
export interface BigCommerceClient {
  orders: OrdersResource;
  payments: PaymentsResource;
  customers: CustomersResource;
  catalog: CatalogResource;
  priceLists: PriceListsResource;
  inventory: InventoryResource;
  hooks: HooksResource;
  /** The store's quota as of the latest response. */
  rateLimit(): RateLimitState;
}

/** Builds the client for one tenant's store. */
export function createBigCommerceClient(options: BigCommerceTransportOptions): BigCommerceClient {
  const transport = createBigCommerceTransport(options);
  return {
    orders: ordersResource(transport),
    payments: paymentsResource(transport),
    customers: customersResource(transport),
    catalog: catalogResource(transport),
    priceLists: priceListsResource(transport),
    inventory: inventoryResource(transport),
    hooks: hooksResource(transport),
    rateLimit: () => transport.lastRateLimit(),
  };
}
