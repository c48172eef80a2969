import { Router, type Request, type Response } from 'express';
import { apiKeyIdentifier } from '../api/admin/auth.js';
import { AuthFailureLimiter, clientKey, defaultAuthFailureLimits } from '../api/admin/auth-failure-limiter.js';
import { HttpError } from '../api/errors.js';
import { clientAddress, requestLogContext } from '../api/request-context.js';
import type { ConsoleDependencies } from './dependencies.js';
import { barePage } from './layout.js';
import {
  checkSignInToken,
  csrfFieldName,
  endSession,
  issueSignInToken,
  requireSignedIn,
  startSession,
  type SessionDependencies,
} from './session.js';
import { html, sendHtml } from './templates.js';

/** Where to go after sign-in: a console page the user asked for, never another site. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/[^/\\]|$|\?)/.test(value) && !value.includes('//') ? value : '/console';
}

function signInPage(response: Response, sessions: SessionDependencies, options: { next: string; error?: string; status?: number }): void {
  const token = issueSignInToken(sessions, response);
  sendHtml(
    response,
    barePage(
      'Sign in',
      html`<h1>Sign in to the console</h1>
        <p>Use an admin API key. The console keeps a session for you; the key itself is not stored.</p>
        ${options.error && html`<p class="notice error" role="alert" id="sign-in-error">${options.error}</p>`}
        <form method="post" action="/console/sign-in">
          <input type="hidden" name="${csrfFieldName}" value="${token}" />
          <input type="hidden" name="next" value="${options.next}" />
          <p>
            <label for="api-key">API key</label><br />
            <input
              id="api-key"
              name="apiKey"
              type="password"
              autocomplete="off"
              required
              size="48"
              ${options.error ? html` aria-describedby="sign-in-error"` : ''}
            />
          </p>
          <p><button type="submit">Sign in</button></p>
        </form>`,
    ),
    options.status ?? 200,
  );
}

/**
 * Sign-in with an API key (the admin API's keys, identified by the same code) exchanged for a
 * session cookie, and sign-out. Wrong keys count against the same per-client limit as the
 * admin API's (a limiter of the console's own, with the same limits).
 */
export function signInRoutes(deps: ConsoleDependencies, sessions: SessionDependencies): Router {
  const router = Router();
  const identify = apiKeyIdentifier(deps);
  const failures = new AuthFailureLimiter(deps.authFailureLimits ?? defaultAuthFailureLimits);

  router.get('/sign-in', (request, response) => {
    signInPage(response, sessions, { next: safeReturnPath(request.query.next) });
  });

  router.post('/sign-in', async (request: Request, response: Response) => {
    checkSignInToken(request);
    const body = request.body as Record<string, unknown>;
    const next = safeReturnPath(body.next);
    const client = clientKey(clientAddress(request));
    const retryAfter = failures.retryAfterSeconds(client);
    if (retryAfter > 0) {
      response.setHeader('Retry-After', String(retryAfter));
      signInPage(response, sessions, { next, error: `Too many wrong keys from this address; try again in ${retryAfter} s.`, status: 429 });
      return;
    }
    const apiKey = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    const principal = apiKey === '' ? undefined : await identify(apiKey);
    if (principal === undefined) {
      failures.recordFailure(client);
      if (failures.retryAfterSeconds(client) > 0)
        deps.logger?.warn({ ...requestLogContext(response), countedAs: client }, 'console client shut out after too many wrong keys');
      signInPage(response, sessions, { next, error: 'That API key is not valid.', status: 401 });
      return;
    }
    await startSession(sessions, request, response, principal);
    deps.logger?.info({ ...requestLogContext(response), keyId: principal.keyId }, 'console sign-in');
    response.redirect(303, next);
  });

  router.post('/sign-out', async (request, response) => {
    // The CSRF check has passed (a signed-in POST without the token never gets here).
    requireSignedIn(response);
    await endSession(sessions, request, response);
    sendHtml(
      response,
      barePage(
        'Signed out',
        html`<h1>Signed out</h1>
          <p>Your session has ended.</p>
          <p><a href="/console/sign-in">Sign in again</a></p>`,
      ),
    );
  });

  router.use('/sign-out', (_request, _response, next) => next(new HttpError(405, 'method_not_allowed', 'sign out with the button')));
  return router;
}
