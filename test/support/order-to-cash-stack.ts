import { createHmac, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { defaultAuthFailureLimits } from '../../api/admin/auth-failure-limiter.js';
import { createProductApp } from '../../api/product-app.js';
import { listen, type RunningServer } from '../../api/server.js';
import { loadCredentials } from '../../store/credentials.js';
import { findLedgerEntry, type LedgerEntry } from '../../store/ledger.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { connectWorkerToTemporal, createProductWorker } from '../../workers/worker.js';
import { orderToCashStatusQuery, orderToCashWorkflowId, type OrderToCashStatus } from '../../workflows/order-to-cash-contract.js';
import { eventually } from './eventually.js';
import { connectTestClient } from './harness.js';
import { startOrderSyncFixture, type OrderSyncFixture, type OrderSyncOverrides } from './order-sync-fixture.js';
import { runInBackground, type RunningTestWorker } from './test-worker.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { upsertMappingRows } from '../../store/mappings.js';
import { janeDoeBillingAddress } from './builders.js';
import { requestJson } from './json-requests.js';

const adminKey = 'e2e-bootstrap-key-0123456789abcdef';

export interface OrderToCashStack extends OrderSyncFixture {
  client: Awaited<ReturnType<typeof connectTestClient>>;
  api: RunningServer;
  /** A JSON call to the product's admin API with the bootstrap key. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Registers the tenant's storefront webhooks to the in-process API (what an operator does once). */
  registerWebhooks(tenantId: string): Promise<void>;
  /** A JSON call to the BigCommerce sandbox's store API as the demo app. */
  bigCommerce(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A JSON call to the Clarity sandbox's `/_sandbox` control API. */
  clarity(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A call to the Intacct sandbox's `/__control` API. */
  intacctControl(method: string, path: string, body?: unknown): Promise<any>;
  /** Records of one Intacct object as the sandbox holds them (no API transaction). */
  intacctRecords(object: string): Promise<Array<Record<string, string>>>;
  ledger(tenantId: string, entity: LedgerEntry['entity'], orderId: string): Promise<LedgerEntry | null>;
  /** Polls the order's workflow until its status query satisfies `predicate`. */
  waitForOrder(
    tenantId: string,
    orderId: string,
    predicate: (status: OrderToCashStatus) => boolean,
    timeoutMs?: number,
  ): Promise<OrderToCashStatus>;
  /** Stops the in-process worker (and starts a new one with `startWorker`), for crash tests. */
  stopWorker(): Promise<void>;
  startWorker(): void;
}

/**
 * The product end to end in one process: the three sandboxes, FerretDB, the API with its
 * webhook receivers and admin API on a free port, and a worker on the dev server polling the
 * test's own task queue. Storefront events reach the product the real way: the sandbox
 * delivers a signed webhook to the receiver, which starts or signals OrderToCash.
 */
export async function startOrderToCashStack(options: { stripe?: boolean } = {}): Promise<OrderToCashStack> {
  const fixture = await startOrderSyncFixture({ ADMIN_API_KEY: adminKey }, options);
  const client = await connectTestClient(fixture.config);
  const taskQueue = fixture.config.temporal.taskQueue;
  const temporal = { client, taskQueue };
  const app = createProductApp({
    logger: pino({ level: 'silent' }),
    db: fixture.database.db,
    cipher: fixture.cipher,
    connectors: new ConnectorClients({ endpoints: fixture.endpoints }),
    temporal,
    bootstrapApiKey: adminKey,
    // The bad-input sweep sends its many wrong keys from this one client, then valid calls.
    authFailureLimits: { ...defaultAuthFailureLimits, maxFailures: Number.MAX_SAFE_INTEGER },
  });
  const api = await listen(app, 0, '127.0.0.1');

  let worker: Promise<RunningTestWorker> | undefined;
  const startWorker = () => {
    worker = (async () => {
      const connection = await connectWorkerToTemporal(fixture.config);
      const instance = await createProductWorker({
        config: fixture.config,
        connection,
        activities: createActivities({ db: fixture.database.db, connections: fixture.connections, temporal }),
        overrides: { shutdownGraceTime: '1 second' },
      });
      return runInBackground(instance, () => connection.close());
    })();
  };
  startWorker();
  await worker;

  const admin = (method: string, path: string, body?: unknown) =>
    requestJson(`${api.url}/api/v1${path}`, method, { authorization: `Bearer ${adminKey}` }, body);

  const stopWorker = async () => {
    const running = await worker;
    worker = undefined;
    await running?.stop();
  };

  return {
    ...fixture,
    client,
    api,
    admin,
    async registerWebhooks(tenantId) {
      const registered = await admin('POST', `/tenants/${tenantId}/webhooks/register`, { publicBaseUrl: api.url });
      if (registered.status !== 200)
        throw new Error(`webhook registration failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    },
    bigCommerce: (method, path, body) =>
      requestJson(`${fixture.sandboxes.bigcommerce.url}/stores/demostore${path}`, method, { 'x-auth-token': 'demo-bc-token' }, body),
    clarity: (method, path, body) => requestJson(`${fixture.sandboxes.clarity.url}/_sandbox${path}`, method, {}, body),
    intacctControl: async (method, path, body) =>
      (await requestJson(`${fixture.sandboxes.intacct.url}/__control${path}`, method, {}, body)).body,
    intacctRecords: async (object) =>
      (
        (await requestJson(`${fixture.sandboxes.intacct.url}/__control/records/${object}`, 'GET', {})).body as {
          records: Array<Record<string, string>>;
        }
      ).records,
    ledger: (tenantId, entity, orderId) => findLedgerEntry(fixture.database.db, { tenantId, entity, externalId: orderId }),
    waitForOrder(tenantId, orderId, predicate, timeoutMs = 60_000) {
      const handle = client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId));
      return eventually(() => handle.query(orderToCashStatusQuery), {
        until: predicate,
        what: `order ${orderId} of ${tenantId} to reach the expected state`,
        timeoutMs,
        intervalMs: 200,
      });
    },
    stopWorker,
    startWorker,
    async close() {
      await stopWorker();
      await api.close();
      await client.close();
      await fixture.close();
    },
  };
}

/** Money in an Intacct record's decimal text, as minor units. */
export const cents = (amount: string | undefined): number => Math.round(Number(amount ?? 'NaN') * 100);

/** Sets the tenant's `returns` settings (a new settings version); returns processing on unless told otherwise. */
export async function setReturns(stack: OrderSyncFixture, tenantId: string, returns: Partial<TenantSettings['returns']>): Promise<void> {
  const current = (await readSettings(stack.database.db, tenantId))!;
  await writeSettings(
    stack.database.db,
    tenantId,
    { ...current.settings, returns: { ...current.settings.returns, enabled: true, ...returns } },
    { expectedVersion: current.version, changedBy: 'test' },
  );
}

/** Replaces the tenant's rule list (a new settings version). */
export async function setRules(stack: OrderSyncFixture, tenantId: string, rules: TenantSettings['rules']): Promise<void> {
  const current = (await readSettings(stack.database.db, tenantId))!;
  await writeSettings(stack.database.db, tenantId, { ...current.settings, rules }, { expectedVersion: current.version, changedBy: 'test' });
}

/**
 * Maps the BigCommerce sandbox's registered customer 1 (Jane Doe) to the Intacct sandbox's
 * existing customer C-1001 in the tenant's mapping table, as a person (`by`) would.
 */
export function mapJaneToIntacctCustomer(stack: OrderSyncFixture, tenantId: string, by = 'test'): Promise<unknown> {
  return upsertMappingRows(
    stack.database.db,
    tenantId,
    'customers',
    [{ key: '1', row: { storefrontCustomer: '1', intacctCustomerId: 'C-1001' } }],
    by,
  );
}

/**
 * The adjustment items a tenant posting tax per line needs in its mapping table: shipping's item
 * (taxed shipping carries its tax on its own line) and the tax rounding residue's.
 */
export function mapPerLineTaxAdjustmentItems(stack: OrderSyncFixture, tenantId: string, by = 'test'): Promise<unknown> {
  return upsertMappingRows(
    stack.database.db,
    tenantId,
    'adjustmentItems',
    [
      { key: 'shipping', row: { kind: 'shipping', intacctItemId: 'SHIPPING' } },
      { key: 'taxRounding', row: { kind: 'taxRounding', intacctItemId: 'TAX-ROUNDING' } },
    ],
    by,
  );
}

/**
 * A tenant posting tax per line, prepared: Jane mapped to her Intacct customer, the store's tax
 * names mapped to the Intacct tax details they post as (`taxDetails`: store tax → detail id),
 * and the adjustment items per-line tax needs. For `useEndToEndTenant`'s `prepare`.
 */
export function preparePerLineTaxTenant(taxDetails: Record<string, string>) {
  return async (stack: OrderSyncFixture, tenantId: string): Promise<void> => {
    await mapJaneToIntacctCustomer(stack, tenantId);
    await upsertMappingRows(
      stack.database.db,
      tenantId,
      'taxRates',
      Object.entries(taxDetails).map(([storefrontTax, intacctTaxDetailId]) => ({
        key: storefrontTax,
        row: { storefrontTax, intacctTaxDetailId },
      })),
      'test',
    );
    await mapPerLineTaxAdjustmentItems(stack, tenantId);
  };
}

/** Jane Doe, customer 1, buying for her company: a V2 order's billing address with a company and a phone. */
export const janeAtAcmeBillingAddress = { ...janeDoeBillingAddress, company: 'Acme Outfitters', phone: '512-555-0100' };

/** Places a paid BigCommerce order of Jane's (customer 1), one of each product, in a status that syncs; its id. */
export async function placeJanesPaidOrder(stack: OrderToCashStack, productIds: readonly number[]): Promise<string> {
  const created = await stack.bigCommerce('POST', '/v2/orders', {
    customer_id: 1,
    status_id: 11,
    billing_address: janeAtAcmeBillingAddress,
    products: productIds.map((productId) => ({ product_id: productId, quantity: 1 })),
  });
  if (created.status !== 201) throw new Error(`the store refused the order (${created.status}): ${JSON.stringify(created.body)}`);
  return String((created.body as { id: number }).id);
}

/**
 * A tenant taxing per line under Intacct's Standard Tax solution (the store's "Sales Tax" posts
 * as the TX State Sales Tax detail), converting each shipment to a sales invoice: the settings of
 * the end-to-end suites that follow such an order to its invoices and refunds.
 */
export const perLineTaxInvoicingTenant = {
  storefront: 'bigcommerce',
  orderSync: {
    adjustments: { tax: 'perLine' },
    tax: { solutionId: 'Standard Tax', defaultTaxDetailId: 'TX State Sales Tax' },
    fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
  },
  prepare: preparePerLineTaxTenant({ 'Sales Tax': 'TX State Sales Tax' }),
} satisfies EndToEndTenantOptions;

/** BigCommerce's sandbox products the taxed order carries: the ceramic mug and the cap. */
export const taxedOrderProducts = { mug: 112, cap: 114 } as const;

/**
 * Places Jane's order the store taxes (8.25 % sales tax added to prices): three mugs, one cap and
 * 8.00 shipping, in a status that syncs; its id.
 */
export async function placeTaxedMugsOrder(stack: OrderToCashStack): Promise<string> {
  const created = await stack.bigCommerce('POST', '/v2/orders', {
    customer_id: 1,
    status_id: 11,
    billing_address: janeAtAcmeBillingAddress,
    products: [
      { product_id: taxedOrderProducts.mug, quantity: 3 },
      { product_id: taxedOrderProducts.cap, quantity: 1 },
    ],
    shipping_cost_ex_tax: '8.00',
  });
  if (created.status !== 201) throw new Error(`the store refused the order (${created.status}): ${JSON.stringify(created.body)}`);
  return String((created.body as { id: number }).id);
}

/** The Intacct sales documents whose reference is the storefront order's id, as the sandbox holds them. */
export async function salesDocumentsOf(stack: OrderToCashStack, orderId: string): Promise<Array<Record<string, string>>> {
  return (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
}

/** The one tenant an end-to-end suite runs against, and how it is set up. */
export interface EndToEndTenantOptions {
  storefront: 'bigcommerce' | 'clarity';
  /** `orderSync` settings the tenant is created with (the demo's otherwise). */
  orderSync?: OrderSyncOverrides;
  /** Returns processing on, with these `returns` settings; absent: returns stay as the demo has them. */
  returns?: Partial<TenantSettings['returns']>;
  /** A Stripe sandbox too (`stack.sandboxes.stripe`), allowed to the tenant's connectors. */
  stripe?: boolean;
  /** Anything else the suite sets up before the storefront's webhooks are registered (mapping rows, ...). */
  prepare?: (stack: OrderToCashStack, tenantId: string) => Promise<unknown>;
}

/**
 * An end-to-end suite's stack and tenant, in the suite's hooks: before all, the stack and one
 * tenant set up as `options` say and registered for its storefront's webhooks (a second
 * tenant on the same store would receive every event too); before each test, no Intacct
 * faults left over; after all, the stack closed. `use` receives them as soon as the tenant
 * exists, so `prepare` may call the suite's own helpers.
 *
 * @example
 * let stack: OrderToCashStack;
 * let tenantId: string;
 * useEndToEndTenant({ storefront: 'bigcommerce', returns: { restock: true } }, (started) => ({ stack, tenantId } = started));
 */
export function useEndToEndTenant(
  options: EndToEndTenantOptions,
  use: (started: { stack: OrderToCashStack; tenantId: string }) => void,
): void {
  let stack: OrderToCashStack | undefined;
  beforeAll(async () => {
    stack = await startOrderToCashStack({ stripe: options.stripe ?? false });
    const tenantId = await stack.createTenant(options.storefront, options.orderSync);
    use({ stack, tenantId });
    if (options.returns !== undefined) await setReturns(stack, tenantId, options.returns);
    await options.prepare?.(stack, tenantId);
    await stack.registerWebhooks(tenantId);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack?.intacctControl('DELETE', '/faults');
  });
}

/**
 * Sends the product's Clarity receiver an event the way Clarity sends one: a new message id,
 * signed (Standard Webhooks, `v1,` HMAC-SHA256) with the tenant's stored secret. A redelivery
 * or a late webhook, without the sandbox. Answers the receiver's status.
 */
export async function deliverSignedClarityWebhook(
  stack: OrderToCashStack,
  tenantId: string,
  type: string,
  data: Record<string, unknown>,
): Promise<number> {
  const { secrets } = (await loadCredentials(stack.database.db, stack.cipher, tenantId, 'webhook'))!;
  const id = `msg_${randomUUID()}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = JSON.stringify({ id, type, timestamp: new Date().toISOString(), data });
  const secret = secrets[0]!.secret;
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  const answer = await fetch(`${stack.api.url}/webhooks/clarity/${tenantId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
    body,
  });
  return answer.status;
}

/**
 * Sends the product's BigCommerce receiver an event the way the store sends one: a new delivery
 * hash, the tenant's stored secret in the header the product registered. A redelivery or a late
 * webhook, without the sandbox. Answers the receiver's status.
 */
export async function deliverBigCommerceWebhook(
  stack: OrderToCashStack,
  tenantId: string,
  scope: string,
  data: Record<string, unknown>,
): Promise<number> {
  const { secrets } = (await loadCredentials(stack.database.db, stack.cipher, tenantId, 'webhook'))!;
  const answer = await fetch(`${stack.api.url}/webhooks/bigcommerce/${tenantId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': secrets[0]!.secret },
    body: JSON.stringify({
      scope,
      store_id: '1001',
      data,
      hash: randomUUID(),
      created_at: Math.floor(Date.now() / 1000),
      producer: 'stores/demostore',
    }),
  });
  return answer.status;
}
