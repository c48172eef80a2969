import type { Db } from 'mongodb';
import type { Logger } from '../config/logger.js';
import { ownInventoryWriteWindowMs, sweepOwnInventoryWrites } from '../store/own-inventory-writes.js';
import { sweepWebhookDeliveries } from '../store/webhook-deliveries.js';
import { purgeExpiredPersonalData, type RetentionPurge } from '../store/personal-data.js';
import { defaultPersonalDataRetentionDays } from '../store/schemas/settings-privacy.js';
import { readSettings } from '../store/settings.js';
import { listTenants } from '../store/tenants.js';

/**
 * How long a webhook delivery is remembered for deduplication: longer than any storefront
 * retries one (BigCommerce about two days, Clarity one), so a late redelivery is still known.
 * Past that, the workflow id (a business key) still keeps a redelivery from doing anything twice.
 */
export const webhookDeliveryRetentionMs = 7 * 24 * 3_600_000;

export interface HousekeepingPass {
  webhookDeliveries: number;
  ownInventoryWrites: number;
}

/**
 * One pass of the expiry MongoDB would do with TTL indexes, which FerretDB lacks: forgets
 * webhook deliveries past their retention and our own inventory pushes past the window in
 * which their webhooks arrive. Keeping `own_inventory_writes` small matters: every inventory
 * webhook looks it up, and FerretDB's SQLite backend reads it by scanning.
 */
export async function runHousekeepingPass(db: Db, now = new Date()): Promise<HousekeepingPass> {
  const ownInventoryWrites = await sweepOwnInventoryWrites(db, new Date(now.getTime() - ownInventoryWriteWindowMs - 60_000));
  const webhookDeliveries = await sweepWebhookDeliveries(db, new Date(now.getTime() - webhookDeliveryRetentionMs));
  return { webhookDeliveries, ownInventoryWrites };
}

/** How often the personal-data retention runs: retention is counted in days, an hour late is nothing. */
export const retentionEveryMs = 3_600_000;

/** Applies every tenant's personal-data retention (settings `privacy.retentionDays`); what each removed, by tenant. */
export async function runRetentionPass(db: Db, now = new Date()): Promise<Record<string, RetentionPurge>> {
  const purged: Record<string, RetentionPurge> = {};
  for (const tenant of await listTenants(db)) {
    const settings = await readSettings(db, tenant._id);
    const days = settings?.settings.privacy?.retentionDays ?? defaultPersonalDataRetentionDays;
    purged[tenant._id] = await purgeExpiredPersonalData(db, tenant._id, days, now);
  }
  return purged;
}

/**
 * Runs {@link runHousekeepingPass} now and then every `everyMs` (a pass never overlaps the
 * next), and the tenants' personal-data retention hourly. A failed pass is logged and the next
 * one tries again: expiry is never urgent.
 * Every worker process runs it; passes from several at once only delete the same documents.
 */
export function startHousekeeping(options: { db: Db; logger: Logger; everyMs?: number }): { stop(): Promise<void> } {
  const everyMs = options.everyMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let retentionDueAt = 0;
  const retention = async () => {
    if (Date.now() < retentionDueAt) return;
    retentionDueAt = Date.now() + retentionEveryMs;
    const purged = await runRetentionPass(options.db);
    const removed = Object.values(purged).reduce(
      (sum, pass) => sum + pass.attentionItems + pass.ledgerEntries + pass.alerts + pass.deadLetters,
      0,
    );
    if (removed > 0) options.logger.info({ retention: purged }, 'personal data past its retention removed');
  };
  const pass = () => {
    current = Promise.all([runHousekeepingPass(options.db), retention()]).then(
      ([result]) => {
        if (result.webhookDeliveries + result.ownInventoryWrites > 0)
          options.logger.debug({ housekeeping: result }, 'expired records removed');
      },
      (error: unknown) => options.logger.warn({ err: error }, 'housekeeping pass failed; the next one tries again'),
    );
    void current.then(() => {
      if (!stopped) timer = setTimeout(pass, everyMs);
    });
  };
  pass();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
