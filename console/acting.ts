import type { Response } from 'express';
import { assertRole, refuseWritesOfDisabledTenant, type Principal } from '../api/admin/auth.js';
import { visibleTenant } from '../api/admin/context.js';
import type { Role } from '../store/api-keys.js';
import type { Tenant } from '../store/tenants.js';
import type { ConsoleDependencies } from './dependencies.js';
import { requireSignedIn, type SignedIn } from './session.js';

/** A signed-in request allowed to act on a tenant, with what the admin API's use cases take as their context. */
export interface Acting {
  signedIn: SignedIn;
  tenant: Tenant;
  /** The use cases' audit context: who, and the request id that ties the audit entry to the log. */
  context: { principal: Principal; requestId: string | undefined };
}

/**
 * The checks every console action passes before it calls a use case, the admin API's own
 * rules in the same words: the tenant must be visible to the key (404 otherwise, as if it did
 * not exist), a disabled tenant's own keys cannot write, and the role must be at least the one
 * the admin route declares (403 otherwise).
 */
export async function actingOn(deps: ConsoleDependencies, response: Response, tenantId: string, role: Role): Promise<Acting> {
  const signedIn = requireSignedIn(response);
  const { principal } = signedIn;
  const tenant = await visibleTenant(deps.db, principal, tenantId);
  if (principal.tenantId !== null) await refuseWritesOfDisabledTenant(deps.db, principal.tenantId);
  assertRole(principal, role);
  return { signedIn, tenant, context: { principal, requestId: response.locals.requestId as string | undefined } };
}
