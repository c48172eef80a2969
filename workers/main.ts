import { Client, Connection } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { mongoUri } from '../config/mongo.js';
import { productDataConverter } from '../config/payload-encryption.js';
import { temporalAddress, temporalConnectionOptions } from '../config/temporal.js';
import { createActivities } from '../activities/index.js';
import { GuestMappingKeys } from '../store/guest-mapping-keys.js';
import { TenantConnections } from '../activities/tenant-connections.js';
import { ConnectorClients } from '../connectors/clients.js';
import { VendorEndpoints } from '../connectors/vendor-endpoints.js';
import { CredentialCipher } from '../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../store/database.js';
import { InstallationLeases } from '../store/installation-leases.js';
import { InstallationMembers } from '../store/installation-members.js';
import { registerSearchAttributes } from './search-attributes.js';
import { ensureTenantScheduleForEveryTenant } from '../schedules/schedule-sync.js';
import { tenantSchedules } from '../schedules/tenant-schedules.js';
import { AlertChannels } from '../connectors/alert-channels/channels.js';
import { AlertWebhookEndpoints } from '../connectors/alert-channels/webhook-endpoints.js';
import { startAlertSender } from './alert-sender.js';
import { startHousekeeping } from './housekeeping.js';
import { startScheduleWatch } from './schedule-watch.js';
import { sdkLogger } from './logging.js';
import { startTracing } from '../observability/tracing.js';
import { startWorkerObservability, temporalTelemetryOptions } from './telemetry.js';
import { connectWorkerToTemporal, createProductWorker } from './worker.js';

// Composition root of the worker process: config read once, dependencies built and passed down.
const config = loadConfigOrExit();
const logger = createLogger(config, 'worker');

const telemetryOptions = temporalTelemetryOptions(config.metrics);
Runtime.install({
  shutdownSignals: ['SIGINT', 'SIGTERM'],
  logger: sdkLogger(logger, config.logLevel),
  ...(telemetryOptions && { telemetryOptions }),
});

// Before anything that could start a span; undefined (nothing installed) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = startTracing(config.tracing, 'storefront-sync-worker');
const database = openDatabase({ uri: mongoUri(config), database: config.mongo.database });
const observability = await startWorkerObservability({ config, db: database.db, logger });
try {
  await ensureIndexes(database.db);
  const connection = await connectWorkerToTemporal(config);
  await registerSearchAttributes(connection, config.temporal.namespace, logger);
  // A client of its own for what activities start (the sweep starts OrderToCash) and for the tenants' schedules.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config.temporal, temporalAddress(config.temporal)));
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter: productDataConverter(config),
    ...(tracing && { interceptors: tracing.clientInterceptors }),
  });
  const temporal = { client, taskQueue: config.temporal.taskQueue };
  const cipher = new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId);
  const workers = await new InstallationMembers(database.db, { role: 'worker' }).start();
  const connections = new TenantConnections({
    db: database.db,
    cipher,
    connectors: new ConnectorClients({
      ...config.connectors,
      endpoints: new VendorEndpoints(config.vendorEndpoints),
      intacctTransactionCounter: observability.intacctUsage,
      // Intacct's per-company limit holds for every worker and API process together, not per process.
      installationConcurrency: new InstallationLeases(database.db),
      // Each worker spaces a store's requests for its share of the quota: the workers together stay within it.
      storeQuotaShare: () => workers.share(),
      onStoreQuotaWait: (wait) =>
        observability.metrics.storefrontQuotaWait.observe({ storefront: wait.storefront, tenant: wait.tenantId }, wait.waitedMs / 1000),
    }),
  });
  const worker = await createProductWorker({
    config,
    connection,
    activities: createActivities({
      db: database.db,
      connections,
      temporal,
      attentionEvents: observability.attentionEvents,
      guestMappingKeys: new GuestMappingKeys(config.guestMappingKeys),
    }),
    metrics: observability.metrics,
    tracing,
  });
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  // Alongside the worker, not before it: a schedule that cannot be written now is written when the tenant's settings next change.
  const schedules = Promise.all(
    tenantSchedules.map((schedule) =>
      ensureTenantScheduleForEveryTenant(schedule, client, database.db, config.temporal.taskQueue).then(
        (result) => {
          logger.info({ ensured: result.ensured }, `${schedule.name} schedules ensured`);
          for (const failure of result.failed)
            logger.warn({ tenantId: failure.tenantId, error: failure.error }, `could not ensure the tenant's ${schedule.name} schedule`);
        },
        (error: unknown) => logger.warn({ err: error }, `could not ensure the ${schedule.name} schedules; the worker runs on`),
      ),
    ),
  );
  const housekeeping = startHousekeeping({ db: database.db, logger });
  const scheduleWatch = startScheduleWatch({ client, db: database.db, logger });
  const alertChannels = new AlertChannels({ smtp: config.alerts.smtp, webhooks: new AlertWebhookEndpoints(config.alerts.webhooks) });
  const alertSender = startAlertSender({
    db: database.db,
    channels: alertChannels,
    cipher,
    publicBaseUrl: config.alerts.publicBaseUrl,
    maxAttempts: config.alerts.maxAttempts,
    logger,
  });
  // Resolves once a shutdown signal has drained in-flight tasks (Runtime handles the signals).
  await worker.run();
  await housekeeping.stop();
  await workers.stop();
  await scheduleWatch.stop();
  await alertSender.stop();
  alertChannels.close();
  await schedules;
  await Promise.allSettled([connection.close(), clientConnection.close()]);
  logger.info('worker stopped');
} catch (error) {
  logger.fatal({ err: error }, 'worker failed');
  process.exitCode = 1;
} finally {
  await observability.stop();
  await tracing?.shutdown();
  await database.close();
}
