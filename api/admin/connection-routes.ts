import { z } from 'zod';
import { registerTenantWebhooks, testTenantConnection } from './connection-actions.js';
import { tenantParams, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';

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

export function registerConnectionRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/intacct/test',
    summary: 'Sign in to Intacct with the stored credentials (getAPISession: one API transaction). 200 with ok:false when Intacct refuses.',
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: ({ params, principal, requestId }) => testTenantConnection(deps, { principal, requestId }, params.tenantId, 'intacct'),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/storefront/test',
    summary: "Call the storefront's API with the stored credentials. 200 with ok:false when the storefront refuses.",
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: ({ params, principal, requestId }) => testTenantConnection(deps, { principal, requestId }, params.tenantId, 'storefront'),
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/connections/stripe/test',
    summary: "Read the Stripe account's balance with the stored secret key. 200 with ok:false and Stripe's message when Stripe refuses.",
    tag: 'connections',
    role: 'operator',
    params: tenantParams,
    response: testResult,
    handler: ({ params, principal, requestId }) => testTenantConnection(deps, { principal, requestId }, params.tenantId, 'stripe'),
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
      handler: ({ params, body, principal, requestId }) =>
        registerTenantWebhooks(deps, { principal, requestId }, params.tenantId, { publicBaseUrl: body.publicBaseUrl, rotate }),
    });
  }
}
