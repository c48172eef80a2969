import {
  orderCount,
  order,
  orderMetafield,
  orderCoupon,
  orderWithConsignments,
  orderProduct,
  orderShipment,
  orderShippingAddress,
  orderTax,
} from '../schemas/orders.js';
import type {
  CreateShipmentInput,
  Order,
  OrderCoupon,
  OrderListFilter,
  OrderMetafield,
  OrderProduct,
  OrderShipment,
  OrderShippingAddress,
  OrderTax,
  OrderWithConsignments,
} from '../schemas/orders.js';
import type { BigCommerceTransport } from '../transport.js';
import { iterateV2, iterateV3, readV2Page } from './paging.js';

/** V2 orders: the order, its lines, addresses, coupons and shipments, and write-back. */
export interface OrdersResource {
  getOrder(orderId: number): Promise<Order>;
  /**
   * The order with its consignments and their lines (`include=consignments.line_items`,
   * `consignment_structure=object`): the header, the products and the shipping addresses in one request.
   */
  getOrderWithConsignments(orderId: number): Promise<OrderWithConsignments>;
  /** One page (V2 `page`/`limit`, max 250); an empty page is `[]` even though the store sends 204. */
  listOrders(filter?: OrderListFilter & { page?: number; limit?: number }): Promise<Order[]>;
  /** Every order matching the filter, page by page. */
  iterateOrders(filter?: OrderListFilter): AsyncGenerator<Order>;
  countOrders(filter?: OrderListFilter): Promise<number>;
  listOrderProducts(orderId: number): Promise<OrderProduct[]>;
  listShippingAddresses(orderId: number): Promise<OrderShippingAddress[]>;
  listCoupons(orderId: number): Promise<OrderCoupon[]>;
  /** The order's taxes by rate and line (`details=true`): which line or charge each amount taxed. */
  listTaxes(orderId: number): Promise<OrderTax[]>;
  listShipments(orderId: number): Promise<OrderShipment[]>;
  /**
   * The order's metafields (V3 `/orders/{id}/metafields`) in the given namespaces only
   * (`namespace:in`), every page: metafields can hold anything, so only what is asked for is read
   * (all of them when a namespace holds a comma; the caller keeps only what it named).
   */
  listMetafields(orderId: number, namespaces: readonly string[]): Promise<OrderMetafield[]>;
  createShipment(orderId: number, shipment: CreateShipmentInput): Promise<OrderShipment>;
  updateStatus(orderId: number, statusId: number): Promise<Order>;
  /** Writes the staff notes (where the product records the Intacct document number). */
  updateStaffNotes(orderId: number, staffNotes: string): Promise<Order>;
}

export function ordersResource(transport: BigCommerceTransport): OrdersResource {
  const path = (orderId: number, rest = '') => `/orders/${orderId}${rest}`;
  const put = (orderId: number, json: Record<string, unknown>) =>
    transport.sendParsed({ version: 'v2', method: 'PUT', path: path(orderId), json }, order);
  return {
    getOrder: (orderId) => transport.sendParsed({ version: 'v2', method: 'GET', path: path(orderId) }, order),
    getOrderWithConsignments: (orderId) =>
      transport.sendParsed(
        {
          version: 'v2',
          method: 'GET',
          path: path(orderId),
          searchParams: { include: 'consignments.line_items', consignment_structure: 'object' },
        },
        orderWithConsignments,
      ),
    listOrders: ({ page, limit, ...filter } = {}) =>
      readV2Page(transport, { version: 'v2', method: 'GET', path: '/orders', searchParams: { ...filter, page, limit } }, order),
    iterateOrders: (filter = {}) =>
      iterateV2(transport, { version: 'v2', method: 'GET', path: '/orders', searchParams: { ...filter } }, order),
    countOrders: async (filter = {}) =>
      (await transport.sendParsed({ version: 'v2', method: 'GET', path: '/orders/count', searchParams: { ...filter } }, orderCount)).count,
    listOrderProducts: (orderId) =>
      collect(iterateV2(transport, { version: 'v2', method: 'GET', path: path(orderId, '/products') }, orderProduct)),
    listShippingAddresses: (orderId) =>
      readV2Page(transport, { version: 'v2', method: 'GET', path: path(orderId, '/shipping_addresses') }, orderShippingAddress),
    listCoupons: (orderId) => readV2Page(transport, { version: 'v2', method: 'GET', path: path(orderId, '/coupons') }, orderCoupon),
    listTaxes: (orderId) =>
      readV2Page(transport, { version: 'v2', method: 'GET', path: path(orderId, '/taxes'), searchParams: { details: 'true' } }, orderTax),
    listShipments: (orderId) => readV2Page(transport, { version: 'v2', method: 'GET', path: path(orderId, '/shipments') }, orderShipment),
    listMetafields: (orderId, namespaces) =>
      collect(
        iterateV3(
          transport,
          {
            version: 'v3',
            method: 'GET',
            path: path(orderId, '/metafields'),
            // `namespace:in` is comma-separated: a namespace holding a comma cannot be asked for, so then all are read.
            searchParams: { 'namespace:in': namespaces.some((namespace) => namespace.includes(',')) ? undefined : namespaces.join(',') },
          },
          orderMetafield,
        ),
      ),
    createShipment: (orderId, shipment) =>
      transport.sendParsed({ version: 'v2', method: 'POST', path: path(orderId, '/shipments'), json: shipment }, orderShipment),
    updateStatus: (orderId, statusId) => put(orderId, { status_id: statusId }),
    updateStaffNotes: (orderId, staffNotes) => put(orderId, { staff_notes: staffNotes }),
  };
}

async function collect<T>(rows: AsyncGenerator<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}
