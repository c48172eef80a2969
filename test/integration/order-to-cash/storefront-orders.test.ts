import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontOrderActivities, type StorefrontOrderActivities } from '../../../activities/storefront-orders.js';
import type { OrderRef } from '../../../workflows/shared-contract.js';
import { createSalesDocument, readConvertibleLines, type IntacctClient } from '../../../connectors/intacct/index.js';
import { canonicalOrderAmounts } from '../../../mappers/canonical-order.js';
import { checkOrderBalance } from '../../../mappers/money.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { uniqueId } from '../../support/harness.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { rulesSchema } from '../../../store/schemas/settings-rules.js';
import { janeDoeBillingAddress } from '../../support/builders.js';

interface LoggedRequest {
  method: string;
  path: string;
  status?: number;
  idempotencyKey?: string;
}

describe('storefront order activities over the sandboxes', () => {
  let fixture: OrderSyncFixture;
  let activities: StorefrontOrderActivities;
  let bigCommerceTenant: string;
  let clarityTenant: string;
  // Expected failures are asserted on; the worker's WARN line for each is noise here.
  const mock = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  /** Runs an activity in a mock activity context, keeping its result type. */
  const env = {
    run: <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
      mock.run<A, R, (...args: A) => Promise<R>>(activity, ...args),
  };

  const bigCommerce = (orderId: string | number): OrderRef => ({
    tenantId: bigCommerceTenant,
    storefront: 'bigcommerce',
    orderId: String(orderId),
  });
  const clarity = (orderId: string): OrderRef => ({ tenantId: clarityTenant, storefront: 'clarity', orderId });

  async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }
  const bigCommerceApi = (method: string, path: string, body?: unknown) =>
    call(`${fixture.sandboxes.bigcommerce.url}/stores/demostore/v2${path}`, method, body, { 'x-auth-token': 'demo-bc-token' });
  const bigCommerceControl = (method: string, path: string, body?: unknown) =>
    call(`${fixture.sandboxes.bigcommerce.url}/_control${path}`, method, body);
  const clarityControl = (method: string, path: string, body?: unknown) =>
    call(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, body);
  const bigCommerceRequests = async (method: string, path: string): Promise<LoggedRequest[]> =>
    ((await bigCommerceControl('GET', '/requests')).requests as LoggedRequest[]).filter(
      (request) => request.method === method && request.path === `/stores/demostore/v2${path}`,
    );
  const clarityRequests = async (method: string, path: string): Promise<LoggedRequest[]> =>
    ((await clarityControl('GET', '/requests')).data as LoggedRequest[]).filter(
      (request) => request.method === method && request.path === `/api/v1${path}`,
    );

  /** A new paid BigCommerce order (Awaiting Fulfillment) of its own, so tests never share one. */
  async function newBigCommerceOrder(overrides: Record<string, unknown> = {}): Promise<number> {
    const order = await bigCommerceApi('POST', '/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeDoeBillingAddress,
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
      ...overrides,
    });
    return order.id as number;
  }

  async function newClarityOrder(): Promise<string> {
    const order = await clarityControl('POST', '/orders', {
      customerId: 'CU-2001',
      lineItems: [
        { sku: 'MUG-WHT-11OZ', quantity: 2 },
        { sku: 'CAP-NVY-OS', quantity: 1 },
      ],
    });
    return order.orderId as string;
  }

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    activities = createStorefrontOrderActivities({ db: fixture.database.db, connections: fixture.connections });
    bigCommerceTenant = await fixture.createTenant('bigcommerce');
    clarityTenant = await fixture.createTenant('clarity');
  });
  afterAll(async () => {
    await fixture.close();
  });

  describe('fetchStorefrontOrder', () => {
    it.each([100, 101, 102, 103])(
      'when BigCommerce seed order %i is fetched, then it is a canonical order whose amounts balance',
      async (orderId) => {
        const order = await env.run(activities.fetchStorefrontOrder, bigCommerce(orderId));
        expect(order).toMatchObject({ storefront: 'bigcommerce', orderId: String(orderId), currency: 'USD' });
        expect(order.lines.length).toBeGreaterThan(0);
        expect(order.total).toBeGreaterThan(0);
        expect(checkOrderBalance(canonicalOrderAmounts(order))).toMatchObject({ balanced: true, difference: 0 });
      },
    );

    it('when BigCommerce seed orders are fetched, then payment, guest and coupon come from the order, its transactions and its coupons', async () => {
      const [paid, unpaid, guestWithCoupon] = await Promise.all(
        [100, 101, 102].map((orderId) => env.run(activities.fetchStorefrontOrder, bigCommerce(orderId))),
      );
      expect(paid!.amountPaid).toBe(paid!.total);
      expect(paid!.customer).toMatchObject({ kind: 'registered', customerId: '1' });
      expect(unpaid!.amountPaid).toBe(0);
      expect(guestWithCoupon!.customer.kind).toBe('guest');
      expect(guestWithCoupon!.couponCodes).toEqual(['WELCOME5']);
      expect(guestWithCoupon!.discount).toBeGreaterThan(0);
    });

    it('when no setting names a metafield or product custom field, then a read asks for neither; once settings name them, one read asks each once', async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const orderId = await newBigCommerceOrder();
      const v3 = async (path: string) =>
        ((await bigCommerceControl('GET', '/requests')).requests as LoggedRequest[]).filter(
          (request) => request.method === 'GET' && request.path === `/stores/demostore/v3${path}`,
        ).length;
      const reads = async () => ({ metafields: await v3(`/orders/${orderId}/metafields`), products: await v3('/catalog/products') });
      const ref: OrderRef = { tenantId, storefront: 'bigcommerce', orderId: String(orderId) };

      const before = await reads();
      const plain = await env.run(activities.fetchStorefrontOrder, ref);
      expect(await reads()).toEqual(before);
      expect(plain).not.toHaveProperty('metafields');

      await fixture.updateOrderSync(tenantId, { dimensionRules: [{ dimension: 'class', from: 'orderMetafield', value: 'erp.segment' }] });
      const current = (await readSettings(fixture.database.db, tenantId))!;
      await writeSettings(
        fixture.database.db,
        tenantId,
        {
          ...current.settings,
          rules: rulesSchema.parse([
            {
              id: 'line',
              scope: 'line',
              cases: [{ when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'x' }], set: { class: 'RETAIL' } }],
            },
          ]),
        },
        { expectedVersion: current.version, changedBy: 'test' },
      );
      await env.run(activities.fetchStorefrontOrder, ref);
      expect(await reads()).toEqual({ metafields: before.metafields + 1, products: before.products + 1 });
    });

    it('when a Clarity seed order is fetched, then it is a canonical order whose amounts balance', async () => {
      for (const orderId of ['CO-100001', 'CO-100003']) {
        const order = await env.run(activities.fetchStorefrontOrder, clarity(orderId));
        expect(order).toMatchObject({ storefront: 'clarity', orderId, currency: 'USD', customer: { kind: 'registered' } });
        expect(checkOrderBalance(canonicalOrderAmounts(order))).toMatchObject({ balanced: true, difference: 0 });
      }
      expect((await env.run(activities.fetchStorefrontOrder, clarity('CO-100001'))).couponCodes).toEqual(['SPRING10']);
    });

    it('when the order does not exist, then the failure is OrderNotFound and not retried', async () => {
      await expect(env.run(activities.fetchStorefrontOrder, bigCommerce(999_999))).rejects.toMatchObject({
        type: 'OrderNotFound',
        nonRetryable: true,
      });
      await expect(env.run(activities.fetchStorefrontOrder, clarity('CO-999999'))).rejects.toMatchObject({
        type: 'OrderNotFound',
        nonRetryable: true,
      });
    });

    it('when a BigCommerce order id is not a number, then the failure is OrderNotFound and the store is not asked', async () => {
      await expect(env.run(activities.fetchStorefrontOrder, bigCommerce('CO-100001'))).rejects.toMatchObject({
        type: 'OrderNotFound',
        nonRetryable: true,
        message: expect.stringContaining('not a BigCommerce order id'),
      });
      expect(await bigCommerceRequests('GET', '/orders/CO-100001')).toEqual([]);
    });

    it('when the storefront answers 5xx, then the failure is retryable and the next attempt reads the order', async () => {
      await bigCommerceControl('PUT', '/faults', { failNext: { count: 1, status: 503 } });
      await expect(env.run(activities.fetchStorefrontOrder, bigCommerce(100))).rejects.toMatchObject({
        type: 'BigCommerceRetryableError',
        nonRetryable: false,
      });
      expect((await env.run(activities.fetchStorefrontOrder, bigCommerce(100))).orderId).toBe('100');

      await clarityControl('POST', '/faults', { kind: 'server_error', status: 500, pathPrefix: '/api/v1/orders', times: 1 });
      await expect(env.run(activities.fetchStorefrontOrder, clarity('CO-100005'))).rejects.toMatchObject({
        type: 'ClarityRetryableError',
        nonRetryable: false,
      });
      expect((await env.run(activities.fetchStorefrontOrder, clarity('CO-100005'))).orderId).toBe('CO-100005');
    });

    it('when the order cannot be mapped, then the failure is OrderMappingError, not retried, with the mapper problems in its details', async () => {
      const orderId = await newBigCommerceOrder({
        billing_address: {
          first_name: 'Ann',
          last_name: 'Atlantis',
          street_1: '1 Sunken Way',
          city: 'Poseidonia',
          state: '',
          zip: '00000',
          country: 'Atlantis',
          country_iso2: '',
          email: 'ann@example.com',
        },
      });
      const failure = await env.run(activities.fetchStorefrontOrder, bigCommerce(orderId)).then(
        () => expect.fail('the order should not map'),
        (error: unknown) => error as { type: string; nonRetryable: boolean; message: string; details: unknown[] },
      );
      expect(failure).toMatchObject({
        type: 'OrderMappingError',
        nonRetryable: true,
        message: expect.stringContaining(`bigcommerce order ${orderId} cannot be mapped`),
      });
      expect(failure.details).toEqual([
        {
          storefront: 'bigcommerce',
          orderId: String(orderId),
          problems: expect.arrayContaining([expect.objectContaining({ code: 'unrecognised_country', field: 'billing address' })]),
        },
      ]);
    });
  });

  describe('writeBackToStorefront', () => {
    it('when BigCommerce write-back runs twice, then the staff notes are written once, the merchant notes stay, and state changes replace our line', async () => {
      const orderId = await newBigCommerceOrder({ staff_notes: 'Leave at the back door' });
      const ref = bigCommerce(orderId);
      const notes = async () => (await bigCommerceApi('GET', `/orders/${orderId}`)).staff_notes as string;

      await env.run(activities.writeBackToStorefront, { ...ref, state: 'synced', salesDocumentId: 'Sales Order-SO-0042' });
      await env.run(activities.writeBackToStorefront, { ...ref, state: 'synced', salesDocumentId: 'Sales Order-SO-0042' });
      expect(await notes()).toBe('Leave at the back door\n[Intacct] Sales Order-SO-0042 · synced');
      expect(await bigCommerceRequests('PUT', `/orders/${orderId}`)).toHaveLength(1);
      expect(await bigCommerceRequests('GET', `/orders/${orderId}`)).toHaveLength(3);

      await env.run(activities.writeBackToStorefront, {
        ...ref,
        state: 'needs_attention',
        salesDocumentId: 'Sales Order-SO-0042',
        attentionCode: 'payment_failed',
      });
      expect(await notes()).toBe('Leave at the back door\n[Intacct] Sales Order-SO-0042 · needs attention: payment_failed');

      await bigCommerceApi('PUT', `/orders/${orderId}`, { staff_notes: `${await notes()}\nCustomer called: ship Friday` });
      await env.run(activities.writeBackToStorefront, { ...ref, state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' });
      expect(await notes()).toBe('Leave at the back door\nCustomer called: ship Friday\n[Intacct] Sales Order-SO-0042 · cancelled');
      expect(await bigCommerceRequests('PUT', `/orders/${orderId}`)).toHaveLength(4);
    });

    it('when the BigCommerce order does not exist, then write-back fails with OrderNotFound, not retried', async () => {
      await expect(
        env.run(activities.writeBackToStorefront, { ...bigCommerce(999_998), state: 'synced', salesDocumentId: 'Sales Order-SO-0001' }),
      ).rejects.toMatchObject({ type: 'OrderNotFound', nonRetryable: true });
    });

    it('when Clarity write-back runs twice, then erpReference is written once under an idempotency key; needs attention leaves it; cancellation clears it', async () => {
      const orderId = await newClarityOrder();
      const ref = clarity(orderId);
      const erpReference = async () => (await readClarityOrder(orderId)).erpReference;

      await env.run(activities.writeBackToStorefront, { ...ref, state: 'synced', salesDocumentId: 'Sales Order-SO-0042' });
      await env.run(activities.writeBackToStorefront, { ...ref, state: 'synced', salesDocumentId: 'Sales Order-SO-0042' });
      const patches = await clarityRequests('PATCH', `/orders/${orderId}`);
      expect(patches).toHaveLength(1);
      expect(patches[0]!.idempotencyKey).toMatch(/^erp-reference-[0-9a-f]{40}$/);
      expect(await erpReference()).toBe('Sales Order-SO-0042');

      await env.run(activities.writeBackToStorefront, {
        ...ref,
        state: 'needs_attention',
        salesDocumentId: 'Sales Order-SO-0042',
        attentionCode: 'payment_failed',
      });
      expect(await clarityRequests('PATCH', `/orders/${orderId}`)).toHaveLength(1);
      expect(await erpReference()).toBe('Sales Order-SO-0042');

      await env.run(activities.writeBackToStorefront, { ...ref, state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' });
      await env.run(activities.writeBackToStorefront, { ...ref, state: 'cancelled', salesDocumentId: 'Sales Order-SO-0042' });
      const after = await clarityRequests('PATCH', `/orders/${orderId}`);
      expect(after).toHaveLength(2);
      expect(after[1]!.idempotencyKey).not.toBe(patches[0]!.idempotencyKey);
      expect(await erpReference()).toBeNull();
    });

    async function readClarityOrder(orderId: string): Promise<{ erpReference: string | null }> {
      const connection = await fixture.connections.forTenant(clarityTenant);
      const storefront = await connection.storefront();
      if (storefront.kind !== 'clarity') throw new Error('expected a Clarity tenant');
      return storefront.client.getOrder(orderId);
    }
  });

  describe('shipments', () => {
    it('when the same tracking number is added twice to a BigCommerce order, then the store has one shipment carrying every open item', async () => {
      const orderId = await newBigCommerceOrder();
      const shipment = { trackingNumber: '1ZTEST0000000001', carrier: 'UPS Ground', shippedAt: '2026-03-16T00:00:00Z' };

      expect(await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment })).toEqual({ added: true });
      expect(
        await env.run(activities.syncShipmentToStorefront, {
          ...bigCommerce(orderId),
          shipment: { ...shipment, trackingNumber: '1ztest 0000000001' },
        }),
      ).toEqual({ added: false });

      const shipments = await bigCommerceApi('GET', `/orders/${orderId}/shipments`);
      expect(shipments).toHaveLength(1);
      expect(shipments[0]).toMatchObject({ tracking_number: '1ZTEST0000000001', shipping_provider: 'ups', shipping_method: 'UPS Ground' });
      const products = await bigCommerceApi('GET', `/orders/${orderId}/products`);
      expect(
        shipments[0].items.map((item: { order_product_id: number; quantity: number }) => [item.order_product_id, item.quantity]),
      ).toEqual(products.map((line: { id: number; quantity: number }) => [line.id, line.quantity]));
      expect(await bigCommerceRequests('POST', `/orders/${orderId}/shipments`)).toHaveLength(1);
      expect((await bigCommerceApi('GET', `/orders/${orderId}`)).status_id).toBe(2);

      await expect(
        env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment: { trackingNumber: '1ZTEST0000000002' } }),
      ).rejects.toMatchObject({ type: 'ShipmentNotAddable', nonRetryable: true });
      expect(await bigCommerceRequests('POST', `/orders/${orderId}/shipments`)).toHaveLength(1);
    });

    it('when an Intacct shipment carries lines going to two addresses, then the store gets a shipment per address under its tracking number, once each', async () => {
      const orderId = await newBigCommerceOrder({
        shipping_addresses: [
          { ...janeDoeBillingAddress, street_1: '12 Market St', city: 'Austin', zip: '78701' },
          { ...janeDoeBillingAddress, first_name: 'Grace', last_name: 'Hopper', street_1: '9 Harbor Rd', city: 'Portland', zip: '97205' },
        ],
        products: [
          { product_id: 112, quantity: 2, shipping_address_index: 0 },
          { product_id: 114, quantity: 1, shipping_address_index: 1 },
        ],
      });
      const [mugs, cap] = (await bigCommerceApi('GET', `/orders/${orderId}/products`)) as Array<{ id: number; order_address_id: number }>;
      expect(mugs!.order_address_id).not.toBe(cap!.order_address_id);
      // One mug from the first address and the cap from the second: one Intacct shipment, two parcels in the store.
      const shipment = {
        trackingNumber: '1ZTWOADDR0000001',
        carrier: 'UPS Ground',
        lines: [
          { lineId: String(mugs!.id), quantity: 1 },
          { lineId: String(cap!.id), quantity: 1 },
        ],
      };

      expect(await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment })).toEqual({ added: true });
      expect(await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment })).toEqual({ added: false });

      const shipments = (await bigCommerceApi('GET', `/orders/${orderId}/shipments`)) as Array<{
        order_address_id: number;
        tracking_number: string;
        items: Array<{ order_product_id: number; quantity: number }>;
      }>;
      expect(
        shipments.map((sent) => [
          sent.order_address_id,
          sent.tracking_number,
          sent.items.map((item) => [item.order_product_id, item.quantity]),
        ]),
      ).toEqual([
        [mugs!.order_address_id, '1ZTWOADDR0000001', [[mugs!.id, 1]]],
        [cap!.order_address_id, '1ZTWOADDR0000001', [[cap!.id, 1]]],
      ]);
      expect(await bigCommerceRequests('POST', `/orders/${orderId}/shipments`)).toHaveLength(2);
    });

    it('when a shipment to two addresses was written for the first address only (a retry after a failure), then the retry writes the second alone', async () => {
      const orderId = await newBigCommerceOrder({
        shipping_addresses: [
          { ...janeDoeBillingAddress, street_1: '12 Market St', city: 'Austin', zip: '78701' },
          { ...janeDoeBillingAddress, first_name: 'Grace', last_name: 'Hopper', street_1: '9 Harbor Rd', city: 'Portland', zip: '97205' },
        ],
        products: [
          { product_id: 112, quantity: 3, shipping_address_index: 0 },
          { product_id: 114, quantity: 1, shipping_address_index: 1 },
        ],
      });
      const [mugs, cap] = (await bigCommerceApi('GET', `/orders/${orderId}/products`)) as Array<{ id: number; order_address_id: number }>;
      // The first attempt wrote one of three mugs to the first address, then failed before the cap's.
      await bigCommerceApi('POST', `/orders/${orderId}/shipments`, {
        order_address_id: mugs!.order_address_id,
        items: [{ order_product_id: mugs!.id, quantity: 1 }],
        tracking_number: '1ZTWOADDR0000002',
        shipping_provider: 'ups',
      });
      const shipment = {
        trackingNumber: '1ZTWOADDR0000002',
        lines: [
          { lineId: String(mugs!.id), quantity: 1 },
          { lineId: String(cap!.id), quantity: 1 },
        ],
      };

      expect(await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment })).toEqual({ added: true });

      const shipments = (await bigCommerceApi('GET', `/orders/${orderId}/shipments`)) as Array<{
        order_address_id: number;
        items: Array<{ order_product_id: number; quantity: number }>;
      }>;
      // Two mugs are still open at the first address: the retry must not ship another one under the same number.
      expect(shipments.map((sent) => [sent.order_address_id, sent.items.map((item) => [item.order_product_id, item.quantity])])).toEqual([
        [mugs!.order_address_id, [[mugs!.id, 1]]],
        [cap!.order_address_id, [[cap!.id, 1]]],
      ]);
    });

    it('when the same tracking number is added twice to a Clarity order, then the site has one shipment, posted once under an idempotency key', async () => {
      const orderId = await newClarityOrder();
      const shipment = { trackingNumber: '9400100000000000000001', carrier: 'USPS', shippedAt: '2026-03-16T00:00:00Z' };

      expect(await env.run(activities.syncShipmentToStorefront, { ...clarity(orderId), shipment })).toEqual({ added: true });
      expect(await env.run(activities.syncShipmentToStorefront, { ...clarity(orderId), shipment })).toEqual({ added: false });

      const status = await env.run(activities.readShipmentStatus, { ...clarity(orderId), salesDocumentId: 'Sales Order-SO-NONE' });
      expect(status.storefrontShipments).toEqual([
        {
          trackingNumber: '9400100000000000000001',
          carrier: 'USPS',
          shippedAt: '2026-03-16T00:00:00Z',
          shipmentId: expect.stringMatching(/^intacct-[0-9a-f]+$/),
          lines: status.orderLines,
        },
      ]);
      expect(status.fulfilled).toBe(true);
      const posts = await clarityRequests('POST', `/orders/${orderId}/shipments`);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.idempotencyKey).toMatch(/^shipment-[0-9a-f]{40}$/);
      expect((await env.run(activities.fetchStorefrontOrder, clarity(orderId))).status).toBe('fulfilled');
    });

    it('when a shipment has no tracking number, then it is refused without asking the store', async () => {
      await expect(
        env.run(activities.syncShipmentToStorefront, { ...bigCommerce(100), shipment: { carrier: 'UPS' } }),
      ).rejects.toMatchObject({ type: 'ShipmentNotAddable', nonRetryable: true });
    });

    it('when the storefront already has shipments, then readShipmentStatus lists them and Intacct has nothing to add', async () => {
      const bigCommerceStatus = await env.run(activities.readShipmentStatus, {
        ...bigCommerce(102),
        salesDocumentId: 'Sales Order-SO-NONE',
      });
      expect(bigCommerceStatus).toEqual({
        storefrontShipments: [
          {
            trackingNumber: '1Z999AA10123456784',
            carrier: 'ups',
            shippedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
            shipmentId: '1',
            lines: [{ lineId: '4', quantity: 1 }],
          },
        ],
        intacctShipmentsToSync: [],
        orderLines: [{ lineId: '4', quantity: 1 }],
        fulfilled: true,
      });
      const clarityStatus = await env.run(activities.readShipmentStatus, {
        ...clarity('CO-100003'),
        salesDocumentId: 'Sales Order-SO-NONE',
      });
      expect(clarityStatus).toEqual({
        storefrontShipments: [
          {
            trackingNumber: '1Z999AA10123456784',
            carrier: 'UPS',
            shippedAt: '2026-11-05T16:00:00Z',
            shipmentId: expect.any(String),
            lines: clarityStatus.orderLines,
          },
        ],
        intacctShipmentsToSync: [],
        orderLines: expect.arrayContaining([{ lineId: expect.any(String), quantity: expect.any(Number) }]),
        fulfilled: true,
      });
    });

    it('when Intacct converted the sales order to an invoice with tracking, then the shipment is offered once, synced, and no longer offered; one Intacct transaction per read', async () => {
      const orderId = await newBigCommerceOrder();
      const intacct = await (await fixture.connections.forTenant(bigCommerceTenant)).intacct();
      const { salesOrderId, invoiceId } = await convertedOrder(intacct, String(orderId), {
        trackingNumber: '1ZINTACCT00000001',
        shippedDate: '03/16/2026',
      });

      const before = fixture.intacctTransactions.byFunction(bigCommerceTenant).query ?? 0;
      const status = await env.run(activities.readShipmentStatus, { ...bigCommerce(orderId), salesDocumentId: salesOrderId });
      expect(fixture.intacctTransactions.byFunction(bigCommerceTenant).query).toBe(before + 1);
      expect(status).toEqual({
        storefrontShipments: [],
        intacctShipmentsToSync: [{ trackingNumber: '1ZINTACCT00000001', carrier: 'UPS Ground', shippedAt: '2026-03-16T00:00:00Z' }],
        existingInvoiceDocumentId: invoiceId,
        orderLines: [expect.objectContaining({ quantity: 2 }), expect.objectContaining({ quantity: 1 })],
        fulfilled: false,
      });

      expect(
        await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment: status.intacctShipmentsToSync[0]! }),
      ).toEqual({ added: true });
      const after = await env.run(activities.readShipmentStatus, { ...bigCommerce(orderId), salesDocumentId: salesOrderId });
      expect(after.intacctShipmentsToSync).toEqual([]);
      expect(after.storefrontShipments.map((shipment) => shipment.trackingNumber)).toEqual(['1ZINTACCT00000001']);
      expect(after.existingInvoiceDocumentId).toBe(invoiceId);
    });

    it('when the sales order has not been converted, then nothing is offered and there is no invoice', async () => {
      const orderId = await newBigCommerceOrder();
      const intacct = await (await fixture.connections.forTenant(bigCommerceTenant)).intacct();
      const salesOrder = await createSalesDocument(intacct, salesOrderInput(String(orderId)), uniqueId('so'));
      expect(await env.run(activities.readShipmentStatus, { ...bigCommerce(orderId), salesDocumentId: salesOrder.documentId })).toEqual({
        storefrontShipments: [],
        intacctShipmentsToSync: [],
        orderLines: [expect.objectContaining({ quantity: 2 }), expect.objectContaining({ quantity: 1 })],
        fulfilled: false,
      });
    });
  });

  describe('Intacct fulfilments in parts', () => {
    it('when Intacct records two partial fulfilments with their own tracking, then each reaches the store once with its own units, and the order ends fully shipped', async () => {
      const orderId = await newBigCommerceOrder();
      const intacct = await (await fixture.connections.forTenant(bigCommerceTenant)).intacct();
      const salesOrder = await createSalesDocument(
        intacct,
        {
          ...salesOrderInput(String(orderId)),
          lines: [
            { itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '2', price: '19.99' },
            { itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price: '5.00' },
          ],
        },
        uniqueId('so'),
      );
      const [first, second] = await readConvertibleLines(intacct, salesOrder.documentId);
      const fulfil = (trackingNumber: string, lines: Array<{ sourceLineKey: string; quantity: string; price: string }>) =>
        createSalesDocument(
          intacct,
          {
            ...salesOrderInput(String(orderId)),
            transactionDefinition: 'Sales Invoice',
            date: '2026-03-16',
            createdFrom: salesOrder.documentId,
            shippingMethod: 'UPS Ground',
            customFields: [{ name: 'TRACKINGNUMBER', value: trackingNumber }],
            lines: lines.map((line) => ({ itemId: 'WIDGET-1', warehouseId: 'WH01', ...line })),
          },
          uniqueId('inv'),
        );
      await fulfil('1ZPART00000000001', [{ sourceLineKey: first!.sourceLineKey!, quantity: '1', price: '19.99' }]);
      await fulfil('1ZPART00000000002', [
        { sourceLineKey: first!.sourceLineKey!, quantity: '1', price: '19.99' },
        { sourceLineKey: second!.sourceLineKey!, quantity: '1', price: '5.00' },
      ]);

      const status = await env.run(activities.readShipmentStatus, { ...bigCommerce(orderId), salesDocumentId: salesOrder.documentId });
      const [tees, mug] = status.orderLines!;
      expect(status.intacctShipmentsToSync.map((shipment) => [shipment.trackingNumber, shipment.lines])).toEqual([
        ['1ZPART00000000001', [{ lineId: tees!.lineId, quantity: 1 }]],
        [
          '1ZPART00000000002',
          [
            { lineId: tees!.lineId, quantity: 1 },
            { lineId: mug!.lineId, quantity: 1 },
          ],
        ],
      ]);
      for (const shipment of status.intacctShipmentsToSync)
        expect(await env.run(activities.syncShipmentToStorefront, { ...bigCommerce(orderId), shipment })).toEqual({ added: true });

      const after = await env.run(activities.readShipmentStatus, { ...bigCommerce(orderId), salesDocumentId: salesOrder.documentId });
      expect(after.intacctShipmentsToSync).toEqual([]);
      expect(after.storefrontShipments.map((shipment) => [shipment.trackingNumber, shipment.lines])).toEqual(
        status.intacctShipmentsToSync.map((shipment) => [shipment.trackingNumber, shipment.lines]),
      );
      expect(after.fulfilled).toBe(true);
    });
  });

  function salesOrderInput(referenceNumber: string) {
    return {
      transactionDefinition: 'Sales Order',
      date: '2026-03-10',
      customerId: 'C-1001',
      referenceNumber,
      paymentTerm: 'Net 30',
      lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price: '19.99' }],
    };
  }

  /**
   * A sales order and the invoice a person converted it to in Intacct, tracking entered there.
   * The sandbox's 2019 schema predates `<trackingnumber>`/`<shippeddate>` on
   * create_sotransaction, so the test records them as custom fields of those names, which the
   * sandbox keeps as the document's fields, as the live object shows them.
   */
  async function convertedOrder(
    intacct: IntacctClient,
    referenceNumber: string,
    tracking: { trackingNumber: string; shippedDate: string },
  ): Promise<{ salesOrderId: string; invoiceId: string }> {
    const salesOrder = await createSalesDocument(intacct, salesOrderInput(referenceNumber), uniqueId('so'));
    const invoice = await createSalesDocument(
      intacct,
      {
        ...salesOrderInput(referenceNumber),
        transactionDefinition: 'Sales Invoice',
        date: '2026-03-16',
        createdFrom: salesOrder.documentId,
        shippingMethod: 'UPS Ground',
        customFields: [
          { name: 'TRACKINGNUMBER', value: tracking.trackingNumber },
          { name: 'SHIPPEDDATE', value: tracking.shippedDate },
        ],
      },
      uniqueId('inv'),
    );
    return { salesOrderId: salesOrder.documentId, invoiceId: invoice.documentId };
  }
});
