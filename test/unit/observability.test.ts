import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { webhookOutcome } from '../../api/metrics-routes.js';
import { loadConfig } from '../../config/index.js';
import { IntacctInputError } from '../../connectors/intacct/index.js';
import { toApplicationFailure } from '../../activities/connector-failure.js';
import { reachedThresholds } from '../../observability/intacct-usage-meter.js';
import { bearerTokenAccepted } from '../../observability/metrics-server.js';
import { createApiMetrics, createWorkerMetrics } from '../../observability/metrics.js';
import { parseTenantSettings } from '../../store/schemas/settings.js';
import { vendorFailureOf } from '../../workers/activity-metrics.js';

describe('budget thresholds', () => {
  const budget = { monthlyTransactions: 1_000, alertAtPercent: [100, 80] };
  it.each([
    [799, []],
    [800, [80]],
    [999, [80]],
    [1_000, [80, 100]],
    [5_000, [80, 100]],
  ])('when %i of 1000 transactions are spent, then the thresholds reached are %j', (transactions, reached) => {
    expect(reachedThresholds(budget, transactions)).toEqual(reached);
  });

  it('when the tenant has no budget, then no threshold is ever reached', () => {
    expect(reachedThresholds({ alertAtPercent: [80, 100] }, 1_000_000)).toEqual([]);
  });

  it('when settings leave the budget out, then it defaults to none with alerts at 80 and 100 %; a repeated threshold is refused', () => {
    const connection = {
      storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
      intacct: { companyId: 'DEMO-CO' },
    };
    const parsed = parseTenantSettings({ connection, orderSync: { triggerStatuses: ['11'] } });
    expect(parsed.ok && parsed.settings.intacctBudget).toEqual({ alertAtPercent: [80, 100] });
    const repeated = parseTenantSettings({
      connection,
      orderSync: { triggerStatuses: ['11'] },
      intacctBudget: { monthlyTransactions: 5_000, alertAtPercent: [80, 80] },
    });
    expect(repeated.ok ? [] : repeated.errors.map((error) => error.path)).toEqual(['intacctBudget.alertAtPercent']);
  });
});

describe('webhook outcomes', () => {
  it.each([
    [200, 'started', 'started'],
    [200, 'dead-lettered', 'dead-lettered'],
    [200, undefined, 'accepted'],
    [200, 'Something Odd With Spaces', 'accepted'],
    [401, undefined, 'refused'],
    [400, undefined, 'invalid'],
    [413, undefined, 'invalid'],
    [503, undefined, 'unavailable'],
  ])('when the receiver answers %i with outcome %s, then the delivery counts as %s', (status, answered, outcome) => {
    expect(webhookOutcome(status, answered)).toBe(outcome);
  });
});

describe('vendor failures', () => {
  it('when a connector error leaves an activity as a Temporal failure, then its vendor, class and type are read back', () => {
    const failure = toApplicationFailure(new IntacctInputError('BL01001973 item NO-SUCH-ITEM', { level: 'function' }), {
      attempt: 1,
      policy: {},
    });
    expect(vendorFailureOf(failure)).toEqual({ vendor: 'intacct', failureClass: 'input', type: 'IntacctInputError' });
  });

  it('when an activity fails for a reason of its own, then it is no vendor failure', () => {
    expect(vendorFailureOf(ApplicationFailure.create({ type: 'OrderNotFound', message: 'gone' }))).toBeUndefined();
    expect(vendorFailureOf(new Error('bug'))).toBeUndefined();
  });
});

