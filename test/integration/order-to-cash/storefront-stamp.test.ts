import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRef } from '../../../workflows/shared-contract.js';
import { createStorefrontOrderActivities, type StorefrontOrderActivities } from '../../../activities/storefront-orders.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { janeDoeBillingAddress } from '../../support/builders.js';

interface LoggedRequest {
  method: string;
  path: string;
}

/**
 * The storefront stamp's activities against the sandboxes over HTTP: what the write-back
 * remembers after its own write, and whether one look at the order header tells the store's
 * echo of that write from a real change, even one made right after it (for BigCommerce, within
 * the same second of `date_modified`).
 */
describe('storefront order stamp over the sandboxes', () => {
  let fixture: OrderSyncFixture;
  let activities: StorefrontOrderActivities;
  let bigCommerceTenant: string;
  let clarityTenant: string;
  const mock = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    mock.run<A, R, (...args: A) => Promise<R>>(activity, ...args);

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
  const clarityControl = (method: string, path: string, body?: unknown) =>
    call(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, body);
  const bigCommerceRequestsFor = async (orderId: number): Promise<string[]> =>
    ((await call(`${fixture.sandboxes.bigcommerce.url}/_control/requests`, 'GET')).requests as LoggedRequest[])
      .filter((request) => request.path.startsWith(`/stores/demostore/v2/orders/${orderId}`))
      .map((request) => `${request.method} ${request.path.replace('/stores/demostore/v2', '')}`);

  const bigCommerce = (orderId: number): OrderRef => ({ tenantId: bigCommerceTenant, storefront: 'bigcommerce', orderId: String(orderId) });
  const clarity = (orderId: string): OrderRef => ({ tenantId: clarityTenant, storefront: 'clarity', orderId });

  async function newBigCommerceOrder(): Promise<number> {
    const order = await bigCommerceApi('POST', '/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeDoeBillingAddress,
      products: [{ product_id: 112, quantity: 2 }],
      shipping_cost_ex_tax: '8.00',
    });
    return order.id as number;
  }

  async function newClarityOrder(): Promise<string> {
    return (
      (await clarityControl('POST', '/orders', {
        customerId: 'CU-2001',
        lineItems: [{ sku: 'MUG-WHT-11OZ', quantity: 1 }],
        status: 'processing',
      })) as { orderId: string }
    ).orderId;
  }

  /** Fetches the order as the workflow does, then writes the document number back as the workflow does: what the workflow would remember. */
  async function postedAndWrittenBack(ref: OrderRef): Promise<string> {
    const fetched = await run(activities.fetchStorefrontOrder, ref);
    expect(fetched.storefrontStamp).toEqual(expect.any(String));
    const written = await run(activities.writeBackToStorefront, {
      ...ref,
      state: 'synced',
      salesDocumentId: 'Sales Order-SO-0042',
      storefrontStamp: fetched.storefrontStamp!,
    });
    expect(written?.storefrontStamp).toEqual(expect.any(String));
    return written!.storefrontStamp!;
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

  describe('BigCommerce', () => {
    it('when nothing changed since the write-back, then one GET of the order says so, and the ledger holds the stamp the write answered with', async () => {
      const orderId = await newBigCommerceOrder();
      const remembered = await postedAndWrittenBack(bigCommerce(orderId));
      expect(remembered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(status 11, shipped 0 of 2, /);
      expect(
        await findLedgerEntry(fixture.database.db, { tenantId: bigCommerceTenant, entity: 'order', externalId: String(orderId) }),
      ).toMatchObject({ storefrontModifiedAt: remembered });

      const before = (await bigCommerceRequestsFor(orderId)).length;
      expect(await run(activities.detectStorefrontOrderChange, { ...bigCommerce(orderId), lastSeenStamp: remembered })).toEqual({
        changed: false,
        storefrontStamp: remembered,
      });
      expect((await bigCommerceRequestsFor(orderId)).slice(before)).toEqual([`GET /orders/${orderId}`]);
    });

    it.each([
      ['cancels it', { status_id: 5 }],
      ['moves it to another status', { status_id: 9 }],
    ])('when the merchant %s in the same second as the write-back, then the look still sees a change', async (_change, update) => {
      // The store's clock decides the second; a pair that straddles two seconds is tried again with a new order.
      for (let attempt = 1; ; attempt++) {
        const orderId = await newBigCommerceOrder();
        const remembered = await postedAndWrittenBack(bigCommerce(orderId));
        const changed = await bigCommerceApi('PUT', `/orders/${orderId}`, update);
        const look = await run(activities.detectStorefrontOrderChange, { ...bigCommerce(orderId), lastSeenStamp: remembered });
        expect(look.changed).toBe(true);
        expect(look.storefrontStamp).toContain(`status ${update.status_id},`);
        if (new Date(changed.date_modified as string).toISOString().replace('.000Z', 'Z') === remembered.split(' ')[0]) break;
        if (attempt === 5) throw new Error('the write-back and the change never landed in the same second of the store clock');
      }
    });

    it('when the store ships the order right after the write-back, then the look sees a change', async () => {
      const orderId = await newBigCommerceOrder();
      const remembered = await postedAndWrittenBack(bigCommerce(orderId));
      const [address] = (await bigCommerceApi('GET', `/orders/${orderId}/shipping_addresses`)) as Array<{ id: number }>;
      const [line] = (await bigCommerceApi('GET', `/orders/${orderId}/products`)) as Array<{ id: number }>;
      await bigCommerceApi('POST', `/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: [{ order_product_id: line!.id, quantity: 1 }],
        tracking_number: '1ZSTAMP0000000001',
      });
      expect(await run(activities.detectStorefrontOrderChange, { ...bigCommerce(orderId), lastSeenStamp: remembered })).toMatchObject({
        changed: true,
        storefrontStamp: expect.stringContaining('shipped 1 of 2'),
      });
    });

    it('when the order changed between the fetch and the write-back, then the write-back remembers nothing, so the next signal fetches the order', async () => {
      const orderId = await newBigCommerceOrder();
      const fetched = await run(activities.fetchStorefrontOrder, bigCommerce(orderId));
      await bigCommerceApi('PUT', `/orders/${orderId}`, { status_id: 5 });
      expect(
        await run(activities.writeBackToStorefront, {
          ...bigCommerce(orderId),
          state: 'synced',
          salesDocumentId: 'Sales Order-SO-0042',
          storefrontStamp: fetched.storefrontStamp!,
        }),
      ).toEqual({});
      expect((await bigCommerceApi('GET', `/orders/${orderId}`)).staff_notes).toContain('[Intacct] Sales Order-SO-0042 · synced');
    });
    it('when nothing was signalled since the fetch, then the write-back writes without reading the order again', async () => {
      const orderId = await newBigCommerceOrder();
      const fetched = await run(activities.fetchStorefrontOrder, bigCommerce(orderId));
      const before = (await bigCommerceRequestsFor(orderId)).length;
      await run(activities.writeBackToStorefront, {
        ...bigCommerce(orderId),
        state: 'synced',
        salesDocumentId: 'Sales Order-SO-0042',
        storefrontStamp: fetched.storefrontStamp!,
      });
      expect((await bigCommerceRequestsFor(orderId)).slice(before)).toEqual([`PUT /orders/${orderId}`]);
    });

    it("when the merchant edits the staff notes after the fetch and its webhook reached the workflow, then the write-back reads the order again and keeps the merchant's note", async () => {
      const orderId = await newBigCommerceOrder();
      const fetched = await run(activities.fetchStorefrontOrder, bigCommerce(orderId));
      await bigCommerceApi('PUT', `/orders/${orderId}`, { staff_notes: 'Call the customer before shipping' });
      const before = (await bigCommerceRequestsFor(orderId)).length;
      await run(activities.writeBackToStorefront, {
        ...bigCommerce(orderId),
        state: 'synced',
        salesDocumentId: 'Sales Order-SO-0042',
        storefrontStamp: fetched.storefrontStamp!,
        changeSignalledSinceFetch: true,
      });
      expect((await bigCommerceRequestsFor(orderId)).slice(before)).toEqual([`GET /orders/${orderId}`, `PUT /orders/${orderId}`]);
      const notes = (await bigCommerceApi('GET', `/orders/${orderId}`)).staff_notes as string;
      expect(notes).toContain('Call the customer before shipping');
      expect(notes).toContain('[Intacct] Sales Order-SO-0042 · synced');
    });
  });

  describe('Clarity', () => {
    it('when nothing changed since the write-back, then the look says so; when the merchant cancels right after, then it sees a change', async () => {
      const orderId = await newClarityOrder();
      const remembered = await postedAndWrittenBack(clarity(orderId));
      expect(remembered).toMatch(/ \(status processing, total /);
      expect(await run(activities.detectStorefrontOrderChange, { ...clarity(orderId), lastSeenStamp: remembered })).toEqual({
        changed: false,
        storefrontStamp: remembered,
      });

      await clarityControl('POST', `/orders/${orderId}/status`, { status: 'cancelled' });
      expect(await run(activities.detectStorefrontOrderChange, { ...clarity(orderId), lastSeenStamp: remembered })).toMatchObject({
        changed: true,
        storefrontStamp: expect.stringContaining('status cancelled'),
      });
    });

    it('when a state is written back that Clarity has no field for, then nothing is written and the stamp the workflow acted on stays', async () => {
      const orderId = await newClarityOrder();
      const fetched = await run(activities.fetchStorefrontOrder, clarity(orderId));
      expect(
        await run(activities.writeBackToStorefront, {
          ...clarity(orderId),
          state: 'needs_attention',
          attentionCode: 'unknown_sku',
          storefrontStamp: fetched.storefrontStamp!,
        }),
      ).toEqual({ storefrontStamp: fetched.storefrontStamp });
    });
  });
});
