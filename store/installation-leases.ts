import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key.js';

/** One slot of a shared limit, held by one process until it releases it or its lease runs out. */
interface LeaseDocument {
  /** `{key}#{slot}`: the slot's number makes the unique `_id` the arbiter of who holds it. */
  _id: string;
  /** The holding process and call (a fresh id per hold), so only its holder renews or releases it. */
  holder: string;
  expiresAt: Date;
}

export interface InstallationLeasesOptions {
  /** How long a lease lasts unless renewed: how soon a killed process's slot comes back. Default 30 s. */
  leaseMs?: number;
  /** How often a waiting caller tries again. Default 50 ms (with up to as much again of jitter). */
  pollMs?: number;
  now?: () => number;
}

/**
 * Concurrency limits shared by every process of the installation (workers and APIs alike),
 * kept as leases in MongoDB: a limit of `n` on a key is `n` slot documents, and a caller holds
 * one while its work runs. Taking a slot is inserting its document: a slot held by someone else
 * makes the insert a duplicate-key error, so the unique `_id` decides between processes without
 * transactions (FerretDB has none, and its filtered updates are not atomic). A held lease is renewed
 * every third of its length; when its process dies, nobody renews it, and after `leaseMs` the
 * slot is free again: a killed worker's share comes back by itself.
 *
 * Why leases in the database rather than Temporal task queues with server-side rate limits: the
 * limits are on HTTP requests in flight (Intacct: two per company) and per store, not on activity
 * starts per second; one activity sends several requests, and a task queue per company or store
 * would make every worker poll a queue per tenant. The database is already shared by every
 * process; a lease costs two writes per limited request.
 */
export class InstallationLeases {
  private readonly leases: Collection<LeaseDocument>;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(db: Db, options: InstallationLeasesOptions = {}) {
    this.leases = db.collection<LeaseDocument>('installation_leases');
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 50;
    this.now = options.now ?? Date.now;
  }

  /** Runs `work` while holding one of the `limit` slots of `key`, waiting for one as long as it takes. */
  async hold<T>(key: string, limit: number, work: () => Promise<T>): Promise<T> {
    const lease = await this.acquire(key, limit);
    const renewal = setInterval(() => void this.renew(lease).catch(() => undefined), Math.max(1, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.leases.deleteOne({ _id: lease.slotId, holder: lease.holder }).catch(() => undefined);
    }
  }

  /** One of the `limit` slots of `key` if one is free now (the lease is the caller's to release), else undefined. */
  async tryAcquire(key: string, limit: number): Promise<{ slotId: string; holder: string } | undefined> {
    const holder = randomUUID();
    // Start at a random slot so that callers do not all fight over slot 0.
    const first = Math.floor(Math.random() * limit);
    for (let index = 0; index < limit; index += 1) {
      const slotId = `${key}#${(first + index) % limit}`;
      if ((await this.insert(slotId, holder)) || ((await this.clearIfExpired(slotId)) && (await this.insert(slotId, holder))))
        return { slotId, holder };
    }
    return undefined;
  }

  /**
   * Taking a slot is an insert only: the unique `_id` is the one thing FerretDB (whose filtered
   * updates read, then write) and MongoDB both decide atomically between processes.
   */
  private async insert(slotId: string, holder: string): Promise<boolean> {
    try {
      await this.leases.insertOne({ _id: slotId, holder, expiresAt: new Date(this.now() + this.leaseMs) });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Removes the slot's lease when it has run out (its holder died); true when the slot may be free now. */
  private async clearIfExpired(slotId: string): Promise<boolean> {
    const lease = await this.leases.findOne({ _id: slotId });
    if (lease === null) return true;
    if (lease.expiresAt.getTime() > this.now()) return false;
    // By the holder seen expired, so a lease someone has taken since is left alone.
    await this.leases.deleteOne({ _id: slotId, holder: lease.holder });
    return true;
  }

  /** Gives a slot back before its lease runs out. */
  async release(lease: { slotId: string; holder: string }): Promise<void> {
    await this.leases.deleteOne({ _id: lease.slotId, holder: lease.holder });
  }

  private async acquire(key: string, limit: number): Promise<{ slotId: string; holder: string }> {
    for (;;) {
      const lease = await this.tryAcquire(key, limit);
      if (lease !== undefined) return lease;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs + Math.random() * this.pollMs));
    }
  }

  private async renew(lease: { slotId: string; holder: string }): Promise<void> {
    await this.leases.updateOne({ _id: lease.slotId, holder: lease.holder }, { $set: { expiresAt: new Date(this.now() + this.leaseMs) } });
  }
}
