import { z } from 'zod';
import { issueApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.js';
import { tenantIdSchema } from '../../store/tenants.js';
import { HttpError } from '../errors.js';
import { audit, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

const keyView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'operator', 'viewer']),
  tenantId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().optional(),
});

export function registerApiKeyRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/api-keys',
    summary: 'Issue an API key (the token is shown once). A tenant-scoped admin issues keys for its own tenant only.',
    tag: 'api keys',
    role: 'admin',
    body: z.object({
      name: z.string().trim().min(1).max(100),
      role: z.enum(['admin', 'operator', 'viewer']),
      tenantId: tenantIdSchema.nullable(),
    }),
    successStatus: 201,
    response: z.object({ key: keyView, token: z.string() }),
    handler: async ({ body, principal, requestId }) => {
      if (principal.tenantId !== null && body.tenantId !== principal.tenantId)
        throw new HttpError(403, 'forbidden', 'this key can only issue keys for its own tenant');
      if (body.tenantId !== null) await visibleTenant(deps.db, principal, body.tenantId);
      const issued = await issueApiKey(deps.db, { ...body, createdBy: principal.keyId });
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: body.tenantId, action: 'api-key.issue', target: `api-key:${issued.record._id}`, details: { role: body.role } },
      );
      const { _id, createdAt, ...rest } = issued.record;
      return { key: { id: _id, ...rest, createdAt: createdAt.toISOString() }, token: issued.token };
    },
  });

  router.add({
    method: 'get',
    path: '/api-keys',
    summary: 'List API keys (never their secrets)',
    tag: 'api keys',
    role: 'admin',
    response: z.object({ keys: z.array(keyView) }),
    handler: async ({ principal }) => ({
      keys: (await listApiKeys(deps.db, principal.tenantId === null ? {} : { tenantId: principal.tenantId })).map(
        ({ _id, createdAt, revokedAt, ...rest }) => ({
          id: _id,
          ...rest,
          createdAt: createdAt.toISOString(),
          ...(revokedAt && { revokedAt: revokedAt.toISOString() }),
        }),
      ),
    }),
  });

  router.add({
    method: 'delete',
    path: '/api-keys/:keyId',
    summary: 'Revoke an API key',
    tag: 'api keys',
    role: 'admin',
    params: z.object({ keyId: z.string().regex(/^[a-f0-9]{16}$/) }),
    handler: async ({ params, principal, requestId }) => {
      const revoked = await revokeApiKey(deps.db, params.keyId, principal.tenantId === null ? {} : { tenantId: principal.tenantId });
      if (!revoked) throw notFoundError(`API key ${params.keyId}`);
      // Under the key's tenant, so that tenant sees who revoked its key, whoever did.
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: revoked.tenantId, action: 'api-key.revoke', target: `api-key:${params.keyId}` },
      );
      return undefined;
    },
  });
}
