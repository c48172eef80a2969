import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Db } from 'mongodb';
import { findApiKeyByToken, type Role } from '../../store/api-keys.js';
import { HttpError } from '../errors.js';

/** Who is calling: an API key's id (or `bootstrap`), its role and the tenant it is limited to. */
export interface Principal {
  keyId: string;
  role: Role;
  /** null: every tenant. */
  tenantId: string | null;
}

const roleRank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer-key authentication for the admin API. The bootstrap key from config is an admin for
 * every tenant; other keys are looked up by their hashed secret. Failures say nothing about why.
 */
export function authenticate(deps: { db: Db; bootstrapApiKey: string | undefined }): RequestHandler {
  const bootstrapDigest = deps.bootstrapApiKey === undefined ? undefined : digest(deps.bootstrapApiKey);
  return (request, response, next) => {
    const header = request.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (token === undefined) {
      next(new HttpError(401, 'unauthorized', 'send an admin API key as "Authorization: Bearer <key>"'));
      return;
    }
    if (bootstrapDigest !== undefined && timingSafeEqual(digest(token), bootstrapDigest)) {
      response.locals.principal = { keyId: 'bootstrap', role: 'admin', tenantId: null } satisfies Principal;
      next();
      return;
    }
    findApiKeyByToken(deps.db, token).then(
      (record) => {
        if (!record) {
          next(new HttpError(401, 'unauthorized', 'the API key is not valid'));
          return;
        }
        response.locals.principal = { keyId: record._id, role: record.role, tenantId: record.tenantId } satisfies Principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
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
