import { randomInt } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerActivities, rememberedBy } from '../../../activities/customers.js';
import { createItemActivities } from '../../../activities/items.js';
import type { CustomerResolution, ItemResolution } from '../../../workflows/order-to-cash-contract.js';
import { createCustomer } from '../../../connectors/intacct/index.js';
import type { CanonicalOrder, CanonicalOrderLine } from '../../../mappers/canonical-order.js';
import { deleteMappingRow, findMappingRow, upsertMappingRows } from '../../../store/mappings.js';
import { sandboxGuestMappingKeyRing } from '../../../config/index.js';
import { GuestMappingKeys } from '../../../store/guest-mapping-keys.js';
import { aCanonicalAddress, aCanonicalOrder, aCanonicalOrderLine } from '../../support/builders.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';

/** A storefront customer id of digits, unique to the test, so its Intacct id (`BC-…`) is too. */
const customerNumber = () => String(randomInt(100_000_000, 999_999_999));
const uniqueEmail = (name: string) => `${uniqueId(name).toLowerCase()}@shop.example`;

function line(lineId: string, sku: string, quantity = 1, unitPrice = 1000): CanonicalOrderLine {
  return aCanonicalOrderLine({ lineId, sku, name: sku, quantity, unitPrice });
}

/** Two tees at 24.00 for a registered shopper of the test's own, unpaid. */
function order(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return aCanonicalOrder({
    orderId: uniqueId('order'),
    placedAt: '2026-03-02T15:00:00.000Z',
    customer: { kind: 'registered', customerId: customerNumber(), email: uniqueEmail('shopper') },
    billingAddress: aCanonicalAddress({ region: 'TX', postalCode: '78701', phone: '512-555-0100' }),
    lines: [line('l1', 'TSHIRT-BLK-M', 2, 2400)],
    amountPaid: 0,
    ...overrides,
  });
}

