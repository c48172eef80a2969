import type { Db } from 'mongodb';
import type { Logger } from '../config/logger.js';
import { ownInventoryWriteWindowMs, sweepOwnInventoryWrites } from '../store/own-inventory-writes.js';
import { sweepWebhookDeliveries } from '../store/webhook-deliveries.js';

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

/**
 * Runs {@link runHousekeepingPass} now and then every `everyMs` (a pass never overlaps the
 * next). A failed pass is logged and the next one tries again: expiry is never urgent.
 * Every worker process runs it; passes from several at once only delete the same documents.
 */
export function startHousekeeping(options: { db: Db; logger: Logger; everyMs?: number }): { stop(): Promise<void> } {
  const everyMs = options.everyMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const pass = () => {
    current = runHousekeepingPass(options.db).then(
      (result) => {
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
