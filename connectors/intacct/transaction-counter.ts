/** Counts API transactions per tenant: every function in a request sent is one. */
export interface IntacctTransactionCounter {
  record(tenantId: string, functionNames: readonly string[]): void;
}

/** In-memory counter, for metrics and tests; `total` and `byFunction` read it back. */
export class InMemoryTransactionCounter implements IntacctTransactionCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  record(tenantId: string, functionNames: readonly string[]): void {
    const byFunction = this.counts.get(tenantId) ?? new Map<string, number>();
    for (const name of functionNames) byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
    this.counts.set(tenantId, byFunction);
  }

  /** All transactions of a tenant. */
  total(tenantId: string): number {
    let sum = 0;
    for (const count of this.counts.get(tenantId)?.values() ?? []) sum += count;
    return sum;
  }

  /** Transactions of a tenant by function name. */
  byFunction(tenantId: string): Readonly<Record<string, number>> {
    return Object.fromEntries(this.counts.get(tenantId) ?? []);
  }
}
