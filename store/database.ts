import { MongoClient, type Db } from 'mongodb';
import { ensureAlertOutboxIndexes } from './alert-outbox.js';
import { ensureApiKeyIndexes } from './api-keys.js';
import { ensureAttentionIndexes } from './attention.js';
import { ensureAuditIndexes } from './audit-log.js';
import { ensureConsoleSessionIndexes } from './console-sessions.js';
import { ensureInventoryReportIndexes } from './inventory-reports.js';
import { ensureIntacctUsageIndexes } from './intacct-usage.js';
import { ensureSuggestionRejectionIndexes } from './suggestion-rejections.js';
import { ensureLedgerIndexes } from './ledger.js';
import { ensureMappingIndexes } from './mappings.js';
import { ensureOwnInventoryWriteIndexes } from './own-inventory-writes.js';
import { ensurePayoutPostingIndexes } from './payout-postings.js';
import { ensurePeriodReportIndexes } from './period-reports.js';
import { ensureProcessorEventIndexes } from './processor-events.js';
import { ensureProcessorPayoutIndexes } from './processor-payouts.js';
import { ensureSelfCheckIndexes } from './self-checks.js';
import { ensureSettingsIndexes } from './settings.js';
import { ensureSettlementMappingIndexes } from './settlement-mappings.js';
import { ensureTenantIndexes } from './tenants.js';
import { ensureWebhookDeadLetterIndexes } from './webhook-dead-letters.js';
import { ensureWebhookDeliveryIndexes } from './webhook-deliveries.js';

export interface Database {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  uri: string;
  database: string;
  /** How long an operation waits for a reachable server before it fails. */
  serverSelectionTimeoutMs?: number;
  /** How long a command's answer is waited for before its connection is closed and it fails. None by default. */
  socketTimeoutMs?: number;
  /** How long an operation waits for one of the pool's connections before it fails. None by default. */
  waitQueueTimeoutMs?: number;
}

/**
 * Connects lazily: the driver connects on first use, so a process can start (and report
 * itself not ready) while MongoDB is still coming up.
 */
export function openDatabase(options: DatabaseOptions): Database {
  const client = new MongoClient(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    ...(options.socketTimeoutMs !== undefined && { socketTimeoutMS: options.socketTimeoutMs }),
    ...(options.waitQueueTimeoutMs !== undefined && { waitQueueTimeoutMS: options.waitQueueTimeoutMs }),
    appName: 'storefront-sync',
  });
  return { client, db: client.db(options.database), close: () => client.close() };
}

/**
 * Creates every index the product relies on. Idempotent, run at start-up by each process
 * that writes. Only index kinds FerretDB also serves (plain and unique; no TTL, partial or
 * sparse indexes).
 */
export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([
    ensureSelfCheckIndexes(db),
    ensureTenantIndexes(db),
    ensureSettingsIndexes(db),
    ensureMappingIndexes(db),
    ensureSuggestionRejectionIndexes(db),
    ensureLedgerIndexes(db),
    ensureAttentionIndexes(db),
    ensureAlertOutboxIndexes(db),
    ensureWebhookDeliveryIndexes(db),
    ensureWebhookDeadLetterIndexes(db),
    ensureApiKeyIndexes(db),
    ensureAuditIndexes(db),
    ensureOwnInventoryWriteIndexes(db),
    ensureInventoryReportIndexes(db),
    ensureProcessorEventIndexes(db),
    ensureIntacctUsageIndexes(db),
    ensureProcessorPayoutIndexes(db),
    ensurePayoutPostingIndexes(db),
    ensurePeriodReportIndexes(db),
    ensureSettlementMappingIndexes(db),
    ensureConsoleSessionIndexes(db),
  ]);
}

/** True when the server answers `ping` within the timeout. */
export async function databaseIsReachable(db: Db): Promise<boolean> {
  try {
    await db.command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
