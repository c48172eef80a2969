import type { Config } from './index.js';

/**
 * The driver's connections per process to the local FerretDB: a cap on the commands each
 * process has in flight there. FerretDB 1.24 gives each database 100 SQLite connections (and,
 * on PostgreSQL, the pool of 100 `startEmbeddedPostgres` sets), and an update or find-and-modify
 * holds one for its read while it waits for another for its write; 100 such commands in flight at
 * once wait on each other for good (measured: 300 concurrent `_id` updates deadlocked it; see
 * store/update-statements.ts). The driver's default is 100 per process. 12 keeps up to eight
 * processes (three workers, two APIs, a harness) below 100 together; the single SQLite writer
 * gains nothing from more.
 */
export const ferretDbMaxPoolSize = 12;

/** The URI of a FerretDB this project started on `port`, with its connection cap. */
export function localFerretDbUri(port: number): string {
  return `mongodb://127.0.0.1:${port}/?maxPoolSize=${ferretDbMaxPoolSize}`;
}

/** Where the product's processes find MongoDB: the configured URI or the local FerretDB. */
export function mongoUri(config: Pick<Config, 'mongo'>): string {
  return config.mongo.uri ?? localFerretDbUri(config.mongo.localPort);
}
