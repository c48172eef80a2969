import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series the product exports, defined once. Each process builds its own
 * registry (no global one) with {@link createApiMetrics} or {@link createWorkerMetrics} and
 * passes it down from its composition root.
 *
 * Conventions: names are `storefront_sync_…` in snake case, counters end in `_total`, durations
 * are seconds. Labels are bounded: a tenant id, a storefront or vendor, an activity or Intacct
 * function name, a route template, a failure class or attention code — never an order,
 * refund, delivery or request id, and never a path as the client sent it. docs/observability.md
 * lists them all.
 */
export const metricPrefix = 'storefront_sync_';

/** Label of a tenant that is not known (a refused webhook names a tenant nobody has proven). */
export const unknownTenant = '-';

/** Buckets of request durations, in seconds: a webhook acknowledgement is tens of milliseconds. */
const requestDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Buckets of activity durations and quota waits, in seconds: vendor calls take seconds, waits for a store's quota up to a minute. */
const activityDurationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The API process's series. */
export interface ApiMetrics {
  readonly registry: Registry;
  /** Every HTTP request, by method, route template (`unmatched` for a 404) and status. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Storefront webhook deliveries by what the receiver answered. */
  readonly webhookDeliveries: Counter<'storefront' | 'outcome' | 'tenant'>;
  /** Admin API answers of 400 and above, by route template, status and the error's stable code. */
  readonly adminApiErrors: Counter<'route' | 'status' | 'code'>;
}

/** The worker process's series (the Temporal SDK's own are on its separate endpoint, see workers/telemetry.ts). */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** Orders that reached an outcome: `posted` (sales document created or found), `parked`, `skipped`, `cancelled`. */
  readonly orders: Counter<'tenant' | 'outcome'>;
  /** Attention items newly opened (a park of an already open item is not counted again). */
  readonly attentionOpened: Counter<'tenant' | 'entity' | 'code'>;
  /** Attention items resolved, by the code they were open with. */
  readonly attentionResolved: Counter<'tenant' | 'entity' | 'code'>;
  /** Activity executions (each attempt), by activity and outcome (`completed`, `failed`). */
  readonly activityDuration: Histogram<'activity' | 'outcome'>;
  /** Failed vendor calls: the connector's vendor, the activity, the failure class and its stable type. */
  readonly vendorFailures: Counter<'vendor' | 'activity' | 'failure_class' | 'type'>;
  /** Intacct API transactions sent (the figure Intacct bills), by tenant and Intacct function. */
  readonly intacctTransactions: Counter<'tenant' | 'function'>;
  /** Budget thresholds this process recorded as crossed (each is recorded once per tenant, month and threshold). */
  readonly intacctBudgetCrossings: Counter<'tenant' | 'threshold'>;
  /** Time a storefront request waited for the store's quota before it was sent. */
  readonly storefrontQuotaWait: Histogram<'storefront' | 'tenant'>;
  /** Inventory reconciliation runs: `planned` when a run starts, `reported` when its report is stored. */
  readonly inventoryRuns: Counter<'tenant' | 'stage'>;
}

/**
 * What the worker reads from MongoDB when it is scraped, so every worker reports the same
 * shared figures whichever of them did the work (aggregate them with `max`, not `sum`).
 */
export interface WorkerGaugeSources {
  /** Open attention items by tenant, entity and code. */
  openAttention(): Promise<Array<{ tenantId: string; entity: string; code: string; count: number }>>;
  /** This month's Intacct transactions per tenant, with the tenant's budget when it has one. */
  intacctMonthUsage(): Promise<Array<{ tenantId: string; transactions: number; budget: number | undefined }>>;
}

function newRegistry(process: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process });
  collectDefaultMetrics({ register: registry });
  watchFullCollections();
  new Gauge({
    // Named like the process metrics prom-client adds to both processes, not as a series of the product.
    name: 'nodejs_heap_after_full_gc_bytes',
    help: "V8 heap in use right after this process's last full (mark-compact) collection: what it keeps, without the garbage nodejs_heap_size_used_bytes also counts. Absent before the first full collection.",
    registers: [registry],
    collect() {
      if (heapKept !== undefined) this.set(heapKept);
    },
  });
  return registry;
}

let heapKept: number | undefined;
let fullCollections: PerformanceObserver | undefined;

/**
 * Keeps `heapKept`: the heap just after the process's last full collection (one observer per
 * process, however many registries it builds). The heap used at a scrape rises and falls with
 * garbage; this is the figure that shows whether a process's memory is bounded — by its workflow
 * cache and page sizes — or grows with the orders and catalogue it has seen.
 */
function watchFullCollections(): void {
  if (fullCollections) return;
  fullCollections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        heapKept = process.memoryUsage().heapUsed;
  });
  fullCollections.observe({ entryTypes: ['gc'] });
}

