import { describe, expect, it } from 'vitest';
import { toStorefrontEvent } from '../../../api/webhooks/clarity-events.js';
import {
  eventFromWire,
  orderFromWire,
  pageFromWire,
  productFromWire,
  toWireInventoryBatch,
  toWireQuery,
  toWireShipment,
} from '../../../connectors/clarity/wire-mapping.js';
import { clarityScopes, clarityScopesFor } from '../../../connectors/clarity/wire-protocol.js';

const address = {
  firstName: 'Jane',
  lastName: 'Doe',
  company: null,
  line1: '555 East St',
  line2: null,
  city: 'Austin',
  region: 'TX',
  postalCode: '78701',
  country: 'US',
  phone: null,
  email: 'jane@example.com',
};
const wireOrder = {
  orderId: 'CO-100045',
  orderNumber: '100045',
  customerId: 'CU-2001',
  customerEmail: 'jane@example.com',
  orderDate: '2026-06-01T14:03:22Z',
  updatedAt: '2026-06-01T14:05:10Z',
  status: 'processing',
  currency: 'USD',
  subtotalAmount: '100.00',
  discountAmount: '10.00',
  shippingAmount: '8.00',
  taxAmount: '7.20',
  totalAmount: '105.20',
  couponCode: 'SPRING10',
  billingAddress: address,
  shippingAddress: address,
  shippingMethod: 'UPS Ground',
  lineItems: [
    {
      lineId: '1',
      sku: 'TSHIRT-BLK-M',
      name: 'T-Shirt',
      quantity: 2,
      unitPrice: '50.00',
      discount: '10.00',
      tax: '7.20',
      lineTotal: '97.20',
    },
  ],
  paymentInfo: {
    method: 'credit_card',
    status: 'captured',
    gateway: 'stripe',
    transactionId: 'pi_1',
    amount: '105.20',
    cardBrand: 'visa',
    last4: '4242',
  },
  erpReference: null,
  someFieldClarityAddedLater: true,
};

