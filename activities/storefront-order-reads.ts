import type { BigCommerceClient, OrderProduct, OrderWithConsignments } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { fromBigCommerceOrder } from '../mappers/from-bigcommerce-order.js';
import { fromClarityOrder } from '../mappers/from-clarity-order.js';
import { OrderMappingError } from '../mappers/order-mapping-error.js';
import { metafieldNamespaces, type StorefrontFieldReferences } from '../mappers/storefront-field-references.js';
import { fromBigCommerceOrderHeader, fromClarityOrderHeader, type StorefrontOrderStamp } from '../decisions/storefront-order-stamp.js';
import { orderToCashFailures, type FetchedStorefrontOrder } from '../workflows/order-to-cash-contract.js';
import type { OrderRef } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';
import { aboutOrder, bigCommerceOrderId, settleAll } from './storefront-order-access.js';
import type { RecentOrderHeaders } from './recent-order-headers.js';
import type { StorefrontConnection } from './tenant-connections.js';

/** What a full read of the order needs besides the order's id. */
export interface FullOrderReading {
  /** Each line's tax by rate (one more BigCommerce request): only per-line and per-jurisdiction tax posting use it. */
  taxBreakdown: boolean;
  /** Where the BigCommerce header read is kept for the write-back that follows. */
  recentHeaders: RecentOrderHeaders;
  /** The registered customer's group (one more BigCommerce request): only rules and dimension rules that read it use it. */
  customerGroup?: boolean;
  /**
   * The order metafields and product custom fields the tenant's settings name: each non-empty
   * list costs one more BigCommerce request (per 250 products), and only what is named is kept.
   */
  references?: StorefrontFieldReferences;
}

/** Whether the tenant's rules or dimension rules read the customer's group, so the order read must fetch it. */
export function readsCustomerGroup(settings: Pick<TenantSettings, 'rules' | 'orderSync'>): boolean {
  return (
    settings.orderSync.dimensionRules.some((rule) => rule.from === 'customerGroup') ||
    settings.rules.some((rule) =>
      rule.cases.some((ruleCase) =>
        ruleCase.when.some((condition) => condition.field === 'customer.group' || condition.field === 'order.attributes.customerGroupId'),
      ),
    )
  );
}

/** The group of the order's registered customer, from `GET /v3/customers?id:in=…`; undefined for a guest or a customer gone. */
async function customerGroupOf(client: BigCommerceClient, customerId: number): Promise<number | undefined> {
  if (customerId === 0) return undefined;
  const page = await client.customers.listCustomers({ ids: [customerId] });
  return page.data[0]?.customer_group_id;
}

/** Custom fields of the given products by product id: one `GET /v3/catalog/products?id:in=…&include=custom_fields` per 250 products. */
async function productCustomFieldsOf(
  client: BigCommerceClient,
  productIds: readonly number[],
): Promise<Record<string, Array<{ name: string; value: string }>>> {
  const pageSize = 250;
  const byProduct: Record<string, Array<{ name: string; value: string }>> = {};
  for (let start = 0; start < productIds.length; start += pageSize) {
    const ids = productIds.slice(start, start + pageSize);
    const page = await client.catalog.listProducts({ ids, includeCustomFields: true, limit: pageSize });
    for (const product of page.data) byProduct[String(product.id)] = product.custom_fields ?? [];
  }
  return byProduct;
}

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

/** Every line of every consignment (shipping, pickup, digital, gift certificate), in line id order as `/products` lists them. */
function consignedLines({ consignments }: OrderWithConsignments): OrderProduct[] {
  const lines = [
    ...consignments.shipping,
    ...consignments.pickups,
    ...consignments.downloads,
    ...consignments.email.gift_certificates,
  ].flatMap((consignment) => consignment.line_items);
  return [...new Map(lines.map((line) => [line.id, line])).values()].sort((a, b) => a.id - b.id);
}

async function fetchBigCommerceOrder(client: BigCommerceClient, ref: OrderRef, reading: FullOrderReading): Promise<FetchedStorefrontOrder> {
  const id = bigCommerceOrderId(ref);
  // The header, its lines and shipping addresses come in one request (consignments with their
  // lines); the rest are independent reads, spaced by the store's request limiter.
  const namedMetafields = reading.references?.orderMetafields ?? [];
  const namedCustomFields = reading.references?.productCustomFields ?? [];
  const [order, coupons, transactions, taxes, metafields] = await aboutOrder(ref, () =>
    settleAll([
      client.orders.getOrderWithConsignments(id),
      client.orders.listCoupons(id),
      client.payments.listTransactions(id),
      reading.taxBreakdown ? client.orders.listTaxes(id) : Promise.resolve(undefined),
      namedMetafields.length > 0 ? client.orders.listMetafields(id, metafieldNamespaces(namedMetafields)) : Promise.resolve(undefined),
    ] as const),
  );
  const lines = consignedLines(order);
  const productIds = [...new Set(lines.map((line) => line.product_id).filter((productId) => productId !== 0))];
  // BigCommerce keeps the group on the customer and custom fields on the product, so both are read after the order names them.
  const [customerGroupId, productCustomFields] = await aboutOrder(ref, () =>
    settleAll([
      reading.customerGroup === true ? customerGroupOf(client, order.customer_id) : Promise.resolve(undefined),
      namedCustomFields.length > 0 && productIds.length > 0 ? productCustomFieldsOf(client, productIds) : Promise.resolve(undefined),
    ] as const),
  );
  const storefrontStamp = fromBigCommerceOrderHeader(order);
  const fetched = withStamp(
    mapOrder(() =>
      fromBigCommerceOrder({
        order,
        products: lines,
        shippingAddresses: order.consignments.shipping,
        coupons,
        transactions,
        ...(taxes !== undefined && { taxes }),
        ...(customerGroupId !== undefined && { customerGroupId }),
        ...(metafields !== undefined && { metafields }),
        ...(productCustomFields !== undefined && { productCustomFields }),
        ...(reading.references !== undefined && { references: reading.references }),
      }),
    ),
    storefrontStamp,
  );
  reading.recentHeaders.remember(ref, order, storefrontStamp);
  return fetched;
}

async function fetchClarityOrder(client: ClarityClient, ref: OrderRef): Promise<FetchedStorefrontOrder> {
  const order = await aboutOrder(ref, () => client.getOrder(ref.orderId));
  return withStamp(
    mapOrder(() => fromClarityOrder(order)),
    fromClarityOrderHeader(order),
  );
}

/** The full order, mapped to the canonical order and dated by the storefront's stamp. */
export async function readFullOrder(
  storefront: StorefrontConnection,
  ref: OrderRef,
  reading: FullOrderReading,
): Promise<FetchedStorefrontOrder> {
  return storefront.kind === 'bigcommerce'
    ? fetchBigCommerceOrder(storefront.client, ref, reading)
    : fetchClarityOrder(storefront.client, ref);
}

/** The stamp the storefront has for the order now: one request, the header alone. */
export async function readOrderStamp(storefront: StorefrontConnection, ref: OrderRef): Promise<StorefrontOrderStamp | undefined> {
  if (storefront.kind === 'bigcommerce') {
    const id = bigCommerceOrderId(ref);
    return fromBigCommerceOrderHeader(await aboutOrder(ref, () => storefront.client.orders.getOrder(id)));
  }
  return fromClarityOrderHeader(await aboutOrder(ref, () => storefront.client.getOrder(ref.orderId)));
}