/** The API's registry and series, with Node's process metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = newRegistry('api');
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: `${metricPrefix}http_request_duration_seconds`,
      help: 'Duration of HTTP requests to the API, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: requestDurationBuckets,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: `${metricPrefix}webhook_deliveries_total`,
      help: 'Storefront webhook deliveries by storefront, outcome (started, signalled, duplicate, ignored, dead-lettered, refused, invalid, unavailable) and tenant.',
      labelNames: ['storefront', 'outcome', 'tenant'],
      registers: [registry],
    }),
    adminApiErrors: new Counter({
      name: `${metricPrefix}admin_api_errors_total`,
      help: 'Admin API answers with status 400 or above, by route template, status and error code.',
      labelNames: ['route', 'status', 'code'],
      registers: [registry],
    }),
  };
}

/**
 * The worker's registry and series, with Node's process metrics and the gauges read from
 * `sources` at each scrape (open attention items, this month's Intacct usage and budget).
 */
export function createWorkerMetrics(sources?: WorkerGaugeSources): WorkerMetrics {
  const registry = newRegistry('worker');
  if (sources) registerWorkerGauges(registry, sources);
  return {
    registry,
    orders: new Counter({
      name: `${metricPrefix}orders_total`,
      help: 'Orders that reached an outcome (posted, parked, skipped, cancelled), by tenant.',
      labelNames: ['tenant', 'outcome'],
      registers: [registry],
    }),
    attentionOpened: new Counter({
      name: `${metricPrefix}attention_opened_total`,
      help: 'Attention items newly opened (parked for a person), by tenant, entity and code.',
      labelNames: ['tenant', 'entity', 'code'],
      registers: [registry],
    }),
    attentionResolved: new Counter({
      name: `${metricPrefix}attention_resolved_total`,
      help: 'Attention items resolved by a successful retry or skip, by tenant, entity and code.',
      labelNames: ['tenant', 'entity', 'code'],
      registers: [registry],
    }),
    activityDuration: new Histogram({
      name: `${metricPrefix}activity_duration_seconds`,
      help: 'Duration of activity attempts, by activity and outcome (completed, failed).',
      labelNames: ['activity', 'outcome'],
      buckets: activityDurationBuckets,
      registers: [registry],
    }),
    vendorFailures: new Counter({
      name: `${metricPrefix}vendor_failures_total`,
      help: 'Failed vendor calls, by vendor, activity, failure class (retryable, input, auth, unexpected) and failure type.',
      labelNames: ['vendor', 'activity', 'failure_class', 'type'],
      registers: [registry],
    }),
    intacctTransactions: new Counter({
      name: `${metricPrefix}intacct_transactions_total`,
      help: 'Intacct API transactions sent by this process (each function in a request is one; Intacct bills them), by tenant and function.',
      labelNames: ['tenant', 'function'],
      registers: [registry],
    }),
    intacctBudgetCrossings: new Counter({
      name: `${metricPrefix}intacct_budget_crossings_total`,
      help: 'Intacct budget thresholds recorded as crossed by this process (once per tenant, month and threshold across all workers), by tenant and threshold percent.',
      labelNames: ['tenant', 'threshold'],
      registers: [registry],
    }),
    storefrontQuotaWait: new Histogram({
      name: `${metricPrefix}storefront_quota_wait_seconds`,
      help: "Time storefront requests waited for the store's API quota before they were sent, by storefront and tenant.",
      labelNames: ['storefront', 'tenant'],
      buckets: activityDurationBuckets,
      registers: [registry],
    }),
    inventoryRuns: new Counter({
      name: `${metricPrefix}inventory_runs_total`,
      help: 'Inventory reconciliation runs by tenant and stage (planned when a run starts, reported when its report is stored).',
      labelNames: ['tenant', 'stage'],
      registers: [registry],
    }),
  };
}

function registerWorkerGauges(registry: Registry, sources: WorkerGaugeSources): void {
  new Gauge({
    name: `${metricPrefix}attention_open_items`,
    help: 'Attention items open now (waiting for a person), by tenant, entity and code; read from MongoDB at each scrape.',
    labelNames: ['tenant', 'entity', 'code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await sources.openAttention()) this.set({ tenant: row.tenantId, entity: row.entity, code: row.code }, row.count);
    },
  });
  new Gauge({
    name: `${metricPrefix}intacct_month_transactions`,
    help: 'Intacct API transactions this calendar month (UTC), by tenant, as recorded by every process; read from MongoDB at each scrape.',
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await sources.intacctMonthUsage()) this.set({ tenant: row.tenantId }, row.transactions);
    },
  });
  // Its own read: the registry collects its series concurrently, not one after another.
  new Gauge({
    name: `${metricPrefix}intacct_month_budget`,
    help: "The tenant's monthly Intacct transaction budget (settings intacctBudget.monthlyTransactions), for tenants that set one.",
    labelNames: ['tenant'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await sources.intacctMonthUsage()) if (row.budget !== undefined) this.set({ tenant: row.tenantId }, row.budget);
    },
  });
}
