import {
  createBigCommerceClient,
  createStoreRequestLimiter,
  type BigCommerceClient,
  type StoreRequestLimiter,
} from './bigcommerce/index.js';
import { ClarityClient, type ClarityCredentials } from './clarity/index.js';
import {
  InMemorySessionCache,
  IntacctClient,
  IntacctRequestSlots,
  type IntacctSender,
  type IntacctTransactionCounter,
} from './intacct/index.js';
import type { VendorEndpoints } from './vendor-endpoints.js';

/**
 * BigCommerce's Standard and Plus plan quota; the limiter also pauses on the store's own 429s,
 * so a larger plan only runs slower than it could, never over its quota.
 */
const bigCommerceQuota = { requestsPerWindow: 150, windowMs: 30_000 };

/** How a process's connector clients behave; each process's composition root passes its own. */
export interface ConnectorClientsOptions {
  /** Counts Intacct API transactions (Intacct bills them); optional. */
  intacctTransactionCounter?: IntacctTransactionCounter;
  /** Intacct requests this process keeps in flight per company (the company's concurrency limit; default 2). */
  intacctConcurrencyPerCompany?: number;
  /** Per-request timeouts. Defaults: Intacct 45 s, storefronts 30 s (below the activities' one-minute limit). */
  intacctTimeoutMs?: number;
  storefrontTimeoutMs?: number;
  /**
   * The installation's endpoint rules: every client is refused an endpoint they do not allow
   * (settings stored before a rule changed included). Both composition roots pass the rules of
   * their configuration; absent only in tests that run the sandboxes on ports of their own.
   */
  endpoints?: VendorEndpoints;
  now?: () => number;
}

/** Where a tenant's Intacct company is: the non-secret identifiers of its settings. */
export interface IntacctCompany {
  companyId: string;
  /** Entity (location) of a multi-entity company; absent means the top level. */
  entityId?: string | undefined;
  endpointUrl: string;
}

/** The Web Services sender and API user that sign in to the company. */
export interface IntacctSignIn extends IntacctSender {
  userId: string;
  userPassword: string;
}

/** A BigCommerce store: its hash and the API's base URL (the sandbox's locally). */
export interface BigCommerceStore {
  storeHash: string;
  apiBaseUrl: string;
}

/** A Clarity site by its origin. */
export interface ClaritySite {
  baseUrl: string;
}

/**
 * The one way the product builds connector clients, in the worker and in the API alike.
 * What the vendors limit per company or per store is held here and shared by every client
 * the process builds: Intacct sessions and request slots per company, one request limiter per
 * BigCommerce store. Build one per process and pass it down; clients built on it may be
 * rebuilt (new credentials) without losing a store's quota or a company's slots.
 */
export class ConnectorClients {
  private readonly sessions: InMemorySessionCache;
  /** Per Intacct company, across tenants and client rebuilds: the gateway counts a company's requests, whoever sends them. */
  private readonly intacctSlots: IntacctRequestSlots;
  /** One per BigCommerce store, kept across client rebuilds: the store's quota outlives a settings change. */
  private readonly limiters = new Map<string, StoreRequestLimiter>();
  private readonly now: () => number;

  /** The endpoint rules every client is held to (see {@link ConnectorClientsOptions.endpoints}). */
  readonly endpoints: VendorEndpoints | undefined;

  constructor(private readonly options: ConnectorClientsOptions = {}) {
    this.endpoints = options.endpoints;
    this.now = options.now ?? Date.now;
    this.sessions = new InMemorySessionCache(this.now);
    this.intacctSlots = new IntacctRequestSlots(options.intacctConcurrencyPerCompany ?? 2);
  }

  /**
   * An Intacct client of the tenant's company. With `signInAfresh`, it keeps its session to
   * itself instead of reusing the process's: a connection test must sign in with the
   * credentials as stored now, not ride on a session opened with earlier ones.
   */
  intacct(tenantId: string, company: IntacctCompany, signIn: IntacctSignIn, options: { signInAfresh?: boolean } = {}): IntacctClient {
    const { companyId, entityId, endpointUrl } = company;
    this.endpoints?.check('intacct', endpointUrl);
    return new IntacctClient({
      dnsLookup: this.endpoints?.lookupFor('intacct'),
      tenantId,
      endpoint: endpointUrl,
      credentials: {
        senderId: signIn.senderId,
        senderPassword: signIn.senderPassword,
        userId: signIn.userId,
        userPassword: signIn.userPassword,
        companyId,
        ...(entityId !== undefined && { entityId }),
      },
      sessionCache: options.signInAfresh === true ? new InMemorySessionCache(this.now) : this.sessions,
      requestSlots: this.intacctSlots,
      timeoutMs: this.options.intacctTimeoutMs ?? 45_000,
      ...(this.options.intacctTransactionCounter && { transactionCounter: this.options.intacctTransactionCounter }),
    });
  }

  /** A BigCommerce client of the store, spaced by the store's shared request limiter. */
  bigCommerce(store: BigCommerceStore, credentials: { accessToken: string }): BigCommerceClient {
    this.endpoints?.check('bigcommerce', store.apiBaseUrl);
    const limiterKey = `${store.apiBaseUrl}|${store.storeHash}`;
    let limiter = this.limiters.get(limiterKey);
    if (!limiter) this.limiters.set(limiterKey, (limiter = createStoreRequestLimiter(bigCommerceQuota)));
    return createBigCommerceClient({
      credentials: { storeHash: store.storeHash, accessToken: credentials.accessToken },
      baseUrl: store.apiBaseUrl,
      timeoutMs: this.options.storefrontTimeoutMs ?? 30_000,
      limiter,
      dnsLookup: this.endpoints?.lookupFor('bigcommerce'),
    });
  }

  /** A Clarity client of the site (its OAuth token lives in the client). */
  clarity(site: ClaritySite, credentials: ClarityCredentials): ClarityClient {
    this.endpoints?.check('clarity', site.baseUrl);
    return new ClarityClient({
      dnsLookup: this.endpoints?.lookupFor('clarity'),
      baseUrl: site.baseUrl,
      credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
      timeoutMs: this.options.storefrontTimeoutMs ?? 30_000,
    });
  }
}
