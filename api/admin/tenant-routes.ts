import { z } from 'zod';
import { storefrontKinds } from '../../mappers/canonical-order.js';
import { credentialParts, credentialSchemas, describeCredentials } from '../../store/credentials.js';
import { connectionSettingsSchema, defaultTenantSettings } from '../../store/schemas/settings.js';
import { listSettingsHistory, readSettings } from '../../store/settings.js';
import { createTenant, listTenants, tenantIdSchema, updateTenant, type Tenant } from '../../store/tenants.js';
import { HttpError } from '../errors.js';
import { refreshTenantSchedules } from './backfill-routes.js';
import { assertInstallationAdmin } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, validationError, type DocumentedRouter } from './documented-router.js';
import {
  changeTenantSettings,
  mergeSettings,
  settingsView,
  storeSettings,
  storeTenantCredentials,
  validSettings,
  type EnteredCredentialPart,
} from './settings-changes.js';

const storefrontSchema = z.enum(storefrontKinds);

const tenantView = z.object({
  id: z.string(),
  name: z.string(),
  storefront: storefrontSchema,
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const toTenantView = (tenant: Tenant): z.infer<typeof tenantView> => ({
  id: tenant._id,
  name: tenant.name,
  storefront: tenant.storefront,
  status: tenant.status,
  createdAt: tenant.createdAt.toISOString(),
  updatedAt: tenant.updatedAt.toISOString(),
});

const settingsResponse = z.object({
  version: z.number().int(),
  settings: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** Credentials this change cleared because their connection's host changed: enter them again. */
  credentialsCleared: z.array(z.string()).optional(),
});

const credentialDescription = z.object({ set: z.boolean(), updatedAt: z.string().optional(), keyId: z.string().optional() });

export function registerTenantRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants',
    summary: 'List the tenants this key can see',
    tag: 'tenants',
    role: 'viewer',
    response: z.object({ tenants: z.array(tenantView) }),
    handler: async ({ principal }) => ({
      tenants: (await listTenants(deps.db, principal.tenantId === null ? {} : { ids: [principal.tenantId] })).map(toTenantView),
    }),
  });

  router.add({
    method: 'post',
    path: '/tenants',
    summary: 'Create a tenant with default settings',
    tag: 'tenants',
    role: 'admin',
    body: z.object({
      id: tenantIdSchema,
      name: z.string().trim().min(1).max(200),
      /** Non-secret identifiers: storefront kind and store hash or base URL, Intacct company. */
      connection: z.record(z.string(), z.unknown()),
      /** Any other settings; omitted ones take their defaults. */
      settings: z.record(z.string(), z.unknown()).optional(),
    }),
    successStatus: 201,
    response: z.object({ tenant: tenantView, settings: settingsResponse }),
    handler: async ({ body, principal, requestId }) => {
      if (principal.tenantId !== null) throw new HttpError(403, 'forbidden', 'only a key for every tenant can create tenants');
      const parsedConnection = connectionSettingsSchema.safeParse(body.connection);
      if (!parsedConnection.success) throw validationError(parsedConnection.error, 'connection');
      const connection = parsedConnection.data;
      const settings = validSettings(
        mergeSettings(defaultTenantSettings(connection), { ...body.settings, connection: body.connection }),
        deps,
      );
      const storefront = settings.connection.storefront.kind;
      if (!(await createTenant(deps.db, { id: body.id, name: body.name, storefront }))) {
        throw new HttpError(409, 'tenant_exists', `tenant ${body.id} already exists`);
      }
      const stored = await storeSettings(deps, body.id, settings, 0, principal.keyId);
      await audit(deps.db, { principal, requestId }, { tenantId: body.id, action: 'tenant.create', target: `tenant:${body.id}` });
      const tenant = await visibleTenant(deps.db, principal, body.id);
      await refreshTenantSchedules(deps, tenant, stored.settings);
      return {
        tenant: toTenantView(tenant),
        settings: settingsView(stored),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId',
    summary: 'Read a tenant, its settings version and which credentials are set (never their values)',
    tag: 'tenants',
    role: 'viewer',
    params: tenantParams,
    response: z.object({ tenant: tenantView, settingsVersion: z.number().int(), credentials: z.record(z.string(), credentialDescription) }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const settings = await readSettings(deps.db, tenant._id);
      return {
        tenant: toTenantView(tenant),
        settingsVersion: settings?.version ?? 0,
        credentials: await describeCredentials(deps.db, tenant._id),
      };
    },
  });

  router.add({
    method: 'patch',
    path: '/tenants/:tenantId',
    summary: 'Rename, disable or re-enable a tenant',
    tag: 'tenants',
    role: 'admin',
    params: tenantParams,
    body: z
      .object({ name: z.string().trim().min(1).max(200).optional(), status: z.enum(['active', 'disabled']).optional() })
      .refine((body) => body.name !== undefined || body.status !== undefined, 'give name or status'),
    response: z.object({ tenant: tenantView }),
    handler: async ({ params, body, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      if (body.status !== undefined) assertInstallationAdmin(principal, "change a tenant's status");
      const tenant = await updateTenant(deps.db, params.tenantId, body);
      if (!tenant) throw notFoundError(`tenant ${params.tenantId}`);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'tenant.update', target: `tenant:${params.tenantId}`, details: body },
      );
      if (body.status !== undefined) {
        const stored = await readSettings(deps.db, tenant._id);
        if (stored) await refreshTenantSchedules(deps, tenant, stored.settings);
      }
      return { tenant: toTenantView(tenant) };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/settings',
    summary: 'Read the settings and their version',
    tag: 'settings',
    role: 'viewer',
    params: tenantParams,
    response: settingsResponse,
    handler: async ({ params, principal, response }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await readSettings(deps.db, params.tenantId);
      if (!stored) throw notFoundError(`settings of ${params.tenantId}`);
      response.setHeader('ETag', `"${stored.version}"`);
      return settingsView(stored);
    },
  });

  const writeBody = z.object({ version: z.number().int().min(0), settings: z.record(z.string(), z.unknown()) });
  for (const method of ['put', 'patch'] as const) {
    router.add({
      method,
      path: '/tenants/:tenantId/settings',
      summary:
        method === 'put'
          ? "Replace the settings (version must be the current one, else 409). A connection's new host clears its credentials"
          : "Change some settings (deep merge; version must be the current one, else 409). A connection's new host clears its credentials",
      tag: 'settings',
      role: 'admin',
      params: tenantParams,
      body: writeBody,
      response: settingsResponse,
      handler: ({ params, body, principal, requestId }) =>
        changeTenantSettings(deps, { principal, requestId }, params.tenantId, {
          mode: method === 'put' ? 'replace' : 'merge',
          version: body.version,
          settings: body.settings,
        }),
    });
  }

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/settings/history',
    summary: 'Every settings change: who, when, and the diff',
    tag: 'settings',
    role: 'viewer',
    params: tenantParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    response: z.object({
      changes: z.array(
        z.object({
          version: z.number(),
          changedAt: z.string(),
          changedBy: z.string(),
          diff: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
        }),
      ),
    }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const changes = await listSettingsHistory(deps.db, params.tenantId, query.limit);
      return {
        changes: changes.map((change) => ({
          version: change.version,
          changedAt: change.changedAt.toISOString(),
          changedBy: change.changedBy,
          diff: change.diff,
        })),
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/credentials',
    summary: 'Which credentials are set (values are never returned)',
    tag: 'credentials',
    role: 'viewer',
    params: tenantParams,
    response: z.object({ credentials: z.record(z.string(), credentialDescription) }),
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      return { credentials: await describeCredentials(deps.db, params.tenantId) };
    },
  });

  router.add({
    method: 'put',
    path: '/tenants/:tenantId/credentials/:part',
    summary: 'Store credentials (encrypted at rest; write-only)',
    tag: 'credentials',
    role: 'admin',
    params: tenantParams.extend({
      part: z.enum(credentialParts.filter((part) => part !== 'webhook') as [EnteredCredentialPart, ...EnteredCredentialPart[]]),
    }),
    body: z.union([credentialSchemas.intacct, credentialSchemas.bigcommerce, credentialSchemas.clarity, credentialSchemas.stripe]),
    response: z.object({ credentials: z.record(z.string(), credentialDescription) }),
    // The part's own schema checks the body: the union above only documents the choices.
    handler: async ({ params, request, principal, requestId }) => ({
      credentials: await storeTenantCredentials(deps, { principal, requestId }, params.tenantId, params.part, request.body),
    }),
  });
}
