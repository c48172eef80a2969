import type { Db } from 'mongodb';
import {
  createBigCommerceClient,
  createStoreRequestLimiter,
  type BigCommerceClient,
  type StoreRequestLimiter,
} from '../connectors/bigcommerce/index.js';
import { ClarityClient } from '../connectors/clarity/index.js';
import { InMemorySessionCache, IntacctClient, IntacctRequestSlots, type IntacctTransactionCounter } from '../connectors/intacct/index.js';
import type { CredentialCipher } from '../store/credential-cipher.js';
import { loadCredentials, type CredentialPart, type Credentials } from '../store/credentials.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { readSettings } from '../store/settings.js';
import { tenantFailures } from '../workflows/shared-contract.js';
import { flowFailure } from './flow-failure.js';

/**
 * BigCommerce's Standard and Plus plan quota; the limiter also pauses on the store's own 429s,
 * so a larger plan only runs slower than it could, never over its quota.
 */
const bigCommerceQuota = { requestsPerWindow: 150, windowMs: 30_000 };

/** A tenant's storefront client, by kind. */
export type StorefrontConnection =
  { kind: 'bigcommerce'; storeHash: string; client: BigCommerceClient } | { kind: 'clarity'; client: ClarityClient };

/** What one tenant's activities work with: its settings (at a version) and its connector clients. */
export interface TenantConnection {
  tenantId: string;
  settings: TenantSettings;
  settingsVersion: number;
  intacct(): Promise<IntacctClient>;
  storefront(): Promise<StorefrontConnection>;
}

export interface TenantConnectionsOptions {
  db: Db;
  cipher: CredentialCipher;
  /** Counts Intacct API transactions (Intacct bills them); optional. */
  intacctTransactionCounter?: IntacctTransactionCounter;
  /** How long decrypted credentials and the clients built on them are reused. Default 60 s. */
  credentialsTtlMs?: number;
  /** Per-request timeouts, below the activities' one-minute limit. Defaults: Intacct 45 s, storefronts 30 s. */
  intacctTimeoutMs?: number;
  storefrontTimeoutMs?: number;
  /** Intacct requests this process keeps in flight per company (the company's concurrency limit; default 2). */
  intacctConcurrencyPerCompany?: number;
  now?: () => number;
}

interface CachedClients {
  settingsVersion: number;
  loadedAt: number;
  intacct?: IntacctClient;
  storefront?: StorefrontConnection;
}

/**
 * Builds each tenant's connector clients from its stored settings and encrypted credentials,
 * and reuses them: Intacct sessions, the Clarity token and the BigCommerce request limiter
 * live in the clients, so one set per tenant per process keeps them shared by all activities.
 * A settings change (new version) or the credentials TTL rebuilds them, so a rotated password
 * is picked up without a restart. Credentials never leave this module except inside clients.
 */
export class TenantConnections {
  private readonly cache = new Map<string, CachedClients>();
  /** One per BigCommerce store, kept across client rebuilds: the store's quota outlives a settings change. */
  private readonly limiters = new Map<string, StoreRequestLimiter>();
  private readonly sessions: InMemorySessionCache;
  /** Per Intacct company, across tenants and client rebuilds: the gateway counts a company's requests, whoever sends them. */
  private readonly intacctSlots: IntacctRequestSlots;
  private readonly now: () => number;

  constructor(private readonly options: TenantConnectionsOptions) {
    this.now = options.now ?? Date.now;
    this.sessions = new InMemorySessionCache(this.now);
    this.intacctSlots = new IntacctRequestSlots(options.intacctConcurrencyPerCompany ?? 2);
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
      intacct: async () => (cached.intacct ??= await this.buildIntacct(tenantId, stored.settings)),
      storefront: async () => (cached.storefront ??= await this.buildStorefront(tenantId, stored.settings)),
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

  private async buildIntacct(tenantId: string, settings: TenantSettings): Promise<IntacctClient> {
    const credentials = await this.credentials(tenantId, 'intacct');
    const { companyId, entityId, endpointUrl } = settings.connection.intacct;
    return new IntacctClient({
      tenantId,
      endpoint: endpointUrl,
      credentials: { ...credentials, companyId, ...(entityId !== undefined && { entityId }) },
      sessionCache: this.sessions,
      requestSlots: this.intacctSlots,
      timeoutMs: this.options.intacctTimeoutMs ?? 45_000,
      ...(this.options.intacctTransactionCounter && { transactionCounter: this.options.intacctTransactionCounter }),
    });
  }

  private async buildStorefront(tenantId: string, settings: TenantSettings): Promise<StorefrontConnection> {
    const storefront = settings.connection.storefront;
    const timeoutMs = this.options.storefrontTimeoutMs ?? 30_000;
    if (storefront.kind === 'bigcommerce') {
      const credentials = await this.credentials(tenantId, 'bigcommerce');
      const limiterKey = `${storefront.apiBaseUrl}|${storefront.storeHash}`;
      let limiter = this.limiters.get(limiterKey);
      if (!limiter) this.limiters.set(limiterKey, (limiter = createStoreRequestLimiter(bigCommerceQuota)));
      const client = createBigCommerceClient({
        credentials: { storeHash: storefront.storeHash, accessToken: credentials.accessToken },
        baseUrl: storefront.apiBaseUrl,
        timeoutMs,
        limiter,
      });
      return { kind: 'bigcommerce', storeHash: storefront.storeHash, client };
    }
    const credentials = await this.credentials(tenantId, 'clarity');
    return { kind: 'clarity', client: new ClarityClient({ baseUrl: storefront.baseUrl, credentials, timeoutMs }) };
  }
}
