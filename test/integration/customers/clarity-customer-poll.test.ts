import { describe, expect, it } from 'vitest';
import { clarityCustomerPollSchedule } from '../../../schedules/clarity-customer-poll.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { readClarityCustomerPollState, saveClarityCustomerPollMark } from '../../../store/customer-sync-state.js';
import { findMappingRow, upsertMappingRows } from '../../../store/mappings.js';
import { intacctUsageMonth, saveIntacctUsageTally } from '../../../store/intacct-usage.js';
import type { TenantSettings } from '../../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  clarityCustomerPollScheduleId,
  clarityCustomerPollWorkflowId,
  customerSyncWorkflowId,
  type ClarityCustomerPollReport,
  type CustomerSyncResult,
} from '../../../workflows/customer-sync-contract.js';
import { eventually } from '../../support/eventually.js';
import { nextScheduledRunResult, runScheduleNow } from '../../support/scheduled-run.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 20's Clarity customers, end to end: Clarity sends no customer events, so the tenant's
 * schedule polls `GET /customers?updatedSince=` and hands each changed customer to its own
 * CustomerSync, the entity the BigCommerce customer webhooks start; the tenant's first poll reads
 * every customer, so the store's existing customers are linked too. Clarity's Jane (CU-2001) is
 * linked to Intacct's C-1001 in the customers mapping table, and Marco (CU-2002) has an Intacct
 * customer under his email; contact and email sync is off, so each test sees only the addresses.
 * The Intacct sandbox's request log proves what was written, and that a poll with no changes
 * makes no Intacct request at all.
 */
