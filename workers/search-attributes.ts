import type { NativeConnection } from '@temporalio/worker';
import type { Logger } from '../config/logger.js';
import { searchAttributeRegistrations } from '../workflows/search-attributes.js';

/**
 * Registers the product's search attributes on a server the project did not start (the local
 * dev server gets them as start-up flags). Idempotent. Temporal Cloud refuses this call — its
 * attributes are added in the Cloud UI or with tcld — so a refusal is logged, not fatal.
 */
export async function registerSearchAttributes(connection: NativeConnection, namespace: string, logger: Logger): Promise<void> {
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.keys(searchAttributeRegistrations).filter((name) => !known.has(name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, 2 /* INDEXED_VALUE_TYPE_KEYWORD */])),
    });
    logger.info({ searchAttributes: missing }, 'registered search attributes');
  } catch (error) {
    logger.warn(
      { err: error, searchAttributes: Object.keys(searchAttributeRegistrations) },
      'could not register search attributes; add them on the server',
    );
  }
}
