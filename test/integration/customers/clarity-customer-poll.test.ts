import { describe, expect, it } from 'vitest';
import { clarityCustomerPollSchedule } from '../../../schedules/clarity-customer-poll.js';
import { ensureTenantSchedule } from '../../../schedules/schedule-sync.js';
import { readClarityCustomerPollState } from '../../../store/customer-sync-state.js';
import { findMappingRow, upsertMappingRows } from '../../../store/mappings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  clarityCustomerPollScheduleId,
  clarityCustomerPollWorkflowId,
  customerSyncWorkflowId,
  type ClarityCustomerPollReport,
  type CustomerSyncResult,
} from '../../../workflows/customer-sync-contract.js';
import { eventually } from '../../support/eventually.js';
import { runScheduleNow } from '../../support/scheduled-run.js';
import { useEndToEndTenant, type OrderToCashStack } from '../order-to-cash/e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * Issue 20's Clarity customers, end to end: Clarity sends no customer events, so the tenant's
 * schedule polls `GET /customers?updatedSince=` and hands each changed customer to its own
 * CustomerSync, the entity the BigCommerce customer webhooks start. Clarity's Jane (CU-2001) is
 * linked to Intacct's C-1001 in the customers mapping table; contact and email sync is off, so
 * each test sees only the address it moves. The Intacct sandbox's request log proves what was
 * written, and that a poll with no changes makes no Intacct request at all.
 */
describe('Clarity customer poll: a store change reaches the linked Intacct customer once, and a quiet poll writes nothing', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'clarity',
      prepare: async (started, tenant) => {
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

  it('when Jane’s address changes in Clarity, then the next poll updates C-1001 once, and a poll after it makes no Intacct request', async () => {
    // The first poll starts from now: the seeded customers' old changes are not carried.
    const first = await runPoll();
    expect(first).toMatchObject({ outcome: 'completed', offered: 0 });

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
    for (const customerId of ['CU-2002', 'CU-2003', 'CU-3001']) {
      expect((await syncOf(customerId)).syncs.at(-1)).toMatchObject({ outcome: 'unlinked' });
    }

    expect(await runPoll()).toMatchObject({ outcome: 'completed', offered: 0, since: report.mark });
  });
});
