import { BoundedCache, compoundKey, type BoundedCacheOptions } from '../bounded-cache.js';

/** Who sends an Intacct request, and to which company at which login endpoint. */
export interface IntacctRequester {
  readonly tenantId: string;
  /** The login endpoint from the tenant's settings (where its sign-in is proven). */
  readonly endpoint: string;
  readonly companyId: string;
}

/** How long a proof lasts, and how many are kept. */
export interface IntacctSlotKeyOptions extends Partial<Omit<BoundedCacheOptions, 'now'>> {
  /** A proof older than this no longer counts until the tenant signs in again. Default 12 hours. */
  proofTtlMs?: number;
  now?: () => number;
}

/**
 * Chooses the request-slot key of each Intacct request, and so who waits for whom.
 *
 * Why not the company id alone: it is a setting the tenant types in. A tenant that names a
 * victim's company and points its endpoint at a server that never answers would hold the
 * company's slots for the length of a timeout each, and the victim's orders would queue behind
 * them (36 s instead of 2 s in the security review).
 *
 * Why not the tenant alone: Intacct's concurrency limit really is per company. Two tenants of an
 * installation that feed one company (two stores, one set of books) share it at the gateway, so
 * separate slots would let the process send twice the limit and meet GW-0010.
 *
 * So a tenant gets slots of its own (tenant + endpoint + company) until it has signed in
 * successfully to the company at that endpoint. A successful `getAPISession` is what the gateway
 * only grants to someone who holds the company's sender and user credentials; from then on the
 * tenant's requests use the slots of the company at that endpoint, shared with every other tenant
 * that proved the same. A tenant that proved it could have sent the same requests with the same
 * credentials from anywhere, so sharing with it gives it no power over the company it lacked.
 * The endpoint is part of the key because a sign-in only proves something about the server that
 * answered it: a "successful" sign-in at a tenant's own server proves nothing about the company
 * at Intacct, and only ever shares slots with tenants using that same server. A refused sign-in
 * withdraws the proof; proofs also lapse after `proofTtlMs`, and at most `maxEntries` are kept,
 * dropping the least recently used (a tenant whose proof is dropped only loses the sharing).
 */
export class IntacctSlotKeys {
  private readonly proofs: BoundedCache<number>;
  private readonly proofTtlMs: number;
  private readonly now: () => number;

  constructor(options: IntacctSlotKeyOptions = {}) {
    this.now = options.now ?? Date.now;
    this.proofTtlMs = options.proofTtlMs ?? 12 * 3_600_000;
    this.proofs = new BoundedCache({
      maxEntries: options.maxEntries ?? 10_000,
      idleMs: options.idleMs ?? this.proofTtlMs,
      now: this.now,
    });
  }

  /**
   * The key of the company at `requester`'s endpoint, proven or not: what the gateway itself
   * counts its limit by. The installation-wide slots (`InstallationLeases`) use it, so that no
   * process, proven or not yet, adds requests beyond the company's limit: each process proves a
   * sign-in on its own, and until it has, its requests use a tenant key of its own in the
   * process, which alone would let a fresh worker's requests run beside the others' (a GW-0010
   * seen with three workers). A tenant naming a company at a server that never answers still
   * gets a key of that server's, so it holds nobody else's installation slots.
   */
  companyKey(requester: IntacctRequester): string {
    return compoundKey('company', normalEndpoint(requester.endpoint), requester.companyId);
  }

  /** The slot key of `requester`'s requests: the company's shared key once proven, its own before. */
  slotKey(requester: IntacctRequester): string {
    const endpoint = normalEndpoint(requester.endpoint);
    return this.proven(requester) ? this.companyKey(requester) : compoundKey('tenant', requester.tenantId, endpoint, requester.companyId);
  }

  /** The gateway accepted `requester`'s sign-in to the company: its requests may now share the company's slots. */
  recordSignIn(requester: IntacctRequester): void {
    this.proofs.set(proofKey(requester), this.now());
  }

  /** The gateway refused `requester`'s sign-in: back to slots of its own. */
  forgetSignIn(requester: IntacctRequester): void {
    this.proofs.delete(proofKey(requester));
  }

  private proven(requester: IntacctRequester): boolean {
    const provedAt = this.proofs.get(proofKey(requester));
    return provedAt !== undefined && this.now() - provedAt < this.proofTtlMs;
  }
}

function proofKey(requester: IntacctRequester): string {
  return compoundKey(requester.tenantId, normalEndpoint(requester.endpoint), requester.companyId);
}

/** One spelling per endpoint (host case, default port); an endpoint that is not a URL is kept as written. */
function normalEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint).toString();
  } catch {
    return endpoint;
  }
}
