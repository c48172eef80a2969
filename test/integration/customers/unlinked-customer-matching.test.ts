import { describe, expect, it } from 'vitest';
import { rememberedBy } from '../../../activities/customers.js';
import { sandboxGuestMappingKeyRing } from '../../../config/index.js';
import { GuestMappingKeys } from '../../../store/guest-mapping-keys.js';
import { findMappingRow, upsertMappingRows } from '../../../store/mappings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { customerSyncWorkflowId, type CustomerSyncResult } from '../../../workflows/customer-sync-contract.js';
import { eventually } from '../../support/eventually.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 20's unlinked customers, end to end: a shopper registers in the BigCommerce sandbox
 * (`POST /v3/customers`, which delivers `store/customer/created` to the product), and CustomerSync
 * links the new storefront customer to the Intacct customer the books already have, by the
 * tenant's match key (email) or by an earlier guest order's row under the email's keyed hash,
 * instead of leaving it for an order to create a duplicate. The Intacct sandbox's request log
 * proves no customer is created.
 */
describe('customer sync: a new storefront customer is linked to the Intacct customer it already is', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        const current = (await readSettings(started.database.db, tenant))!;
        const customers = { ...current.settings.catalog.customers, enabled: true, schedule: '0 3 1 1 *' };
        const settings = { ...current.settings, catalog: { ...current.settings.catalog, customers } };
        await writeSettings(started.database.db, tenant, settings, { expectedVersion: current.version, changedBy: 'test' });
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const register = async (customer: Record<string, unknown>): Promise<string> => {
    const created = await stack.bigCommerce('POST', '/v3/customers', [customer]);
    expect(created.status).toBe(200);
    return String((created.body as { data: Array<{ id: number }> }).data[0]!.id);
  };
  const syncOf = async (customerId: string) =>
    eventually(
      async () =>
        (await stack.client.workflow.getHandle(customerSyncWorkflowId(tenantId, 'bigcommerce', customerId)).result()) as CustomerSyncResult,
      { what: `customer ${customerId}'s CustomerSync to finish`, timeoutMs: 60_000 },
    );
  const customerWrites = async () => {
    const intacct = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ functions: Array<{ name: string; controlId: string }> }>;
    };
    return intacct.requests.flatMap((request) => request.functions).filter((fn) => fn.controlId.startsWith('customer-create:'));
  };

  it('when a shopper registers with the email of an existing Intacct customer, then the two are linked and that customer is updated, with none created', async () => {
    const customersBefore = (await stack.intacctRecords('CUSTOMER')).length;
    await stack.intacctControl('DELETE', '/requests');
    const customerId = await register({
      // Stores keep the case a shopper typed; the match is on the lower-case email.
      email: 'Erin@Deli.example',
      first_name: 'Erin',
      last_name: 'Walsh',
      company: "Erin's Deli",
      addresses: [{ address1: '12 Rainey St', city: 'Austin', state_or_province: 'Texas', postal_code: '78701', country_code: 'US' }],
    });

    const result = await syncOf(customerId);
    expect(result.syncs).toHaveLength(1);
    expect(result.syncs[0]).toMatchObject({ outcome: 'updated', intacctCustomerId: 'C-1002', linkedBy: 'matched' });
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', customerId)).toMatchObject({
      row: { intacctCustomerId: 'C-1002' },
      updatedBy: rememberedBy,
    });
    const c1002 = (await stack.intacctRecords('CUSTOMER')).find((row) => row.CUSTOMERID === 'C-1002')!;
    expect(c1002['DISPLAYCONTACT.MAILADDRESS.ADDRESS1']).toBe('12 Rainey St');
    expect((await stack.intacctRecords('CUSTOMER')).length).toBe(customersBefore);
    expect(await customerWrites()).toEqual([]);
  });

  it('when an earlier guest order left a row under the email’s keyed hash, then the registration takes that link', async () => {
    const email = 'walk-in@deli.example';
    const guestKey = new GuestMappingKeys(sandboxGuestMappingKeyRing()).storedKey(email);
    await upsertMappingRows(
      stack.database.db,
      tenantId,
      'customers',
      [{ key: guestKey, row: { storefrontCustomer: guestKey, intacctCustomerId: 'C-1001' } }],
      rememberedBy,
    );
    const customerId = await register({ email, first_name: 'Sam', last_name: 'Reyes' });

    const result = await syncOf(customerId);
    expect(result.syncs[0]).toMatchObject({ intacctCustomerId: 'C-1001', linkedBy: 'mapping' });
    expect((await findMappingRow(stack.database.db, tenantId, 'customers', customerId))?.row).toMatchObject({
      intacctCustomerId: 'C-1001',
    });
  });

  it('when no Intacct customer has the shopper’s email, then the customer stays unlinked and nothing is created', async () => {
    await stack.intacctControl('DELETE', '/requests');
    const customerId = await register({ email: 'new.shopper@example.com', first_name: 'Noor', last_name: 'Haddad' });

    const result = await syncOf(customerId);
    expect(result.syncs).toEqual([{ outcome: 'unlinked', fields: [], storefrontRequests: 1, intacctTransactions: 1 }]);
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', customerId)).toBeNull();
    expect(await customerWrites()).toEqual([]);
  });
});