describe('Clarity customer poll: the first poll links the store’s customers, a change reaches Intacct once, a quiet poll writes nothing', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'clarity',
      prepare: async (started, tenant) => {
        await started.intacctControl('POST', '/records/CUSTOMER', {
          fields: {
            CUSTOMERID: 'C-2002',
            NAME: 'Rossi Outfitters LLC',
            STATUS: 'active',
            CURRENCY: 'USD',
            'DISPLAYCONTACT.PRINTAS': 'Rossi Outfitters LLC',
            'DISPLAYCONTACT.COMPANYNAME': 'Rossi Outfitters LLC',
            'DISPLAYCONTACT.EMAIL1': 'marco@rossi-outfitters.example',
          },
        });
        await upsertMappingRows(
          started.database.db,
          tenant,
          'customers',
          [{ key: 'CU-2001', row: { storefrontCustomer: 'CU-2001', intacctCustomerId: 'C-1001' } }],
          'test',
        );
        const current = (await readSettings(started.database.db, tenant))!;
        const customers = {
          ...current.settings.catalog.customers,
          enabled: true,
          // Never fires on its own: runs come from `runPoll`.
          schedule: '0 3 1 1 *',
          fields: { ...current.settings.catalog.customers.fields, contact: 'none' as const, email: 'none' as const },
        };
        const settings = { ...current.settings, catalog: { ...current.settings.catalog, customers } };
        await writeSettings(started.database.db, tenant, settings, { expectedVersion: current.version, changedBy: 'test' });
        await ensureTenantSchedule(clarityCustomerPollSchedule, started.client, started.config.temporal.taskQueue, tenant, settings);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const intacctFunctions = async () => {
    const log = (await stack.intacctControl('GET', '/requests')) as {
      requests: Array<{ functions: Array<{ name: string; controlId: string }> }>;
    };
    return log.requests.flatMap((request) => request.functions);
  };
  const c1001 = async () => (await stack.intacctRecords('CUSTOMER')).find((row) => row.CUSTOMERID === 'C-1001')!;
  const syncOf = (customerId: string) =>
    eventually(
      async () =>
        (await stack.client.workflow.getHandle(customerSyncWorkflowId(tenantId, 'clarity', customerId)).result()) as CustomerSyncResult,
      { what: `Clarity customer ${customerId}'s CustomerSync to finish`, timeoutMs: 60_000 },
    );

  const runPoll = () => runScheduleNow<ClarityCustomerPollReport>(stack.client, clarityCustomerPollScheduleId(tenantId));

  it('when the tenant’s first poll runs, then it reads every customer from the beginning: Jane’s address reaches C-1001, Marco is linked by email, Aiko is left unlinked; the next poll makes no Intacct request', async () => {
    expect(await readClarityCustomerPollState(stack.database.db, tenantId)).toBeNull();
    await stack.intacctControl('DELETE', '/requests');
    const customersBefore = (await stack.intacctRecords('CUSTOMER')).length;

    const first = await runPoll();
    // Oldest change first: Jane (March), Aiko (August), Marco (September).
    expect(first).toMatchObject({
      outcome: 'completed',
      listed: 3,
      offered: 3,
      mark: { customerId: 'CU-2002', updatedAt: '2026-09-20T08:05:00.000Z' },
    });
    expect(first.since).toBeUndefined();
    const jane = await syncOf('CU-2001');
    const marco = await syncOf('CU-2002');
    const aiko = await syncOf('CU-2003');
    expect(jane.syncs).toEqual([expect.objectContaining({ outcome: 'updated', intacctCustomerId: 'C-1001', fields: ['addresses'] })]);
    // C-2002 changed after Marco did, so under lastChange the books keep their addresses: linked, nothing written.
    expect(marco.syncs).toEqual([
      expect.objectContaining({ outcome: 'unchanged', intacctCustomerId: 'C-2002', linkedBy: 'matched', fields: [] }),
    ]);
    expect(aiko.syncs).toEqual([expect.objectContaining({ outcome: 'unlinked', fields: [] })]);
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', 'CU-2002')).toMatchObject({
      row: { intacctCustomerId: 'C-2002' },
    });
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', 'CU-2003')).toBeNull();
    expect((await stack.intacctRecords('CUSTOMER')).length).toBe(customersBefore);
    // The backfill's cost, as docs/catalog-sync.md states it: Intacct transactions per customer by how it was linked.
    const spent = [jane, marco, aiko].map((result) => result.syncs[0]!.intacctTransactions);
    expect(spent).toEqual([2, 2, 1]);
    expect((await intacctFunctions()).filter((fn) => fn.name === 'update')).toHaveLength(1);

    await stack.intacctControl('DELETE', '/requests');
    const second = await runPoll();
    expect(second).toMatchObject({ outcome: 'completed', offered: 0, since: first.mark, mark: first.mark });
    expect(await intacctFunctions()).toEqual([]);
  });

  it('when Jane’s address changes in Clarity, then the next poll updates C-1001 once, and a poll after it makes no Intacct request', async () => {
    const first = (await readClarityCustomerPollState(stack.database.db, tenantId))!;

    const moved = await stack.clarity('PATCH', '/customers/CU-2001', {
      addresses: [
        {
          firstName: 'Jane',
          lastName: 'Doe',
          company: null,
          line1: '200 Lavaca St',
          line2: null,
          city: 'Austin',
          region: 'TX',
          postalCode: '78702',
          country: 'US',
          phone: null,
          email: null,
        },
      ],
    });
    expect(moved.status).toBe(200);
    await stack.intacctControl('DELETE', '/requests');

    const poll = await runPoll();
    expect(poll).toMatchObject({ outcome: 'completed', offered: 1, since: first.mark });
    expect(poll.mark).toEqual({ customerId: 'CU-2001', updatedAt: moved.body.updatedAt });
    const result = await syncOf('CU-2001');
    expect(result.syncs).toEqual([
      { outcome: 'updated', intacctCustomerId: 'C-1001', fields: ['addresses'], storefrontRequests: 1, intacctTransactions: 2 },
    ]);
    expect(await c1001()).toMatchObject({
      'DISPLAYCONTACT.MAILADDRESS.ADDRESS1': '200 Lavaca St',
      'DISPLAYCONTACT.MAILADDRESS.ZIP': '78702',
      'DISPLAYCONTACT.MAILADDRESS.COUNTRY': 'United States',
      'DISPLAYCONTACT.EMAIL1': 'ap@bright.example',
    });
    expect((await intacctFunctions()).filter((fn) => fn.name === 'update')).toHaveLength(1);

    await stack.intacctControl('DELETE', '/requests');
    const quiet = await runPoll();
    expect(quiet).toMatchObject({ outcome: 'completed', offered: 0, since: poll.mark, mark: poll.mark });
    expect(quiet.listed).toBeGreaterThanOrEqual(1);
    expect(await intacctFunctions()).toEqual([]);
    expect((await syncOf('CU-2001')).syncs).toHaveLength(1);
  });

  it('when a shopper unknown to Intacct registers, then the poll leaves it unlinked with nothing created; one with a known email is linked', async () => {
    const customersBefore = (await stack.intacctRecords('CUSTOMER')).length;
    await stack.intacctControl('DELETE', '/requests');
    const registered = await stack.clarity('POST', '/customers', {
      customerId: 'CU-3001',
      email: 'nobody.yet@example.org',
      firstName: 'Noor',
      lastName: 'Haddad',
    });
    expect(registered.status).toBe(201);
    const known = await stack.clarity('POST', '/customers', {
      customerId: 'CU-3002',
      // Stores keep the case a shopper typed; the match is on the lower-case email, as for BigCommerce.
      email: 'Erin@Deli.example',
      firstName: 'Erin',
      lastName: 'Walsh',
    });
    expect(known.status).toBe(201);

    const poll = await runPoll();
    expect(poll).toMatchObject({ outcome: 'completed', offered: 2 });
    expect((await syncOf('CU-3001')).syncs).toEqual([expect.objectContaining({ outcome: 'unlinked', fields: [], storefrontRequests: 1 })]);
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', 'CU-3001')).toBeNull();
    expect((await syncOf('CU-3002')).syncs).toEqual([expect.objectContaining({ intacctCustomerId: 'C-1002', linkedBy: 'matched' })]);
    expect(await findMappingRow(stack.database.db, tenantId, 'customers', 'CU-3002')).toMatchObject({
      row: { intacctCustomerId: 'C-1002' },
    });

    expect((await stack.intacctRecords('CUSTOMER')).length).toBe(customersBefore);
    expect((await intacctFunctions()).filter((fn) => fn.name === 'create' || fn.controlId.startsWith('customer-create:'))).toEqual([]);
  });

  it('when a poll spans several continue-as-new generations, then each change is handed on once and the saved mark is where it stopped', async () => {
    for (const [customerId, phone] of [
      ['CU-2002', '+1 512 555 0102'],
      ['CU-2003', '+1 512 555 0103'],
      ['CU-3001', '+1 512 555 0104'],
    ] as const) {
      expect((await stack.clarity('PATCH', `/customers/${customerId}`, { phone })).status).toBe(200);
    }
    const report = (await stack.client.workflow.execute('clarityCustomerPoll', {
      workflowId: `${clarityCustomerPollWorkflowId(tenantId)}:paged`,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ tenantId, pageSize: 1, pagesPerRun: 1 }],
    })) as ClarityCustomerPollReport;
    expect(report).toMatchObject({ outcome: 'completed', offered: 3, mark: { customerId: 'CU-3001' } });
    expect(report.generations).toBeGreaterThan(2);
    expect((await readClarityCustomerPollState(stack.database.db, tenantId))?.mark).toEqual(report.mark);
    // Marco, linked by the first poll, now changed after C-2002 did: his addresses reach it (lastChange).
    expect((await syncOf('CU-2002')).syncs.at(-1)).toMatchObject({
      outcome: 'updated',
      intacctCustomerId: 'C-2002',
      fields: ['addresses'],
    });
    for (const customerId of ['CU-2003', 'CU-3001']) {
      expect((await syncOf(customerId)).syncs.at(-1)).toMatchObject({ outcome: 'unlinked' });
    }

    expect(await runPoll()).toMatchObject({ outcome: 'completed', offered: 0, since: report.mark });
  });

  it('when an operator runs the poll now through the admin API, then the schedule runs it; full hands on every customer without moving the mark back; the status shows the mark and the last report', async () => {
    const path = `/tenants/${tenantId}/catalog/customers/clarity-poll`;
    const marked = (await readClarityCustomerPollState(stack.database.db, tenantId))!.mark!;
    expect((await stack.clarity('PATCH', '/customers/CU-2003', { phone: '+1 512 555 0199' })).status).toBe(200);
    const handle = stack.client.schedule.getHandle(clarityCustomerPollScheduleId(tenantId));
    const actionsBefore = (await handle.describe()).info.recentActions.length;

    const now = await stack.admin('POST', path, {});
    expect(now).toMatchObject({ status: 202, body: { scheduleId: clarityCustomerPollScheduleId(tenantId), outcome: 'started' } });
    const run = await nextScheduledRunResult<ClarityCustomerPollReport>(
      stack.client,
      clarityCustomerPollScheduleId(tenantId),
      actionsBefore,
    );
    expect(run).toMatchObject({ outcome: 'completed', offered: 1, since: marked, mark: { customerId: 'CU-2003' } });

    const full = await stack.admin('POST', path, { full: true });
    expect(full).toMatchObject({
      status: 202,
      body: { workflowId: `${clarityCustomerPollWorkflowId(tenantId)}:full`, outcome: 'started' },
    });
    const report = (await stack.client.workflow
      .getHandle(`${clarityCustomerPollWorkflowId(tenantId)}:full`)
      .result()) as ClarityCustomerPollReport;
    // The seeded three and the two registered above.
    const customers = 5;
    expect(report).toMatchObject({ outcome: 'completed', listed: customers, offered: customers, mark: run.mark });
    expect(report.since).toBeUndefined();

    const state = await stack.admin('GET', path);
    expect(state).toMatchObject({ status: 200, body: { mark: run.mark, lastReport: { offered: customers, startedAt: report.startedAt } } });
    expect(state.body.modifiedSince).toBeUndefined();
    // The full poll saved each page's mark as it went; none of those behind the schedule's moved it back.
    await saveClarityCustomerPollMark(stack.database.db, tenantId, marked);
    expect((await readClarityCustomerPollState(stack.database.db, tenantId))!.mark).toEqual(run.mark);

    const openApi = await fetch(`${stack.api.url}/api/v1/openapi.json`).then((response) => response.json() as Promise<{ paths: object }>);
    expect(Object.keys(openApi.paths)).toContain('/api/v1/tenants/{tenantId}/catalog/customers/clarity-poll');
  });

  it('when the run-now call is wrong, then 400 for a bad body, 404 for an unknown tenant, 409 for a BigCommerce tenant and while the customer sync is off', async () => {
    const run = (tenant: string, body: unknown) => stack.admin('POST', `/tenants/${tenant}/catalog/customers/clarity-poll`, body);
    expect(await run(tenantId, { full: 'yes' })).toMatchObject({ status: 400 });
    expect(await run('no-such-tenant', {})).toMatchObject({ status: 404 });

    const bigCommerce = await stack.createTenant('bigcommerce');
    expect(await run(bigCommerce, {})).toMatchObject({
      status: 409,
      body: { error: { code: 'wrong_storefront', message: expect.stringContaining('sells on bigcommerce, not Clarity') } },
    });
    // A new Clarity tenant: the customer sync is off until a merchant turns it on.
    const off = await stack.createTenant('clarity');
    expect(await run(off, { full: true })).toMatchObject({
      status: 409,
      body: { error: { code: 'customer_sync_disabled', message: expect.stringContaining('catalog.customers.enabled is false') } },
    });
    expect((await stack.admin('GET', `/tenants/${off}/catalog/customers/clarity-poll`)).body).toEqual({});
  });

  it('when the month has reached the Intacct budget’s soft limit, then the poll is deferred: nothing is handed on and the mark stays', async () => {
    const marked = (await readClarityCustomerPollState(stack.database.db, tenantId))!.mark;
    expect((await stack.clarity('PATCH', '/customers/CU-2001', { phone: '+1 512 555 0111' })).status).toBe(200);
    const budget = (await readSettings(stack.database.db, tenantId))!.settings.intacctBudget;
    await changeSettings((settings) => ({
      ...settings,
      intacctBudget: { monthlyTransactions: 100, alertAtPercent: [80], deferNonUrgentAtPercent: 50 },
    }));
    const month = intacctUsageMonth(new Date());
    await saveIntacctUsageTally(stack.database.db, {
      tenantId,
      month,
      process: 'another-worker',
      transactions: 60,
      byFunction: {},
      updatedAt: new Date(),
    });

    const deferred = await runPoll();
    expect(deferred).toMatchObject({ outcome: 'deferred', pages: 0, listed: 0, offered: 0 });
    expect(deferred.note).toContain(`60 Intacct transactions spent in ${month}, at or past the soft limit of 50`);
    expect((await readClarityCustomerPollState(stack.database.db, tenantId))!.mark).toEqual(marked);

    await changeSettings((settings) => ({ ...settings, intacctBudget: budget }));
    expect(await runPoll()).toMatchObject({ outcome: 'completed', offered: 1, mark: { customerId: 'CU-2001' } });
  });

  it('when the tenant’s Clarity client is granted no product writes, then its polls still run (no products:write asked) until the settings have the item sync write Clarity products', async () => {
    const clientId = `no-product-writes-${tenantId}`;
    const clientSecret = 'no-product-writes-secret';
    const granted = [
      'orders:read',
      'orders:write',
      'products:read',
      'inventory:write',
      'customers:read',
      'returns:read',
      'webhooks:manage',
    ];
    expect((await stack.clarity('PUT', `/oauth-clients/${clientId}`, { clientSecret, scopes: granted })).status).toBe(200);
    expect((await stack.admin('PUT', `/tenants/${tenantId}/credentials/clarity`, { clientId, clientSecret })).status).toBe(200);
    // A settings change gives the worker fresh clients, built from the new credentials.
    await changeCatalog((catalog) => ({ ...catalog, customers: { ...catalog.customers, schedule: '0 4 1 1 *' } }));

    const tokenAnswers = async () =>
      ((await stack.clarity('GET', '/requests')).body as { data: Array<{ path: string; status: number }> }).data
        .filter((entry) => entry.path === '/oauth/token')
        .map((entry) => entry.status);
    const tokensBefore = (await tokenAnswers()).length;
    expect(await runPoll()).toMatchObject({ outcome: 'completed' });
    expect(await stack.admin('POST', `/tenants/${tenantId}/connections/storefront/test`)).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect((await tokenAnswers()).slice(tokensBefore)).toEqual([200, 200]);

    // Intacct owns the item name, price and status by default: the item sync writes Clarity products.
    await changeCatalog((catalog) => ({ ...catalog, items: { ...catalog.items, enabled: true } }));
    expect(await stack.admin('POST', `/tenants/${tenantId}/connections/storefront/test`)).toMatchObject({
      status: 200,
      body: { ok: false, failure: 'auth', vendorCode: 'invalid_scope' },
    });
  });

  async function changeSettings(change: (settings: TenantSettings) => TenantSettings): Promise<void> {
    const current = (await readSettings(stack.database.db, tenantId))!;
    await writeSettings(stack.database.db, tenantId, change(current.settings), { expectedVersion: current.version, changedBy: 'test' });
  }

  function changeCatalog(change: (catalog: TenantSettings['catalog']) => TenantSettings['catalog']): Promise<void> {
    return changeSettings((settings) => ({ ...settings, catalog: change(settings.catalog) }));
  }
});
