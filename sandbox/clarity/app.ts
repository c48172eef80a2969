import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { persistAfterWrites, type SandboxStateFile } from '../state-file.js';
import type { StateRef } from './context.js';
import { ProblemError, problemTypes, sendProblem } from './problems.js';
import { catalogRoutes } from './routes/catalog.js';
import { controlRoutes } from './routes/control.js';
import { customerRoutes } from './routes/customers.js';
import { orderRoutes } from './routes/orders.js';
import { returnRoutes } from './routes/returns.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface ClaritySandboxAppOptions {
  state: StateRef;
  reset: () => void;
  controlEnabled: boolean;
  logger?: Logger | undefined;
  /** The contract document, served at `/api/v1/openapi.yaml` when given. */
  contractYaml?: string | undefined;
  /** Where the store is kept across restarts; told after every request that may have changed it. */
  stateFile?: SandboxStateFile<unknown> | undefined;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The sandbox's Express app: token endpoint, REST API, and (only when enabled) `/_sandbox` control. */
export function createClaritySandboxApp(options: ClaritySandboxAppOptions): Express {
  const { state } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.stateFile !== undefined) app.use(persistAfterWrites(options.stateFile));

  app.use((request, response, next) => {
    const offered = request.get('x-request-id');
    const requestId = offered !== undefined && requestIdPattern.test(offered) ? offered : `req_${randomUUID()}`;
    response.locals.requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    next();
  });

  if (options.controlEnabled) app.use(controlRoutes(state, options.reset));

  const vendorPaths = ['/oauth', '/api'];
  app.use(
    vendorPaths,
    through(() => state().log.middleware()),
  );
  app.use(
    vendorPaths,
    through(() => state().faults.middleware()),
  );
  app.post('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), (request, response) => {
    state().oauth.issueToken(request, response);
  });
  if (options.contractYaml !== undefined) {
    const contract = options.contractYaml;
    app.get('/api/v1/openapi.yaml', (_request, response) => {
      response.type('application/yaml').send(contract);
    });
  }
  app.use('/api/v1', (request, _response, next) => {
    const hasBody = Number(request.get('content-length') ?? 0) > 0 || request.get('transfer-encoding') !== undefined;
    if (hasBody && request.is(['application/json', 'application/*+json']) === false) {
      next(new ProblemError(415, problemTypes.badRequest, 'Unsupported media type', 'request bodies must be application/json'));
      return;
    }
    next();
  });
  app.use('/api/v1', express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(orderRoutes(state), catalogRoutes(state), customerRoutes(state), returnRoutes(state), webhookRoutes(state));

  app.use((request, _response, next) => {
    next(new ProblemError(404, problemTypes.notFound, 'Not found', `no route for ${request.method} ${request.path}`));
  });
  app.use(problemHandler(options.logger));
  return app;
}

/** Delegates to a middleware looked up per request, so a reset can replace it. */
function through(current: () => RequestHandler): RequestHandler {
  return (request, response, next) => current()(request, response, next);
}

/** Every failure leaves as problem+json; body-parser's own errors keep their 4xx status. */
function problemHandler(logger: Logger | undefined): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    let problem: ProblemError;
    const parserError = error as { status?: number; type?: string; expose?: boolean; message?: string };
    if (error instanceof ProblemError) problem = error;
    else if (parserError.status === 413)
      problem = new ProblemError(413, problemTypes.badRequest, 'Payload too large', 'the body exceeds 1 MB');
    else if (parserError.status === 415)
      problem = new ProblemError(415, problemTypes.badRequest, 'Unsupported media type', parserError.message);
    else if (typeof parserError.status === 'number' && parserError.status < 500 && parserError.expose === true) {
      problem = new ProblemError(
        400,
        problemTypes.badRequest,
        'Bad request',
        parserError.type === 'entity.parse.failed' ? 'the body is not valid JSON' : parserError.message,
      );
    } else {
      logger?.error({ err: error, path: request.path }, 'clarity sandbox: unexpected failure');
      problem = new ProblemError(500, problemTypes.serverError, 'Internal server error');
    }
    sendProblem(response, problem, request.originalUrl.split('?')[0] ?? request.path);
  };
}
