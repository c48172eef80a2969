import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTenant, seedDemoTenant } from '../../sandbox/demo-tenant.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { loadCredentials } from '../../store/credentials.js';
import { allMappingRows } from '../../store/mappings.js';
import { readSettings } from '../../store/settings.js';
import { listTenants } from '../../store/tenants.js';
import { openTestDatabase, testConfig } from '../support/harness.js';

describe('demo tenant seeding', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let cipher: CredentialCipher;
  const urls = { intacct: 'http://localhost:4001', bigcommerce: 'http://localhost:4002' };

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('when seeded twice (and concurrently) then there is one demo tenant, settings stay at version 1 and the webhook secret is kept', async () => {
    const results = await Promise.all([seedDemoTenant(database.db, cipher, urls), seedDemoTenant(database.db, cipher, urls)]);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const secretBefore = await loadCredentials(database.db, cipher, 'demo', 'webhook');

    expect(await seedDemoTenant(database.db, cipher, urls)).toEqual({ created: false });

    expect((await listTenants(database.db)).map((tenant) => tenant._id)).toEqual(['demo']);
    const settings = await readSettings(database.db, 'demo');
    expect(settings?.version).toBe(1);
    expect(settings?.settings.connection).toEqual({
      storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'http://localhost:4002' },
      intacct: { companyId: 'DEMO-CO', endpointUrl: 'http://localhost:4001/ia/xml/xmlgw.phtml' },
    });
    expect(await loadCredentials(database.db, cipher, 'demo', 'webhook')).toEqual(secretBefore);
    expect(await loadCredentials(database.db, cipher, 'demo', 'intacct')).toMatchObject({
      senderId: demoTenant.intacct.senderId,
      userId: demoTenant.intacct.userId,
    });
    expect((await allMappingRows(database.db, 'demo', 'adjustmentItems')).map((row) => row.key)).toEqual([
      'discount',
      'handling',
      'shipping',
      'tax',
    ]);
  });
});
