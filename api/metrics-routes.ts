import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import { unknownTenant, type ApiMetrics } from '../observability/metrics.js';
import { bearerTokenAccepted } from '../observability/metrics-server.js';
import { HttpError } from './errors.js';

/** Who may read `GET /metrics`. */
export interface MetricsAccess {
  /** The bearer token Prometheus presents; undefined: anyone who reaches the port (sandbox mode, loopback). */
  token: string | undefined;
}

/** Route label of a request no route took (a 404): never the path as sent, which anyone can vary. */
export const unmatchedRoute = 'unmatched';

const adminApiBase = '/api/v1';
/** Error codes and outcomes the product writes are short snake or kebab case; anything else is one label value. */
const boundedWord = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * Remembers the path a router is mounted at, for the route label: Express forgets a router's
 * `baseUrl` when a failure leaves it for the error handler, while `route` stays.
 */
export const rememberRouteBase: RequestHandler = (request, response, next) => {
  response.locals.routeBase = request.baseUrl;
  next();
};

/** The route template a request took (`/api/v1/tenants/:tenantId`), or {@link unmatchedRoute}. */
export function routeTemplate(request: Request, response: Response): string {
  const route = request.route as { path?: unknown } | undefined;
  if (typeof route?.path !== 'string') return unmatchedRoute;
  const base =
    typeof response.locals.routeBase === 'string' && response.locals.routeBase !== '' ? response.locals.routeBase : request.baseUrl;
  return `${base}${route.path}`;
}

/** What a JSON answer said, read as it is sent: the receivers' `outcome` and every error's `code`. */
function captureJsonAnswer(response: Response): { outcome?: string; code?: string } {
  const answer: { outcome?: string; code?: string } = {};
  const json = response.json.bind(response);
  response.json = (body: unknown) => {
    if (typeof body === 'object' && body !== null) {
      const { outcome, error } = body as { outcome?: unknown; error?: { code?: unknown } };
      if (typeof outcome === 'string') answer.outcome = outcome;
      if (typeof error?.code === 'string') answer.code = error.code;
    }
    return json(body);
  };
  return answer;
}

/**
 * What a webhook delivery came to, from the receiver's answer: the outcome it acknowledged
 * (started, signalled, duplicate, ignored, dead-lettered), or `refused` (401: not authentic),
 * `invalid` (other 4xx) or `unavailable` (5xx: the storefront retries).
 */
export function webhookOutcome(status: number, answeredOutcome: string | undefined): string {
  if (status >= 200 && status < 300)
    return answeredOutcome !== undefined && boundedWord.test(answeredOutcome) ? answeredOutcome : 'accepted';
  if (status === 401) return 'refused';
  return status < 500 ? 'invalid' : 'unavailable';
}

/**
 * Measures every request once it is answered: its duration by method, route template and
 * status; for a storefront webhook, the delivery's outcome by storefront and tenant (the tenant
 * only once the delivery was accepted, so a forged one cannot invent label values); for the
 * admin API, answers of 400 and above by route and error code. Mounted first, so it sees every
 * answer, the error handler's included.
 */
export function httpMetrics(metrics: ApiMetrics): RequestHandler {
  return (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    const answer = captureJsonAnswer(response);
    response.on('finish', () => {
      const route = routeTemplate(request, response);
      const status = response.statusCode;
      metrics.httpRequestDuration.observe(
        { method: request.method, route, status: String(status) },
        Number(process.hrtime.bigint() - startedAt) / 1e9,
      );
      const storefront = /^\/webhooks\/([a-z]+)\//.exec(route)?.[1];
      if (storefront !== undefined && request.method === 'POST') {
        const accepted = status >= 200 && status < 300;
        const tenantId = request.params.tenantId;
        metrics.webhookDeliveries.inc({
          storefront,
          outcome: webhookOutcome(status, answer.outcome),
          tenant: accepted && typeof tenantId === 'string' ? tenantId : unknownTenant,
        });
      }
      if (status >= 400 && request.originalUrl.startsWith(`${adminApiBase}/`)) {
        const code = answer.code !== undefined && boundedWord.test(answer.code) ? answer.code : 'other';
        metrics.adminApiErrors.inc({ route, status: String(status), code });
      }
    });
    next();
  };
}

/**
 * `GET /metrics`: the registry in Prometheus text format. With a token, only a request that
 * presents it as `Authorization: Bearer …` is answered (401 otherwise); the composition root
 * mounts the route only where the configuration allows it (docs/observability.md).
 */
export function metricsRoutes(registry: Registry, access: MetricsAccess): Router {
  const router = Router();
  router.get('/metrics', async (request, response) => {
    if (!bearerTokenAccepted(request.get('authorization'), access.token)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new HttpError(401, 'unauthorized', 'metrics need the bearer token of METRICS_TOKEN');
    }
    const text = await registry.metrics();
    response.setHeader('Cache-Control', 'no-store');
    response.type(registry.contentType).send(text);
  });
  return router;
}
