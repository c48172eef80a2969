import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntacctSandbox } from '../../../sandbox/intacct/index.js';
import { startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { sandboxCredentials } from '../../support/sandbox-credentials.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/**
 * Suggestions for customers, payment methods, dimensions and shipping methods through the
 * admin API, against the Intacct sandbox's demo company over HTTP.
 */
describe('admin API: customer, payment method, dimension and shipping method suggestions', () => {
  let api: AdminApiUnderTest;
  let intacct: Awaited<ReturnType<typeof startIntacctSandbox>>;
  const tenant = 'suggest-records';
  const suggest = (table: string, body: unknown) => api.call('POST', `/api/v1/tenants/${tenant}/mappings/${table}/suggestions`, { body });
  const best = (answer: { body: { suggestions: Array<{ candidates: Array<{ row: unknown; reasons: string[] }> }> } }) =>
    answer.body.suggestions.map(
      (suggestion) => suggestion.candidates[0] && { row: suggestion.candidates[0].row, reasons: suggestion.candidates[0].reasons },
    );

  beforeAll(async () => {
    intacct = await startIntacctSandbox({ port: 0, controlEnabled: true });
    api = await startAdminApi({ endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: intacct.url }) });
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: tenant,
        name: 'Suggest records',
        connection: {
          storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: intacct.url },
          intacct: { companyId: 'DEMO-CO', endpointUrl: `${intacct.url}/ia/xml/xmlgw.phtml` },
        },
      },
    });
    expect(created.status).toBe(201);
    expect((await api.call('PUT', `/api/v1/tenants/${tenant}/credentials/intacct`, { body: sandboxCredentials.intacct })).status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
    await intacct?.close();
  });

  it('when storefront customers are named then Intacct customers are suggested by email or company, inactive ones never', async () => {
    const answer = await suggest('customers', {
      values: [
        { value: '41', email: 'AP@bright.example' },
        { value: '42', company: 'Alpha and Omega Supplies' },
        { value: 'old@closed.example' },
      ],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(best(answer)).toEqual([
      { row: { storefrontCustomer: '41', intacctCustomerId: 'C-1001' }, reasons: ['same email'] },
      { row: { storefrontCustomer: '42', intacctCustomerId: 'C-1003' }, reasons: ['company 86 % similar'] },
      undefined,
    ]);
  });

  it('when payment methods are named then GL accounts whose title names them, or the bank, are suggested', async () => {
    const answer = await suggest('paymentMethods', { values: [{ value: 'stripe' }, { value: 'Bank of America wire' }], limit: 1 });
    expect(answer.status).toBe(200);
    expect(best(answer)).toEqual([
      { row: { paymentMethod: 'stripe', glAccountNo: '1060' }, reasons: ['GL account title "Stripe Clearing" names stripe'] },
      {
        row: { paymentMethod: 'Bank of America wire', bankAccountId: 'BOA-CHK' },
        reasons: expect.arrayContaining([expect.stringContaining('bank account "Bank of America"')]),
      },
    ]);
  });

  it('when storefront values are named then dimension values equal to an id or a name are suggested', async () => {
    const answer = await suggest('dimensions', {
      values: [{ value: 'wholesale' }, { value: 'east coast' }, { value: 'E-Commerce', dimension: 'department' }],
    });
    expect(answer.status).toBe(200);
    expect(best(answer)).toEqual([
      { row: { storefrontValue: 'wholesale', class: 'WHOLESALE' }, reasons: ['same as the class id'] },
      { row: { storefrontValue: 'east coast', location: '200' }, reasons: ['same as the location name'] },
      { row: { storefrontValue: 'E-Commerce', department: 'ECOM' }, reasons: ['same as the department name'] },
    ]);
  });

  it('when shipping methods are named then Intacct shipping methods of the same carrier are suggested', async () => {
    const answer = await suggest('shippingMethods', {
      values: [{ value: 'UPS® Ground' }, { value: 'FedEx 2-Day' }, { value: 'Free Shipping' }],
    });
    expect(answer.status).toBe(200);
    expect(
      best(answer).map((candidate) => (candidate?.row as { intacctShippingMethod?: string } | undefined)?.intacctShippingMethod),
    ).toEqual(['UPS Ground', 'FedEx 2Day', undefined]);
  });

  it('when the OpenAPI document is read then the call is in it with its tables', async () => {
    const document = (await api.call('GET', '/api/v1/openapi.json')).body;
    const operation = document.paths['/api/v1/tenants/{tenantId}/mappings/{table}/suggestions'].post;
    expect(operation.description).toBe('Needs the operator role.');
    expect(operation.parameters.find((parameter: { name: string }) => parameter.name === 'table').schema.enum).toEqual([
      'customers',
      'paymentMethods',
      'dimensions',
      'shippingMethods',
    ]);
  });

  it('when the table takes no suggestions or the body is wrong then the call is refused', async () => {
    expect((await suggest('statuses', { values: [{ value: '11' }] })).status).toBe(400);
    expect((await suggest('customers', { values: [] })).status).toBe(400);
    expect((await suggest('customers', { values: [{ value: '1', colour: 'red' }] })).status).toBe(400);
  });
});
