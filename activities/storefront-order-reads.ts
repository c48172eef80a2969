import type { BigCommerceClient, OrderProduct, OrderWithConsignments, Product } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { fromBigCommerceOrder, type BigCommerceOrderInput } from '../mappers/from-bigcommerce-order.js';
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
   * The order metafields, product custom fields, brands and categories the tenant's settings name:
   * metafields cost one more BigCommerce request; custom fields, brand and category ids together
   * one per 250 products; brand names and category names one more each (per 250). Only what is
   * named is kept.
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

type Catalog = BigCommerceClient['catalog'];

/** The most ids BigCommerce's `id:in` catalogue filters take in one page. */
const catalogPageSize = 250;

/** Reads a catalogue list for the given ids, one request per {@link catalogPageSize} ids. */
async function readByIds<T>(ids: readonly number[], read: (ids: number[]) => Promise<{ data: T[] }>): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < ids.length; start += catalogPageSize)
    found.push(...(await read(ids.slice(start, start + catalogPageSize))).data);
  return found;
}

/**
 * The given products (`GET /v3/catalog/products?id:in=…`, with `include=custom_fields` when
 * custom fields are wanted): their custom fields, `brand_id` and `categories` come in one request
 * per 250 products.
 */
async function productsOf(catalog: Catalog, productIds: readonly number[], includeCustomFields: boolean): Promise<Product[]> {
  return readByIds(productIds, (ids) => catalog.listProducts({ ids, includeCustomFields, limit: catalogPageSize }));
}

/** Brand names by id: one `GET /v3/catalog/brands?id:in=…` per 250 brands. */
async function brandNamesOf(catalog: Catalog, brandIds: readonly number[]): Promise<Record<string, string>> {
  const brands = await readByIds(brandIds, (ids) => catalog.listBrands({ ids, limit: catalogPageSize }));
  return Object.fromEntries(brands.map((brand) => [String(brand.id), brand.name]));
}

/** Category names by id: one `GET /v3/catalog/trees/categories?category_id:in=…` per 250 categories. */
async function categoryNamesOf(catalog: Catalog, categoryIds: readonly number[]): Promise<Record<string, string>> {
  const categories = await readByIds(categoryIds, (ids) => catalog.listCategories({ ids, limit: catalogPageSize }));
  return Object.fromEntries(categories.map((category) => [String(category.category_id), category.name]));
}

/**
 * What the order's products give the rules: custom fields, brand and categories from one product
 * read, then the brand and category names (one request each, in parallel) only for the names rules
 * read. Nothing is requested when the rules name none of them.
 */
export async function readProductDetails(
  catalog: Catalog,
  productIds: readonly number[],
  references: StorefrontFieldReferences | undefined,
): Promise<Pick<BigCommerceOrderInput, 'productCustomFields' | 'productClassification' | 'brandNames' | 'categoryNames'>> {
  const readsCustomFields = (references?.productCustomFields ?? []).length > 0;
  const classification = references?.productClassification ?? [];
  if (productIds.length === 0 || (!readsCustomFields && classification.length === 0)) return {};
  const products = await productsOf(catalog, productIds, readsCustomFields);
  const brandIds = classification.includes('brand')
    ? [...new Set(products.flatMap((product) => (product.brand_id ? [product.brand_id] : [])))]
    : [];
  const categoryIds = classification.includes('categories') ? [...new Set(products.flatMap((product) => product.categories ?? []))] : [];
  const [brandNames, categoryNames] = await settleAll([
    brandIds.length > 0 ? brandNamesOf(catalog, brandIds) : Promise.resolve(undefined),
    categoryIds.length > 0 ? categoryNamesOf(catalog, categoryIds) : Promise.resolve(undefined),
  ] as const);
  const byProduct = <T>(read: (product: Product) => T) =>
    Object.fromEntries(products.map((product) => [String(product.id), read(product)]));
  return {
    ...(readsCustomFields && { productCustomFields: byProduct((product) => product.custom_fields ?? []) }),
    ...(classification.length > 0 && {
      productClassification: byProduct(({ brand_id, categories }) => ({ brand_id, categories })),
    }),
    ...(brandNames !== undefined && { brandNames }),
    ...(categoryNames !== undefined && { categoryNames }),
  };
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
  // BigCommerce keeps the group on the customer and custom fields, brand and categories on the product, so they are read after the order names them.
  const [customerGroupId, productDetails] = await aboutOrder(ref, () =>
    settleAll([
      reading.customerGroup === true ? customerGroupOf(client, order.customer_id) : Promise.resolve(undefined),
      readProductDetails(client.catalog, productIds, reading.references),
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
        ...productDetails,
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
