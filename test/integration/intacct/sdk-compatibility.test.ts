import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientConfig, Credentials, Functions, OnlineClient, RequestConfig } from '@intacct/intacct-sdk';
import { startHarness, uniqueId, type SandboxHarness } from './support.js';

/**
 * Sage's own JS SDK pointed at the sandbox: a user's existing tooling must work against it.
 * The SDK only accepts `*.intacct.com` endpoints; the test widens that check to the
 * sandbox's loopback host, as a user would with a hosts entry.
 */
/** The SDK keeps its host check private; the test reaches it the way a patch would. */
const Endpoint = Credentials.Endpoint as unknown as { isDomainValid(hostname: string): boolean };

describe('Intacct sandbox with the official @intacct/intacct-sdk', () => {
  let sandbox: SandboxHarness;
  let client: OnlineClient;
  const originalCheck = Endpoint.isDomainValid.bind(Endpoint);

  beforeAll(async () => {
    sandbox = await startHarness();
    Endpoint.isDomainValid = (hostname: string) => hostname === '127.0.0.1' || originalCheck(hostname);
    const config = new ClientConfig();
    config.endpointUrl = sandbox.gateway;
    config.senderId = 'demo-sender';
    config.senderPassword = 'demo-sender-pw';
    config.companyId = 'DEMO-CO';
    config.userId = 'sync-user';
    config.userPassword = 'demo-user-pw';
    client = new OnlineClient(config);
  });
  afterAll(async () => {
    Endpoint.isDomainValid = originalCheck;
    await sandbox.close();
  });

  it('when the SDK creates a sales order with its <datecreated><year>… dates, then the sandbox accepts it and returns the DOCID key', async () => {
    const reference = uniqueId('SDK');
    const create = new Functions.OrderEntry.OrderEntryTransactionCreate();
    create.transactionDefinition = 'Sales Order';
    create.transactionDate = new Date(2026, 0, 20);
    create.customerId = 'C-1002';
    create.referenceNumber = reference;
    create.paymentTerm = 'Net 15';
    const line = new Functions.OrderEntry.OrderEntryTransactionLineCreate();
    line.itemId = 'WIDGET-2';
    line.warehouseId = 'WH01';
    line.quantity = 3;
    line.price = 24.5;
    create.lines = [line];
    const config = new RequestConfig();
    config.uniqueId = true;
    const response = await client.execute(create, config);
    const result = response.getResult();
    expect(result.status).toBe('success');
    expect(result.key).toMatch(/^Sales Order-SO-\d{4}$/);
    const stored = (await sandbox.records('SODOCUMENT')).find((row) => row.PONUMBER === reference);
    expect(stored).toMatchObject({ DOCID: result.key, CUSTVENDID: 'C-1002', WHENCREATED: '01/20/2026', TOTAL: '73.5' });
  });

  it('when the SDK pages with ReadByQuery and ReadMore, then it reads every record', async () => {
    const query = new Functions.Common.ReadByQuery();
    query.objectName = 'ITEMWAREHOUSEINFO';
    query.fields = ['ITEMID', 'WAREHOUSEID', 'QONHAND'];
    query.pageSize = 3;
    const first = (await client.execute(query)).getResult();
    const rows: unknown[] = [...first.data];
    let remaining = first.numRemaining;
    let resultId = first.resultId;
    while (remaining > 0) {
      const more = new Functions.Common.ReadMore();
      more.resultId = resultId;
      const page = (await client.execute(more)).getResult();
      rows.push(...page.data);
      remaining = page.numRemaining;
      resultId = page.resultId;
    }
    expect(first.totalCount).toBe((await sandbox.records('ITEMWAREHOUSEINFO')).length);
    expect(rows).toHaveLength(first.totalCount);
  });

  it('when the SDK sends the newer query function, then the sandbox answers it with offset paging', async () => {
    const { NewQuery } = Functions.Common;
    const select = new NewQuery.QuerySelect.SelectBuilder().addFields(['CUSTOMERID', 'NAME']).selects;
    const filter = new NewQuery.QueryFilter.Filter('CUSTOMERID').like('C-100%');
    const order = new NewQuery.QueryOrderBy.OrderBuilder().addAscending('CUSTOMERID').orders;
    const request = new NewQuery.Query();
    request.fromObject = 'CUSTOMER';
    request.selectFields = select;
    request.filter = filter;
    request.orderBy = order;
    request.pageSize = 2;
    const result = (await client.execute(request)).getResult();
    expect(result.status).toBe('success');
    expect(result.totalCount).toBe(3);
    expect(result.numRemaining).toBe(1);
    expect((result.data as Array<{ CUSTOMERID: string }>).map((row) => row.CUSTOMERID)).toEqual(['C-1001', 'C-1002']);
  });

  it("when the SDK sends a failing function, then it raises the gateway's error text", async () => {
    const read = new Functions.Common.ReadByQuery();
    read.objectName = 'CUSTOMER';
    read.query = "NAME = 'unterminated";
    await expect(client.execute(read)).rejects.toThrow(/Query Failed/);
  });
});
