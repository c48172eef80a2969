import type { LookupFunction } from 'node:net';
import type { Method } from 'got';
import type { z } from 'zod';
import { AccessTokenSource, type ClarityCredentials } from './access-token.js';
import { ClarityAuthError } from './errors.js';
import type {
  ClarityCoupon,
  ClarityCustomer,
  ClarityCustomerQuery,
  ClarityInventoryBatchResult,
  ClarityInventoryInput,
  ClarityInventoryLevel,
  ClarityOrder,
  ClarityOrderQuery,
  ClarityPage,
  ClarityPageRequest,
  ClarityProduct,
  ClarityProductQuery,
  ClarityProductUpdate,
  ClarityReturn,
  ClarityReturnQuery,
  ClarityShipment,
  ClarityShipmentInput,
  ClarityTransaction,
  ClarityWebhookSubscription,
  ClarityWebhookSubscriptionInput,
  ClarityWebhookSubscriptionWithSecret,
} from './model.js';
import { ClarityTransport, failureOf, readBody, type ClarityAnswer } from './transport.js';
import {
  clarityHeaders,
  clarityRoutes,
  clarityScopes,
  couponFromWire,
  customerFromWire,
  inventoryBatchResultFromWire,
  inventoryLevelFromWire,
  listFromWire,
  orderFromWire,
  pageFromWire,
  productFromWire,
  returnFromWire,
  shipmentFromWire,
  toWireInventoryBatch,
  toWireInventoryUpdate,
  toWireOrderPatch,
  toWireProductPatch,
  toWireQuery,
  toWireShipment,
  toWireWebhookSubscription,
  transactionListFromWire,
  webhookSubscriptionFromWire,
  webhookSubscriptionWithSecretFromWire,
} from './wire-mapping.js';

export type { ClarityCredentials };

export interface ClarityClientOptions {
  /** The site's origin, e.g. `https://store.example.com`; the sandbox is `http://127.0.0.1:4003`. */
  baseUrl: string;
  /** This tenant's OAuth client. */
  credentials: ClarityCredentials;
  /** Scopes to ask for; all the sync needs by default. */
  scopes?: readonly string[];
  /** Per-request timeout; 15 s by default. */
  timeoutMs?: number;
  /** The clock used for token expiry and Retry-After dates (tests move it). */
  now?: () => number;
  userAgent?: string;
  /** Replaces the system's DNS lookup (the installation's check that the site resolves to public addresses only). */
  dnsLookup?: LookupFunction;
}

/** Every write names its idempotency key, derived by the caller from stable ids. */
export interface ClarityWriteOptions {
  idempotencyKey: string;
}

interface Call<T> {
  operation: string;
  method: Method;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  idempotencyKey?: string;
  expect: readonly number[];
  schema?: z.ZodType<T>;
}

/**
 * A typed client for one tenant's Clarity site. Failures are thrown as `ClarityError`s
 * (retryable, input or auth); nothing is retried here except one token refresh after a 401.
 */
export class ClarityClient {
  private readonly transport: ClarityTransport;
  private readonly tokens: AccessTokenSource;
  private readonly now: () => number;

