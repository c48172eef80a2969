import {
  createBigCommerceClient,
  createStoreRequestLimiter,
  type BigCommerceClient,
  type StoreRequestLimiter,
} from './bigcommerce/index.js';
import { ClarityClient, clarityScopesFor, type ClarityCredentials } from './clarity/index.js';
import { BoundedCache, compoundKey } from './bounded-cache.js';
import {
  InMemorySessionCache,
  IntacctClient,
  IntacctRequestSlots,
  IntacctSlotKeys,
  type InstallationConcurrency,
  type IntacctSender,
  type IntacctTransactionCounter,
} from './intacct/index.js';
import { createStripeClient, type StripeClient } from './stripe/index.js';
import type { VendorEndpoints } from './vendor-endpoints.js';

/**
 * BigCommerce's Standard and Plus plan quota: where a store's limiter starts, until the store's
 * first answer states its own (a Pro plan's 450, say); the limiter also pauses on the store's
 * own 429s and when few requests are left, since other apps share the quota.
 */
const bigCommerceQuota = { requestsPerWindow: 150, windowMs: 30_000 };

/** How a process's connector clients behave; each process's composition root passes its own. */
export interface ConnectorClientsOptions {
  /** Counts Intacct API transactions (Intacct bills them); optional. */
  intacctTransactionCounter?: IntacctTransactionCounter;
  /** Told how long each storefront request waited for the store's quota before it was sent (metrics); optional. */
  onStoreQuotaWait?: (wait: { tenantId: string; storefront: 'bigcommerce'; waitedMs: number }) => void;
  /** Intacct requests this process keeps in flight per company (the company's concurrency limit; default 2). */
  intacctConcurrencyPerCompany?: number;
  /** Intacct requests one tenant may have in flight, whatever companies and endpoints it names (default 4). */
  intacctConcurrencyPerTenant?: number;
  /** Intacct requests the whole process keeps in flight (default 64). */
  intacctConcurrencyTotal?: number;
  /**
   * Where the installation's processes share the per-company Intacct limit (`InstallationLeases`
   * over the database); without it, each process keeps the limit on its own.
   */
  installationConcurrency?: InstallationConcurrency;
  /**
   * This process's share of each BigCommerce store's quota (one over the live worker processes,
   * from `InstallationMembers`); without it, each process spaces for the whole quota.
   */
  storeQuotaShare?: () => number;
  /**
   * Bounds of each keyed cache (Intacct sessions, Intacct sign-in proofs, BigCommerce store
   * limiters): entries kept at most (default 10,000) and how long an unused one stays (default one hour).
   */
  cacheLimits?: { maxEntries?: number; idleMs?: number };
  /** Per-request timeouts. Defaults: Intacct 45 s, storefronts and Stripe 30 s (below the activities' one-minute limit). */
  intacctTimeoutMs?: number;
  storefrontTimeoutMs?: number;
  stripeTimeoutMs?: number;
  /**
   * The installation's endpoint rules: every client is refused an endpoint they do not allow
   * (settings stored before a rule changed included). Required: there is no client that may
   * send a tenant's credentials anywhere.
   */
  endpoints: VendorEndpoints;
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

/** A tenant's Stripe account: the API's base URL (the sandbox's locally). */
export interface StripeAccount {
  apiBaseUrl: string;
}

/**
 * The one way the product builds connector clients, in the worker and in the API alike.
 * What the vendors limit per company or per store is held here and shared by every client
 * the process builds: Intacct sessions and request slots, one request limiter per BigCommerce
 * store. Build one per process and pass it down; clients built on it may be rebuilt (new
 * credentials) without losing a store's quota or a company's slots.
 *
 * Every identifier a tenant types in (company id, store hash, endpoint) is a claim, not a
 * proof, so nothing shared is keyed by it alone: sessions and store limiters are the tenant's
 * own (tenant + endpoint + company or store), and Intacct slots are the tenant's own until a
 * sign-in proves it holds the company's credentials ({@link IntacctSlotKeys} says why). A tenant
 * naming another's company or store, or pointing at a server that never answers, waits only for
 * itself. Caps keep one tenant from taking the process: at most `intacctConcurrencyPerTenant`
 * of its Intacct requests and `intacctConcurrencyTotal` of all are in flight, and every keyed
 * cache is bounded and forgets idle entries.
 */
export class ConnectorClients {
  /** Per tenant, endpoint, company, entity and user: a session is never handed to another tenant. */
  private readonly sessions: InMemorySessionCache;
  private readonly intacctSlots: IntacctRequestSlots;
  private readonly intacctSlotKeys: IntacctSlotKeys;
  /**
   * One per tenant and store, kept across client rebuilds: the store's quota outlives a settings
   * change. Not shared between tenants, even on one store: each limiter also obeys the store's own
   * `X-Rate-Limit-Requests-Left` and 429s, so two tenants on one store still stay under its quota,
   * and a tenant naming another's store hash cannot spend the other's share.
   */
  private readonly limiters: BoundedCache<StoreRequestLimiter>;
  private readonly now: () => number;

