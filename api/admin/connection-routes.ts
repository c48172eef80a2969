import { z } from 'zod';
import type { ConnectorSystem } from '../../connectors/connector-error.js';
import type { TenantSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import type { Principal } from './auth.js';
import { connectionEndpoints } from './connection-endpoints.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { registerWebhooks, testIntacctConnection, testStorefrontConnection, testStripeConnection } from './connections.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

const testResult = z.object({
  ok: z.boolean(),
  system: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  failure: z.enum(['auth', 'input', 'retryable', 'unexpected']).optional(),
  /** The vendor's parsed error: its message and code, never the raw answer. */
  message: z.string().optional(),
  vendorCode: z.string().optional(),
});

const registrationBody = z.object({
  /** Where this deployment's API is reachable from the storefront, e.g. https://sync.example.com. */
  publicBaseUrl: z.url({ protocol: /^https?$/ }),
});

const registrationResult = z.object({ destination: z.string(), subscriptions: z.number().int(), activeSecrets: z.number().int() });

/**
 * Runs a call that sends the tenant's stored credentials to a vendor and records it in the
 * audit log under the tenant, whatever its outcome: where the credentials went and how it ended.
 */
async function auditedVendorCall<T>(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
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

export function registerConnectionRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const settingsOf = async (tenantId: string) => {
    const stored = await readSettings(deps.db, tenantId);
    if (!stored) throw notFoundError(`settings of ${tenantId}`);
    return stored.settings;
  };
  const testOutcome = (result: { ok: boolean; failure?: string }) => (result.ok ? 'ok' : `refused:${result.failure}`);

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/intacct/test',
    summary: 'Sign in to Intacct with the stored credentials (getAPISession: one API transaction). 200 with ok:false when Intacct refuses.',
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(params.tenantId);
      return auditedVendorCall(
        deps,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'connection.test', settings, system: 'intacct' },
        () => testIntacctConnection(deps, params.tenantId, settings),
        testOutcome,
        () => `connection:${params.tenantId}:intacct`,
      );
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/storefront/test',
    summary: "Call the storefront's API with the stored credentials. 200 with ok:false when the storefront refuses.",
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(params.tenantId);
      const system = settings.connection.storefront.kind;
      return auditedVendorCall(
        deps,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'connection.test', settings, system },
        () => testStorefrontConnection(deps, params.tenantId, settings),
        testOutcome,
        () => `connection:${params.tenantId}:${system}`,
      );
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/stripe/test',
    summary: "Read the Stripe account's balance with the stored secret key. 200 with ok:false and Stripe's message when Stripe refuses.",
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await settingsOf(params.tenantId);
      return auditedVendorCall(
        deps,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'connection.test', settings, system: 'stripe' },
        () => testStripeConnection(deps, params.tenantId, settings),
        testOutcome,
        () => `connection:${params.tenantId}:stripe`,
      );
    },
  });

  for (const rotate of [false, true]) {
    router.add({
      method: 'post',
      path: `/tenants/:tenantId/webhooks/${rotate ? 'rotate' : 'register'}`,
      summary: rotate
        ? 'Issue a new webhook secret to the storefront; the previous one stays accepted until the next rotation'
        : "Register (or repair) the storefront's webhooks to this deployment, with a secret the receiver checks. Idempotent.",
      tag: 'webhooks',
      role: 'admin',
      params: tenantParams,
      body: registrationBody,
      response: registrationResult,
      handler: async ({ params, body, principal, requestId }) => {
        await visibleTenant(deps.db, principal, params.tenantId);
        const settings = await settingsOf(params.tenantId);
        return auditedVendorCall(
          deps,
          { principal, requestId },
          {
            tenantId: params.tenantId,
            action: rotate ? 'webhooks.rotate' : 'webhooks.register',
            settings,
            system: settings.connection.storefront.kind,
          },
          () => registerWebhooks(deps, params.tenantId, settings, { publicBaseUrl: body.publicBaseUrl, rotate }),
          () => 'ok',
          (result) => result?.destination ?? `webhooks:${params.tenantId}`,
        );
      },
    });
  }
}
