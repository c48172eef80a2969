import http from 'node:http';
import type { JsonAnswer, ProcessStack } from '../support/process-stack.js';
import { sandboxCredentials } from '../support/sandbox-credentials.js';

/** A BigCommerce V2 order as the chaos run reads it back. */
export interface BigCommerceOrderView {
  id: number;
  status_id: number;
  total_inc_tax: string;
  total_tax: string;
  wrapping_cost_ex_tax?: string;
  is_tax_inclusive_pricing?: boolean;
  payment_status: string;
  staff_notes: string;
  currency_code?: string;
}

/** A Clarity order as the chaos run reads it back. */
export interface ClarityOrderView {
  orderId: string;
  status: string;
  currency: string;
  totalAmount: string;
  erpReference: string | null;
  paymentInfo: { status: string };
  lineItems: Array<{ sku: string; quantity: number }>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One JSON request on a connection of its own: the sandboxes run in this busy process, and a
 * reused keep-alive connection that the server closes at the same moment fails with
 * ECONNRESET, which for a POST would leave the run not knowing whether an order exists.
 */
function request(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<JsonAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          accept: 'application/json',
          ...headers,
          ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/**
 * The storefronts as a shopper, a merchant and an auditor use them: placing orders, moving
 * them along, and reading every order back at the end; and the sandboxes' control APIs.
 * BigCommerce calls share the store's rate-limit window with the product, so a 429 waits for
 * the window and tries again. Reads and status changes (idempotent) are retried on a network
 * failure; an order placement is not.
 */
export class Storefronts {
  private clarityToken: string | undefined;

  constructor(private readonly stack: ProcessStack) {}

  private async call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<JsonAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const answer = await request(url, method === 'POST-KEYED' ? 'POST' : method, headers, body);
        if (answer.status !== 429 || attempt >= 240) return answer;
      } catch (error) {
        if (method === 'POST' || attempt >= 5) throw error;
      }
      await pause(500);
    }
  }

  /** The BigCommerce demo store (`/v2/...`, `/v3/...`) or its `/_control/...`. */
  bigCommerce(method: string, route: string, body?: unknown): Promise<JsonAnswer> {
    const base = this.stack.sandboxes.bigcommerce.url;
    return this.call(
      `${base}${route.startsWith('/_control') ? '' : '/stores/demostore'}${route}`,
      method,
      { 'x-auth-token': sandboxCredentials.bigcommerce.accessToken },
      body,
    );
  }

  /** The Clarity sandbox's `/_sandbox` control API (checkouts, status changes, webhook log). */
  clarity(method: string, route: string, body?: unknown): Promise<JsonAnswer> {
    return this.call(`${this.stack.sandboxes.clarity.url}/_sandbox${route}`, method, {}, body);
  }

  /** The Intacct sandbox's `/__control` API. */
  intacctControl(method: string, route: string, body?: unknown): Promise<JsonAnswer> {
    return this.call(`${this.stack.sandboxes.intacct.url}/__control${route}`, method, {}, body);
  }

  /** The Intacct sandbox's records of one object (no API transaction). */
  async intacctRecords(object: string): Promise<Array<Record<string, string>>> {
    return ((await this.intacctControl('GET', `/records/${object}`)).body as { records: Array<Record<string, string>> }).records;
  }

  /** Every order of the demo store (V2 list, 250 a page). */
  async bigCommerceOrders(): Promise<Map<string, BigCommerceOrderView>> {
    const orders = new Map<string, BigCommerceOrderView>();
    for (let page = 1; ; page += 1) {
      const answer = await this.bigCommerce('GET', `/v2/orders?limit=250&page=${page}`);
      if (answer.status === 204) break;
      if (answer.status !== 200) throw new Error(`reading BigCommerce orders failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const rows = answer.body as BigCommerceOrderView[];
      for (const order of rows) orders.set(String(order.id), order);
      if (rows.length < 250) break;
    }
    return orders;
  }

  /** Every order of the Clarity store, through its REST API (the integration's own view). */
  async clarityOrders(): Promise<Map<string, ClarityOrderView>> {
    const orders = new Map<string, ClarityOrderView>();
    let cursor: string | null | undefined;
    do {
      const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
      const answer = await this.clarityApi(`/api/v1/orders?${query.toString()}`);
      const page = answer as { data: ClarityOrderView[]; nextCursor: string | null };
      for (const order of page.data) orders.set(order.orderId, order);
      cursor = page.nextCursor;
    } while (cursor);
    return orders;
  }

  /**
   * Waits (bounded) until Intacct holds a sales document for the order; false when it did not
   * in time. One reading of the records every few seconds serves every waiter.
   */
  waitForDocument(orderId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.documentWaiters.set(orderId, { resolve, deadline: Date.now() + timeoutMs });
      this.documentWatch ??= this.watchDocuments();
    });
  }

  private readonly documentWaiters = new Map<string, { resolve: (found: boolean) => void; deadline: number }>();
  private documentWatch: Promise<void> | undefined;

  private async watchDocuments(): Promise<void> {
    while (this.documentWaiters.size > 0) {
      await pause(3_000);
      const posted = new Set((await this.intacctRecords('SODOCUMENT').catch(() => [])).map((record) => record.PONUMBER));
      for (const [orderId, waiter] of this.documentWaiters) {
        if (posted.has(orderId) || Date.now() > waiter.deadline) {
          this.documentWaiters.delete(orderId);
          waiter.resolve(posted.has(orderId));
        }
      }
    }
    this.documentWatch = undefined;
  }

  /**
   * What became of the stores' webhook subscriptions: the ones off now (a store that gave up on
   * the endpoint deactivates them), and the BigCommerce hooks a store gave up on during the run
   * that are on again, which only the product's sweep does (Clarity cannot re-enable one).
   */
  async webhookSubscriptions(): Promise<{ inactive: string[]; reactivated: string[] }> {
    const state = (await this.bigCommerce('GET', '/_control/state')).body as {
      hooks: Array<{ id: number; scope: string; isActive: boolean }>;
    };
    const deliveries = (await this.bigCommerce('GET', '/_control/webhooks')).body as {
      deliveries: Array<{ hookId: number; state: string }>;
    };
    const clarity = (await this.clarityApi('/api/v1/webhooks')) as { data: Array<{ id: string; active: boolean; url: string }> };
    // The sandbox deactivates a hook exactly when one of its deliveries fails its last retry.
    const gaveUpOn = new Set(deliveries.deliveries.filter((delivery) => delivery.state === 'failed').map((delivery) => delivery.hookId));
    const name = (hook: { id: number; scope: string }) => `BigCommerce hook ${hook.id} (${hook.scope})`;
    return {
      inactive: [
        ...state.hooks.filter((hook) => !hook.isActive).map(name),
        ...clarity.data.filter((subscription) => !subscription.active).map((subscription) => `Clarity subscription ${subscription.id}`),
      ],
      reactivated: state.hooks.filter((hook) => hook.isActive && gaveUpOn.has(hook.id)).map(name),
    };
  }

  /** The shipments of a Clarity order, as its REST API lists them. */
  async clarityShipments(orderId: string): Promise<Array<{ shipmentId: string; lineItems: Array<{ sku: string; quantity: number }> }>> {
    return ((await this.clarityApi(`/api/v1/orders/${encodeURIComponent(orderId)}/shipments`)) as { data: never[] }).data;
  }

  /**
   * A shipment posted through Clarity's REST API, as a merchant's warehouse system does; the
   * idempotency key makes a retry after a lost answer safe.
   */
  async clarityShip(orderId: string, shipment: Record<string, unknown> & { shipmentId: string }): Promise<void> {
    await this.clarityApi(`/api/v1/orders/${encodeURIComponent(orderId)}/shipments`, 'POST', shipment, {
      'idempotency-key': `chaos-${orderId}-${shipment.shipmentId}`,
    });
  }

  private async clarityApi(route: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const base = this.stack.sandboxes.clarity.url;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      this.clarityToken ??= await this.clarityAccessToken();
      // A keyed write is safe to retry, so it is sent as a PUT would be (retried on a network failure).
      const answer = await this.call(
        `${base}${route}`,
        method === 'POST' && headers['idempotency-key'] !== undefined ? 'POST-KEYED' : method,
        { authorization: `Bearer ${this.clarityToken}`, ...headers },
        body,
      );
      if (answer.status === 401) {
        this.clarityToken = undefined;
        continue;
      }
      if (answer.status !== 200 && answer.status !== 201)
        throw new Error(`Clarity ${method} ${route} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    }
    throw new Error(`Clarity ${route} kept refusing the token`);
  }

  private async clarityAccessToken(): Promise<string> {
    const { clientId, clientSecret } = sandboxCredentials.clarity;
    const response = await fetch(`${this.stack.sandboxes.clarity.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    if (!response.ok) throw new Error(`Clarity token request answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }
}