describe('metrics access', () => {
  it('when a token is configured, then only that bearer token is accepted', () => {
    expect(bearerTokenAccepted('Bearer right-token', 'right-token')).toBe(true);
    expect(bearerTokenAccepted('Bearer wrong-token', 'right-token')).toBe(false);
    expect(bearerTokenAccepted('right-token', 'right-token')).toBe(false);
    expect(bearerTokenAccepted(undefined, 'right-token')).toBe(false);
    expect(bearerTokenAccepted(undefined, undefined)).toBe(true);
  });

  const production = {
    APP_MODE: 'production',
    TEMPORAL_ADDRESS: 'temporal:7233',
    TEMPORAL_TLS: 'true',
    MONGODB_URI: 'mongodb+srv://db.example.com/x',
    CREDENTIALS_KEYS: `k1:${Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7 + 1)).toString('base64')}`,
    PAYLOAD_CODEC_KEYS: `p1:${Buffer.from(Array.from({ length: 32 }, (_, index) => index * 11 + 3)).toString('base64')}`,
  };

  it('when production runs without METRICS_TOKEN, then the API serves no /metrics; with a short token or a public worker bind, it refuses to start', () => {
    expect(loadConfig(production).metrics).toMatchObject({ apiEnabled: false, token: undefined, temporalSdkAddress: undefined });
    expect(loadConfig({ ...production, METRICS_TOKEN: 'x'.repeat(40) }).metrics.apiEnabled).toBe(true);
    expect(() => loadConfig({ ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ ...production, WORKER_METRICS_HOST: '0.0.0.0' })).toThrow(/WORKER_METRICS_HOST/);
    expect(() => loadConfig({ ...production, TEMPORAL_METRICS_ADDRESS: '0.0.0.0:9465' })).toThrow(/TEMPORAL_METRICS_ADDRESS/);
    expect(loadConfig({}).metrics).toMatchObject({ apiEnabled: true, worker: { host: '127.0.0.1', port: 9464 } });
  });
});

describe('the registries', () => {
  it('when both processes build their registries, then every series is named storefront_sync_… with help, and no series is defined twice', () => {
    const names = [createApiMetrics(), createWorkerMetrics()].flatMap((metrics) =>
      metrics.registry
        .getMetricsAsArray()
        .map((metric) => metric.name)
        .filter((name) => name.startsWith('storefront_sync_')),
    );
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^storefront_sync_[a-z_]+$/);
  });
});

describe('the heap a process keeps', () => {
  it('when a full collection runs, then nodejs_heap_after_full_gc_bytes is the heap it left: up with what is kept, down once it is let go', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const registry = createWorkerMetrics().registry;
    const keptAfterFullCollection = async () => {
      collect();
      // The observer hears of the collection after it, on a later turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const values = (await registry.getSingleMetric('nodejs_heap_after_full_gc_bytes')!.get()).values;
      return values[0]!.value;
    };
    const before = await keptAfterFullCollection();
    let kept: number[][] | undefined = Array.from({ length: 400 }, () => Array.from({ length: 10_000 }, (_, index) => index + 0.5));
    const holding = await keptAfterFullCollection();
    expect(kept.length).toBe(400);
    kept = undefined;
    const released = await keptAfterFullCollection();
    // 4 million doubles: about 32 MB.
    expect(holding - before).toBeGreaterThan(25 * 2 ** 20);
    expect(holding - released).toBeGreaterThan(25 * 2 ** 20);
  });

  it('when only a scavenge runs, then it stays at what the last full collection left', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;
    const registry = createWorkerMetrics().registry;
    const heapKept = async () => (await registry.getSingleMetric('nodejs_heap_after_full_gc_bytes')!.get()).values[0]!.value;
    // The observer hears of a collection after it, on a later turn.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    collect();
    await settle();
    const afterFull = await heapKept();
    // Held across the scavenge, so the heap in use is well above the last full collection's.
    const held = Array.from({ length: 400 }, () => Array.from({ length: 10_000 }, (_, index) => index + 0.5));
    collect({ type: 'minor' });
    await settle();
    expect(held.length).toBe(400);
    expect(process.memoryUsage().heapUsed - afterFull).toBeGreaterThan(25 * 2 ** 20);
    expect(await heapKept()).toBe(afterFull);
  });
});
