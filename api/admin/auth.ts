import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from 'mongodb';
import type { Logger } from '../../config/logger.js';
import { findApiKeyByToken, type Role } from '../../store/api-keys.js';
import { findTenant } from '../../store/tenants.js';
import { HttpError } from '../errors.js';
import { clientAddress, requestLogContext } from '../request-context.js';
import { AuthFailureLimiter, clientKey, defaultAuthFailureLimits, type AuthFailureLimits } from './auth-failure-limiter.js';

/** Who is calling: an API key's id (or `bootstrap`), its role and the tenant it is limited to. */
export interface Principal {
  keyId: string;
  role: Role;
  /** null: every tenant. */
  tenantId: string | null;
}

const roleRank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

const digest = (value: string) => createHash('sha256').update(value).digest();

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bootstrap key's id in a {@link Principal}. */
export const bootstrapKeyId = 'bootstrap';

/**
 * Who an API key is, or undefined when it is not a valid key: the bootstrap key from config is
 * an admin for every tenant; other keys are looked up by their hashed secret. The admin API's
 * bearer auth and the console's sign-in both identify keys with it.
 */
export function apiKeyIdentifier(deps: { db: Db; bootstrapApiKey: string | undefined }): (token: string) => Promise<Principal | undefined> {
  const bootstrapDigest = deps.bootstrapApiKey === undefined ? undefined : digest(deps.bootstrapApiKey);
  return async (token) => {
    if (bootstrapDigest !== undefined && timingSafeEqual(digest(token), bootstrapDigest)) {
      return { keyId: bootstrapKeyId, role: 'admin', tenantId: null };
    }
    const record = await findApiKeyByToken(deps.db, token);
    return record && { keyId: record._id, role: record.role, tenantId: record.tenantId };
  };
}

/**
 * Bearer-key authentication for the admin API. The bootstrap key from config is an admin for
 * every tenant; other keys are looked up by their hashed secret. Failures say nothing about why.
 * A client that keeps presenting wrong keys is answered 429 with Retry-After for a while; the
 * moment it is shut out is logged with its address (behind trusted proxies, the forwarded one).
 */
export function authenticate(deps: {
  db: Db;
  bootstrapApiKey: string | undefined;
  authFailureLimits?: AuthFailureLimits | undefined;
  logger?: Logger | undefined;
}): RequestHandler {
  const failures = new AuthFailureLimiter(deps.authFailureLimits ?? defaultAuthFailureLimits);
  const identify = apiKeyIdentifier(deps);

  const check = async (request: Request, response: Response): Promise<Principal> => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1];
    if (token === undefined) throw new HttpError(401, 'unauthorized', 'send an admin API key as "Authorization: Bearer <key>"');
    const client = clientKey(clientAddress(request));
    const retryAfter = failures.retryAfterSeconds(client);
    if (retryAfter > 0) throw new TooManyFailuresError(retryAfter);
    const principal = await identify(token);
    if (principal === undefined) {
      failures.recordFailure(client);
      if (failures.retryAfterSeconds(client) > 0)
        deps.logger?.warn({ ...requestLogContext(response), countedAs: client }, 'admin API client shut out after too many wrong keys');
      throw new HttpError(401, 'unauthorized', 'the API key is not valid');
    }
    if (principal.tenantId !== null && !readMethods.has(request.method)) await refuseWritesOfDisabledTenant(deps.db, principal.tenantId);
    return principal;
  };

  return (request, response, next) => {
    check(request, response).then(
      (principal) => {
        response.locals.principal = principal;
        next();
      },
      (error: unknown) => {
        if (error instanceof TooManyFailuresError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
        next(error);
      },
    );
  };
}

class TooManyFailuresError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_failed_attempts', `too many wrong API keys from this address; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * A disabled tenant's own keys may still read (so its people can see what happened) but not
 * write: no settings, credentials, mappings, keys, connection tests or workflow starts.
 */
export async function refuseWritesOfDisabledTenant(db: Db, tenantId: string): Promise<void> {
  const tenant = await findTenant(db, tenantId);
  if (tenant?.status === 'disabled') {
    throw new HttpError(
      403,
      'tenant_disabled',
      `tenant ${tenantId} is disabled: its keys can read but not write until an installation-wide admin re-enables it`,
    );
  }
}

/** 403 unless the key is for every tenant: creating tenants and changing their status are the installation's decisions. */
export function assertInstallationAdmin(principal: Principal, action: string): void {
  assertRole(principal, 'admin');
  if (principal.tenantId !== null) throw new HttpError(403, 'forbidden', `only an installation-wide admin key can ${action}`);
}

export function principalOf(response: Response): Principal {
  return response.locals.principal as Principal;
}

/** 403 unless the caller's role is at least `role`. */
export function assertRole(principal: Principal, role: Role): void {
  if (roleRank[principal.role] < roleRank[role])
    throw new HttpError(403, 'forbidden', `this needs the ${role} role; the key has ${principal.role}`);
}

/**
 * A key limited to one tenant sees other tenants as nonexistent (404, not 403), so it cannot
 * learn which tenants exist.
 */
export function assertTenantVisible(principal: Principal, tenantId: string): void {
  if (principal.tenantId !== null && principal.tenantId !== tenantId) throw new HttpError(404, 'tenant_not_found', `no tenant ${tenantId}`);
}
