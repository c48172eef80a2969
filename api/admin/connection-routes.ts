import { z } from 'zod';
import { readSettings } from '../../store/settings.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { registerWebhooks, testIntacctConnection, testStorefrontConnection } from './connections.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

const testResult = z.object({
  ok: z.boolean(),
  system: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  failure: z.enum(['auth', 'input', 'retryable', 'unexpected']).optional(),
  message: z.string().optional(),
});

const registrationBody = z.object({
  /** Where this deployment's API is reachable from the storefront, e.g. https://sync.example.com. */
  publicBaseUrl: z.url({ protocol: /^https?$/ }),
});

const registrationResult = z.object({ destination: z.string(), subscriptions: z.number().int(), activeSecrets: z.number().int() });

export function registerConnectionRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const settingsOf = async (tenantId: string) => {
    const stored = await readSettings(deps.db, tenantId);
    if (!stored) throw notFoundError(`settings of ${tenantId}`);
    return stored.settings;
  };

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/intacct/test',
    summary: 'Sign in to Intacct with the stored credentials (getAPISession: one API transaction). 200 with ok:false when Intacct refuses.',
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      return testIntacctConnection(deps, params.tenantId, await settingsOf(params.tenantId));
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
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      return testStorefrontConnection(deps, params.tenantId, await settingsOf(params.tenantId));
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
        const result = await registerWebhooks(deps, params.tenantId, await settingsOf(params.tenantId), {
          publicBaseUrl: body.publicBaseUrl,
          rotate,
        });
        await audit(
          deps.db,
          { principal, requestId },
          { tenantId: params.tenantId, action: rotate ? 'webhooks.rotate' : 'webhooks.register', target: result.destination },
        );
        return result;
      },
    });
  }
}
