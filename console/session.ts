import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from 'mongodb';
import { bootstrapKeyId, type Principal } from '../api/admin/auth.js';
import { HttpError } from '../api/errors.js';
import { findLiveApiKey } from '../store/api-keys.js';
import {
  setConsoleSessionFlash,
  takeConsoleSessionFlash,
  type ConsoleFlash,
  deleteConsoleSession,
  deleteExpiredConsoleSessions,
  findConsoleSession,
  insertConsoleSession,
  touchConsoleSession,
} from '../store/console-sessions.js';
import { isHtmxRequest } from './htmx.js';

/** How long a console session lives: `idleMs` after its last request, `absoluteMs` after sign-in at most. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** 30 minutes idle, 12 hours in all: a working day, and a desk left alone is signed out soon. */
export const defaultSessionLimits: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/** What the session layer needs: the database and whether cookies must be `Secure` (production, behind TLS). */
export interface SessionDependencies {
  db: Db;
  secureCookies: boolean;
  limits: SessionLimits;
  /** Whether the bootstrap key is still configured: a session opened with it ends when it is removed. */
  bootstrapKeyConfigured: boolean;
}

/** The signed-in user of a request, as the console's routes see it. */
export interface SignedIn {
  principal: Principal;
  /** The synchronizer token every form and htmx POST of this session must carry. */
  csrfToken: string;
  /** The outcome of the action that redirected here, shown once on this page. */
  flash?: ConsoleFlash;
}

/** The cookie holding the session id; scoped to the console's paths. */
export const sessionCookieName = 'console_session';
/** The cookie holding the sign-in form's token (before there is a session to bind one to). */
export const signInCookieName = 'console_sign_in';
/** The form field carrying the CSRF token. */
export const csrfFieldName = '_csrf';
/** The header htmx requests carry the CSRF token in (set once on `<body hx-headers>`). */
export const csrfHeaderName = 'X-CSRF-Token';

const cookiePath = '/console';
const touchEveryMs = 60_000;
const newToken = (): string => randomBytes(32).toString('base64url');

/** The request's cookies by name (the console needs no cookie library for two cookies). */
export function requestCookies(request: Request): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim();
    try {
      cookies[name] ??= decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      // A malformed value is as good as no cookie.
    }
  }
  return cookies;
}

function setCookie(deps: SessionDependencies, response: Response, name: string, value: string, maxAgeMs: number): void {
  response.cookie(name, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.secureCookies,
    path: cookiePath,
    maxAge: maxAgeMs,
  });
}

function clearCookie(deps: SessionDependencies, response: Response, name: string): void {
  response.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, path: cookiePath });
}

