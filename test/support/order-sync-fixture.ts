import { TenantConnections } from '../../activities/tenant-connections.js';
import { InMemoryTransactionCounter } from '../../connectors/intacct/index.js';
import { startBigCommerceSandbox, type RunningBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startClaritySandbox, type RunningClaritySandbox } from '../../sandbox/clarity/index.js';
import { demoAdjustmentItems, demoOrderSync } from '../../sandbox/demo-tenant.js';
import { startIntacctSandbox, type RunningIntacctSandbox } from '../../sandbox/intacct/index.js';
import { startStripeSandbox, type RunningStripeSandbox } from '../../sandbox/stripe/index.js';
import type { Config } from '../../config/index.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { saveCredentials } from '../../store/credentials.js';
import { sandboxCredentials } from './sandbox-credentials.js';
import { upsertMappingRows } from '../../store/mappings.js';
import { parseTenantSettings, type TenantSettings, type TenantSettingsInput } from '../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { createTenant } from '../../store/tenants.js';
import { openTestDatabase, testConfig, uniqueId } from './harness.js';
import { ConnectorClients } from '../../connectors/clients.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import type { VendorEndpoints } from '../../connectors/vendor-endpoints.js';
import { sandboxEndpoints } from './vendor-endpoints.js';

export { sandboxCredentials } from './sandbox-credentials.js';

export type OrderSyncOverrides = Omit<NonNullable<TenantSettingsInput['orderSync']>, 'triggerStatuses'> & { triggerStatuses?: string[] };

/** What a tenant fixture's settings start from; tests override `orderSync` fields. */
function tenantSettingsInput(
  storefront: StorefrontKind,
  urls: { intacct: string; bigcommerce: string; clarity: string },
  orderSync: OrderSyncOverrides,
): TenantSettingsInput {
  return {
    connection: {
      storefront:
        storefront === 'bigcommerce'
          ? { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: urls.bigcommerce }
          : { kind: 'clarity', baseUrl: urls.clarity },
      intacct: { companyId: 'DEMO-CO', endpointUrl: `${urls.intacct}/ia/xml/xmlgw.phtml` },
    },
    orderSync: {
      ...demoOrderSync(storefront),
      ...orderSync,
    },
    timezone: 'America/Chicago',
  };
}

export interface OrderSyncFixture {
  config: Config;
  database: Awaited<ReturnType<typeof openTestDatabase>>;
  cipher: CredentialCipher;
  /** Intacct API transactions the tenant's clients sent, by function. */
  intacctTransactions: InMemoryTransactionCounter;
  connections: TenantConnections;
  /** Sandbox mode's endpoint rules for these sandboxes: theirs and nothing else. */
  endpoints: VendorEndpoints;
  sandboxes: {
    intacct: RunningIntacctSandbox;
    bigcommerce: RunningBigCommerceSandbox;
    clarity: RunningClaritySandbox;
    /** Started only when the fixture is asked for it (payouts). */
    stripe?: RunningStripeSandbox;
  };
  /** Creates a tenant over the sandboxes, with the demo's credentials, settings and adjustment items. */
  createTenant(storefront: StorefrontKind, orderSync?: OrderSyncOverrides): Promise<string>;
  /** Replaces a tenant's `orderSync` fields (a new settings version); other settings are kept. */
  updateOrderSync(tenantId: string, orderSync: OrderSyncOverrides): Promise<TenantSettings>;
  close(): Promise<void>;
}

/**
 * Everything an order-sync test runs against: the three sandboxes on free ports (control on),
 * a database of the test's own on the run's FerretDB, and tenant connections over them.
 */
export async function startOrderSyncFixture(
  environment: Record<string, string> = {},
  options: { stripe?: boolean } = {},
): Promise<OrderSyncFixture> {
  const config = testConfig(environment);
  const database = await openTestDatabase(config);
  const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
  const [intacct, bigcommerce, clarity, stripe] = await Promise.all([
    startIntacctSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
    startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
    startClaritySandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
    options.stripe ? startStripeSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }) : undefined,
  ]);
  const urls = { intacct: intacct.url, bigcommerce: bigcommerce.url, clarity: clarity.url };
  const endpoints = sandboxEndpoints({ ...urls, ...(stripe && { stripe: stripe.url }) });
  const intacctTransactions = new InMemoryTransactionCounter();
  const connections = new TenantConnections({
    db: database.db,
    cipher,
    connectors: new ConnectorClients({
      endpoints,
      intacctTransactionCounter: intacctTransactions,
      intacctTimeoutMs: 10_000,
      storefrontTimeoutMs: 10_000,
    }),
  });

  const settingsOf = (storefront: StorefrontKind, orderSync: OrderSyncOverrides): TenantSettings => {
    const parsed = parseTenantSettings(tenantSettingsInput(storefront, urls, orderSync));
    if (!parsed.ok) throw new Error(`fixture settings are invalid: ${JSON.stringify(parsed.errors)}`);
    return parsed.settings;
  };

  return {
    config,
    database,
    cipher,
    intacctTransactions,
    connections,
    endpoints,
    sandboxes: { intacct, bigcommerce, clarity, ...(stripe && { stripe }) },
    async createTenant(storefront, orderSync = {}) {
      const tenantId = uniqueId('t');
      await createTenant(database.db, { id: tenantId, name: `Test tenant ${tenantId}`, storefront });
      await writeSettings(database.db, tenantId, settingsOf(storefront, orderSync), { expectedVersion: 0, changedBy: 'test' });
      await saveCredentials(database.db, cipher, tenantId, 'intacct', sandboxCredentials.intacct);
      if (storefront === 'bigcommerce') await saveCredentials(database.db, cipher, tenantId, 'bigcommerce', sandboxCredentials.bigcommerce);
      else await saveCredentials(database.db, cipher, tenantId, 'clarity', sandboxCredentials.clarity);
      await upsertMappingRows(database.db, tenantId, 'adjustmentItems', demoAdjustmentItems, 'test');
      return tenantId;
    },
    async updateOrderSync(tenantId, orderSync) {
      const current = await readSettings(database.db, tenantId);
      if (current === null) throw new Error(`tenant ${tenantId} has no settings`);
      const storefront = current.settings.connection.storefront.kind;
      // Only orderSync changes: returns, inventory and the rest keep what the test set.
      const next = {
        ...current.settings,
        orderSync: settingsOf(storefront, { ...(current.settings.orderSync as OrderSyncOverrides), ...orderSync }).orderSync,
      };
      await writeSettings(database.db, tenantId, next, { expectedVersion: current.version, changedBy: 'test' });
      return next;
    },
    async close() {
      await Promise.allSettled([intacct.close(), bigcommerce.close(), clarity.close(), stripe?.close()]);
      await database.drop();
    },
  };
}
