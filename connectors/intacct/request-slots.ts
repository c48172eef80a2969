/** How many Intacct requests a process keeps in flight. */
export interface IntacctRequestSlotLimits {
  /** Per slot key: the company's concurrency limit at Intacct (two on the standard tier). Default 2. */
  perCompany?: number;
  /** Per tenant, over all its slot keys, so one tenant cannot take the whole process. Default 4. */
  perTenant?: number;
  /** In the whole process, so no number of companies or endpoints opens unbounded sockets. Default 64. */
  total?: number;
  /**
   * The company limit shared with the installation's other processes (workers and APIs): each
   * request also holds one of `perCompany` installation-wide slots of its key while it runs.
   * Without it, the limit holds per process only.
   */
  installation?: InstallationConcurrency;
}

/** A concurrency limit every process of the installation shares (the store's `InstallationLeases`). */
export interface InstallationConcurrency {
  /** Runs `work` while holding one of the `limit` slots of `key`, waiting for one as long as it takes. */
  hold<T>(key: string, limit: number, work: () => Promise<T>): Promise<T>;
}

interface Waiter {
  readonly key: string;
  readonly tenantId: string | undefined;
  readonly start: () => void;
}

/**
 * Intacct lets a company have only a few requests in flight at once (two on the standard
 * tier); one more is refused with HTTP 429 GW-0010 before it runs. A worker runs dozens of
 * activities at once, so without a limit of its own most of its Intacct calls would be refused
 * and retried, each refusal spending one of the activity's attempts. The slots queue a
 * process's requests per slot key instead, so the gateway sees at most `perCompany` of them.
 * With an `installation` limit, each request also holds one of the key's installation-wide
 * slots, so several processes together stay within it; without one, requests from other
 * processes can still meet GW-0010, which stays retryable.
 *
 * What a key stands for is the caller's choice ({@link IntacctSlotKeys} makes them from tenant,
 * endpoint and company). Two more limits keep a request that hangs from holding up more than
 * its own: at most `perTenant` requests of one tenant and `total` of the whole process are in
 * flight. A request starts only when all three allow it, and takes nothing while it waits, so a
 * tenant whose requests hang fills only its own share. Keys and tenants are held only while a
 * request of theirs runs or waits: the bookkeeping is bounded by the requests in progress.
 */
export class IntacctRequestSlots {
  readonly perCompany: number;
  readonly perTenant: number;
  readonly total: number;
  private readonly byKey = new Map<string, number>();
  private readonly byTenant = new Map<string, number>();
  private readonly waitingByKey = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private inFlight = 0;
  private readonly installation: InstallationConcurrency | undefined;

  constructor(limits: number | IntacctRequestSlotLimits = {}) {
    const given = typeof limits === 'number' ? { perCompany: limits } : limits;
    this.installation = given.installation;
    this.perCompany = positiveInteger('perCompany', given.perCompany ?? 2);
    this.perTenant = positiveInteger('perTenant', given.perTenant ?? Math.max(4, this.perCompany));
    this.total = positiveInteger('total', given.total ?? Math.max(64, this.perTenant));
  }

  /**
   * Runs `send` once `key` has a free slot (and, when `tenantId` is given, the tenant is under
   * its share) and the process is under its total, and frees them when `send` settles. With an
   * installation limit, `send` also holds one of the installation's slots of `installationKey`
   * (default `key`): the company as the gateway counts it, which may be wider than `key`.
   */
  async run<T>(key: string, send: () => Promise<T>, tenantId?: string, installationKey = key): Promise<T> {
    await this.acquire(key, tenantId);
    try {
      // The process's own slot first, so that at most `perCompany` of its requests wait for an installation slot.
      return await (this.installation ? this.installation.hold(`intacct:${installationKey}`, this.perCompany, send) : send());
    } finally {
      this.release(key, tenantId);
    }
  }

  /** Requests of `key` in flight and queued (for tests and metrics). */
  load(key: string): { inFlight: number; waiting: number } {
    return { inFlight: this.byKey.get(key) ?? 0, waiting: this.waitingByKey.get(key) ?? 0 };
  }

  /** Requests in flight in the process and queued (for tests and metrics). */
  totalLoad(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.length };
  }

  private fits(key: string, tenantId: string | undefined): boolean {
    return (
      this.inFlight < this.total &&
      (this.byKey.get(key) ?? 0) < this.perCompany &&
      (tenantId === undefined || (this.byTenant.get(tenantId) ?? 0) < this.perTenant)
    );
  }

  private take(key: string, tenantId: string | undefined): void {
    this.inFlight += 1;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    if (tenantId !== undefined) this.byTenant.set(tenantId, (this.byTenant.get(tenantId) ?? 0) + 1);
  }

  private acquire(key: string, tenantId: string | undefined): Promise<void> {
    // Behind a waiter of the same key, a newcomer waits too: a company's requests keep their order.
    if ((this.waitingByKey.get(key) ?? 0) === 0 && this.fits(key, tenantId)) {
      this.take(key, tenantId);
      return Promise.resolve();
    }
    this.waitingByKey.set(key, (this.waitingByKey.get(key) ?? 0) + 1);
    return new Promise((start) => this.waiting.push({ key, tenantId, start }));
  }

  private release(key: string, tenantId: string | undefined): void {
    this.inFlight -= 1;
    decrement(this.byKey, key);
    if (tenantId !== undefined) decrement(this.byTenant, tenantId);
    // Every waiter that now fits starts, oldest first; one blocked by its key or tenant does not hold up the others.
    const passed = new Set<string>();
    for (let index = 0; index < this.waiting.length && this.inFlight < this.total;) {
      const waiter = this.waiting[index]!;
      if (passed.has(waiter.key) || !this.fits(waiter.key, waiter.tenantId)) {
        passed.add(waiter.key);
        index += 1;
        continue;
      }
      this.waiting.splice(index, 1);
      decrement(this.waitingByKey, waiter.key);
      this.take(waiter.key, waiter.tenantId);
      waiter.start();
    }
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left <= 0) counts.delete(key);
  else counts.set(key, left);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}