const sameToken = (presented: string | undefined, expected: string): boolean => {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Opens a session for a key that has just been identified: always a fresh, random session id
 * (a session id planted before sign-in is never promoted, so fixation gets nothing), the
 * previous session of this browser ended, and expired sessions swept away.
 */
export async function startSession(deps: SessionDependencies, request: Request, response: Response, principal: Principal): Promise<void> {
  const now = new Date();
  const previous = requestCookies(request)[sessionCookieName];
  if (previous !== undefined) await deleteConsoleSession(deps.db, previous);
  await deleteExpiredConsoleSessions(deps.db, now);
  const sessionId = newToken();
  const absoluteExpiresAt = new Date(now.getTime() + deps.limits.absoluteMs);
  const idleDeadline = new Date(now.getTime() + deps.limits.idleMs);
  await insertConsoleSession(deps.db, sessionId, {
    keyId: principal.keyId,
    role: principal.role,
    tenantId: principal.tenantId,
    csrfToken: newToken(),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: idleDeadline < absoluteExpiresAt ? idleDeadline : absoluteExpiresAt,
    absoluteExpiresAt,
  });
  setCookie(deps, response, sessionCookieName, sessionId, deps.limits.absoluteMs);
  clearCookie(deps, response, signInCookieName);
}

/** Ends the browser's session on the server (not just the cookie) and clears the cookie. */
export async function endSession(deps: SessionDependencies, request: Request, response: Response): Promise<void> {
  const sessionId = requestCookies(request)[sessionCookieName];
  if (sessionId !== undefined) await deleteConsoleSession(deps.db, sessionId);
  clearCookie(deps, response, sessionCookieName);
}

/**
 * Loads the request's session into `response.locals.signedIn` (see {@link signedInOf}) when
 * there is a live one. The key behind it is looked up again on every request, so revoking a
 * key, or changing its role, takes effect at once in every session opened with it.
 */
export function loadSession(deps: SessionDependencies): RequestHandler {
  const load = async (request: Request, response: Response) => {
    const sessionId = requestCookies(request)[sessionCookieName];
    if (sessionId === undefined) return;
    const now = new Date();
    const session = await findConsoleSession(deps.db, sessionId, now);
    if (session === undefined) return;
    let principal: Principal | undefined;
    if (session.keyId === bootstrapKeyId) {
      principal = deps.bootstrapKeyConfigured ? { keyId: bootstrapKeyId, role: 'admin', tenantId: null } : undefined;
    } else {
      const key = await findLiveApiKey(deps.db, session.keyId);
      principal = key && { keyId: key._id, role: key.role, tenantId: key.tenantId };
    }
    if (principal === undefined) {
      await deleteConsoleSession(deps.db, sessionId);
      return;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= touchEveryMs) await touchConsoleSession(deps.db, session, now, deps.limits.idleMs);
    // The page a redirect leads to takes the flash; an htmx fragment or a form post does not.
    const flash = request.method === 'GET' && !isHtmxRequest(request) ? await takeConsoleSessionFlash(deps.db, session) : undefined;
    response.locals.signedIn = { principal, csrfToken: session.csrfToken, ...(flash && { flash }) } satisfies SignedIn;
    response.locals[sessionIdLocal] = sessionId;
  };
  return (request, response, next) => {
    load(request, response).then(() => next(), next);
  };
}

const sessionIdLocal = 'consoleSessionId';

/**
 * Ends an action the way a form post without JavaScript should: a 303 to the page that shows
 * the result (so reloading it does not post again), with `flash` kept in the session and shown
 * once by that page. The text never travels in the URL, where a crafted link could forge it.
 */
export async function redirectAfterAction(db: Db, response: Response, path: string, flash: ConsoleFlash): Promise<void> {
  const sessionId = response.locals[sessionIdLocal] as string | undefined;
  if (sessionId !== undefined) await setConsoleSessionFlash(db, sessionId, flash);
  response.redirect(303, path);
}

/** The signed-in user, or undefined on a request without a live session. */
export function signedInOf(response: Response): SignedIn | undefined {
  return response.locals.signedIn as SignedIn | undefined;
}

/** Raised when a page needs a session and the request has none; the console answers with the sign-in page. */
export class SignInRequiredError extends HttpError {
  constructor() {
    super(401, 'sign_in_required', 'sign in to continue');
  }
}

/** The signed-in user; {@link SignInRequiredError} when there is none. */
export function requireSignedIn(response: Response): SignedIn {
  const signedIn = signedInOf(response);
  if (signedIn === undefined) throw new SignInRequiredError();
  return signedIn;
}

/** Raised when a POST does not carry its session's CSRF token; answered 403 with a page that says so. */
export class CsrfTokenError extends HttpError {
  constructor() {
    super(403, 'csrf_token_invalid', 'this form has expired or did not come from the console; reload the page and try again');
  }
}

/** The CSRF token a request presents: the form field, or the htmx header. */
function presentedCsrfToken(request: Request): string | undefined {
  const field = (request.body as Record<string, unknown> | undefined)?.[csrfFieldName];
  if (typeof field === 'string') return field;
  return request.get(csrfHeaderName);
}

/**
 * Refuses every state-changing request whose CSRF token is not its session's (synchronizer
 * token). Runs after {@link loadSession} and the form body parser; GET and HEAD pass.
 */
export const checkCsrf: RequestHandler = (request, response, next) => {
  if (request.method === 'GET' || request.method === 'HEAD') {
    next();
    return;
  }
  const signedIn = signedInOf(response);
  // Without a session the route itself answers "sign in"; the sign-in form has its own token
  // (see checkSignInToken), also when a signed-in browser signs in again.
  if (signedIn !== undefined && request.path !== '/sign-in' && !sameToken(presentedCsrfToken(request), signedIn.csrfToken)) {
    next(new CsrfTokenError());
    return;
  }
  next();
};

/**
 * The sign-in form's token: a random value in a SameSite cookie and in the form, compared on
 * submit (double submit), so another site cannot sign a browser in with the other site's key.
 */
export function issueSignInToken(deps: SessionDependencies, response: Response): string {
  const token = newToken();
  setCookie(deps, response, signInCookieName, token, 60 * 60_000);
  return token;
}

/** {@link CsrfTokenError} unless the sign-in form carries the token of its cookie. */
export function checkSignInToken(request: Request): void {
  const expected = requestCookies(request)[signInCookieName];
  if (expected === undefined || !sameToken(presentedCsrfToken(request), expected)) throw new CsrfTokenError();
}
