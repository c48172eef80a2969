import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { persistAfterWrites, type SandboxStateFile } from '../state-file.js';
import type { StateRef } from './context.js';
import { StripeApiError, apiError, authenticationFailed, invalidRequest, sendStripeError } from './errors.js';
import { balanceRoutes } from './routes/balance.js';
import { controlRoutes } from './routes/control.js';
import { disputeRoutes } from './routes/disputes.js';
import { eventRoutes } from './routes/events.js';
import { paymentRoutes } from './routes/payments.js';

export interface StripeSandboxAppOptions {
  state: StateRef;
  reset: () => void;
  /** Secret keys the account accepts (`sk_test_…`). */
  apiKeys: readonly string[];
  controlEnabled: boolean;
  logger?: Logger | undefined;
  stateFile?: SandboxStateFile<unknown> | undefined;
}

/** The key a request presents: `Authorization: Bearer <key>`, or Basic with the key as the user name. */
function presentedKey(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return authorization;
}

function authenticate(apiKeys: readonly string[]): RequestHandler {
  const known = apiKeys.map((key) => Buffer.from(key));
  return (request, response, next) => {
    const key = presentedKey(request.get('authorization'));
    const presented = Buffer.from(key ?? '');
    if (
      key === undefined ||
      key === '' ||
      !known.some((candidate) => candidate.length === presented.length && timingSafeEqual(candidate, presented))
    ) {
      next(authenticationFailed(key === '' ? undefined : key));
      return;
    }
    response.locals.apiKey = key;
    next();
  };
}

/** The Stripe sandbox's Express app: the `/v1` API with Stripe's form encoding, and (when enabled) `/_sandbox` control. */
export function createStripeSandboxApp(options: StripeSandboxAppOptions): Express {
  const { state } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Stripe's nested parameters (`created[gte]=…`, `expand[0]=…`) in query strings as in bodies.
  app.set('query parser', 'extended');
  if (options.stateFile !== undefined) app.use(persistAfterWrites(options.stateFile));
  app.use((request, response, next) => {
    const requestId = `req_${randomBytes(7).toString('base64url')}`;
    response.locals.requestId = requestId;
    response.setHeader('Request-Id', requestId);
    next();
  });

  if (options.controlEnabled) app.use('/_sandbox', express.json({ limit: '1mb' }), controlRoutes(state, options.reset));

  app.use('/v1', (request, response, next) => state().faults.middleware()(request, response, next));
  app.use('/v1', authenticate(options.apiKeys));
  app.use('/v1', (request, response, next) => {
    const version = request.get('stripe-version');
    if (version !== undefined) response.setHeader('Stripe-Version', version);
    next();
  });
  app.use('/v1', express.urlencoded({ extended: true, limit: '1mb', parameterLimit: 2_000 }));
  app.use('/v1', (request, response, next) => state().keys.middleware()(request, response, next));
  app.use(paymentRoutes(state), balanceRoutes(state), disputeRoutes(state), eventRoutes(state));

  app.use((request, _response, next) => {
    next(
      new StripeApiError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      }),
    );
  });
  app.use(stripeErrors(options.logger));
  return app;
}

/** Every failure leaves in Stripe's error shape; body-parser's own 4xx become `invalid_request_error`s. */
function stripeErrors(logger: Logger | undefined): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const parserError = error as { status?: number; expose?: boolean; message?: string };
    if (error instanceof StripeApiError) sendStripeError(response, error);
    else if (typeof parserError.status === 'number' && parserError.status < 500 && parserError.expose === true)
      sendStripeError(response, invalidRequest(`Invalid request: ${parserError.message ?? 'the body could not be read'}`));
    else {
      logger?.error({ err: error, path: request.path }, 'stripe sandbox: unexpected failure');
      sendStripeError(response, apiError(500));
    }
  };
}
