import type { Response } from 'express';
import { visibleTenant } from '../api/admin/context.js';
import type { Tenant } from '../store/tenants.js';
import { listTenants } from '../store/tenants.js';
import type { ConsoleDependencies } from './dependencies.js';
import type { PageFrame, TenantSection } from './layout.js';
import { requireSignedIn, type SignedIn } from './session.js';

/** A signed-in request about one tenant: who asks, the tenant (if the key may see it), and the frame to draw the page in. */
export interface TenantPageContext {
  signedIn: SignedIn;
  tenant: Tenant;
  frame(title: string, notice?: PageFrame['notice']): PageFrame;
}

/** The tenants the signed-in key may see, for the switcher: its own one, or every tenant. */
export async function visibleTenants(deps: ConsoleDependencies, signedIn: SignedIn): Promise<Array<{ id: string; name: string }>> {
  const { tenantId } = signedIn.principal;
  const tenants = await listTenants(deps.db, tenantId === null ? {} : { ids: [tenantId] });
  return tenants.map((tenant) => ({ id: tenant._id, name: tenant.name }));
}

/**
 * The context of a page about `tenantId`: sign-in required, and the tenant scoped exactly as
 * the admin API scopes it (`visibleTenant`: another tenant's pages are 404, as if it did not exist).
 */
export async function tenantPage(
  deps: ConsoleDependencies,
  response: Response,
  tenantId: string,
  section: TenantSection,
): Promise<TenantPageContext> {
  const signedIn = requireSignedIn(response);
  const tenant = await visibleTenant(deps.db, signedIn.principal, tenantId);
  const tenants = await visibleTenants(deps, signedIn);
  return {
    signedIn,
    tenant,
    frame: (title, notice) => ({ title, signedIn, tenants, tenant: { id: tenant._id, name: tenant.name, section }, notice }),
  };
}
