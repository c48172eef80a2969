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

  /** Per table: the stored table, a value to accept, one to reject, and an apply case around a person's row. */
  const decisions = [
    {
      table: 'customers',
      stored: 'customers',
      accept: { value: '41', row: { storefrontCustomer: '41', intacctCustomerId: 'C-1001' } },
      reject: { value: '44', email: 'AP@bright.example' },
      person: { value: '45', row: { intacctCustomerId: 'C-1003' } },
      apply: [
        { value: '45', email: 'AP@bright.example' },
        { value: '46', email: 'AP@bright.example' },
        { value: '42', company: 'Alpha and Omega Supplies' },
      ],
      applied: [{ value: '46', row: { storefrontCustomer: '46', intacctCustomerId: 'C-1001' }, confidence: 0.97 }],
    },
    {
      table: 'paymentMethods',
      stored: 'paymentMethods',
      accept: { value: 'stripe', row: { paymentMethod: 'stripe', glAccountNo: '1060' } },
      reject: { value: 'Stripe Clearing' },
      person: { value: 'Stripe', row: { glAccountNo: '1200' } },
      apply: [{ value: 'Stripe' }, { value: 'STRIPE' }, { value: 'Bank of America wire' }],
      applied: [{ value: 'STRIPE', row: { paymentMethod: 'STRIPE', glAccountNo: '1060' }, confidence: 0.9 }],
    },
    {
      table: 'dimensions',
      stored: 'dimensionRules',
      accept: { value: 'wholesale', row: { storefrontValue: 'wholesale', class: 'WHOLESALE' } },
      reject: { value: 'east coast' },
      person: { value: 'retail', row: { class: 'WHOLESALE' } },
      apply: [{ value: 'retail' }, { value: 'ECOM' }, { value: 'UPS Next Day Air' }],
      applied: [{ value: 'ECOM', row: { storefrontValue: 'ECOM', department: 'ECOM' }, confidence: 0.97 }],
    },
    {
      table: 'shippingMethods',
      stored: 'shippingMethods',
      accept: { value: 'ups ground', row: { storefrontMethod: 'ups ground', intacctShippingMethod: 'UPS Ground' } },
      reject: { value: 'FedEx 2-Day' },
      person: { value: 'UPS-Ground', row: { intacctShippingMethod: 'FedEx 2Day' } },
      apply: [{ value: 'UPS-Ground' }, { value: 'UPS GROUND' }, { value: 'usps priority' }],
      applied: [{ value: 'UPS GROUND', row: { storefrontMethod: 'UPS GROUND', intacctShippingMethod: 'UPS Ground' }, confidence: 0.97 }],
    },
  ];
  const rowOf = (stored: string, key: string) =>
    api.call('GET', `/api/v1/tenants/${tenant}/mappings/${stored}/rows/${encodeURIComponent(key)}`);

  it.each(decisions)('when a $table suggestion is accepted then its row is written as a PUT writes it, audited', async (when) => {
    const accepted = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/${when.table}/suggestions/accept`, { body: when.accept });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ key: when.accept.value, row: when.accept.row });
    expect((await rowOf(when.stored, when.accept.value)).body.row).toMatchObject(when.accept.row);
    const audit = await api.database.db
      .collection('audit_log')
      .find({ tenantId: tenant, target: `mapping:${when.stored}:${when.accept.value}` })
      .toArray();
    expect(audit.map((entry) => entry.action).sort()).toEqual(['mapping.put', 'mapping.suggestion.accept']);
  });

  it.each(decisions)('when a $table suggestion is rejected then that value is not offered it again', async (when) => {
    const first = await suggest(when.table, { values: [when.reject], limit: 10 });
    const refused = first.body.suggestions[0].candidates[0];
    expect(refused).toBeDefined();
    const rejected = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/${when.table}/suggestions/reject`, {
      body: { value: when.reject.value, row: refused.row },
    });
    expect(rejected.status).toBe(204);
    const again = await suggest(when.table, { values: [when.reject], limit: 10 });
    expect(again.body.suggestions[0].candidates.map((candidate: { row: unknown }) => candidate.row)).not.toContainEqual(refused.row);
  });

  it('when automatic application is off then apply is refused with the reason', async () => {
    const refused = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/customers/suggestions/apply`, {
      body: { values: [{ value: '46', email: 'AP@bright.example' }] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('auto_apply_off');
    expect((await rowOf('customers', '46')).status).toBe(404);
  });

  it.each(decisions)(
    'when $table suggestions are applied then only values without a row get one above the threshold, marked and listed',
    async (when) => {
      const current = await api.call('GET', `/api/v1/tenants/${tenant}/settings`);
      if (!current.body.settings.mappingAssistant.autoApply.enabled) {
        const changed = await api.call('PATCH', `/api/v1/tenants/${tenant}/settings`, {
          body: { version: current.body.version, settings: { mappingAssistant: { autoApply: { enabled: true, minConfidence: 0.9 } } } },
        });
        expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      }
      const person = await api.call(
        'PUT',
        `/api/v1/tenants/${tenant}/mappings/${when.stored}/rows/${encodeURIComponent(when.person.value)}`,
        {
          body: when.person.row,
        },
      );
      expect(person.status, JSON.stringify(person.body)).toBe(200);

      const applied = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/${when.table}/suggestions/apply`, {
        body: { values: when.apply },
      });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(applied.body).toEqual({ applied: when.applied });
      expect((await rowOf(when.stored, when.person.value)).body).toMatchObject({
        row: when.person.row,
        updatedBy: expect.not.stringMatching('mapping-assistant'),
      });

      const listed = await api.call('GET', `/api/v1/tenants/${tenant}/mappings/${when.table}/suggestions/applied`);
      expect(listed.body.rows.map((row: { key: string; updatedBy: string }) => [row.key, row.updatedBy])).toEqual(
        when.applied.map((row) => [row.value, 'mapping-assistant']),
      );
      const again = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/${when.table}/suggestions/apply`, {
        body: { values: when.apply },
      });
      expect(again.body).toEqual({ applied: [] });
    },
  );

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
    for (const action of ['accept', 'reject', 'apply'])
      expect(Object.keys(document.paths[`/api/v1/tenants/{tenantId}/mappings/{table}/suggestions/${action}`])).toEqual(['post']);
    expect(Object.keys(document.paths['/api/v1/tenants/{tenantId}/mappings/{table}/suggestions/applied'])).toEqual(['get']);
  });

  it('when the table takes no suggestions or the body is wrong then the call is refused', async () => {
    expect((await suggest('statuses', { values: [{ value: '11' }] })).status).toBe(400);
    expect((await suggest('customers', { values: [] })).status).toBe(400);
    expect((await suggest('customers', { values: [{ value: '1', colour: 'red' }] })).status).toBe(400);
    const invalidRow = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/dimensions/suggestions/accept`, {
      body: { value: 'nowhere', row: { storefrontValue: 'nowhere' } },
    });
    expect(invalidRow.status).toBe(400);
    const otherTable = await api.call('POST', `/api/v1/tenants/${tenant}/mappings/statuses/suggestions/accept`, {
      body: { value: '11', row: { intacctStatus: 'x' } },
    });
    expect(otherTable.status).toBe(400);
  });
});
