/**
 * Intacct lets a company have only a few requests in flight at once (two on the standard
 * tier); one more is refused with HTTP 429 GW-0010 before it runs. A worker runs dozens of
 * activities at once, so without a limit of its own most of its Intacct calls would be refused
 * and retried, each refusal spending one of the activity's attempts. The slots queue a
 * process's requests per company instead, so the gateway sees at most `perCompany` of them.
 * Requests from other processes can still meet GW-0010, which stays retryable.
 */
export class IntacctRequestSlots {
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(readonly perCompany = 2) {
    if (!Number.isInteger(perCompany) || perCompany < 1) throw new RangeError(`perCompany must be a positive integer, not ${perCompany}`);
  }

  /** Runs `send` once a slot of `company` is free, and frees it when `send` settles. */
  async run<T>(company: string, send: () => Promise<T>): Promise<T> {
    await this.acquire(company);
    try {
      return await send();
    } finally {
      this.release(company);
    }
  }

  /** Requests of `company` in flight and queued (for tests and metrics). */
  load(company: string): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight.get(company) ?? 0, waiting: this.waiting.get(company)?.length ?? 0 };
  }

  private acquire(company: string): Promise<void> {
    const busy = this.inFlight.get(company) ?? 0;
    if (busy < this.perCompany) {
      this.inFlight.set(company, busy + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(company) ?? [];
      queue.push(resolve);
      this.waiting.set(company, queue);
    });
  }

  private release(company: string): void {
    const next = this.waiting.get(company)?.shift();
    if (next) {
      // The slot passes straight to the next request: the count stays.
      next();
      return;
    }
    this.waiting.delete(company);
    const busy = (this.inFlight.get(company) ?? 1) - 1;
    if (busy <= 0) this.inFlight.delete(company);
    else this.inFlight.set(company, busy);
  }
}
