import { credentialSchemas, describeCredentials, saveCredentials, type CredentialPart } from '../../store/credentials.js';
import { parseTenantSettings, type TenantSettings } from '../../store/schemas/settings.js';
import { readSettings, StaleSettingsVersionError, writeSettings, type SettingsDocument } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { refusedAlertWebhooks } from './alert-routes.js';
import { assertRole, type Principal } from './auth.js';
import { refreshTenantSchedules } from './backfill-routes.js';
import { clearCredentialsBoundElsewhere, refusedEndpoints } from './connection-endpoints.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';

/**
 * Changing a tenant's settings and credentials: the use cases behind the admin API's settings
 * and credentials routes and the console's settings and connections pages, so both apply the
 * same rules (validation, endpoint allow-list, optimistic version, audit, schedules).
 */

/** Who acts, for role checks and the audit log. */
export interface ActionContext {
  principal: Principal;
  requestId: string | undefined;
}

/** Settings as the admin API answers them. */
export interface SettingsView {
  version: number;
  settings: TenantSettings;
  updatedAt: string;
  updatedBy: string;
  /** Credentials this change cleared because their connection's host changed: enter them again. */
  credentialsCleared?: string[];
}

export function settingsView(stored: SettingsDocument): SettingsView {
  return { version: stored.version, settings: stored.settings, updatedAt: stored.updatedAt.toISOString(), updatedBy: stored.updatedBy };
}

/** Deep merge for PATCH: objects merge, everything else (arrays included) replaces. */
export function mergeSettings(base: unknown, patch: unknown): unknown {
  if (
    patch === null ||
    typeof patch !== 'object' ||
    Array.isArray(patch) ||
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base)
  )
    return patch;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) merged[key] = mergeSettings(merged[key], value);
  return merged;
}

/** Settings checked by the schema, the installation's vendor endpoints and its alert webhooks: 400 with every problem's path. */
export function validSettings(input: unknown, deps: AdminDependencies): TenantSettings {
  const parsed = parseTenantSettings(input);
  if (!parsed.ok) throw new HttpError(400, 'validation_failed', 'the settings are not valid', parsed.errors);
  const refused = [
    ...refusedEndpoints(deps.connectors.endpoints, parsed.settings.connection),
    ...refusedAlertWebhooks(deps.alerts?.channels, parsed.settings.alerts),
  ];
  if (refused.length > 0) throw new HttpError(400, 'validation_failed', 'the settings are not valid', refused);
  return parsed.settings;
}

/** Writes settings at `expectedVersion`; a stale version is 409 `stale_version` with the current one. */
export async function storeSettings(
  deps: AdminDependencies,
  tenantId: string,
  settings: TenantSettings,
  expectedVersion: number,
  changedBy: string,
) {
  try {
    return await writeSettings(deps.db, tenantId, settings, { expectedVersion, changedBy });
  } catch (error) {
    if (error instanceof StaleSettingsVersionError)
      throw new HttpError(409, 'stale_version', error.message, { currentVersion: error.currentVersion });
    throw error;
  }
}

/**
 * Replaces (`replace`) or deep-merges (`merge`) a tenant's settings, if `version` is still the
 * current one (else 409). A connection's new host clears its credentials; the change is
 * audited and the tenant's schedules follow it.
 */
export async function changeTenantSettings(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  change: { mode: 'replace' | 'merge'; version: number; settings: Record<string, unknown> },
): Promise<SettingsView> {
  assertRole(context.principal, 'admin');
  const tenant = await visibleTenant(deps.db, context.principal, tenantId);
  const current = await readSettings(deps.db, tenantId);
  if (current && current.version !== change.version) {
    throw new HttpError(
      409,
      'stale_version',
      `settings are at version ${current.version}, not ${change.version}; read them again and reapply the change`,
      { currentVersion: current.version },
    );
  }
  const settings = validSettings(
    change.mode === 'replace' ? change.settings : mergeSettings(current?.settings ?? {}, change.settings),
    deps,
  );
  if (settings.connection.storefront.kind !== tenant.storefront) {
    throw new HttpError(400, 'validation_failed', 'the settings are not valid', [
      {
        path: 'connection.storefront.kind',
        message: `tenant ${tenant._id} is a ${tenant.storefront} tenant; create a new tenant for another storefront`,
      },
    ]);
  }
  const cleared = await clearCredentialsBoundElsewhere(deps.db, tenant._id, current?.settings.connection, settings.connection);
  const stored = await storeSettings(deps, tenantId, settings, change.version, context.principal.keyId);
  await audit(deps.db, context, {
    tenantId,
    action: `settings.${change.mode === 'replace' ? 'put' : 'patch'}`,
    target: `settings:${tenantId}`,
    details: { version: stored.version, ...(cleared.length > 0 && { credentialsCleared: cleared }) },
  });
  await refreshTenantSchedules(deps, tenant, stored.settings);
  return { ...settingsView(stored), ...(cleared.length > 0 && { credentialsCleared: cleared }) };
}

/** Credential parts a person enters (the webhook secret is issued by registration, never typed). */
export type EnteredCredentialPart = Exclude<CredentialPart, 'webhook'>;

/**
 * Stores one part of a tenant's credentials, encrypted; write-only (the answer says which parts
 * are set, never a value). 400 with each field's problem; a storefront part must be the tenant's.
 */
export async function storeTenantCredentials(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  part: EnteredCredentialPart,
  input: unknown,
): Promise<Awaited<ReturnType<typeof describeCredentials>>> {
  assertRole(context.principal, 'admin');
  const tenant = await visibleTenant(deps.db, context.principal, tenantId);
  // Intacct and a payment processor belong to any tenant; storefront credentials only to its own storefront.
  if (part !== 'intacct' && part !== 'stripe' && part !== tenant.storefront) {
    throw new HttpError(400, 'validation_failed', `tenant ${tenant._id} uses ${tenant.storefront}, not ${part}`);
  }
  const parsed = credentialSchemas[part].safeParse(input);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'validation_failed',
      'the credentials are not valid',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  await saveCredentials(deps.db, deps.cipher, tenant._id, part, parsed.data as never);
  await audit(deps.db, context, { tenantId: tenant._id, action: 'credentials.put', target: `credentials:${tenant._id}:${part}` });
  return describeCredentials(deps.db, tenant._id);
}
