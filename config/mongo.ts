import type { Config } from './index.js';

/** Where the product's processes find MongoDB: the configured URI or the local FerretDB. */
export function mongoUri(config: Pick<Config, 'mongo'>): string {
  return config.mongo.uri ?? `mongodb://127.0.0.1:${config.mongo.localPort}/`;
}
