import type { ConnectorSystem } from '../../connectors/connector-error.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { assertRole } from './auth.js';
import { connectionEndpoints } from './connection-endpoints.js';
import {
  registerWebhooks,
  testIntacctConnection,
  testStorefrontConnection,
  testStripeConnection,
  type ConnectionTestResult,
  type WebhookRegistration,
} from './connections.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError } from './documented-router.js';
import type { ActionContext } from './settings-changes.js';

/**
 * Connection tests and webhook registration as use cases: role, tenant visibility and the audit
 * entry of a call that sent the tenant's credentials to a vendor, shared by the admin API and
 * the console's connections page.
 */

/**
 * Runs a call that sends the tenant's stored credentials to a vendor and records it in the
 * audit log under the tenant, whatever its outcome: where the credentials went and how it ended.
 */
async function auditedVendorCall<T>(
  deps: AdminDependencies,
  context: ActionContext,
  call: { tenantId: string; action: string; settings: TenantSettings; system: ConnectorSystem },
  run: () => Promise<T>,
  outcomeOf: (result: T) => string,
  target: (result: T | undefined) => string,
): Promise<T> {
  const endpoint = connectionEndpoints(call.settings.connection).find((candidate) => candidate.system === call.system)?.binding;
  let result: T | undefined;
  let outcome = 'failed';
  try {
    result = await run();
    outcome = outcomeOf(result);
    return result;
  } catch (error) {
    if (error instanceof HttpError) outcome = error.code;
    throw error;
  } finally {
    await audit(deps.db, context, {
      tenantId: call.tenantId,
      action: call.action,
      target: target(result),
      details: { system: call.system, ...(endpoint !== undefined && { endpoint }), outcome },
    });
  }
}

async function settingsOf(deps: AdminDependencies, tenantId: string): Promise<TenantSettings> {
  const stored = await readSettings(deps.db, tenantId);
  if (!stored) throw notFoundError(`settings of ${tenantId}`);
  return stored.settings;
}

/** Which of a tenant's connections to test. */
export type TestedConnection = 'intacct' | 'storefront' | 'stripe';

/**
 * Signs in to Intacct (one API transaction), calls the storefront, or reads the Stripe balance
 * with the stored credentials.
 * A vendor's refusal is a result with its parsed message, not an error.
 */
export async function testTenantConnection(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  connection: TestedConnection,
): Promise<ConnectionTestResult> {
  assertRole(context.principal, 'operator');
  await visibleTenant(deps.db, context.principal, tenantId);
  const settings = await settingsOf(deps, tenantId);
  const system = connection === 'storefront' ? settings.connection.storefront.kind : connection;
  return auditedVendorCall(
    deps,
    context,
    { tenantId, action: 'connection.test', settings, system },
    () =>
      connection === 'intacct'
        ? testIntacctConnection(deps, tenantId, settings)
        : connection === 'stripe'
          ? testStripeConnection(deps, tenantId, settings)
          : testStorefrontConnection(deps, tenantId, settings),
    (result) => (result.ok ? 'ok' : `refused:${result.failure}`),
    () => `connection:${tenantId}:${system}`,
  );
}

/** Registers (or repairs) the storefront's webhooks to this deployment; with `rotate`, issues a new secret. */
export async function registerTenantWebhooks(
  deps: AdminDependencies,
  context: ActionContext,
  tenantId: string,
  options: { publicBaseUrl: string; rotate: boolean },
): Promise<WebhookRegistration> {
  assertRole(context.principal, 'admin');
  await visibleTenant(deps.db, context.principal, tenantId);
  const settings = await settingsOf(deps, tenantId);
  return auditedVendorCall(
    deps,
    context,
    { tenantId, action: options.rotate ? 'webhooks.rotate' : 'webhooks.register', settings, system: settings.connection.storefront.kind },
    () => registerWebhooks(deps, tenantId, settings, options),
    () => 'ok',
    (result) => result?.destination ?? `webhooks:${tenantId}`,
  );
}