describe('Clarity wire mapping', () => {
  it('when an order matches the contract then the model keeps its values and drops unknown fields', () => {
    const order = orderFromWire.parse(wireOrder);
    expect(order).toEqual(Object.fromEntries(Object.entries(wireOrder).filter(([key]) => key !== 'someFieldClarityAddedLater')));
  });

  it("when an order carries the customer's group and the lines' product types (proposal additions) then the model keeps them", () => {
    const order = orderFromWire.parse({
      ...wireOrder,
      customerGroup: 'wholesale',
      lineItems: [{ ...wireOrder.lineItems[0], productType: 'apparel' }],
    });
    expect(order.customerGroup).toBe('wholesale');
    expect(order.lineItems[0]!.productType).toBe('apparel');
  });

  it.each([
    ['money with three decimals', { totalAmount: '105.200' }, 'totalAmount'],
    ['an unknown status', { status: 'shipped' }, 'status'],
    ['a lowercase currency', { currency: 'usd' }, 'currency'],
    ['no line items', { lineItems: [] }, 'lineItems'],
    ['a local time without Z', { orderDate: '2026-06-01T14:03:22' }, 'orderDate'],
  ])('when an order has %s then parsing names the field', (_case, change, field) => {
    const result = orderFromWire.safeParse({ ...wireOrder, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toContain(field);
  });

  it('when a product is read then its nested inventory is flattened', () => {
    expect(
      productFromWire.parse({
        productId: 'P-1',
        sku: 'MUG-WHT-11OZ',
        name: 'Mug',
        price: '14.50',
        currency: 'USD',
        active: true,
        inventory: { available: 7, tracked: true },
        updatedAt: '2026-01-01T00:00:00Z',
      }),
    ).toEqual({
      productId: 'P-1',
      sku: 'MUG-WHT-11OZ',
      name: 'Mug',
      price: '14.50',
      currency: 'USD',
      active: true,
      available: 7,
      inventoryTracked: true,
      updatedAt: '2026-01-01T00:00:00Z',
    });
  });

  it('when the last page has a null cursor then the model says undefined', () => {
    expect(pageFromWire(productFromWire).parse({ data: [], nextCursor: null })).toEqual({ items: [], nextCursor: undefined });
  });

  it('when a query has unset values then they are left out of the wire query', () => {
    expect(toWireQuery({ limit: 20, cursor: undefined, updatedSince: '2026-01-01T00:00:00Z', status: 'processing' })).toEqual({
      limit: '20',
      updatedSince: '2026-01-01T00:00:00Z',
      status: 'processing',
    });
  });

  it('when writes are built then optional fields become explicit nulls and absent location stays absent', () => {
    expect(
      toWireShipment({
        shipmentId: 'SH-1',
        carrier: 'UPS',
        trackingNumber: '1Z',
        shippedAt: '2026-01-01T00:00:00Z',
        lineItems: [{ sku: 'A', quantity: 1 }],
      }),
    ).toEqual({
      shipmentId: 'SH-1',
      carrier: 'UPS',
      service: null,
      trackingNumber: '1Z',
      trackingUrl: null,
      shippedAt: '2026-01-01T00:00:00Z',
      lineItems: [{ sku: 'A', quantity: 1 }],
    });
    expect(
      toWireInventoryBatch([
        { sku: 'A', available: 3 },
        { sku: 'B', available: 0, locationId: 'MAIN' },
      ]),
    ).toEqual({
      items: [
        { sku: 'A', available: 3 },
        { sku: 'B', available: 0, locationId: 'MAIN' },
      ],
    });
  });
});

describe('Clarity events → storefront events', () => {
  const at = '2026-06-01T14:03:23Z';
  it.each([
    [
      { id: 'evt_1', type: 'order.created', timestamp: at, data: wireOrder },
      { topic: 'order.created', entity: 'order', entityId: 'CO-100045' },
    ],
    [
      { id: 'evt_1', type: 'order.updated', timestamp: at, data: { ...wireOrder, status: 'fulfilled' } },
      { topic: 'order.updated', entity: 'order', entityId: 'CO-100045' },
    ],
    [
      {
        id: 'evt_1',
        type: 'product.updated',
        timestamp: at,
        data: { productId: 'P-501', sku: 'TSHIRT-BLK-M', changedFields: ['price'], product: {} },
      },
      { topic: 'product.updated', entity: 'product', entityId: 'TSHIRT-BLK-M' },
    ],
    [
      { id: 'evt_1', type: 'return.created', timestamp: at, data: { returnId: 'RMA-3001', orderId: 'CO-100045', status: 'requested' } },
      { topic: 'return.created', entity: 'return', entityId: 'RMA-3001', orderId: 'CO-100045' },
    ],
  ])('when %j arrives then it becomes the matching storefront event', (envelope, expected) => {
    const event = eventFromWire.parse(envelope);
    expect(toStorefrontEvent('tenant-a', 'evt_1', event)).toEqual({
      tenantId: 'tenant-a',
      storefront: 'clarity',
      deliveryId: 'evt_1',
      occurredAt: at,
      ...expected,
    });
  });

  it.each([
    ['an order event without orderId', { id: 'evt_1', type: 'order.created', timestamp: at, data: { status: 'pending' } }],
    ['a return without its order', { id: 'evt_1', type: 'return.created', timestamp: at, data: { returnId: 'RMA-1' } }],
    [
      'a timestamp that is not ISO 8601',
      { id: 'evt_1', type: 'order.created', timestamp: 'yesterday', data: { orderId: 'CO-1', status: 'pending' } },
    ],
    ['an unknown type', { id: 'evt_1', type: 'cart.abandoned', timestamp: at, data: {} }],
  ])('when %s arrives then it is refused', (_case, envelope) => {
    expect(eventFromWire.safeParse(envelope).success).toBe(false);
  });
});

describe('clarityScopesFor: the scopes a tenant’s token asks for', () => {
  it('when the tenant’s item sync writes Clarity products, then every scope the sync uses, products:write among them', () => {
    expect(clarityScopesFor({ writesProducts: true })).toEqual(clarityScopes);
    expect(clarityScopes).toContain('products:write');
  });

  it('when it does not, then the same scopes without products:write', () => {
    expect(clarityScopesFor({ writesProducts: false })).toEqual(clarityScopes.filter((scope) => scope !== 'products:write'));
  });
});