  /** The endpoint rules every client is held to (see {@link ConnectorClientsOptions.endpoints}). */
  readonly endpoints: VendorEndpoints;

  constructor(private readonly options: ConnectorClientsOptions) {
    this.endpoints = options.endpoints;
    this.now = options.now ?? Date.now;
    const limits = { maxEntries: options.cacheLimits?.maxEntries ?? 10_000, idleMs: options.cacheLimits?.idleMs ?? 3_600_000 };
    this.sessions = new InMemorySessionCache(this.now, undefined, limits);
    this.intacctSlots = new IntacctRequestSlots({
      perCompany: options.intacctConcurrencyPerCompany ?? 2,
      perTenant: options.intacctConcurrencyPerTenant ?? 4,
      total: options.intacctConcurrencyTotal ?? 64,
      ...(options.installationConcurrency && { installation: options.installationConcurrency }),
    });
    this.intacctSlotKeys = new IntacctSlotKeys({ ...limits, now: this.now });
    this.limiters = new BoundedCache({ ...limits, now: this.now });
  }

  /**
   * An Intacct client of the tenant's company. With `signInAfresh`, it keeps its session to
   * itself instead of reusing the process's: a connection test must sign in with the
   * credentials as stored now, not ride on a session opened with earlier ones.
   */
  intacct(tenantId: string, company: IntacctCompany, signIn: IntacctSignIn, options: { signInAfresh?: boolean } = {}): IntacctClient {
    const { companyId, entityId, endpointUrl } = company;
    this.endpoints.check('intacct', endpointUrl);
    return new IntacctClient({
      dnsLookup: this.endpoints.lookupFor('intacct'),
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
      slotKeys: this.intacctSlotKeys,
      timeoutMs: this.options.intacctTimeoutMs ?? 45_000,
      // A read an outage answered is sent again at once rather than redoing the whole activity.
      readRetries: { attempts: 2, delayMs: 250, maxDelayMs: 2_000 },
      ...(this.options.intacctTransactionCounter && { transactionCounter: this.options.intacctTransactionCounter }),
    });
  }

  /** A BigCommerce client of the tenant's store, spaced by the tenant's request limiter of that store. */
  bigCommerce(tenantId: string, store: BigCommerceStore, credentials: { accessToken: string }): BigCommerceClient {
    this.endpoints.check('bigcommerce', store.apiBaseUrl);
    const limiter = this.limiters.getOrCreate(compoundKey(tenantId, store.apiBaseUrl, store.storeHash), () =>
      createStoreRequestLimiter({
        ...bigCommerceQuota,
        ...(this.options.storeQuotaShare && { processShare: this.options.storeQuotaShare }),
      }),
    );
    const onWait = this.options.onStoreQuotaWait;
    return createBigCommerceClient({
      credentials: { storeHash: store.storeHash, accessToken: credentials.accessToken },
      baseUrl: store.apiBaseUrl,
      timeoutMs: this.options.storefrontTimeoutMs ?? 30_000,
      limiter: onWait ? timedLimiter(limiter, (waitedMs) => onWait({ tenantId, storefront: 'bigcommerce', waitedMs })) : limiter,
      dnsLookup: this.endpoints.lookupFor('bigcommerce'),
    });
  }

  /**
   * A Clarity client of the site (its OAuth token lives in the client). `writesProducts`: whether
   * the tenant's settings have the item sync write Clarity products; only then does its token ask
   * for `products:write`.
   */
  clarity(site: ClaritySite, credentials: ClarityCredentials, access: { writesProducts: boolean }): ClarityClient {
    this.endpoints.check('clarity', site.baseUrl);
    return new ClarityClient({
      dnsLookup: this.endpoints.lookupFor('clarity'),
      baseUrl: site.baseUrl,
      credentials: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
      scopes: clarityScopesFor(access),
      timeoutMs: this.options.storefrontTimeoutMs ?? 30_000,
    });
  }

  /**
   * A Stripe client of the tenant's account. Stripe limits requests per account and answers 429
   * past it; the client classifies that as retryable and Temporal's retries space the next try,
   * so no limiter is shared here.
   */
  stripe(account: StripeAccount, credentials: { secretKey: string }): StripeClient {
    this.endpoints.check('stripe', account.apiBaseUrl);
    const dnsLookup = this.endpoints.lookupFor('stripe');
    return createStripeClient({
      secretKey: credentials.secretKey,
      baseUrl: account.apiBaseUrl,
      timeoutMs: this.options.stripeTimeoutMs ?? 30_000,
      ...(dnsLookup && { dnsLookup }),
    });
  }
}

/** The limiter, telling `onWait` how long each scheduled request waited before it started. */
function timedLimiter(limiter: StoreRequestLimiter, onWait: (waitedMs: number) => void): StoreRequestLimiter {
  return {
    schedule<T>(task: () => Promise<T>): Promise<T> {
      const queuedAt = performance.now();
      return limiter.schedule(() => {
        onWait(performance.now() - queuedAt);
        return task();
      });
    },
    exclusive: (task) => limiter.exclusive(task),
    observe: (state, retryAfter) => limiter.observe(state, retryAfter),
    stop: () => limiter.stop(),
  };
}