  constructor(options: ClarityClientOptions) {
    this.now = options.now ?? Date.now;
    this.transport = new ClarityTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      userAgent: options.userAgent ?? 'intacct-storefront-sync (clarity connector)',
      ...(options.dnsLookup && { dnsLookup: options.dnsLookup }),
    });
    this.tokens = new AccessTokenSource({
      transport: this.transport,
      credentials: options.credentials,
      scopes: options.scopes ?? clarityScopes,
      now: this.now,
    });
  }

  listOrders(query: ClarityOrderQuery = {}): Promise<ClarityPage<ClarityOrder>> {
    return this.call({
      operation: 'listOrders',
      method: 'GET',
      path: clarityRoutes.orders,
      query: toWireQuery(query),
      expect: [200],
      schema: pageFromWire(orderFromWire),
    });
  }

  getOrder(orderId: string): Promise<ClarityOrder> {
    return this.call({ operation: 'getOrder', method: 'GET', path: clarityRoutes.order(orderId), expect: [200], schema: orderFromWire });
  }

  /** Writes the ERP document number back onto the order (does not trigger `order.updated`). */
  setOrderErpReference(orderId: string, erpReference: string | null, options: ClarityWriteOptions): Promise<ClarityOrder> {
    return this.call({
      operation: 'setOrderErpReference',
      method: 'PATCH',
      path: clarityRoutes.order(orderId),
      body: toWireOrderPatch({ erpReference }),
      idempotencyKey: options.idempotencyKey,
      expect: [200],
      schema: orderFromWire,
    });
  }

  listOrderTransactions(orderId: string): Promise<ClarityTransaction[]> {
    return this.call({
      operation: 'listOrderTransactions',
      method: 'GET',
      path: clarityRoutes.orderTransactions(orderId),
      expect: [200],
      schema: transactionListFromWire,
    });
  }

  listShipments(orderId: string): Promise<ClarityShipment[]> {
    return this.call({
      operation: 'listShipments',
      method: 'GET',
      path: clarityRoutes.orderShipments(orderId),
      expect: [200],
      schema: listFromWire(shipmentFromWire),
    });
  }

  /** Pushes a shipment; a repeat of the same `shipmentId` and content returns the stored one. */
  createShipment(orderId: string, shipment: ClarityShipmentInput, options: ClarityWriteOptions): Promise<ClarityShipment> {
    return this.call({
      operation: 'createShipment',
      method: 'POST',
      path: clarityRoutes.orderShipments(orderId),
      body: toWireShipment(shipment),
      idempotencyKey: options.idempotencyKey,
      expect: [200, 201],
      schema: shipmentFromWire,
    });
  }

  listProducts(query: ClarityProductQuery = {}): Promise<ClarityPage<ClarityProduct>> {
    return this.call({
      operation: 'listProducts',
      method: 'GET',
      path: clarityRoutes.products,
      query: toWireQuery(query),
      expect: [200],
      schema: pageFromWire(productFromWire),
    });
  }

  getProduct(sku: string): Promise<ClarityProduct> {
    return this.call({ operation: 'getProduct', method: 'GET', path: clarityRoutes.product(sku), expect: [200], schema: productFromWire });
  }

  /** Sets the fields given (an integration's write: Clarity sends no `product.updated` for it). */
  updateProduct(sku: string, update: ClarityProductUpdate, options: ClarityWriteOptions): Promise<ClarityProduct> {
    return this.call({
      operation: 'updateProduct',
      method: 'PATCH',
      path: clarityRoutes.product(sku),
      body: toWireProductPatch(update),
      idempotencyKey: options.idempotencyKey,
      expect: [200],
      schema: productFromWire,
    });
  }

  listInventory(query: ClarityPageRequest & { sku?: string } = {}): Promise<ClarityPage<ClarityInventoryLevel>> {
    return this.call({
      operation: 'listInventory',
      method: 'GET',
      path: clarityRoutes.inventory,
      query: toWireQuery(query),
      expect: [200],
      schema: pageFromWire(inventoryLevelFromWire),
    });
  }

  /** Sets the absolute quantity available for one SKU. */
  setInventory(level: ClarityInventoryInput, options: ClarityWriteOptions): Promise<ClarityInventoryLevel> {
    return this.call({
      operation: 'setInventory',
      method: 'PUT',
      path: clarityRoutes.inventoryLevel(level.sku),
      body: toWireInventoryUpdate(level),
      idempotencyKey: options.idempotencyKey,
      expect: [200],
      schema: inventoryLevelFromWire,
    });
  }

  /** Sets absolute quantities for up to 500 SKUs; each item succeeds or fails on its own. */
  setInventoryBatch(levels: readonly ClarityInventoryInput[], options: ClarityWriteOptions): Promise<ClarityInventoryBatchResult[]> {
    return this.call({
      operation: 'setInventoryBatch',
      method: 'POST',
      path: clarityRoutes.inventoryBatch,
      body: toWireInventoryBatch(levels),
      idempotencyKey: options.idempotencyKey,
      expect: [200],
      schema: inventoryBatchResultFromWire,
    });
  }

  listCustomers(query: ClarityCustomerQuery = {}): Promise<ClarityPage<ClarityCustomer>> {
    return this.call({
      operation: 'listCustomers',
      method: 'GET',
      path: clarityRoutes.customers,
      query: toWireQuery(query),
      expect: [200],
      schema: pageFromWire(customerFromWire),
    });
  }

  getCustomer(customerId: string): Promise<ClarityCustomer> {
    return this.call({
      operation: 'getCustomer',
      method: 'GET',
      path: clarityRoutes.customer(customerId),
      expect: [200],
      schema: customerFromWire,
    });
  }

  /** The customer with this email, or undefined when there is none. */
  async findCustomerByEmail(email: string): Promise<ClarityCustomer | undefined> {
    const page = await this.listCustomers({ email, limit: 1 });
    return page.items[0];
  }

  listReturns(query: ClarityReturnQuery = {}): Promise<ClarityPage<ClarityReturn>> {
    return this.call({
      operation: 'listReturns',
      method: 'GET',
      path: clarityRoutes.returns,
      query: toWireQuery(query),
      expect: [200],
      schema: pageFromWire(returnFromWire),
    });
  }

  getReturn(returnId: string): Promise<ClarityReturn> {
    return this.call({
      operation: 'getReturn',
      method: 'GET',
      path: clarityRoutes.return(returnId),
      expect: [200],
      schema: returnFromWire,
    });
  }

  getCoupon(code: string): Promise<ClarityCoupon> {
    return this.call({ operation: 'getCoupon', method: 'GET', path: clarityRoutes.coupon(code), expect: [200], schema: couponFromWire });
  }

  listWebhooks(): Promise<ClarityWebhookSubscription[]> {
    return this.call({
      operation: 'listWebhooks',
      method: 'GET',
      path: clarityRoutes.webhooks,
      expect: [200],
      schema: listFromWire(webhookSubscriptionFromWire),
    });
  }

  getWebhook(webhookId: string): Promise<ClarityWebhookSubscription> {
    return this.call({
      operation: 'getWebhook',
      method: 'GET',
      path: clarityRoutes.webhook(webhookId),
      expect: [200],
      schema: webhookSubscriptionFromWire,
    });
  }

  /** Subscribes an endpoint; the answer holds the signing secret, shown this once. */
  createWebhook(
    subscription: ClarityWebhookSubscriptionInput,
    options: ClarityWriteOptions,
  ): Promise<ClarityWebhookSubscriptionWithSecret> {
    return this.call({
      operation: 'createWebhook',
      method: 'POST',
      path: clarityRoutes.webhooks,
      body: toWireWebhookSubscription(subscription),
      idempotencyKey: options.idempotencyKey,
      expect: [201],
      schema: webhookSubscriptionWithSecretFromWire,
    });
  }

  /** Issues a new secret; Clarity signs with old and new side by side for 24 hours. */
  rotateWebhookSecret(webhookId: string, options: ClarityWriteOptions): Promise<ClarityWebhookSubscriptionWithSecret> {
    return this.call({
      operation: 'rotateWebhookSecret',
      method: 'POST',
      path: clarityRoutes.rotateWebhookSecret(webhookId),
      idempotencyKey: options.idempotencyKey,
      expect: [200],
      schema: webhookSubscriptionWithSecretFromWire,
    });
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.call({ operation: 'deleteWebhook', method: 'DELETE', path: clarityRoutes.webhook(webhookId), expect: [204] });
  }

  private async call<T>(call: Call<T>): Promise<T> {
    let token = await this.tokens.current();
    let answer = await this.send(call, token);
    if (answer.status === 401) {
      // The token was revoked or expired early: one fresh token, one more try, then it is the credentials.
      this.tokens.invalidate(token);
      token = await this.tokens.current();
      answer = await this.send(call, token);
      if (answer.status === 401) {
        const failure = failureOf(call.operation, answer, this.now);
        throw new ClarityAuthError(`${failure.message}; a fresh token was refused too`, {
          operation: call.operation,
          status: failure.status,
          vendorCode: failure.vendorCode,
          requestId: failure.requestId,
        });
      }
    }
    if (!call.expect.includes(answer.status)) throw failureOf(call.operation, answer, this.now);
    return call.schema === undefined ? (undefined as T) : readBody(call.operation, answer, call.schema);
  }

  private send(call: Call<unknown>, token: string): Promise<ClarityAnswer> {
    return this.transport.send({
      operation: call.operation,
      method: call.method,
      path: call.path,
      ...(call.query !== undefined && { query: call.query }),
      ...(call.body !== undefined && { json: call.body }),
      headers: {
        authorization: `Bearer ${token}`,
        ...(call.idempotencyKey !== undefined && { [clarityHeaders.idempotencyKey]: call.idempotencyKey }),
      },
    });
  }
}

/**
 * Walks a cursor-paged list to its end, one page at a time, e.g.
 * `for await (const order of allPages((cursor) => client.listOrders({ updatedSince, cursor })))`.
 */
export async function* allPages<T>(fetchPage: (cursor: string | undefined) => Promise<ClarityPage<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
