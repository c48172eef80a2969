import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express, { Router, type ErrorRequestHandler } from 'express';
import type { Logger } from '../config/logger.js';
import { HttpError } from '../api/errors.js';
import { requestLogContext } from '../api/request-context.js';
import type { ConsoleDependencies } from './dependencies.js';
import { isHtmxRequest } from './htmx.js';
import { assetPaths, errorPage, notice } from './layout.js';
import { registerConnectionPages } from './connections/connection-pages.js';
import { multipartFormBody } from './mappings/csv-upload.js';
import { registerMappingPages } from './mappings/mapping-pages.js';
import { renderOverview } from './pages/overview.js';
import { registerSettingsPages } from './settings/settings-page.js';
import { registerAttentionPages } from './pages/attention.js';
import { registerSyncLogPages } from './pages/sync-log.js';
import { registerInventoryPages } from './pages/inventory.js';
import { registerInventorySkuPage } from './pages/inventory-sku.js';
import { registerAuditPages } from './pages/audit.js';
import { registerReconciliationPages } from './pages/reconciliation.js';
import { registerPayoutPages } from './pages/payouts.js';
import { registerCustomerPages } from './pages/customers.js';
import {
  checkCsrf,
  defaultSessionLimits,
  loadSession,
  requireSignedIn,
  signedInOf,
  SignInRequiredError,
  type SessionDependencies,
} from './session.js';
import { signInRoutes } from './sign-in.js';
import { consolePath, sendHtml } from './templates.js';
import { visibleTenants } from './tenant-page.js';

export type { ConsoleDependencies, ConsoleOptions } from './dependencies.js';

const require = createRequire(import.meta.url);

/**
 * The console's headers: nothing cached (tenant data), no framing, and a content security
 * policy that lets only the console's own script and stylesheet run, so markup that slipped
 * through escaping still could not execute.
 */
const securityHeaders: express.RequestHandler = (_request, response, next) => {
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'same-origin');
  next();
};

function assetRoutes(): Router {
  const router = Router();
  const files = {
    [assetPaths.css]: fileURLToPath(new URL('./assets/console.css', import.meta.url)),
    [assetPaths.htmx]: require.resolve('htmx.org/dist/htmx.min.js'),
  };
  for (const [path, file] of Object.entries(files)) {
    router.get(path.replace('/console/assets', ''), (_request, response) => {
      // Assets carry no tenant data; an hour of caching spares a request per page.
      response.sendFile(file, { headers: { 'Cache-Control': 'public, max-age=3600' } });
    });
  }
  return router;
}

function consoleErrors(logger: Logger | undefined): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const signedIn = signedInOf(response) !== undefined;
    if (error instanceof SignInRequiredError) {
      const target = `/console/sign-in?next=${encodeURIComponent(request.method === 'GET' ? request.originalUrl : '/console')}`;
      if (isHtmxRequest(request)) {
        response.setHeader('HX-Redirect', target);
        response.status(401).end();
      } else response.redirect(303, target);
      return;
    }
    const status = error instanceof HttpError ? error.status : 500;
    const message =
      error instanceof HttpError
        ? error.message
        : 'The console could not do this; the server log has the cause (request id in X-Request-Id).';
    if (status >= 500) logger?.error({ err: error, ...requestLogContext(response), path: request.path }, 'console request failed');
    if (isHtmxRequest(request)) sendHtml(response, notice({ kind: 'error', text: message }), status);
    else sendHtml(response, errorPage(status, message, signedIn), status);
  };
}

/**
 * The operator console under /console: server-rendered pages over the admin API's use cases,
 * with its roles and tenant scoping, signed in with the same API keys. Reading works without
 * JavaScript; htmx (served from node_modules) makes actions partial updates.
 */
export function consoleRouter(deps: ConsoleDependencies): Router {
  const sessions: SessionDependencies = {
    db: deps.db,
    secureCookies: deps.secureCookies,
    limits: deps.sessionLimits ?? defaultSessionLimits,
    bootstrapKeyConfigured: deps.bootstrapApiKey !== undefined,
  };
  const router = Router();
  router.use(securityHeaders);
  router.use('/assets', assetRoutes());
  // A settings section posts a field per setting (order sync: about 80), lists of SKUs included.
  router.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 1000 }), multipartFormBody);
  router.use(loadSession(sessions));
  router.use(checkCsrf);
  router.use(signInRoutes(deps, sessions));

  router.get('/', async (_request, response) => {
    const signedIn = requireSignedIn(response);
    const tenants = await visibleTenants(deps, signedIn);
    if (tenants.length === 0) throw new HttpError(404, 'no_tenants', 'This key sees no tenant yet; create one through the admin API.');
    response.redirect(303, consolePath('tenants', tenants[0]!.id));
  });
  router.get('/switch', (request, response) => {
    requireSignedIn(response);
    const tenant = typeof request.query.tenant === 'string' ? request.query.tenant : '';
    response.redirect(303, consolePath('tenants', tenant));
  });
  router.get('/tenants/:tenantId', (request, response) => renderOverview(deps, response, request.params.tenantId));
  registerSettingsPages(router, deps);
  registerConnectionPages(router, deps);
  registerMappingPages(router, deps);
  registerAttentionPages(router, deps);
  registerSyncLogPages(router, deps);
  registerCustomerPages(router, deps);
  registerInventoryPages(router, deps);
  registerInventorySkuPage(router, deps);
  registerAuditPages(router, deps);
  registerReconciliationPages(router, deps);
  registerPayoutPages(router, deps);

  router.use((request, _response, next) => next(new HttpError(404, 'not_found', `There is no console page at ${request.path}.`)));
  router.use(consoleErrors(deps.logger));
  return router;
}
