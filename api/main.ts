import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { mongoUri } from '../config/mongo.js';
import { PayloadEncryptionCodec, productDataConverter } from '../config/payload-encryption.js';
import { GuestMappingKeys } from '../store/guest-mapping-keys.js';
import { temporalAddress, temporalConnectionOptions, temporalIsServing } from '../config/temporal.js';
import { AlertChannels } from '../connectors/alert-channels/channels.js';
import { AlertWebhookEndpoints } from '../connectors/alert-channels/webhook-endpoints.js';
import { ConnectorClients } from '../connectors/clients.js';
import { VendorEndpoints } from '../connectors/vendor-endpoints.js';
import { IntacctUsageMeter } from '../observability/intacct-usage-meter.js';
import { createApiMetrics } from '../observability/metrics.js';
import { startTracing } from '../observability/tracing.js';
import { CredentialCipher } from '../store/credential-cipher.js';
import { databaseIsReachable, ensureIndexes, openDatabase } from '../store/database.js';
import { InstallationLeases } from '../store/installation-leases.js';
import { defaultAuthFailureLimits } from './admin/auth-failure-limiter.js';
import { createProductApp, productWebhookDispatcher } from './product-app.js';
import { storedUndispatchedDeliveries } from './webhooks/store-adapters.js';
import { WebhookIntakeQueue } from './webhooks/webhook-intake.js';
import { listen } from './server.js';

// Composition root of the API process: config read once, dependencies built and passed down.
const config = loadConfigOrExit();
const logger = createLogger(config, 'api');
// Undefined (nothing installed) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = startTracing(config.tracing, 'storefront-sync-api');

const database = openDatabase({ uri: mongoUri(config), database: config.mongo.database, serverSelectionTimeoutMs: 5_000 });
// Lazy: the API starts (and reports not ready) while Temporal is still coming up.
const temporal = Connection.lazy(temporalConnectionOptions(config.temporal, temporalAddress(config.temporal)));

await ensureIndexes(database.db).catch((error: unknown) =>
  logger.warn({ err: error }, 'could not create indexes yet; /readyz reports MongoDB'),
);

if (config.api.behindProxy && config.api.trustedProxies.length === 0) {
  logger.warn(
    'API_BEHIND_PROXY is set but API_TRUSTED_PROXIES is empty: logs and the wrong-key limit see every client as the proxy; name the proxy in API_TRUSTED_PROXIES',
  );
}
if (config.api.benchAckFloor)
  logger.warn('BENCH_ACK_FLOOR is set: serving the benchmark’s unauthenticated POST /bench/ack-floor/{tenantId}');
// Connection tests sign in to Intacct: those transactions count against the tenant's month too.
const intacctUsage = new IntacctUsageMeter({ db: database.db, logger }).start();
const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
const temporalClient = new Client({
  connection: temporal,
  namespace: config.temporal.namespace,
  dataConverter: productDataConverter(config),
  ...(tracing && { interceptors: tracing.clientInterceptors }),
});
const temporalTaskQueue = { client: temporalClient, taskQueue: config.temporal.taskQueue };
// Storefront webhooks are answered once recorded; this dispatches them after, and its sweep what a dead process left.
const webhookIntake = new WebhookIntakeQueue(
  productWebhookDispatcher({ db: database.db, temporal: temporalTaskQueue, logger }),
  storedUndispatchedDeliveries(database.db),
  { logger },
).start();
const app = createProductApp({
  logger,
  webhookIntake,
  trustedProxies: config.api.trustedProxies,
  db: database.db,
  cipher,
  // An operator waits on the admin API's vendor calls (connection tests, webhook registration): 30 s, not the worker's 45.
  connectors: new ConnectorClients({
    ...config.connectors,
    intacctTimeoutMs: 30_000,
    intacctTransactionCounter: intacctUsage,
    installationConcurrency: new InstallationLeases(database.db),
    endpoints: new VendorEndpoints(config.vendorEndpoints),
  }),
  temporal: temporalTaskQueue,
  codec: {
    codec: new PayloadEncryptionCodec(config.payloadCodec),
    corsOrigins: config.payloadCodec.corsOrigins,
    tokenlessOrigins: config.payloadCodec.tokenlessOrigins,
  },
  bootstrapApiKey: config.admin.bootstrapApiKey,
  guestMappingKeys: new GuestMappingKeys(config.guestMappingKeys),
  authFailureLimits: { ...defaultAuthFailureLimits, maxFailures: config.admin.authFailuresPerMinute, windowMs: 60_000 },
  alerts: {
    channels: new AlertChannels({ smtp: config.alerts.smtp, webhooks: new AlertWebhookEndpoints(config.alerts.webhooks) }),
    publicBaseUrl: config.alerts.publicBaseUrl,
  },
  console: {
    // Production is reached over TLS (config/production-checks.ts); the local stack over plain HTTP.
    secureCookies: config.mode === 'production',
    // The local dev server's UI when `npm start` runs one; an installation's own Temporal UI is not known here.
    ...(config.temporal.address === undefined && { temporalUiUrl: `http://localhost:${config.temporal.localUiPort}` }),
    temporalNamespace: config.temporal.namespace,
  },
  readinessChecks: {
    temporal: () => temporalIsServing(temporal),
    mongodb: () => databaseIsReachable(database.db),
  },
  metrics: { series: createApiMetrics(), access: config.metrics.apiEnabled ? { token: config.metrics.token } : undefined },
  ...(tracing && { tracer: tracing.tracer }),
  benchAckFloor: config.api.benchAckFloor,
});

let server;
try {
  server = await listen(app, config.api.port, config.api.host);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  logger.fatal(
    { err: error },
    code === 'EADDRINUSE' ? `port ${config.api.port} is already in use; set API_PORT to another port` : 'API could not start',
  );
  await database.close();
  process.exit(1);
}
logger.info({ port: server.port }, 'API listening');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping');
    // The server stops taking deliveries first; then what it acknowledged is dispatched before Temporal's connection closes.
    void server
      .close()
      .catch(() => undefined)
      .then(() => webhookIntake.stop())
      .then(() => Promise.allSettled([temporal.close(), intacctUsage.stop(), tracing?.shutdown()]))
      .then(() => database.close())
      .catch(() => undefined)
      .then(() => process.exit(0));
  });
}
