import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntacctSandbox, type RequestLogEntry } from '../../../sandbox/intacct/index.js';
import { parkForAttention } from '../../../store/attention.js';
import { startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { sandboxCredentials } from '../../support/sandbox-credentials.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/**
 * Item mapping suggestions through the admin API against the Intacct sandbox over HTTP: its
 * demo items plus 1,500 generated ones, so the catalogue is read in more than one page.
 */
describe('admin API: item mapping suggestions', () => {
  let api: AdminApiUnderTest;
  let intacct: Awaited<ReturnType<typeof startIntacctSandbox>>;
  const tenant = 'suggest';
  const base = `/api/v1/tenants/${tenant}/mappings/items/suggestions`;

  /** Changes the tenant's `mappingAssistant.autoApply` as an admin does, through the settings API. */
  const setAutoApply = async (autoApply: { enabled?: boolean; minConfidence?: number }) => {
    const current = await api.call('GET', `/api/v1/tenants/${tenant}/settings`);
    const changed = await api.call('PATCH', `/api/v1/tenants/${tenant}/settings`, {
      body: { version: current.body.version, settings: { mappingAssistant: { autoApply } } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  };

  const catalogueReads = async () => {
    const log = (await (await fetch(`${intacct.url}/__control/requests`)).json()) as { requests: RequestLogEntry[] };
    return log.requests.flatMap((request) => request.functions).filter((fn) => fn.controlId.startsWith('item-catalogue')).length;
  };

  beforeAll(async () => {
    intacct = await startIntacctSandbox({ port: 0, controlEnabled: true, seed: { extraItems: 1_500 } });
    // The storefront is never called here; its endpoint only has to be one the installation allows.
    api = await startAdminApi({ endpoints: sandboxEndpoints({ intacct: intacct.url, bigcommerce: intacct.url }) });
    const created = await api.call('POST', '/api/v1/tenants', {
      body: {
        id: tenant,
        name: 'Suggest',
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

  it('when SKUs are named then each gets ranked items with confidence and reasons, and inactive items are never offered', async () => {
    const answer = await api.call('POST', base, {
      body: {
        skus: [
          { sku: 'tshirt_blk_m', name: 'Classic T-Shirt - Medium / Black', price: 24 },
          { sku: 'POSTER-CITY-A2' },
          { sku: 'SKU-1207' },
        ],
        limit: 2,
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.suggestions).toEqual([
      {
        sku: 'tshirt_blk_m',
        candidates: [
          {
            intacctItemId: 'TSHIRT-BLK-M',
            confidence: 0.96,
            reasons: ['SKU equal after removing separators', "price 24 close to the item's 24"],
          },
        ],
      },
      { sku: 'POSTER-CITY-A2', candidates: [] },
      {
        sku: 'SKU-1207',
        candidates: [{ intacctItemId: 'SKU-001207', confidence: 0.93, reasons: ['SKU equal after removing separators and leading zeros'] }],
      },
    ]);
  });

  it("when a storefront product's SKU matches nothing but its UPC is an Intacct item's UPC, then that item is suggested for the same UPC", async () => {
    const answer = await api.call('POST', base, { body: { skus: [{ sku: 'BC-77731', name: 'Mug', upc: '036000291452' }], limit: 1 } });
    expect(answer.status).toBe(200);
    expect(answer.body.suggestions).toEqual([
      { sku: 'BC-77731', candidates: [{ intacctItemId: 'MUG-CER-12OZ', confidence: 0.97, reasons: ['same UPC/GTIN'] }] },
    ]);
  });

  it("when asked again then Intacct's items come from the cache, not another read", async () => {
    const before = await catalogueReads();
    expect(before).toBeGreaterThanOrEqual(2);
    expect((await api.call('POST', base, { body: { skus: [{ sku: 'widget_1' }] } })).body.suggestions[0].candidates[0].intacctItemId).toBe(
      'WIDGET-1',
    );
    expect(await catalogueReads()).toBe(before);
  });

  it('when no SKUs are named then the SKUs that parked orders are suggested for; accepting writes the row, audited, and the SKU leaves the list', async () => {
    await parkForAttention(api.database.db, {
      tenantId: tenant,
      entity: 'order',
      externalId: 'order-501',
      code: 'unknown_sku',
      reason: 'no Intacct item for SKU hoodie-gry-l',
      fix: 'add the SKU to the item mapping table',
      details: { missingSkus: ['hoodie-gry-l'] },
    });
    const parked = await api.call('POST', base, { body: {} });
    expect(parked.body.suggestions).toEqual([
      { sku: 'hoodie-gry-l', candidates: [{ intacctItemId: 'HOODIE-GRY-L', confidence: 0.97, reasons: ['SKU equal ignoring case'] }] },
    ]);

    const accepted = await api.call('POST', `${base}/accept`, { body: { sku: 'hoodie-gry-l', intacctItemId: 'HOODIE-GRY-L' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ key: 'hoodie-gry-l', row: { storefrontSku: 'hoodie-gry-l', intacctItemId: 'HOODIE-GRY-L' } });
    expect((await api.call('GET', `/api/v1/tenants/${tenant}/mappings/items/rows/hoodie-gry-l`)).body.row.intacctItemId).toBe(
      'HOODIE-GRY-L',
    );
    const audit = await api.database.db.collection('audit_log').find({ tenantId: tenant, target: 'mapping:items:hoodie-gry-l' }).toArray();
    expect(audit.map((entry) => entry.action).sort()).toEqual(['mapping.put', 'mapping.suggestion.accept']);

    expect((await api.call('POST', base, { body: {} })).body.suggestions).toEqual([]);
  });

  it('when a suggestion is rejected then it is not offered again for that SKU', async () => {
    const first = await api.call('POST', base, { body: { skus: [{ sku: 'MUG-WHT-11' }] } });
    expect(first.body.suggestions[0].candidates[0].intacctItemId).toBe('MUG-WHT-11OZ');
    expect((await api.call('POST', `${base}/reject`, { body: { sku: 'MUG-WHT-11', intacctItemId: 'MUG-WHT-11OZ' } })).status).toBe(204);
    const again = await api.call('POST', base, { body: { skus: [{ sku: 'MUG-WHT-11' }], limit: 10 } });
    expect(again.body.suggestions[0].candidates.map((candidate: { intacctItemId: string }) => candidate.intacctItemId)).not.toContain(
      'MUG-WHT-11OZ',
    );
  });

  it('when automatic application is off then apply is refused with the reason and writes nothing', async () => {
    const refused = await api.call('POST', `${base}/apply`, { body: { skus: [{ sku: 'cap-nvy-os' }] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('auto_apply_off');
    expect(refused.body.error.message).toContain('mappingAssistant.autoApply.enabled');
    expect((await api.call('GET', `/api/v1/tenants/${tenant}/mappings/items/rows/cap-nvy-os`)).status).toBe(404);
  });

  it('when suggestions are applied then only SKUs without a row get one, marked and listed; a row a person wrote stays', async () => {
    await setAutoApply({ enabled: true, minConfidence: 0.95 });
    expect(
      (await api.call('PUT', `/api/v1/tenants/${tenant}/mappings/items/rows/widget_2`, { body: { intacctItemId: 'GADGET-1' } })).status,
    ).toBe(200);
    const applied = await api.call('POST', `${base}/apply`, {
      body: { skus: [{ sku: 'widget_2' }, { sku: 'cap-nvy-os' }, { sku: 'Pocket-Gadgett' }] },
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ applied: [{ sku: 'cap-nvy-os', intacctItemId: 'CAP-NVY-OS', confidence: 0.97 }] });
    expect((await api.call('GET', `/api/v1/tenants/${tenant}/mappings/items/rows/widget_2`)).body.row.intacctItemId).toBe('GADGET-1');

    const listed = await api.call('GET', `${base}/applied`);
    expect(listed.body.rows).toEqual([
      {
        key: 'cap-nvy-os',
        row: { storefrontSku: 'cap-nvy-os', intacctItemId: 'CAP-NVY-OS' },
        updatedAt: expect.any(String),
        updatedBy: 'mapping-assistant',
      },
    ]);
    const again = await api.call('POST', `${base}/apply`, { body: { skus: [{ sku: 'cap-nvy-os' }] } });
    expect(again.body).toEqual({ applied: [] });
    // The threshold is the tenant's, not the caller's.
    expect((await api.call('POST', `${base}/apply`, { body: { minimumConfidence: 0.5 } })).status).toBe(400);
  });

  it("when the tenant's threshold is above a candidate's confidence then apply leaves that SKU alone", async () => {
    await setAutoApply({ enabled: true, minConfidence: 0.98 });
    const applied = await api.call('POST', `${base}/apply`, { body: { skus: [{ sku: 'mug-wht-11oz' }] } });
    expect(applied.body).toEqual({ applied: [] });
    await setAutoApply({ minConfidence: 0.95 });
    const lower = await api.call('POST', `${base}/apply`, { body: { skus: [{ sku: 'mug-wht-11oz' }] } });
    expect(lower.body.applied.map((row: { sku: string }) => row.sku)).toEqual(['mug-wht-11oz']);
  });

  it('when the input is wrong or the item is not active then the answer is a 4xx saying why', async () => {
    const invalid = await api.call('POST', base, { body: { skus: [{ sku: '' }], limit: 0 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['limit', 'skus.0.sku']);
    const inactive = await api.call('POST', `${base}/accept`, { body: { sku: 'poster', intacctItemId: 'POSTER-CITY-A2' } });
    expect(inactive.status).toBe(409);
    expect(inactive.body.error.code).toBe('item_not_active');
    expect((await api.call('POST', '/api/v1/tenants/nobody/mappings/items/suggestions', { body: {} })).status).toBe(404);
  });

  it('when the OpenAPI document is read then the three operations are in it', async () => {
    const document = (await api.call('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(document.paths['/api/v1/tenants/{tenantId}/mappings/items/suggestions'])).toEqual(['post']);
    expect(document.paths['/api/v1/tenants/{tenantId}/mappings/items/suggestions/accept'].post.description).toBe(
      'Needs the operator role.',
    );
    expect(document.paths['/api/v1/tenants/{tenantId}/mappings/items/suggestions/reject'].post).toBeDefined();
  });
});
