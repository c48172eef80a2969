import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlerts } from '../../../store/alert-outbox.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { eventually } from '../../support/eventually.js';
import { guestBuyer } from '../returns/refund-e2e-support.js';
import { metricsToken, sampleValue, startMetricsStack, type MetricsStack } from './metrics-stack.js';
import '../../support/quiet-runtime.js';

/**
 * The API's and the worker's `/metrics` while real orders flow: BigCommerce sandbox webhooks
 * into the API, OrderToCash on the dev server, the worker's activities against the Intacct
 * sandbox. Each test reads the series before and after and asserts how they moved.
 */
describe('Metrics end to end: API and worker series move as orders post, park and are retried', () => {
  let stack: MetricsStack;
  let tenantId: string;
  const apiMetrics = () => stack.scrape(`${stack.api.url}/metrics`);
  const workerMetrics = () => stack.scrape(stack.observability.server!.url);

  beforeAll(async () => {
    stack = await startMetricsStack();
    tenantId = await stack.createTenant('bigcommerce', { transactionDefinition: 'Sales Order' });
    const registered = await stack.admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: stack.api.url });
    expect(registered.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const placeGuestOrder = async (productId: number): Promise<string> => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 0,
      status_id: 11,
      billing_address: guestBuyer,
      products: [{ product_id: productId, quantity: 1 }],
    });
    expect(created.status).toBe(201);
    return String((created.body as { id: number }).id);
  };

  it('when /metrics is asked without the token, then the API and the worker answer 401; with it, every named series is described', async () => {
    for (const url of [`${stack.api.url}/metrics`, stack.observability.server!.url]) {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    }
    const api = await apiMetrics();
    for (const name of ['http_request_duration_seconds', 'webhook_deliveries_total', 'admin_api_errors_total'])
      expect(api).toContain(`# TYPE storefront_sync_${name} `);
    expect(api).toContain('process_cpu_user_seconds_total');
    const worker = await workerMetrics();
    for (const name of [
      'orders_total',
      'attention_opened_total',
      'attention_resolved_total',
      'attention_open_items',
      'activity_duration_seconds',
      'vendor_failures_total',
      'intacct_transactions_total',
      'intacct_month_transactions',
      'intacct_budget_crossings_total',
      'storefront_quota_wait_seconds',
      'inventory_runs_total',
    ])
      expect(worker).toContain(`# TYPE storefront_sync_${name} `);
    expect(metricsToken.length).toBeGreaterThan(0);
  });

  it('when an order parks on a wrong item mapping and is retried after the fix, then the webhook, park, resolution, posting and Intacct transactions all show in the series', async () => {
    const tenant = { tenant: tenantId };
    const apiBefore = await apiMetrics();
    const workerBefore = await workerMetrics();
    const delivered = (text: string, outcome: string) =>
      sampleValue(text, 'storefront_sync_webhook_deliveries_total', { storefront: 'bigcommerce', outcome, ...tenant });
    const orders = (text: string, outcome: string) => sampleValue(text, 'storefront_sync_orders_total', { ...tenant, outcome });
    const transactions = (text: string, fn: string) =>
      sampleValue(text, 'storefront_sync_intacct_transactions_total', { ...tenant, function: fn });

    const wrongRow = await stack.admin('PUT', `/tenants/${tenantId}/mappings/items/rows/HOODIE-GRY-L`, {
      storefrontSku: 'HOODIE-GRY-L',
      intacctItemId: 'NO-SUCH-ITEM',
    });
    expect([200, 201]).toContain(wrongRow.status);
    const orderId = await placeGuestOrder(113);
    const parked = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    const code = parked.attention!.code;

    const opened = { ...tenant, entity: 'order', code };
    // The workflow reports `parked` as it schedules the park: the activity's own count may come a moment later.
    const afterPark = await eventually(workerMetrics, {
      until: (text) =>
        sampleValue(text, 'storefront_sync_attention_open_items', opened) === 1 && orders(text, 'parked') > orders(workerBefore, 'parked'),
      what: 'the parked order in the worker metrics',
    });
    expect(orders(afterPark, 'parked') - orders(workerBefore, 'parked')).toBe(1);
    expect(
      sampleValue(afterPark, 'storefront_sync_attention_opened_total', opened) -
        sampleValue(workerBefore, 'storefront_sync_attention_opened_total', opened),
    ).toBe(1);
    expect(sampleValue(afterPark, 'storefront_sync_attention_open_items', opened)).toBe(1);
    const refused = { vendor: 'intacct', activity: 'createSalesDocument', failure_class: 'input', type: 'IntacctInputError' };
    expect(
      sampleValue(afterPark, 'storefront_sync_vendor_failures_total', refused) -
        sampleValue(workerBefore, 'storefront_sync_vendor_failures_total', refused),
    ).toBe(1);
    expect(
      sampleValue(afterPark, 'storefront_sync_activity_duration_seconds_count', { activity: 'parkOrder', outcome: 'completed' }),
    ).toBeGreaterThan(0);
    const apiAfterPark = await apiMetrics();
    // Signal-with-start answers `signalled` or `started`: either way the delivery reached the order's workflow.
    const dispatched = (text: string) => delivered(text, 'started') + delivered(text, 'signalled');
    expect(dispatched(apiAfterPark) - dispatched(apiBefore)).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(apiAfterPark, 'storefront_sync_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/webhooks/bigcommerce/:tenantId',
        status: '200',
      }),
    ).toBeGreaterThan(0);

    expect((await stack.admin('DELETE', `/tenants/${tenantId}/mappings/items/rows/HOODIE-GRY-L`)).status).toBe(204);
    const retried = await stack.admin('POST', `/tenants/${tenantId}/attention/retry`, { entity: 'order', code });
    expect(retried).toMatchObject({ status: 200, body: { retried: 1 } });
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');

    const afterRetry = await eventually(workerMetrics, {
      until: (text) => orders(text, 'posted') > orders(workerBefore, 'posted'),
      what: 'the posted order in the worker metrics',
    });
    expect(orders(afterRetry, 'posted') - orders(workerBefore, 'posted')).toBe(1);
    expect(
      sampleValue(afterRetry, 'storefront_sync_attention_resolved_total', opened) -
        sampleValue(workerBefore, 'storefront_sync_attention_resolved_total', opened),
    ).toBe(1);
    expect(sampleValue(afterRetry, 'storefront_sync_attention_open_items', opened)).toBe(0);
    // The create Intacct refused for the unknown item is a transaction too (Intacct bills it), then the one that posted.
    expect(transactions(afterRetry, 'create_sotransaction') - transactions(workerBefore, 'create_sotransaction')).toBe(2);

    // Admin API errors are labelled by route template and code, never by the id asked for.
    expect((await stack.admin('GET', '/tenants/no-such-tenant')).status).toBe(404);
    const errors = { route: '/api/v1/tenants/:tenantId', status: '404', code: 'not_found' };
    expect(sampleValue(await apiMetrics(), 'storefront_sync_admin_api_errors_total', errors)).toBe(
      sampleValue(apiAfterPark, 'storefront_sync_admin_api_errors_total', errors) + 1,
    );
    expect(await apiMetrics()).not.toContain('no-such-tenant');
  });

  it('when the tenant sends Intacct transactions, then the month counts exactly what was sent, and a budget threshold is recorded and told once', async () => {
    await stack.observability.intacctUsage.flush();
    const sentByWorker = (text: string) =>
      [...text.matchAll(new RegExp(`^storefront_sync_intacct_transactions_total\\{[^}]*tenant="${tenantId}"[^}]*\\} (\\d+)$`, 'gm'))]
        .map(([, value]) => Number(value))
        .reduce((sum, value) => sum + value, 0);
    const usage = async () => (await stack.admin('GET', `/tenants/${tenantId}/intacct-usage`)).body;
    const before = await usage();
    expect(before.transactions).toBe(sentByWorker(await workerMetrics()));
    expect(before.transactions).toBeGreaterThan(0);

    // A budget the next order's transactions (a sales order and its payment at least) cross.
    const current = (await readSettings(stack.database.db, tenantId))!;
    await writeSettings(
      stack.database.db,
      tenantId,
      { ...current.settings, intacctBudget: { monthlyTransactions: before.transactions + 2, alertAtPercent: [50, 100] } },
      { expectedVersion: current.version, changedBy: 'test' },
    );
    const crossingsBefore = stack.crossings.length;
    const orderId = await placeGuestOrder(112);
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment');
    await stack.observability.intacctUsage.flush();
    const second = await placeGuestOrder(114);
    await stack.waitForOrder(tenantId, second, (status) => status.step === 'awaiting_fulfilment');
    await stack.observability.intacctUsage.flush();

    const after = await usage();
    expect(after.transactions).toBe(sentByWorker(await workerMetrics()));
    expect(after.percentUsed).toBeGreaterThan(100);
    // 50 % was passed when the budget was set: it is recorded at the next count, once, like 100 %.
    expect(after.crossings.map((crossing: { thresholdPercent: number }) => crossing.thresholdPercent)).toEqual([50, 100]);
    const told = stack.crossings.slice(crossingsBefore);
    expect(told.map((crossing) => [crossing.tenantId, crossing.thresholdPercent])).toEqual([
      [tenantId, 50],
      [tenantId, 100],
    ]);
    // Each crossing is an alert in the outbox, once, saying what was spent of what.
    const alerts = await listAlerts(stack.database.db, tenantId, { rule: 'intacct_budget' }, { limit: 10 });
    expect(alerts.items.map((alert) => alert.code).sort()).toEqual(['intacct_budget_100', 'intacct_budget_50']);
    const overBudget = alerts.items.find((alert) => alert.code === 'intacct_budget_100')!;
    expect(overBudget.reason).toContain(`of a budget of ${before.transactions + 2}`);
    expect(overBudget.reason).toContain('past the 100 % threshold');
    expect(overBudget.fix).toContain('bills the transactions above your allowance');
    const worker = await workerMetrics();
    expect(sampleValue(worker, 'storefront_sync_intacct_budget_crossings_total', { tenant: tenantId, threshold: '100' })).toBe(1);
    expect(sampleValue(worker, 'storefront_sync_intacct_month_transactions', { tenant: tenantId })).toBe(after.transactions);
    expect(sampleValue(worker, 'storefront_sync_intacct_month_budget', { tenant: tenantId })).toBe(before.transactions + 2);
  });
});
