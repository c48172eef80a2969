import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../config/logger.js';
import { mongoUri } from '../config/mongo.js';
import { createActivities } from '../activities/index.js';
import { TenantConnections } from '../activities/tenant-connections.js';
import { CredentialCipher } from '../store/credential-cipher.js';
import { ensureIndexes, openDatabase } from '../store/database.js';
import { registerSearchAttributes } from './search-attributes.js';
import { connectWorkerToTemporal, createProductWorker } from './worker.js';

// Composition root of the worker process: config read once, dependencies built and passed down.
const config = loadConfig();
const logger = createLogger(config, 'worker');

// The SDK's own log lines go through the same JSON logger; its INFO chatter (bundle sizes,
// state changes) is kept out unless LOG_LEVEL asks for debug.
const sdkLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
Runtime.install({
  shutdownSignals: ['SIGINT', 'SIGTERM'],
  logger: new DefaultLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN', (entry) => {
    logger[sdkLevels[entry.level]]({ sdk: entry.meta }, entry.message);
  }),
});

const database = openDatabase({ uri: mongoUri(config), database: config.mongo.database });
try {
  await ensureIndexes(database.db);
  const connection = await connectWorkerToTemporal(config);
  await registerSearchAttributes(connection, config.temporal.namespace, logger);
  const worker = await createProductWorker({ config, connection, activities: createActivities({ db: database.db, connections: new TenantConnections({ db: database.db, cipher: new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId) }) }) });
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  // Resolves once a shutdown signal has drained in-flight tasks (Runtime handles the signals).
  await worker.run();
  await connection.close();
  logger.info('worker stopped');
} catch (error) {
  logger.fatal({ err: error }, 'worker failed');
  process.exitCode = 1;
} finally {
  await database.close();
}
