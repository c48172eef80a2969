import express, { Router, type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Logger } from 'pino';
import { FaultControl } from './faults.js';
import { RateLimitWindow, type RateLimitSettings } from './rate-limit.js';
import { sendV2Error, sendV3Error } from './responses.js';
import { controlRoutes, type ControlState } from './routes/control.js';
import { v3BrandAndCategoryRoutes } from './routes/brands-categories.js';
import { v3CatalogRoutes } from './routes/catalog.js';
import { v3PriceListRoutes } from './routes/price-lists.js';
import { v2CustomerGroupRoutes, v3CustomerRoutes } from './routes/customers.js';
import { v3HookRoutes } from './routes/hooks.js';
import { v3InventoryRoutes } from './routes/inventory.js';
import { v3OrderMetafieldRoutes } from './routes/order-metafields.js';
import { v2OrderRoutes } from './routes/orders.js';
import { v3PaymentRoutes } from './routes/payments.js';
import { persistAfterWrites, SandboxStateFile } from '../state-file.js';
import { SandboxError, SandboxStore, type BigCommerceStoreSnapshot } from './store.js';
import { StripeGatewayLink, type StripeGatewaySettings } from './stripe-gateway.js';
import { WebhookDelivery } from './webhook-delivery.js';

/** The demo store's API account (docs/architecture.md's sandbox credentials). */
export const demoAccount = {
  storeHash: 'demostore',
  storeId: '1001',
  accessToken: 'demo-bc-token',
  clientId: 'demo-bc-client',
  clientSecret: 'demo-bc-secret',
} as const;

export interface SandboxAppOptions {
  controlEnabled: boolean;
  logger?: Logger | undefined;
  rateLimit: RateLimitSettings;
  webhookRetryScheduleMs: number[];
  webhookTimeoutMs: number;
  /** A JSON file the store is kept in across restarts; absent (the default), every start is the seed. */
  stateFile?: string | undefined;
  /** Pay checkouts through this Stripe account (stripe-gateway.ts); absent, the built-in test gateway. */
  stripeGateway?: StripeGatewaySettings | undefined;
}

export interface SandboxApp extends ControlState {
  app: Express;
  close(): void;
}

const apiVersion = (request: Request): 'v2' | 'v3' => (/^\/stores\/[^/]+\/v2(\/|$)/.test(request.path) ? 'v2' : 'v3');

/** The BigCommerce sandbox as an Express app over its in-memory store. */
export function createSandboxApp(options: SandboxAppOptions): SandboxApp {
  const account = demoAccount;
  const stripeGateway = new StripeGatewayLink(
    () => store,
    (scope, data) => delivery.publish(scope, data),
    options.logger,
  );
  stripeGateway.settings = options.stripeGateway;
  const store: SandboxStore = new SandboxStore(stripeGateway.sink);
  const delivery = new WebhookDelivery(() => store.state.hooks, {
    storeHash: account.storeHash,
    storeId: account.storeId,
    clientSecret: account.clientSecret,
    retryScheduleMs: options.webhookRetryScheduleMs,
    timeoutMs: options.webhookTimeoutMs,
    logger: options.logger,
  });
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : new SandboxStateFile<BigCommerceStoreSnapshot>(options.stateFile, () => store.toSnapshot());
  const saved = stateFile?.load() as BigCommerceStoreSnapshot | undefined;
  if (saved !== undefined) store.restore(saved);
  const faults = new FaultControl();
  const rateLimit = new RateLimitWindow(options.rateLimit);
  const inventoryWrites = { inFlight: 0, maxInFlight: 0 };
  const state: ControlState = { store, faults, rateLimit, delivery, inventoryWrites, stripeGateway };

  const app = express();
  app.disable('x-powered-by');
  if (stateFile !== undefined) app.use(persistAfterWrites(stateFile));
  app.use(express.json({ limit: '5mb', type: () => true }));
  if (options.controlEnabled) app.use('/_control', controlRoutes(state));

  const api = Router({ mergeParams: true });
  api.use((request, response, next) => {
    if (request.method === 'PUT' && request.path === '/v3/inventory/adjustments/absolute') {
      inventoryWrites.inFlight += 1;
      inventoryWrites.maxInFlight = Math.max(inventoryWrites.maxInFlight, inventoryWrites.inFlight);
      response.once('close', () => (inventoryWrites.inFlight -= 1));
    }
    next();
  });
  api.use(faults.logger());
  // A write that made a payment at Stripe answers once the order's transaction names it.
  api.use((_request, response, next) => {
    const json = response.json.bind(response);
    response.json = (body: unknown) => {
      void stripeGateway.idle().then(() => json(body));
      return response;
    };
    next();
  });
  api.use(faults.middleware());
  api.use((request, response, next) => {
    if (request.params.storeHash !== account.storeHash) {
      sendV3Error(response, 404, 'Store not found');
      return;
    }
    if (request.get('x-auth-token') !== account.accessToken) {
      sendV3Error(
        response,
        401,
        'Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store.',
      );
      return;
    }
    const decision = rateLimit.consume();
    response.set(decision.headers);
    response.set('X-BC-Store-Version', '7.6.0');
    if (!decision.allowed) {
      sendV3Error(response, 429, 'Too Many Requests');
      return;
    }
    next();
  });
  const v2Url = (request: Request) => `${request.protocol}://${request.get('host') ?? 'localhost'}/stores/${account.storeHash}/v2`;
  // A shopper's checkout: the same order and webhooks as `POST /v2/orders`, but no app's API call,
  // so it spends none of the quota (a multi-worker quota run counts only the product's requests).
  if (options.controlEnabled) app.use('/_control/checkout/v2', v2OrderRoutes(store, v2Url));
  api.use('/v2', v2OrderRoutes(store, v2Url), v2CustomerGroupRoutes());
  api.use(
    '/v3',
    v3PaymentRoutes(store),
    v3OrderMetafieldRoutes(store),
    v3CatalogRoutes(store),
    v3BrandAndCategoryRoutes(store),
    v3PriceListRoutes(store),
    v3CustomerRoutes(store),
    v3InventoryRoutes(store),
    v3HookRoutes(store, () => account.clientId, account.storeHash),
  );
  app.use('/stores/:storeHash', api);

  app.use((request, response) => {
    if (apiVersion(request) === 'v2') sendV2Error(response, 404, 'The requested resource was not found.');
    else sendV3Error(response, 404, 'The requested resource was not found.');
  });
  const errors: ErrorRequestHandler = (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const parserError = error as { type?: string; status?: number };
    const [status, message, fieldErrors] =
      error instanceof SandboxError
        ? [error.status, error.message, error.fieldErrors]
        : parserError.type === 'entity.parse.failed'
          ? [400, 'The request body is not valid JSON.', {}]
          : parserError.type === 'entity.too.large'
            ? [413, 'The request body is too large.', {}]
            : [500, 'Internal Server Error', {}];
    if (status >= 500) options.logger?.error({ err: error, path: request.path }, 'sandbox route failed');
    if (apiVersion(request) === 'v2') sendV2Error(response, status, message);
    else sendV3Error(response, status, message, fieldErrors);
  };
  app.use(errors);

  return {
    ...state,
    app,
    close() {
      delivery.close();
      faults.releaseHanging();
      stateFile?.flush();
    },
  };
}
