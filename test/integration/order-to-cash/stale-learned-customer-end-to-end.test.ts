import { describe, expect, it } from 'vitest';
import { rememberedBy } from '../../../activities/customers.js';
import { findMappingRow } from '../../../store/mappings.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { useEndToEndTenant, type OrderToCashStack, mapJaneToIntacctCustomer } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';
import { janeDoeBillingAddress } from '../../support/builders.js';

/**
 * A customer the product remembered that Intacct no longer knows (deleted, made inactive, or a
 * company started afresh while MongoDB kept the mapping): from the store's own webhooks to
 * Intacct's records, over HTTP.
 */
describe('OrderToCash end to end: a remembered customer Intacct refuses', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const jane = { ...janeDoeBillingAddress, phone: '512-555-0100' };

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      // Jane's storefront account is mapped by a person to an existing Intacct customer.
      prepare: (started, tenant) => mapJaneToIntacctCustomer(started, tenant, 'operator@example.com'),
    },
    (started) => ({ stack, tenantId } = started),
  );

  const placeOrder = async (customerId: number, email: string) => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: customerId,
      status_id: 11,
      billing_address: { ...jane, email, company: '' },
      products: [{ product_id: 112, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    return String((created.body as { id: number }).id);
  };
  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const customersNamed = async (customerId: string) =>
    (await stack.intacctRecords('CUSTOMER')).filter((customer) => customer.CUSTOMERID === customerId);
  const activitiesRun = async (orderId: string) => {
    const history = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).fetchHistory();
    const names = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    return (name: string) => names.filter((scheduled) => scheduled === name).length;
  };

  it('when the customer the product created for a shopper is deleted in Intacct, then the next order forgets it, creates the customer again and is posted once', async () => {
    const firstId = await placeOrder(2, 'john.smith@example.com');
    const first = await stack.waitForOrder(tenantId, firstId, (current) => current.step === 'awaiting_fulfilment');
    const customerId = first.intacct.customerId!;
    expect(customerId).toBe('BC-2');
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', '2')).toMatchObject({ updatedBy: rememberedBy });

    expect(await stack.intacctControl('DELETE', `/records/CUSTOMER/${customerId}`)).toBeUndefined();
    expect(await customersNamed(customerId)).toHaveLength(0);

    const secondId = await placeOrder(2, 'john.smith@example.com');
    const second = await stack.waitForOrder(tenantId, secondId, (current) => current.step === 'awaiting_fulfilment');
    expect(second.intacct.customerId).toBe(customerId);
    expect(second.attention).toBeUndefined();
    expect(await customersNamed(customerId)).toEqual([expect.objectContaining({ STATUS: 'active' })]);
    const documents = await documentsOf(secondId);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ DOCID: second.intacct.salesDocumentId, CUSTVENDID: customerId });
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', '2')).toMatchObject({
      row: { storefrontCustomer: '2', intacctCustomerId: customerId },
      updatedBy: rememberedBy,
    });
    const count = await activitiesRun(secondId);
    expect([count('resolveCustomer'), count('createSalesDocument'), count('parkOrder')]).toEqual([2, 2, 0]);
  });

  it('when the customer a person mapped the shopper to is made inactive in Intacct, then the order parks with Intacct’s message and the row stays', async () => {
    const patched = await stack.intacctControl('PATCH', '/records/CUSTOMER/C-1001', { fields: { STATUS: 'inactive' } });
    expect(patched.record).toMatchObject({ CUSTOMERID: 'C-1001', STATUS: 'inactive' });

    const orderId = await placeOrder(1, 'jane.doe@example.com');
    const parked = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    expect(parked.attention).toMatchObject({ code: 'rejected', reason: expect.stringContaining("Invalid Customer 'C-1001' specified.") });
    expect(await documentsOf(orderId)).toHaveLength(0);
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', '1')).toMatchObject({
      row: { storefrontCustomer: '1', intacctCustomerId: 'C-1001' },
      updatedBy: 'operator@example.com',
    });
    const count = await activitiesRun(orderId);
    expect([count('resolveCustomer'), count('createSalesDocument')]).toEqual([1, 1]);
  });
});
