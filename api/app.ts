import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Logger } from '../config/logger.js';
import type { ApiMetrics } from '../observability/metrics.js';
import { consoleRouter, type ConsoleOptions } from '../console/index.js';
import { adminApi, type AdminDependencies } from './admin/index.js';
import { benchAckFloorRoutes } from './bench-ack-floor-routes.js';
import { codecRoutes, type CodecServerDependencies } from './codec-routes.js';
import { errorHandler, notFound } from './errors.js';
import { httpMetrics, metricsRoutes, rememberRouteBase, type MetricsAccess } from './metrics-routes.js';
import { requestContext } from './request-context.js';
import { traceRequests } from './request-tracing.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { bigCommerceWebhookRoutes, type OwnInventoryWrites, type OwnProductCreations } from './webhooks/bigcommerce.js';
import { clarityWebhookRoutes } from './webhooks/clarity.js';
import { defaultStoreDeadlineMs } from './webhooks/delivery-acceptance.js';
import type { StripeWebhookDependencies, WebhookReceiverDependencies } from './webhooks/ports.js';
import { stripeWebhookRoutes } from './webhooks/stripe.js';

export interface AppDependencies {
  logger: Logger;
  /**
   * Reverse proxies (addresses, CIDRs, or `loopback` / `linklocal` / `uniquelocal`) whose
   * `X-Forwarded-For` names the client. Empty or absent: nobody's, the client is the socket's peer.
   */
  trustedProxies?: readonly string[];
  /** Dependency checks reported by `/readyz`, by name (for example temporal, mongodb). */
  readinessChecks: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** The admin API under /api/v1; absent in tests that exercise only health. */
  admin?: AdminDependencies;
  /** The operator console under /console, over the admin API's dependencies; needs `admin`. */
  console?: ConsoleOptions;
  /**
   * The storefront webhook receivers; absent until OrderToCash can take their events. With
   * `ownInventoryWrites`, inventory webhooks our own stock pushes caused are acknowledged and
   * dropped; with `ownProductCreations`, so are product-creation webhooks of products CatalogSync
   * created; `storeDeadlineMs` bounds how long one delivery waits on the database before it is
   * answered 503 (default 2 s).
   */
  webhooks?: WebhookReceiverDependencies & {
    ownInventoryWrites?: OwnInventoryWrites;
    ownProductCreations?: OwnProductCreations;
    storeDeadlineMs?: number;
    /** The Stripe receiver (payouts and disputes, issue 18); absent, `/webhooks/stripe` is not served. */
    stripe?: StripeWebhookDependencies;
  };
  /**
   * The API's series, measured on every request; `GET /metrics` serves them when `access` is
   * given (see config/metrics.ts for when it is). Absent: nothing is measured.
   */
  metrics?: { series: ApiMetrics; access?: MetricsAccess | undefined };
  /** The codec server `/codec/{encode,decode}` for Temporal UI and the CLI; needs `admin` (its keys). */
  codec?: Pick<CodecServerDependencies, 'codec' | 'corsOrigins' | 'tokenlessOrigins'>;
  /**
   * The benchmark's acknowledgement floor (`api/bench-ack-floor-routes.ts`), unauthenticated:
   * given only when BENCH_ACK_FLOOR is set (never in production). Absent: not served.
   */
  benchAckFloor?: { client: Client; taskQueue: string };
  /** The process's tracer when tracing is on (observability/tracing.ts): every request becomes a span. Absent: nothing is traced. */
  tracer?: Tracer;
}

/** The Express app, built over injected dependencies so tests run it in-process on port 0. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the operator's proxies may say who the client is; anyone else could forge X-Forwarded-For
  // to hide from the logs or to escape the wrong-key limit.
  const trustedProxies = deps.trustedProxies ?? [];
  app.set('trust proxy', trustedProxies.length > 0 ? [...trustedProxies] : false);
  app.use((_request, response, next) => {
    // Browsers must not guess a type: a CSV or an error echoing input is never run as HTML.
    response.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  if (deps.tracer) app.use(traceRequests(deps.tracer));
  if (deps.metrics) app.use(httpMetrics(deps.metrics.series));
  app.use(requestContext(deps.logger));
  app.use(healthRoutes(deps.readinessChecks, deps.readinessTimeoutMs ?? 2_000));
  if (deps.metrics?.access) app.use(metricsRoutes(deps.metrics.series.registry, deps.metrics.access));
  // Behind the same middleware as the receivers, so the floor pays what they pay before their own work.
  if (deps.benchAckFloor) app.use(benchAckFloorRoutes(deps.benchAckFloor));
  // Receivers read the raw body themselves (signatures cover the exact bytes): no JSON parser before them.
  if (deps.webhooks) {
    const storeDeadlineMs = deps.webhooks.storeDeadlineMs ?? defaultStoreDeadlineMs;
    app.use(
      bigCommerceWebhookRoutes(deps.webhooks, {
        logger: deps.logger,
        storeDeadlineMs,
        ...(deps.webhooks.ownInventoryWrites && { ownInventoryWrites: deps.webhooks.ownInventoryWrites }),
        ...(deps.webhooks.ownProductCreations && { ownProductCreations: deps.webhooks.ownProductCreations }),
      }),
    );
    app.use(clarityWebhookRoutes(deps.webhooks, { logger: deps.logger, storeDeadlineMs }));
    if (deps.webhooks.stripe) app.use(stripeWebhookRoutes(deps.webhooks.stripe, { logger: deps.logger, storeDeadlineMs }));
  }
  if (deps.admin && deps.codec) {
    const { db, bootstrapApiKey, authFailureLimits } = deps.admin;
    app.use(codecRoutes({ ...deps.codec, db, bootstrapApiKey, authFailureLimits, logger: deps.logger }));
  }
  if (deps.admin) {
    // Tenant data (ledger, audit, CSV exports) must not stay in browser or proxy caches.
    app.use('/api/v1', rememberRouteBase, (_request, response, next) => {
      response.setHeader('Cache-Control', 'no-store');
      next();
    });
    app.use('/api/v1', adminApi({ logger: deps.logger, ...deps.admin }));
    if (deps.console) app.use('/console', rememberRouteBase, consoleRouter({ logger: deps.logger, ...deps.admin, ...deps.console }));
  }
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
