import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { TenantConnections } from '../../activities/tenant-connections.js';
import { CredentialCipher } from '../../store/credential-cipher.js';
import { loadConfig, type Config } from '../../config/index.js';
import { productDataConverter } from '../../config/payload-encryption.js';
import { sandboxDataConverter } from './test-worker.js';
import { ensureIndexes, openDatabase, type Database } from '../../store/database.js';
import { connectWorkerToTemporal, createProductWorker } from '../../workers/worker.js';
import { ConnectorClients } from '../../connectors/clients.js';
import { sandboxEndpoints } from './vendor-endpoints.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

/** A short unique id, so tests never share workflow ids, task queues or databases. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * The product's configuration pointed at the run's servers, with a task queue and database
 * of its own.
 */
export function testConfig(environment: Record<string, string> = {}): Config {
  return loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: inject('mongoUri'),
    TEMPORAL_TASK_QUEUE: uniqueId('test-queue'),
    MONGODB_DATABASE: uniqueId('test').replaceAll('-', '_'),
    LOG_LEVEL: 'silent',
    ...environment,
  });
}

/** A database of the test's own on the run's FerretDB, indexes created; dropped by `drop()`. */
export async function openTestDatabase(config: Config): Promise<Database & { drop(): Promise<void> }> {
  const database = openDatabase({ uri: config.mongo.uri!, database: config.mongo.database, serverSelectionTimeoutMs: 5_000 });
  await ensureIndexes(database.db);
  return {
    ...database,
    async drop() {
      await database.db.dropDatabase();
      await database.close();
    },
  };
}

/** A Temporal client on the run's dev server, encrypting payloads as the product does. */
export async function connectTestClient(config: Config): Promise<Client & { close(): Promise<void> }> {
  const connection = await Connection.connect({ address: config.temporal.address! });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: productDataConverter(config) });
  return Object.assign(client, { close: () => connection.close() });
}

/** Runs `body` while the product's worker (real activities over `database`) polls the test's queue. */
export async function withProductWorker<T>(
  config: Config,
  database: Database,
  body: () => Promise<T>,
  overrides: Partial<WorkerOptions> = {},
): Promise<T> {
  const connection = await connectWorkerToTemporal(config);
  try {
    const worker = await createProductWorker({
      config,
      connection,
      activities: createActivities({
        db: database.db,
        connections: new TenantConnections({
          db: database.db,
          cipher: new CredentialCipher(config.credentials.keys, config.credentials.activeKeyId),
          connectors: new ConnectorClients({ endpoints: sandboxEndpoints({}) }),
        }),
      }),
      overrides,
    });
    return await worker.runUntil(body);
  } finally {
    await connection.close();
  }
}

/**
 * The time-skipping test server from the provisioned binary (never a download), for tests of
 * timers and timeouts. It has no Schedules or visibility: test those on the dev server.
 */
export function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
    client: { dataConverter: sandboxDataConverter() },
  });
}

/**
 * The time-skipping server, told the product's search attributes first: it knows no custom ones
 * until told, as a cluster's operator would, and the product's workflows set them.
 */
export async function createTimeSkippingEnvironmentWithSearchAttributes(): Promise<TestWorkflowEnvironment> {
  const env = await createTimeSkippingEnvironment();
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.keys(searchAttributeRegistrations).map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return env;
}
