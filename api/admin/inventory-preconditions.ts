import { HttpError } from '../errors.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import type { Tenant } from '../../store/tenants.js';
import type { AdminDependencies } from './context.js';

/** The tenant's settings, or 409 when it has none yet. */
export async function settingsOf(deps: AdminDependencies, tenant: Tenant): Promise<TenantSettings> {
  const stored = await readSettings(deps.db, tenant._id);
  if (stored === null) throw new HttpError(409, 'not_configured', `tenant ${tenant._id} has no settings yet, so it has no inventory sync`);
  return stored.settings;
}

/** 409 unless the tenant is active and syncs inventory: what a run or a resume needs. */
export function assertInventorySyncOn(tenant: Tenant, settings: TenantSettings): void {
  if (tenant.status === 'disabled') throw new HttpError(409, 'tenant_disabled', `tenant ${tenant._id} is disabled; enable it first`);
  if (!settings.inventory.enabled)
    throw new HttpError(
      409,
      'inventory_disabled',
      `inventory sync is off for tenant ${tenant._id}; turn on inventory.enabled in its settings first`,
    );
}
