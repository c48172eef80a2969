import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testIntacctConnection, type ConnectionDependencies } from '../../../api/admin/connections.js';
import { ConnectorClients } from '../../../connectors/clients.js';
import { startIntacctSandbox } from '../../../sandbox/intacct/index.js';
import { CredentialCipher } from '../../../store/credential-cipher.js';
import { saveCredentials } from '../../../store/credentials.js';
import { parseTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';
import { openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import { sandboxEndpoints } from '../../support/vendor-endpoints.js';

/** The Intacct connection test against the sandbox: a tenant's close settings name accounts Intacct must have. */
describe('Intacct connection test: close settings accounts exist', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let sandbox: Awaited<ReturnType<typeof startIntacctSandbox>>;
  let deps: ConnectionDependencies;

  beforeAll(async () => {
    const config = testConfig();
    database = await openTestDatabase(config);
    sandbox = await startIntacctSandbox({ port: 0, controlEnabled: true });
    deps = {
      db: database.db,
      cipher: new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId),
      connectors: new ConnectorClients({ endpoints: sandboxEndpoints({ intacct: sandbox.url }) }),
    };
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.drop();
  });

  async function tenantWith(close: unknown): Promise<{ tenantId: string; settings: TenantSettings }> {
    const tenantId = uniqueId('close');
    await saveCredentials(deps.db, deps.cipher, tenantId, 'intacct', {
      senderId: 'demo-sender',
      senderPassword: 'demo-sender-pw',
      userId: 'sync-user',
      userPassword: 'demo-user-pw',
    });
    const parsed = parseTenantSettings({
      connection: {
        storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
        intacct: { companyId: 'DEMO-CO', endpointUrl: `${sandbox.url}/ia/xml/xmlgw.phtml` },
      },
      orderSync: { triggerStatuses: ['11'] },
      ...(close !== undefined && { close }),
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return { tenantId, settings: parsed.settings };
  }

  const stripe = {
    gateway: 'stripe',
    clearing: { glAccountNo: '1060' },
    bankAccountId: 'BOA-CHK',
    glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
  };

  it('when every account of the close settings exists, then the test passes and says how many it checked', async () => {
    const { tenantId, settings } = await tenantWith({ gateways: [stripe] });
    expect(await testIntacctConnection(deps, tenantId, settings)).toMatchObject({
      ok: true,
      system: 'intacct',
      details: { companyId: 'DEMO-CO', closeAccountsChecked: 8 },
    });
  });

  it('when a GL account or the bank account is missing, then the test fails as an input problem naming each', async () => {
    const { tenantId, settings } = await tenantWith({
      gateways: [{ ...stripe, bankAccountId: 'NO-BANK', glAccounts: { ...stripe.glAccounts, reserves: '1999' } }],
    });
    expect(await testIntacctConnection(deps, tenantId, settings)).toEqual({
      ok: false,
      system: 'intacct',
      failure: 'input',
      message: 'close settings name accounts Intacct does not have (or has inactive): GL account 1999, bank account NO-BANK',
    });
  });

  it('when the tenant has no close settings, then only the sign-in is tested', async () => {
    const { tenantId, settings } = await tenantWith(undefined);
    const result = await testIntacctConnection(deps, tenantId, settings);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.details).not.toHaveProperty('closeAccountsChecked');
  });
});
