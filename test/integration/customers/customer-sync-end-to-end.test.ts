import { describe, expect, it } from 'vitest';
import { customerSyncSchedule } from '../../../schedules/customer-sync.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  customerSyncPollScheduleId,
  customerSyncPollWorkflowId,
  customerSyncWorkflowId,
  type CustomerSyncPollReport,
  type CustomerSyncResult,
} from '../../../workflows/customer-sync-contract.js';
import { eventually } from '../../support/eventually.js';
import { nextScheduledRunResult, runScheduleNow } from '../../support/scheduled-run.js';
import { mapJaneToIntacctCustomer, useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 20's customer "done when", end to end: the product in one process (API with the
 * BigCommerce receiver, worker on the dev server, FerretDB) against the sandboxes, which deliver
 * the webhooks the tenant registered. BigCommerce customer 1 (Jane) is linked to Intacct's C-1001
 * in the customers mapping table. Contact and email sync is off here, so each test sees only the
 * field it moves; the mappers' tests cover the rest.
 */
describe('customer sync end to end: store address → Intacct once, Intacct credit hold → store group, no echo', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      prepare: async (started, tenant) => {
        await mapJaneToIntacctCustomer(started, tenant);
        const current = (await readSettings(started.database.db, tenant))!;
        const customers = {
          ...current.settings.catalog.customers,
          enabled: true,
          // Never fires on its own: runs come from `runPoll`.
          schedule: '0 3 1 1 *',
          fields: { ...current.settings.catalog.customers.fields, contact: 'none' as const, email: 'none' as const },
          groups: { creditHold: '3', priceLists: {}, customerTypes: {} },
        };
        const settings = { ...current.settings, catalog: { ...current.settings.catalog, customers } };
        await writeSettings(started.database.db, tenant, settings, { expectedVersion: current.version, changedBy: 'test' });
        await ensureTenantSchedule(customerSyncSchedule, started.client, started.config.temporal.taskQueue, tenant, settings);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const control = async (url: string, method: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  const bigCommerceControl = (method: string, path: string, body?: unknown) =>
    control(`${stack.sandboxes.bigcommerce.url}/_control${path}`, method, body);

  /** Customer requests BigCommerce answered, and CUSTOMER updates Intacct answered, since the sandboxes' logs were cleared. */
  const customerTraffic = async () => {
    const { requests } = (await bigCommerceControl('GET', '/requests')) as { requests: Array<{ method: string; path: string }> };
    const intacct = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ functions: Array<{ name: string; controlId: string }> }>;
    };
    const functions = intacct.requests.flatMap((request) => request.functions);
    return {
      storeReads: requests.filter((request) => request.method === 'GET' && request.path.endsWith('/v3/customers')).length,
      storeWrites: requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/v3/customers')).length,
      intacctReads: functions.filter((fn) => fn.controlId.startsWith('customer-sync-read:')).length,
      intacctUpdates: functions.filter((fn) => fn.name === 'update').length,
    };
  };
  const c1001 = async () => (await stack.intacctRecords('CUSTOMER')).find((row) => row.CUSTOMERID === 'C-1001')!;
  const jane = async () =>
    ((await stack.bigCommerce('GET', '/v3/customers?id:in=1&include=addresses')).body as { data: Array<Record<string, any>> }).data[0]!;
  const syncOf = (customerId: string) => stack.client.workflow.getHandle(customerSyncWorkflowId(tenantId, 'bigcommerce', customerId));

  const runPoll = () => runScheduleNow<CustomerSyncPollReport>(stack.client, customerSyncPollScheduleId(tenantId));

  it('when the store changes a customer’s address and delivers the webhook 3 times, then Intacct’s customer is updated once, with one store read', async () => {
    const storeRequestsBefore = await customerTraffic();
    await stack.intacctControl('DELETE', '/requests');
    await bigCommerceControl('PUT', '/webhook-behaviour', { copies: 3 });
    try {
      const moved = await stack.bigCommerce('PUT', '/v3/customers/addresses', [{ id: 1, address1: '200 Lavaca St', postal_code: '78702' }]);
      expect(moved.status).toBe(200);
      await eventually(c1001, {
        until: (row) => row['DISPLAYCONTACT.MAILADDRESS.ADDRESS1'] === '200 Lavaca St',
        what: 'the new address in Intacct',
        timeoutMs: 60_000,
      });
      const result = (await syncOf('1').result()) as CustomerSyncResult;
      expect(result.syncs).toEqual([
        { outcome: 'updated', intacctCustomerId: 'C-1001', fields: ['addresses'], storefrontRequests: 1, intacctTransactions: 2 },
      ]);
      await eventually(
        async () =>
          ((await bigCommerceControl('GET', '/webhooks')) as { deliveries: Array<{ scope: string; state: string }> }).deliveries.filter(
            (delivery) => delivery.scope === 'store/customer/address/updated',
          ),
        {
          until: (copies) => copies.length === 3 && copies.every((copy) => copy.state === 'delivered'),
          what: 'the three copies delivered and acknowledged',
          timeoutMs: 30_000,
        },
      );
    } finally {
      await bigCommerceControl('PUT', '/webhook-behaviour', { copies: 1 });
    }
    const row = await c1001();
    expect(row).toMatchObject({
      'DISPLAYCONTACT.MAILADDRESS.ADDRESS1': '200 Lavaca St',
      'DISPLAYCONTACT.MAILADDRESS.ZIP': '78702',
      'DISPLAYCONTACT.MAILADDRESS.COUNTRY': 'United States',
      'DISPLAYCONTACT.EMAIL1': 'ap@bright.example',
    });
    const traffic = await customerTraffic();
    expect(traffic.intacctUpdates).toBe(1);
    expect(traffic.intacctReads).toBe(1);
    expect(traffic.storeReads - storeRequestsBefore.storeReads).toBe(1);

    // The product's own Intacct write is not carried back: the poll reads it as its own.
    const poll = await runPoll();
    expect(poll).toMatchObject({ outcome: 'completed', customersWritten: 0, failed: 0 });
    expect(poll.ownWrites).toBe(1);
    expect((await customerTraffic()).storeWrites).toBe(traffic.storeWrites);
  });

  it('when Intacct puts the customer on credit hold, then the poll moves the store customer to the hold group once, and its echo writes nothing back', async () => {
    await stack.intacctControl('PATCH', '/records/CUSTOMER/C-1001', { fields: { ONHOLD: 'true' } });
    await stack.intacctControl('DELETE', '/requests');
    const before = await customerTraffic();

    const poll = await runPoll();
    expect(poll).toMatchObject({ outcome: 'completed', customersWritten: 1, customerBatches: 1, failed: 0 });
    expect((await jane()).customer_group_id).toBe(3);

    // BigCommerce announces the group change: CustomerSync recognises the product's own write.
    const echo = await eventually(async () => (await syncOf('1').result()) as CustomerSyncResult, {
      until: (result) => result.syncs.some((sync) => sync.outcome === 'ownWrite'),
      what: 'the echo’s CustomerSync to finish',
      timeoutMs: 60_000,
    });
    expect(echo.syncs.map((sync) => sync.outcome)).toEqual(['ownWrite']);

    const again = await runPoll();
    expect(again).toMatchObject({ outcome: 'completed', customersWritten: 0 });
    const after = await customerTraffic();
    expect(after.storeWrites - before.storeWrites).toBe(1);
    expect(after.intacctUpdates).toBe(0);
    expect(after.intacctReads).toBe(0);
  });
  it('when an operator runs the Intacct customer poll now through the admin API, then the schedule runs it; full reads every customer; the status shows the last report; 400 for a bad body, 409 while the sync is off and for a Clarity tenant', async () => {
    const path = `/tenants/${tenantId}/catalog/customers/sync`;
    // A poll first, so that the run below starts from a watermark whichever tests ran before.
    await runPoll();
    const handle = stack.client.schedule.getHandle(customerSyncPollScheduleId(tenantId));
    const actionsBefore = (await handle.describe()).info.recentActions.length;

    const now = await stack.admin('POST', path, {});
    expect(now).toMatchObject({ status: 202, body: { scheduleId: customerSyncPollScheduleId(tenantId), outcome: 'started' } });
    const run = await nextScheduledRunResult<CustomerSyncPollReport>(stack.client, customerSyncPollScheduleId(tenantId), actionsBefore);
    expect(run).toMatchObject({ tenantId, storefront: 'bigcommerce', outcome: 'completed', failed: 0 });

    const full = await stack.admin('POST', path, { full: true });
    expect(full).toMatchObject({ status: 202, body: { workflowId: `${customerSyncPollWorkflowId(tenantId)}:full`, outcome: 'started' } });
    const report = (await stack.client.workflow
      .getHandle(`${customerSyncPollWorkflowId(tenantId)}:full`)
      .result()) as CustomerSyncPollReport;
    const intacctCustomers = (await stack.intacctRecords('CUSTOMER')).length;
    // A full poll reads every Intacct customer, where a poll since the watermark reads only the changed ones.
    expect(report).toMatchObject({ outcome: 'completed', intacctCustomers, failed: 0 });
    expect(run.intacctCustomers).toBeLessThan(intacctCustomers);

    const status = await stack.admin('GET', path);
    expect(status.status).toBe(200);
    expect(status.body.modifiedSince).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(status.body.lastReport).toMatchObject({ runId: report.runId, intacctCustomers });

    expect(await stack.admin('POST', path, { full: 'yes' })).toMatchObject({ status: 400 });
    // A new BigCommerce tenant: the customer sync is off until a merchant turns it on.
    const off = await stack.createTenant('bigcommerce');
    expect(await stack.admin('POST', `/tenants/${off}/catalog/customers/sync`, {})).toMatchObject({
      status: 409,
      body: { error: { code: 'customer_sync_disabled', message: expect.stringContaining('turn on catalog.customers.enabled') } },
    });
    const clarity = await stack.createTenant('clarity');
    expect(await stack.admin('POST', `/tenants/${clarity}/catalog/customers/sync`, { full: true })).toMatchObject({
      status: 409,
      body: { error: { code: 'wrong_storefront', message: expect.stringContaining('sells on Clarity') } },
    });
    expect((await stack.admin('GET', `/tenants/${off}/catalog/customers/sync`)).body).toEqual({});
  });

  it('when an operator asks for the customer, then one answer holds both records, their link, orders, open AR, the last sync and attention items', async () => {
    // A sync of its own, so that the last sync the answer reports is this test's, whichever tests ran before.
    const moved = await stack.bigCommerce('PUT', '/v3/customers/addresses', [
      { id: 1, address1: '300 Congress Ave', postal_code: '78701' },
    ]);
    expect(moved.status).toBe(200);
    await eventually(c1001, {
      until: (row) => row['DISPLAYCONTACT.MAILADDRESS.ADDRESS1'] === '300 Congress Ave',
      what: 'the address in Intacct',
      timeoutMs: 60_000,
    });
    const view = await stack.admin('GET', `/tenants/${tenantId}/customers/1`);
    expect(view.status).toBe(200);
    const storeOrders = (await stack.bigCommerce('GET', '/v2/orders?customer_id=1&limit=250')).body as Array<{ id: number }>;
    const invoices = (await stack.intacctRecords('ARINVOICE')).filter((row) => row.CUSTOMERID === 'C-1001' && Number(row.TOTALDUE) !== 0);
    expect(view.body).toMatchObject({
      tenantId,
      customerId: '1',
      storefront: { kind: 'bigcommerce', customer: { id: '1', email: (await jane()).email } },
      link: { intacctCustomerId: 'C-1001', updatedBy: 'test' },
      intacct: { customerId: 'C-1001', email: 'ap@bright.example', openInvoices: invoices.length },
      orders: { read: storeOrders.length },
      attention: [],
    });
    expect(view.body.intacct.openBalance).toMatch(/^-?\d+\.\d{2}$/);
    expect(view.body.lastSync).toMatchObject({ direction: 'toIntacct', outcome: 'updated', fields: ['addresses'] });

    expect((await stack.admin('GET', `/tenants/${tenantId}/customers/999999`)).status).toBe(404);
    expect((await stack.admin('GET', `/tenants/${tenantId}/customers/not%20an%20id`)).status).toBe(400);
  });
});