describe('resolveCustomer and resolveItems over the Intacct sandbox', () => {
  let fixture: OrderSyncFixture;
  let activities: ReturnType<typeof createCustomerActivities> & ReturnType<typeof createItemActivities>;
  const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });

  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    const deps = { db: fixture.database.db, connections: fixture.connections };
    activities = { ...createCustomerActivities(deps), ...createItemActivities(deps) };
  });
  afterAll(async () => {
    await fixture?.close();
  });

  type ResolveInput = { tenantId: string; order: CanonicalOrder };
  const resolveCustomer = (tenantId: string, input: CanonicalOrder) =>
    env.run<[ResolveInput], CustomerResolution, typeof activities.resolveCustomer>(activities.resolveCustomer, { tenantId, order: input });
  const resolveItems = (tenantId: string, input: CanonicalOrder) =>
    env.run<[ResolveInput], ItemResolution, typeof activities.resolveItems>(activities.resolveItems, { tenantId, order: input });
  const transactions = (tenantId: string) => fixture.intacctTransactions.total(tenantId);
  const intacctCustomers = async (customerId: string) => {
    const response = await fetch(`${fixture.sandboxes.intacct.url}/__control/records/CUSTOMER`);
    const { records } = (await response.json()) as { records: Array<Record<string, string>> };
    return records.filter((record) => record.CUSTOMERID === customerId);
  };
  const intacctClient = async (tenantId: string) => (await fixture.connections.forTenant(tenantId)).intacct();

  describe('customers', () => {
    it("when the order is a guest order, then it is posted to the tenant's guest customer without asking Intacct", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const result = await resolveCustomer(tenantId, order({ customer: { kind: 'guest', email: uniqueEmail('guest') } }));
      expect(result).toEqual({ resolved: true, customerId: 'WEB-GUEST', source: 'guest' });
      expect(transactions(tenantId)).toBe(0);
    });

    it('when guest orders are off and a guest order reaches resolution, then it waits for attention naming the setting', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { guestOrders: { enabled: false } });
      const result = await resolveCustomer(tenantId, order({ customer: { kind: 'guest' } }));
      expect(result).toMatchObject({
        resolved: false,
        attention: {
          code: 'guest_customer_not_configured',
          reason: expect.stringContaining('guest orders are off'),
          fix: expect.stringContaining('orderSync.guestOrders'),
        },
      });
      expect(transactions(tenantId)).toBe(0);
    });

    it("when a guest's email is in the customers mapping table, then the operator's row wins over the guest customer", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const email = uniqueEmail('b2b-guest');
      await upsertMappingRows(
        fixture.database.db,
        tenantId,
        'customers',
        [{ key: email, row: { storefrontCustomer: email, intacctCustomerId: 'C-1003' } }],
        'test',
      );
      expect(await resolveCustomer(tenantId, order({ customer: { kind: 'guest', email: email.toUpperCase() } }))).toEqual({
        resolved: true,
        customerId: 'C-1003',
        source: 'mapping',
      });
    });

    it.each([
      ['storefront customer id', (id: string, _email: string) => id],
      ['email, whatever its case on the order', (_id: string, email: string) => email],
    ])(
      'when the shopper is in the customers mapping table by %s, then that customer is used and Intacct is not called',
      async (_case, keyOf) => {
        const tenantId = await fixture.createTenant('bigcommerce');
        const input = order();
        const registered = input.customer as { customerId: string; email: string };
        const key = keyOf(registered.customerId, registered.email);
        await upsertMappingRows(
          fixture.database.db,
          tenantId,
          'customers',
          [{ key, row: { storefrontCustomer: key, intacctCustomerId: 'C-1002' } }],
          'test',
        );
        const shouting = { ...input, customer: { ...registered, kind: 'registered' as const, email: registered.email.toUpperCase() } };
        expect(await resolveCustomer(tenantId, shouting)).toEqual({ resolved: true, customerId: 'C-1002', source: 'mapping' });
        expect(transactions(tenantId)).toBe(0);
      },
    );

    it("when a shopper known only by email is matched, then the row is remembered under the email's keyed hash, never the email, and the next order finds it", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const byEmail = () => order({ customer: { kind: 'registered', customerId: '', email: 'Erin@Deli.example' } });
      expect(await resolveCustomer(tenantId, byEmail())).toEqual({ resolved: true, customerId: 'C-1002', source: 'matched' });
      const hashed = new GuestMappingKeys(sandboxGuestMappingKeyRing()).keyFor('erin@deli.example');
      expect(hashed).toMatch(/^hmac:sandbox-1:[A-Za-z0-9_-]{43}$/);
      expect(await findMappingRow(fixture.database.db, tenantId, 'customers', hashed)).toMatchObject({
        row: { storefrontCustomer: hashed, intacctCustomerId: 'C-1002' },
        updatedBy: rememberedBy,
      });
      const stored = await fixture.database.db.collection('mapping_rows').find({ tenantId }).toArray();
      expect(JSON.stringify(stored).toLowerCase()).not.toContain('erin');

      const before = transactions(tenantId);
      expect(await resolveCustomer(tenantId, byEmail())).toEqual({ resolved: true, customerId: 'C-1002', source: 'mapping' });
      expect(transactions(tenantId)).toBe(before);
    });

    it("when a guest's row is keyed by the hash under a key no longer active, then it still resolves after the rotation", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const email = uniqueEmail('rotated');
      const old = { keys: new Map([['g1', Buffer.alloc(32, 1)]]), activeKeyId: 'g1' };
      const rotated = { keys: new Map([...old.keys, ['g2', Buffer.alloc(32, 2)]]), activeKeyId: 'g2' };
      const key = new GuestMappingKeys(old).keyFor(email);
      await upsertMappingRows(
        fixture.database.db,
        tenantId,
        'customers',
        [{ key, row: { storefrontCustomer: key, intacctCustomerId: 'C-1003' } }],
        'test',
      );
      const afterRotation = createCustomerActivities({
        db: fixture.database.db,
        connections: fixture.connections,
        guestMappingKeys: new GuestMappingKeys(rotated),
      });
      const input = order({ customer: { kind: 'guest', email } });
      expect(
        await env.run<[ResolveInput], CustomerResolution, typeof afterRotation.resolveCustomer>(afterRotation.resolveCustomer, {
          tenantId,
          order: input,
        }),
      ).toEqual({ resolved: true, customerId: 'C-1003', source: 'mapping' });
    });

    it("when one active Intacct customer has the shopper's email, then it is matched and remembered, so the next order needs no Intacct transaction", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const first = order({ customer: { kind: 'registered', customerId: customerNumber(), email: 'erin@deli.example' } });
      expect(await resolveCustomer(tenantId, first)).toEqual({ resolved: true, customerId: 'C-1002', source: 'matched' });
      const storefrontCustomerId = (first.customer as { customerId: string }).customerId;
      expect(await findMappingRow(fixture.database.db, tenantId, 'customers', storefrontCustomerId)).toMatchObject({
        row: { storefrontCustomer: storefrontCustomerId, intacctCustomerId: 'C-1002' },
        updatedBy: rememberedBy,
      });

      const before = transactions(tenantId);
      expect(await resolveCustomer(tenantId, order({ customer: first.customer }))).toEqual({
        resolved: true,
        customerId: 'C-1002',
        source: 'mapping',
      });
      expect(transactions(tenantId)).toBe(before);
    });

    it('when the only customer with the email is inactive, then it is not matched and, with creation off, the order waits naming it', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'email', createWhenNoMatch: false } });
      const result = await resolveCustomer(
        tenantId,
        order({ customer: { kind: 'registered', customerId: customerNumber(), email: 'old@closed.example' } }),
      );
      expect(result).toMatchObject({
        resolved: false,
        attention: { code: 'customer_not_found', details: { inactiveMatches: ['C-0900'] } },
      });
    });

    it("when no customer matches, then one is created under the shopper's deterministic id, once, even when the activity runs twice", async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const input = order();
      const customerId = `BC-${(input.customer as { customerId: string }).customerId}`;
      expect(await resolveCustomer(tenantId, input)).toEqual({ resolved: true, customerId, source: 'created' });
      expect(await resolveCustomer(tenantId, input)).toEqual({ resolved: true, customerId, source: 'mapping' });
      const records = await intacctCustomers(customerId);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        NAME: 'Jane Doe',
        STATUS: 'active',
        TERMNAME: 'Due on Receipt',
        'DISPLAYCONTACT.EMAIL1': input.customer.email,
        'DISPLAYCONTACT.MAILADDRESS.CITY': 'Austin',
        'DISPLAYCONTACT.MAILADDRESS.COUNTRY': 'United States',
      });
    });

    it('when the customer the tenant created was deleted in Intacct since, then it is created again under the next control id, and a retry of that lands on the same customer', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'none', createWhenNoMatch: true } });
      const input = order();
      const storefrontCustomerId = (input.customer as { customerId: string }).customerId;
      const customerId = `BC-${storefrontCustomerId}`;
      expect(await resolveCustomer(tenantId, input)).toMatchObject({ resolved: true, customerId, source: 'created' });
      const deleted = await fetch(`${fixture.sandboxes.intacct.url}/__control/records/CUSTOMER/${customerId}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);

      for (const attempt of ['re-creation', 'its retry after a lost answer']) {
        await deleteMappingRow(fixture.database.db, tenantId, 'customers', storefrontCustomerId);
        expect(await resolveCustomer(tenantId, input), attempt).toEqual({ resolved: true, customerId, source: 'created' });
        expect(await intacctCustomers(customerId), attempt).toEqual([expect.objectContaining({ STATUS: 'active' })]);
      }
    });

    it('when a create committed but was not remembered, then the retry resolves to the same customer (same control id) and creates nothing more', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'none', createWhenNoMatch: true } });
      const input = order();
      const storefrontCustomerId = (input.customer as { customerId: string }).customerId;
      const customerId = `BC-${storefrontCustomerId}`;
      expect(await resolveCustomer(tenantId, input)).toMatchObject({ resolved: true, customerId, source: 'created' });
      await deleteMappingRow(fixture.database.db, tenantId, 'customers', storefrontCustomerId);
      expect(await resolveCustomer(tenantId, input)).toEqual({ resolved: true, customerId, source: 'created' });
      expect(await intacctCustomers(customerId)).toHaveLength(1);
      expect(await findMappingRow(fixture.database.db, tenantId, 'customers', storefrontCustomerId)).toMatchObject({
        row: { intacctCustomerId: customerId },
      });
    });

    it('when the deterministic id already exists for the same shopper (created by another run), then that customer is read back and used', async () => {
      const first = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'none', createWhenNoMatch: true } });
      const second = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'none', createWhenNoMatch: true } });
      const input = order();
      const customerId = `BC-${(input.customer as { customerId: string }).customerId}`;
      await resolveCustomer(first, input);
      // Another tenant of the same company uses another control id, so Intacct answers "already exists".
      expect(await resolveCustomer(second, input)).toEqual({ resolved: true, customerId, source: 'created' });
      expect(await intacctCustomers(customerId)).toHaveLength(1);
    });

    it('when the deterministic id already belongs to someone with another email, then the order waits instead of posting to them', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'none', createWhenNoMatch: true } });
      const input = order();
      const customerId = `BC-${(input.customer as { customerId: string }).customerId}`;
      await createCustomer(
        await intacctClient(tenantId),
        { customerId, name: 'Someone Else', email: uniqueEmail('someone') },
        uniqueId('customer-by-hand'),
      );
      expect(await resolveCustomer(tenantId, input)).toMatchObject({
        resolved: false,
        attention: { code: 'customer_id_taken', details: { customerId } },
      });
    });

    it('when several active customers share the email, then the order waits listing the candidates', async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const email = uniqueEmail('shared');
      const client = await intacctClient(tenantId);
      const ids = [uniqueId('C-AMB').toUpperCase().slice(0, 14), uniqueId('C-AMB').toUpperCase().slice(0, 14)].sort();
      for (const id of ids) await createCustomer(client, { customerId: id, name: `Shared ${id}`, email }, uniqueId('customer-by-hand'));
      const result = await resolveCustomer(tenantId, order({ customer: { kind: 'registered', customerId: customerNumber(), email } }));
      expect(result).toEqual({
        resolved: false,
        attention: {
          code: 'customer_ambiguous',
          reason: `2 active Intacct customers match email ${email}: ${ids.join(', ')}`,
          fix: expect.stringContaining('customers mapping table'),
          details: expect.objectContaining({ candidates: ids, matchKey: 'email', email }),
        },
      });
    });

    it('when several active customers share the email and one is the customer this tenant creates for that shopper, then that one is used and remembered', async () => {
      // Two storefronts posting into one Intacct company, each creating its shopper's customer at
      // the same moment (the 1,000-order chaos run on seed 1001): both look, find none, create.
      const tenantId = await fixture.createTenant('bigcommerce');
      const email = uniqueEmail('both-stores');
      const storefrontCustomerId = customerNumber();
      const own = `BC-${storefrontCustomerId}`;
      const otherStores = uniqueId('CL-CU').toUpperCase().slice(0, 14);
      const client = await intacctClient(tenantId);
      for (const id of [own, otherStores])
        await createCustomer(client, { customerId: id, name: `Shopper ${id}`, email }, uniqueId('customer-by-hand'));
      const input = order({ customer: { kind: 'registered', customerId: storefrontCustomerId, email } });
      expect(await resolveCustomer(tenantId, input)).toEqual({ resolved: true, customerId: own, source: 'matched' });
      expect(await findMappingRow(fixture.database.db, tenantId, 'customers', storefrontCustomerId)).toMatchObject({
        row: { intacctCustomerId: own },
        updatedBy: rememberedBy,
      });
    });

    it('when nothing matches and creating customers is off, then the order waits with the mapping-table fix', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'email', createWhenNoMatch: false } });
      const input = order();
      const storefrontCustomerId = (input.customer as { customerId: string }).customerId;
      const result = await resolveCustomer(tenantId, input);
      expect(result).toEqual({
        resolved: false,
        attention: {
          code: 'customer_not_found',
          reason: `no active Intacct customer matches email ${input.customer.email}, and customers are not created when none matches (orderSync.customerMatching.createWhenNoMatch is off)`,
          fix: `add a row with storefrontCustomer "${storefrontCustomerId}" to the customers mapping table naming the Intacct customer (intacctCustomerId) to post to, then retry the order`,
          details: { matchKey: 'email', storefrontCustomerId, email: input.customer.email, phone: '512-555-0100' },
        },
      });
      expect(await intacctCustomers(`BC-${storefrontCustomerId}`)).toHaveLength(0);
    });

    it('when the match key is the customer id, then the customer under the deterministic id is matched', async () => {
      const tenantId = await fixture.createTenant('clarity', { customerMatching: { matchKey: 'customerId', createWhenNoMatch: false } });
      const storefrontCustomerId = `CU-${customerNumber()}`;
      await createCustomer(
        await intacctClient(tenantId),
        { customerId: `CL-${storefrontCustomerId}`, name: 'Clarity Shopper' },
        uniqueId('customer-by-hand'),
      );
      const result = await resolveCustomer(
        tenantId,
        order({ storefront: 'clarity', customer: { kind: 'registered', customerId: storefrontCustomerId } }),
      );
      expect(result).toEqual({ resolved: true, customerId: `CL-${storefrontCustomerId}`, source: 'matched' });
    });

    it('when the match key is the phone, then the customer with that phone is matched', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { customerMatching: { matchKey: 'phone', createWhenNoMatch: false } });
      const phone = `+1 555 ${customerNumber()}`;
      const customerId = uniqueId('C-PH').toUpperCase().slice(0, 14);
      await createCustomer(await intacctClient(tenantId), { customerId, name: 'Phone Shopper', phone }, uniqueId('customer-by-hand'));
      const input = order();
      const result = await resolveCustomer(tenantId, { ...input, billingAddress: { ...input.billingAddress, phone } });
      expect(result).toEqual({ resolved: true, customerId, source: 'matched' });
    });

    it('when the match key is a field, the billing company in Intacct’s DISPLAYCONTACT.COMPANYNAME, then the customer with that company is matched, and an order without a company finds none', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', {
        customerMatching: {
          matchKey: 'field',
          matchField: { shopper: 'company', intacct: 'DISPLAYCONTACT.COMPANYNAME' },
          createWhenNoMatch: false,
        },
      });
      const company = `Acme ${customerNumber()} Ltd`;
      const customerId = uniqueId('C-CO').toUpperCase().slice(0, 14);
      await createCustomer(
        await intacctClient(tenantId),
        { customerId, name: company, companyName: company },
        uniqueId('customer-by-hand'),
      );
      const input = order();
      expect(await resolveCustomer(tenantId, { ...input, billingAddress: { ...input.billingAddress, company } })).toEqual({
        resolved: true,
        customerId,
        source: 'matched',
      });

      const without = order();
      const { company: _none, ...billingAddress } = without.billingAddress;
      const result = await resolveCustomer(tenantId, { ...without, billingAddress });
      expect(result).toMatchObject({
        resolved: false,
        attention: {
          code: 'customer_not_found',
          reason: expect.stringContaining('no active Intacct customer matches the shopper (matched by company, but the order has none)'),
        },
      });
    });
  });

  describe('items', () => {
    it('when lines are mapped or match Intacct items by ITEMID, then each line has its item and warehouse, from one batched Intacct call', async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      await upsertMappingRows(
        fixture.database.db,
        tenantId,
        'items',
        [{ key: 'SHOP-TEE', row: { storefrontSku: 'SHOP-TEE', intacctItemId: 'TSHIRT-BLK-M', unit: 'Each', warehouseId: 'WH02' } }],
        'test',
      );
      const input = order({
        lines: [
          line('l1', 'SHOP-TEE'),
          line('l2', 'MUG-CER-12OZ'),
          line('l3', 'CAP-NVY-OS'),
          line('l4', 'TOTE-NAT-OS'),
          line('l5', 'MUG-CER-12OZ'),
        ],
      });
      const result = await resolveItems(tenantId, input);
      expect(result).toEqual({
        resolved: true,
        items: {
          l1: { itemId: 'TSHIRT-BLK-M', unit: 'Each', warehouseId: 'WH02' },
          l2: { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01' },
          l3: { itemId: 'CAP-NVY-OS', warehouseId: 'WH01' },
          l4: { itemId: 'TOTE-NAT-OS', warehouseId: 'WH01' },
          l5: { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01' },
        },
      });
      expect(fixture.intacctTransactions.byFunction(tenantId).readByName).toBe(1);
    });

    it('when a SKU is unknown to Intacct and another item is inactive, then both are listed as missing', async () => {
      const tenantId = await fixture.createTenant('clarity');
      const result = await resolveItems(
        tenantId,
        order({ lines: [line('l1', 'POSTER-CITY-A2'), line('l2', 'TSHIRT-BLK-M'), line('l3', 'NOT-IN-INTACCT')] }),
      );
      expect(result).toEqual({
        resolved: false,
        missingSkus: ['NOT-IN-INTACCT', 'POSTER-CITY-A2'],
        attention: {
          code: 'unknown_sku',
          reason:
            'no Intacct item for SKUs NOT-IN-INTACCT, POSTER-CITY-A2: the item mapping table has no row for them and Intacct has no single active item whose ITEMID matches',
          fix: 'add the SKUs to the item mapping table (or create the items in Intacct), then retry the order',
          details: { missingSkus: ['NOT-IN-INTACCT', 'POSTER-CITY-A2'] },
        },
      });
    });

    it('when a burst of orders has the same SKUs, then Intacct is asked once; a settings change asks again', async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const lines = [line('l1', 'HOODIE-GRY-L'), line('l2', 'MUG-BLK-15OZ')];
      expect(await resolveItems(tenantId, order({ lines }))).toMatchObject({ resolved: true });
      const afterFirst = transactions(tenantId);
      expect(await resolveItems(tenantId, order({ lines }))).toMatchObject({
        resolved: true,
        items: { l1: { itemId: 'HOODIE-GRY-L' }, l2: { itemId: 'MUG-BLK-15OZ' } },
      });
      expect(transactions(tenantId)).toBe(afterFirst);

      await fixture.updateOrderSync(tenantId, { defaultWarehouseId: 'WH02' });
      expect(await resolveItems(tenantId, order({ lines }))).toMatchObject({ resolved: true, items: { l1: { warehouseId: 'WH02' } } });
      expect(transactions(tenantId)).toBe(afterFirst + 1);
    });

    it('when a missing SKU is fixed in Intacct, then the retry finds it at once (misses are not cached)', async () => {
      const tenantId = await fixture.createTenant('bigcommerce');
      const sku = uniqueId('NEW').toUpperCase();
      const input = order({ lines: [line('l1', sku)] });
      expect(await resolveItems(tenantId, input)).toMatchObject({ resolved: false, missingSkus: [sku] });
      await upsertMappingRows(
        fixture.database.db,
        tenantId,
        'items',
        [{ key: sku, row: { storefrontSku: sku, intacctItemId: 'STICKER-PACK-5' } }],
        'test',
      );
      expect(await resolveItems(tenantId, input)).toEqual({
        resolved: true,
        items: { l1: { itemId: 'STICKER-PACK-5', warehouseId: 'WH01' } },
      });
    });

    it('when items are matched by another Intacct field, then one query finds them by that field', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { itemMatching: { storefrontField: 'sku', intacctField: 'NAME' } });
      const result = await resolveItems(
        tenantId,
        order({ lines: [line('l1', 'Pocket Gadget'), line('l2', 'Ceramic Mug, 12 oz'), line('l3', 'City Poster, A2')] }),
      );
      expect(result).toMatchObject({ resolved: false, missingSkus: ['City Poster, A2'] });
      expect(fixture.intacctTransactions.byFunction(tenantId).readByQuery).toBe(1);
      await upsertMappingRows(
        fixture.database.db,
        tenantId,
        'items',
        [{ key: 'City Poster, A2', row: { storefrontSku: 'City Poster, A2', intacctItemId: 'TOTE-NAT-OS' } }],
        'test',
      );
      expect(
        await resolveItems(
          tenantId,
          order({ lines: [line('l1', 'Pocket Gadget'), line('l2', 'Ceramic Mug, 12 oz'), line('l3', 'City Poster, A2')] }),
        ),
      ).toEqual({
        resolved: true,
        items: {
          l1: { itemId: 'GADGET-1', warehouseId: 'WH01' },
          l2: { itemId: 'MUG-CER-12OZ', warehouseId: 'WH01' },
          l3: { itemId: 'TOTE-NAT-OS', warehouseId: 'WH01' },
        },
      });
    });

    it('when items are matched by UPC, which orders do not carry, then the order waits naming the setting, without asking Intacct', async () => {
      const tenantId = await fixture.createTenant('bigcommerce', { itemMatching: { storefrontField: 'upc', intacctField: 'UPC' } });
      const result = await resolveItems(tenantId, order({ lines: [line('l1', 'TSHIRT-BLK-M')] }));
      expect(result).toMatchObject({
        resolved: false,
        missingSkus: ['TSHIRT-BLK-M'],
        attention: { code: 'item_field_unavailable', fix: expect.stringContaining('orderSync.itemMatching.storefrontField') },
      });
      expect(transactions(tenantId)).toBe(0);
    });
  });
});
