import { describe, expect, it } from 'vitest';
import {
  BigCommerceAuthError,
  BigCommerceInputError,
  decimalToMinorUnits,
  parseRfc2822Date,
} from '../../../connectors/bigcommerce/index.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

const bc = useBigCommerceSandbox();

const billing = {
  first_name: 'Ada',
  last_name: 'Byron',
  street_1: '1 Analytical Way',
  city: 'Austin',
  state: 'Texas',
  zip: '78701',
  country: 'United States',
  country_iso2: 'US',
  email: 'ada@example.com',
};

async function createOrder(body: Record<string, unknown>) {
  const response = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders`, {
    method: 'POST',
    headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A guest's Awaiting Fulfillment order of `quantity` mugs (product 112) with 5.00 shipping. */
function createGuestMugOrder(quantity: number, extra: Record<string, unknown> = {}) {
  return createOrder({
    customer_id: 0,
    status_id: 11,
    billing_address: billing,
    products: [{ product_id: 112, quantity }],
    shipping_cost_ex_tax: '5.00',
    ...extra,
  });
}

describe('BigCommerce client: V2 orders against the sandbox', () => {
  it('when an order is read then money is 4-decimal strings that balance and dates are RFC 2822', async () => {
    const order = await bc.client().orders.getOrder(100);
    expect(order).toMatchObject({
      id: 100,
      customer_id: 1,
      status_id: 11,
      status: 'Awaiting Fulfillment',
      currency_code: 'USD',
      date_shipped: '',
    });
    expect(order.total_inc_tax).toMatch(/^\d+\.\d{4}$/);
    const cents = (value: string) => decimalToMinorUnits(value);
    expect(cents(order.subtotal_ex_tax) + cents(order.shipping_cost_ex_tax) - cents(order.discount_amount)).toBe(cents(order.total_ex_tax));
    expect(cents(order.total_ex_tax) + cents(order.total_tax)).toBe(cents(order.total_inc_tax));
    expect(parseRfc2822Date(order.date_created)).toBe('2026-01-06T14:05:00.000Z');
    expect(order.products.resource).toBe('/orders/100/products');
  });

  it('when orders are listed by status then only those come back, sorted by id', async () => {
    const orders = await bc.client().orders.listOrders({ status_id: 11 });
    expect(orders.map((order) => order.id)).toEqual([100, 103]);
    expect(await bc.client().orders.countOrders({ status_id: 11 })).toBe(2);
  });

  it('when a filter matches nothing then the store answers 204 with no body and the client gives []', async () => {
    const raw = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders?min_id=9999`, { headers: { 'X-Auth-Token': 'demo-bc-token' } });
    expect(raw.status).toBe(204);
    expect(await raw.text()).toBe('');
    expect(await bc.client().orders.listOrders({ min_id: 9999 })).toEqual([]);
  });

  it('when orders are paged one at a time then every order is read once, ending on the 204', async () => {
    const ids: number[] = [];
    for (let page = 1; ; page += 1) {
      const rows = await bc.client().orders.listOrders({ page, limit: 1 });
      if (rows.length === 0) break;
      ids.push(...rows.map((order) => order.id));
    }
    expect(ids).toEqual([100, 101, 102, 103]);
    const iterated: number[] = [];
    for await (const order of bc.client().orders.iterateOrders({ min_id: 101 })) iterated.push(order.id);
    expect(iterated).toEqual([101, 102, 103]);
  });

  it('when orders are filtered by creation date then the window is applied', async () => {
    const orders = await bc
      .client()
      .orders.listOrders({ min_date_created: '2026-01-07T00:00:00Z', max_date_created: 'Fri, 09 Jan 2026 00:00:00 +0000' });
    expect(orders.map((order) => order.id)).toEqual([101, 102]);
  });

  it('when an order’s lines, addresses and coupons are read then their ids link them together', async () => {
    const client = bc.client();
    const [lines, addresses, coupons] = await Promise.all([
      client.orders.listOrderProducts(102),
      client.orders.listShippingAddresses(102),
      client.orders.listCoupons(102),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      sku: 'TSHIRT-WHT-M',
      quantity: 1,
      price_ex_tax: '26.0000',
      order_address_id: addresses[0]!.id,
      variant_id: 204,
    });
    expect(addresses[0]).toMatchObject({ city: 'Portland', zip: '97205', country_iso2: 'US', base_cost: '8.0000' });
    expect(coupons).toEqual([{ id: 1, coupon_id: 7, order_id: 102, code: 'WELCOME5', amount: 5, type: 2, discount: 5 }]);
    expect(await client.orders.listCoupons(100)).toEqual([]);
  });

  it('when an order is read with its consignments then its lines and shipping addresses come in the one answer, as their own reads give them', async () => {
    const client = bc.client();
    const [withConsignments, header, lines, addresses] = await Promise.all([
      client.orders.getOrderWithConsignments(102),
      client.orders.getOrder(102),
      client.orders.listOrderProducts(102),
      client.orders.listShippingAddresses(102),
    ]);
    const { consignments, ...rest } = withConsignments;
    expect(rest).toEqual(header);
    expect(consignments.shipping.flatMap((consignment) => consignment.line_items)).toEqual(lines);
    expect(consignments.shipping).toHaveLength(addresses.length);
    consignments.shipping.forEach(({ line_items: _lines, ...address }, index) => expect(addresses[index]).toMatchObject(address));
    expect(consignments.shipping[0]!.id).toBe(lines[0]!.order_address_id);
    expect([consignments.pickups, consignments.downloads, consignments.email.gift_certificates]).toEqual([[], [], []]);
  });

  it('when consignments are asked for without the object structure or without their lines then the order has none, or lines as links', async () => {
    const raw = async (query: string) =>
      (await (
        await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders/102${query}`, { headers: { 'X-Auth-Token': 'demo-bc-token' } })
      ).json()) as { consignments?: { shipping: Array<{ line_items: unknown[]; cost_ex_tax: unknown }> } };
    expect((await raw('?include=consignments')).consignments).toBeUndefined();
    const linked = (await raw('?include=consignments&consignment_structure=object')).consignments!.shipping[0]!;
    expect(linked.cost_ex_tax).toBe(8);
    expect(linked.line_items).toEqual([
      { url: expect.stringMatching(/\/orders\/102\/products\/\d+$/), resource: expect.stringMatching(/^\/orders\/102\/products\/\d+$/) },
    ]);
  });

  it('when an order’s taxes are read with details then each names the rate and the line it taxed, summing to the line’s tax', async () => {
    const client = bc.client();
    const [lines, taxes] = await Promise.all([client.orders.listOrderProducts(102), client.orders.listTaxes(102)]);
    expect(taxes).toEqual([
      expect.objectContaining({
        order_id: 102,
        name: 'Sales Tax',
        rate: 8.25,
        line_amount: lines[0]!.total_tax,
        order_product_id: String(lines[0]!.id),
        line_item_type: 'item',
      }),
    ]);
  });

  it('when an order has no shipments then the list is empty (204), and after a shipment the order is shipped', async () => {
    const client = bc.client();
    expect(await client.orders.listShipments(103)).toEqual([]);
    const lines = await client.orders.listOrderProducts(103);
    const [address] = await client.orders.listShippingAddresses(103);
    const partial = await client.orders.createShipment(103, {
      order_address_id: address!.id,
      items: [{ order_product_id: lines[0]!.id, quantity: 1 }],
      tracking_number: '1Z999AA10123456785',
      shipping_provider: 'ups',
    });
    expect(partial).toMatchObject({
      order_id: 103,
      tracking_number: '1Z999AA10123456785',
      items: [{ order_product_id: lines[0]!.id, product_id: 113, quantity: 1 }],
    });
    expect(partial.generated_tracking_link).toContain('1Z999AA10123456785');
    expect((await client.orders.getOrder(103)).status_id).toBe(3);
    await client.orders.createShipment(103, {
      order_address_id: address!.id,
      items: [{ order_product_id: lines[1]!.id, quantity: 3 }],
      tracking_number: 'T2',
      shipping_provider: 'usps',
    });
    const shipped = await client.orders.getOrder(103);
    expect(shipped.status_id).toBe(2);
    expect(parseRfc2822Date(shipped.date_shipped)).toBeDefined();
    expect((await client.orders.listShipments(103)).map((shipment) => shipment.tracking_number)).toEqual(['1Z999AA10123456785', 'T2']);
  });

  it('when a shipment ships more than is left then it is an input error with the V2 message', async () => {
    const error = await bc
      .client()
      .orders.createShipment(102, { order_address_id: 3, items: [{ order_product_id: 4, quantity: 1 }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BigCommerceInputError);
    expect(error).toMatchObject({
      status: 400,
      vendorCode: '400',
      message: 'BigCommerce POST v2/orders/102/shipments answered 400: The quantity 1 of order_product_id 4 is more than is left to ship.',
    });
  });

  it('when the status and staff notes are written back then the order shows them', async () => {
    const client = bc.client();
    expect((await client.orders.updateStatus(101, 11)).status_id).toBe(11);
    expect((await client.orders.updateStaffNotes(101, 'Intacct SO-0042')).staff_notes).toBe('Intacct SO-0042');
    expect(await client.orders.getOrder(101)).toMatchObject({ status_id: 11, staff_notes: 'Intacct SO-0042' });
  });

  it('when a computed field is written then the V2 error array is returned', async () => {
    const response = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders/100`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'demo-bc-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ items_total: 3 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([
      { status: 400, message: "The field 'items_total' cannot be written to. Please remove it from your request before trying again." },
    ]);
  });

  it('when an order is archived then it no longer reads back and the list skips it', async () => {
    const response = await fetch(`${bc.sandbox.url}/stores/demostore/v2/orders/101`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': 'demo-bc-token' },
    });
    expect(response.status).toBe(204);
    await expect(bc.client().orders.getOrder(101)).rejects.toMatchObject({ status: 404 });
    expect((await bc.client().orders.listOrders()).map((order) => order.id)).toEqual([100, 102, 103]);
  });

  it('when an order does not exist then it is a 404 input error', async () => {
    await expect(bc.client().orders.getOrder(4242)).rejects.toMatchObject({
      type: 'BigCommerceInputError',
      status: 404,
      message: 'BigCommerce GET v2/orders/4242 answered 404: The requested resource was not found.',
    });
  });

  it('when the token is wrong then it is an auth error that does not repeat the token', async () => {
    const error = await bc
      .client({ accessToken: 'stolen-token-123' })
      .orders.getOrder(100)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BigCommerceAuthError);
    expect(String((error as Error).message)).not.toContain('stolen-token-123');
    expect(JSON.stringify(error)).not.toContain('stolen-token-123');
  });

  it('when an order is created through V2 then stock is taken and the order reads back with its lines', async () => {
    const created = await createGuestMugOrder(2);
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const lines = await bc.client().orders.listOrderProducts(id);
    expect(lines).toMatchObject([{ sku: 'MUG-CER-12OZ', quantity: 2, price_ex_tax: '14.5000' }]);
    const items = await bc.client().inventory.listItems({ skus: ['MUG-CER-12OZ'], locationIds: [1] });
    expect(items.data[0]?.locations[0]?.total_inventory_onhand).toBe(118);
  });

  it('when an order is created gift wrapped then the wrapping is an untaxed charge in its totals, and the checkout took it', async () => {
    const created = await createGuestMugOrder(1, { wrapping_cost_ex_tax: '4.95' });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const order = await bc.client().orders.getOrder(id);
    // 14.50 mug + 1.20 sales tax on it (8.25 %) + 5.00 shipping + 4.95 wrapping.
    expect(order).toMatchObject({
      wrapping_cost_ex_tax: '4.9500',
      wrapping_cost_inc_tax: '4.9500',
      wrapping_cost_tax: '0.0000',
      total_ex_tax: '24.4500',
      total_tax: '1.2000',
      total_inc_tax: '25.6500',
    });
    const transactions = await fetch(`${bc.sandbox.url}/stores/demostore/v3/orders/${id}/transactions`, {
      headers: { 'X-Auth-Token': 'demo-bc-token' },
    });
    expect(((await transactions.json()) as { data: Array<{ event: string; amount: number }> }).data).toMatchObject([
      { event: 'purchase', amount: 25.65 },
    ]);
  });

  it('when a checkout ships to two addresses then each line names its consignment, and a shipment takes only its own address’s lines', async () => {
    const friend = { ...billing, first_name: 'Grace', last_name: 'Hopper', city: 'Portland', state: 'Oregon', zip: '97205' };
    const created = await createOrder({
      customer_id: 0,
      status_id: 11,
      billing_address: billing,
      shipping_addresses: [billing, { ...friend, shipping_method: 'Express' }],
      products: [
        { product_id: 112, quantity: 2, shipping_address_index: 0 },
        { product_id: 114, quantity: 1, shipping_address_index: 1 },
      ],
      shipping_cost_ex_tax: '5.00',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(created.body).toMatchObject({ shipping_address_count: 2, shipping_cost_ex_tax: '5.0000' });
    const client = bc.client();
    const [addresses, lines, withConsignments] = await Promise.all([
      client.orders.listShippingAddresses(id),
      client.orders.listOrderProducts(id),
      client.orders.getOrderWithConsignments(id),
    ]);
    expect(addresses).toMatchObject([
      { city: 'Austin', shipping_method: 'Flat Rate', cost_ex_tax: '5.0000', items_total: 2 },
      { city: 'Portland', first_name: 'Grace', shipping_method: 'Express', cost_ex_tax: '0.0000', items_total: 1 },
    ]);
    expect(lines.map((line) => line.order_address_id)).toEqual([addresses[0]!.id, addresses[1]!.id]);
    expect(withConsignments.consignments.shipping.map((consignment) => consignment.line_items.map((line) => line.sku))).toEqual([
      ['MUG-CER-12OZ'],
      ['CAP-NVY-OS'],
    ]);

    const mixed = await client.orders
      .createShipment(id, {
        order_address_id: addresses[0]!.id,
        items: lines.map((line) => ({ order_product_id: line.id, quantity: line.quantity })),
      })
      .catch((caught: unknown) => caught);
    expect(mixed).toMatchObject({
      status: 400,
      message: `BigCommerce POST v2/orders/${id}/shipments answered 400: The order_product_id ${lines[1]!.id} ships to order_address_id ${addresses[1]!.id}, not ${addresses[0]!.id}.`,
    });
    expect((await client.orders.getOrder(id)).items_shipped).toBe(0);
    for (const [index, address] of addresses.entries())
      await client.orders.createShipment(id, {
        order_address_id: address.id,
        items: [{ order_product_id: lines[index]!.id, quantity: lines[index]!.quantity }],
      });
    expect((await client.orders.getOrder(id)).status_id).toBe(2);
  });

  it('when a line names a shipping address the order does not have, or an address has no line, then the V2 400 names the field', async () => {
    const shipTo = { ...billing, city: 'Portland' };
    const beyond = await createOrder({
      billing_address: billing,
      shipping_addresses: [billing],
      products: [{ product_id: 112, quantity: 1, shipping_address_index: 1 }],
    });
    expect(beyond).toEqual({
      status: 400,
      body: [{ status: 400, message: "The field 'products.0.shipping_address_index' is invalid: the order has 1 shipping addresses." }],
    });
    const empty = await createOrder({
      billing_address: billing,
      shipping_addresses: [billing, shipTo],
      products: [{ product_id: 112, quantity: 1 }],
    });
    expect(empty).toEqual({
      status: 400,
      body: [{ status: 400, message: "The field 'shipping_addresses.1' is invalid: no product ships to it." }],
    });
  });

  it('when an order is created without a billing zip then the V2 400 names the field', async () => {
    const created = await createOrder({ billing_address: { ...billing, zip: undefined }, products: [{ product_id: 112, quantity: 1 }] });
    expect(created.status).toBe(400);
    expect(created.body).toEqual([{ status: 400, message: "The field 'billing_address.zip' is invalid: required." }]);
  });
});
