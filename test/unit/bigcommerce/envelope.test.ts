import { describe, expect, it } from 'vitest';
import { bigCommerceEnvelope, readEnvelope } from '../../../api/webhooks/bigcommerce-envelope.js';

const envelope = (scope: string, data: Record<string, unknown>) =>
  bigCommerceEnvelope.parse({
    scope,
    store_id: '1025646',
    data,
    hash: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
    created_at: 1561479335,
    producer: 'stores/abc123',
  });

describe('BigCommerce envelope → storefront event', () => {
  it.each([
    ['store/order/created', { type: 'order', id: 250 }, { entity: 'order', entityId: '250' }],
    ['store/order/updated', { type: 'order', id: 250 }, { entity: 'order', entityId: '250' }],
    ['store/order/archived', { type: 'order', id: 250 }, { entity: 'order', entityId: '250' }],
    [
      'store/order/statusUpdated',
      { type: 'order', id: 250, status: { previous_status_id: 0, new_status_id: 11 } },
      { entity: 'order', entityId: '250' },
    ],
    [
      'store/order/refund/created',
      { type: 'order', id: 250, refund: { refund_id: 3 } },
      { entity: 'refund', entityId: '3', orderId: '250' },
    ],
    [
      'store/order/transaction/created',
      { type: 'transaction', order_id: '250', transaction_id: '176342342' },
      { entity: 'order', entityId: '250' },
    ],
    ['store/shipment/created', { type: 'shipment', id: 12, orderId: 251 }, { entity: 'shipment', entityId: '12', orderId: '251' }],
    ['store/product/updated', { type: 'product', id: 205 }, { entity: 'product', entityId: '205' }],
    ['store/sku/created', { type: 'sku', id: 461, sku: { product_id: 206, variant_id: 509 } }, { entity: 'product', entityId: '461' }],
    [
      'store/product/inventory/updated',
      { type: 'product', id: 167, inventory: { product_id: 167, method: 'absolute', value: 100 } },
      { entity: 'inventory', entityId: '167' },
    ],
    [
      'store/sku/inventory/order/updated',
      { type: 'sku', id: 461, inventory: { product_id: 206, variant_id: 509, method: 'relative', value: -2 } },
      { entity: 'inventory', entityId: '509' },
    ],
    [
      'store/channel/1/inventory/product/stock_changed',
      { variant_id: 127, product_id: 113, location_id: 2 },
      { entity: 'inventory', entityId: '127' },
    ],
    ['store/customer/updated', { type: 'customer', id: 32 }, { entity: 'customer', entityId: '32' }],
    ['store/customer/address/updated', { type: 'customer', id: 60, address: { customer_id: 32 } }, { entity: 'customer', entityId: '32' }],
  ])('when %s arrives then it becomes %o', (scope, data, expected) => {
    const reading = readEnvelope('t1', envelope(scope, data));
    expect(reading.kind).toBe('event');
    if (reading.kind !== 'event') return;
    expect(reading.event).toEqual({
      tenantId: 't1',
      storefront: 'bigcommerce',
      topic: scope,
      ...expected,
      deliveryId: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
      occurredAt: '2019-06-25T16:15:35.000Z',
    });
  });

  it('when an inventory callback arrives then its change is kept for echo detection', () => {
    const reading = readEnvelope(
      't1',
      envelope('store/sku/inventory/updated', {
        type: 'sku',
        id: 461,
        inventory: { product_id: 206, variant_id: 509, method: 'absolute', value: 5 },
      }),
    );
    expect(reading.kind === 'event' && reading.inventory).toEqual({ productId: '206', variantId: '509', method: 'absolute', value: 5 });
  });

  it('when the scope is not one the product syncs then it is ignored, not an error', () => {
    expect(readEnvelope('t1', envelope('store/cart/created', { type: 'cart', id: 'abc' }))).toEqual({
      kind: 'ignored',
      reason: 'scope store/cart/created is not synced',
    });
  });

  it('when a known scope lacks its ids then it is invalid with the field named', () => {
    expect(readEnvelope('t1', envelope('store/order/refund/created', { type: 'order', id: 250 }))).toEqual({
      kind: 'invalid',
      reason: 'data of store/order/refund/created: refund: Invalid input: expected object, received undefined',
    });
  });

  it.each([
    ['scope', { scope: 'order created' }],
    ['store_id', { store_id: 'abc' }],
    ['hash', { hash: '' }],
    ['created_at', { created_at: '2019-06-25' }],
    ['producer', { producer: 'someone' }],
    ['data', { data: 'x' }],
  ])('when %s is malformed then the envelope is refused', (field, override) => {
    const result = bigCommerceEnvelope.safeParse({
      scope: 'store/order/created',
      store_id: 1025646,
      data: { id: 1 },
      hash: 'h',
      created_at: 1,
      producer: 'stores/abc',
      ...override,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
