import { pino } from 'pino';
import type { AdminDependencies } from '../../api/admin/index.js';
import type { PayoutImportedHandler } from '../../api/admin/payout-imported.js';
import { createApp, type AppDependencies } from '../../api/app.js';
import { listen, type RunningServer } from '../../api/server.js';
import type { Config } from '../../config/index.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { openTestDatabase, testConfig } from './harness.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { VendorEndpoints } from '../../connectors/vendor-endpoints.js';
import { productionEndpointDefaults } from '../../config/vendor-endpoints.js';
import type { ConsoleOptions } from '../../console/index.js';

export const bootstrapKey = 'test-bootstrap-key-0123456789';

export interface AdminApiUnderTest {
  config: Config;
  database: Awaited<ReturnType<typeof openTestDatabase>>;
  cipher: CredentialCipher;
  server: RunningServer;
  /** JSON request with a bearer key (the bootstrap admin key by default). */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; rawBody?: string; contentType?: string },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * The API app in-process on port 0, over a database of the test's own on the run's FerretDB.
 * Without `endpoints`, the installation's production allow-lists apply (the vendors' public
 * APIs; no Clarity site), which the settings' defaults satisfy. With `console`, the operator
 * console is served under /console too; with `codec`, the codec server under /codec.
 */
export async function startAdminApi(
  options: {
    endpoints?: VendorEndpoints;
    console?: ConsoleOptions;
    onPayoutImported?: PayoutImportedHandler;
    alerts?: AdminDependencies['alerts'];
    codec?: AppDependencies['codec'];
    temporal?: AdminDependencies['temporal'];
  } = {},
): Promise<AdminApiUnderTest> {
  const config = testConfig();
  const database = await openTestDatabase(config);
  const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
  const app = createApp({
    logger: pino({ level: 'silent' }),
    readinessChecks: {},
    admin: {
      db: database.db,
      cipher,
      connectors: new ConnectorClients({
        endpoints: options.endpoints ?? new VendorEndpoints({ allowed: productionEndpointDefaults, refusePrivateAddresses: true }),
      }),
      bootstrapApiKey: bootstrapKey,
      ...(options.alerts && { alerts: options.alerts }),
      ...(options.onPayoutImported && { onPayoutImported: options.onPayoutImported }),
      ...(options.temporal && { temporal: options.temporal }),
    },
    ...(options.console && { console: options.console }),
    ...(options.codec && { codec: options.codec }),
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    config,
    database,
    cipher,
    server,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      const key = options.key === undefined ? bootstrapKey : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) {
        body = options.rawBody;
        headers['content-type'] = options.contentType ?? 'application/json';
      } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined && { body }) });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed as any, text, headers: response.headers };
    },
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

export const bigCommerceConnection = { storefront: { kind: 'bigcommerce', storeHash: 'acme' }, intacct: { companyId: 'ACME-CO' } };
