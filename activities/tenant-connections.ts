import type { Db } from 'mongodb';
import type { BigCommerceClient } from '../connectors/bigcommerce/index.js';
import type { ClarityClient } from '../connectors/clarity/index.js';
import type { ConnectorClients } from '../connectors/clients.js';
import type { IntacctClient } from '../connectors/intacct/index.js';
import type { StripeClient } from '../connectors/stripe/index.js';
import type { CredentialCipher } from '../store/credential-cipher.js';
import { loadCredentials, type CredentialPart, type Credentials } from '../store/credentials.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { writesClarityProducts } from '../mappers/catalog-field-directions.js';
import { readSettings } from '../store/settings.js';
import { tenantFailures } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';

/** A tenant's storefront client, by kind. */
export type StorefrontConnection =
  { kind: 'bigcommerce'; storeHash: string; client: BigCommerceClient } | { kind: 'clarity'; client: ClarityClient };

/** What one tenant's activities work with: its settings (at a version) and its connector clients. */
export interface TenantConnection {
  tenantId: string;
  settings: TenantSettings;
  settingsVersion: number;
  /**
   * The tenant's Intacct client: signed in to the connection's entity, or to `entityId`, another
   * entity of the same multi-entity company (where the tenant's rules route a document).
   */
  intacct(entityId?: string): Promise<IntacctClient>;
  storefront(): Promise<StorefrontConnection>;
  /** The tenant's Stripe account (payouts), or undefined when its settings name none. */
  stripe(): Promise<StripeClient | undefined>;
}

export interface TenantConnectionsOptions {
  db: Db;
  cipher: CredentialCipher;
  /** The process's connector-client factory: it holds the request slots, sessions and limiters all tenants share. */
  connectors: ConnectorClients;
  /** How long decrypted credentials and the clients built on them are reused. Default 60 s. */
  credentialsTtlMs?: number;
  now?: () => number;
}

interface CachedClients {
  settingsVersion: number;
  loadedAt: number;
  intacct?: IntacctClient;
  /** Clients signed in to entities other than the connection's, by entity id. */
  entityIntacct?: Map<string, IntacctClient>;
  storefront?: StorefrontConnection;
  stripe?: StripeClient;
}

/**
 * Builds each tenant's connector clients from its stored settings and encrypted credentials
 * (through the process's {@link ConnectorClients}), and reuses them: the Clarity token lives in
 * its client, so one set per tenant per process keeps it shared by all activities.
 * A settings change (new version) or the credentials TTL rebuilds them, so a rotated password
 * is picked up without a restart. Credentials never leave this module except inside clients.
 */
export class TenantConnections {
  private readonly cache = new Map<string, CachedClients>();
  private readonly now: () => number;

  constructor(private readonly options: TenantConnectionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The tenant's current settings and lazily built clients; throws a non-retryable failure when the tenant has no settings. */
  async forTenant(tenantId: string): Promise<TenantConnection> {
    const stored = await readSettings(this.options.db, tenantId);
    if (stored === null) {
      throw flowFailure(tenantFailures, 'TenantNotConfigured', `tenant ${tenantId} has no settings; create it through the admin API first`);
    }
    const cached = this.fresh(tenantId, stored.version);
    return {
      tenantId,
      settings: stored.settings,
      settingsVersion: stored.version,
      intacct: async (entityId) => {
        if (entityId === undefined || entityId === stored.settings.connection.intacct.entityId)
          return (cached.intacct ??= await this.buildIntacct(tenantId, stored.settings));
        const clients = (cached.entityIntacct ??= new Map<string, IntacctClient>());
        const client = clients.get(entityId) ?? (await this.buildIntacct(tenantId, stored.settings, entityId));
        clients.set(entityId, client);
        return client;
      },
      storefront: async () => (cached.storefront ??= await this.buildStorefront(tenantId, stored.settings)),
      stripe: async () => {
        const account = stored.settings.connection.stripe;
        if (account === undefined) return undefined;
        return (cached.stripe ??= this.options.connectors.stripe(account, await this.credentials(tenantId, 'stripe')));
      },
    };
  }

  private fresh(tenantId: string, settingsVersion: number): CachedClients {
    const ttl = this.options.credentialsTtlMs ?? 60_000;
    const cached = this.cache.get(tenantId);
    if (cached && cached.settingsVersion === settingsVersion && this.now() - cached.loadedAt < ttl) return cached;
    const entry: CachedClients = { settingsVersion, loadedAt: this.now() };
    this.cache.set(tenantId, entry);
    return entry;
  }

  private async credentials<P extends CredentialPart>(tenantId: string, part: P): Promise<Credentials<P>> {
    const credentials = await loadCredentials(this.options.db, this.options.cipher, tenantId, part);
    if (credentials === undefined) {
      throw flowFailure(
        tenantFailures,
        'TenantNotConfigured',
        `tenant ${tenantId} has no ${part} credentials; store them with PUT /api/v1/tenants/${tenantId}/credentials/${part}`,
      );
    }
    return credentials;
  }

  private async buildIntacct(tenantId: string, settings: TenantSettings, entityId?: string): Promise<IntacctClient> {
    const company = entityId === undefined ? settings.connection.intacct : { ...settings.connection.intacct, entityId };
    return this.options.connectors.intacct(tenantId, company, await this.credentials(tenantId, 'intacct'));
  }

  private async buildStorefront(tenantId: string, settings: TenantSettings): Promise<StorefrontConnection> {
    const storefront = settings.connection.storefront;
    if (storefront.kind === 'bigcommerce') {
      const client = this.options.connectors.bigCommerce(tenantId, storefront, await this.credentials(tenantId, 'bigcommerce'));
      return { kind: 'bigcommerce', storeHash: storefront.storeHash, client };
    }
    const access = { writesProducts: writesClarityProducts(settings.catalog.items) };
    return { kind: 'clarity', client: this.options.connectors.clarity(storefront, await this.credentials(tenantId, 'clarity'), access) };
  }
}
