import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { retryOnDuplicateKey } from './duplicate-key.js';

interface MemberDocument {
  /** `{role}:{random id}`: one per running process. */
  _id: string;
  role: string;
  expiresAt: Date;
}

export interface InstallationMembersOptions {
  /** Which processes count together (`worker`). */
  role: string;
  /** How long a membership lasts unless renewed: how soon a killed process's share goes to the others. Default 30 s. */
  leaseMs?: number;
  /** How often membership is renewed and the others counted. Default a third of `leaseMs`. */
  renewEveryMs?: number;
  now?: () => number;
}

/**
 * The running processes of one role, each holding a membership lease in MongoDB that it renews;
 * a process that dies stops renewing, and once its lease runs out it is no longer counted. Lets
 * a per-process limit be a fair share of an installation-wide one: with three workers, each
 * spaces a store's requests for a third of its quota, and when one is killed the other two take
 * half each within `leaseMs`.
 */
export class InstallationMembers {
  private readonly members: Collection<MemberDocument>;
  private readonly id: string;
  private readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private readonly now: () => number;
  private counted = 1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    db: Db,
    private readonly options: InstallationMembersOptions,
  ) {
    this.members = db.collection<MemberDocument>('installation_members');
    this.id = `${options.role}:${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.leaseMs / 3);
    this.now = options.now ?? Date.now;
  }

  /** Joins (and counts the others) now, then keeps renewing until `stop`. */
  async start(): Promise<this> {
    await this.renew();
    this.timer = setInterval(() => void this.renew().catch(() => undefined), this.renewEveryMs);
    this.timer.unref();
    return this;
  }

  /** Live processes of the role, this one included, as last counted. */
  count(): number {
    return this.counted;
  }

  /** This process's fair share of an installation-wide limit: one over the live processes. */
  share(): number {
    return 1 / this.counted;
  }

  /** Leaves at once, so the others' shares grow at their next count. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.members.deleteOne({ _id: this.id });
  }

  private async renew(): Promise<void> {
    const now = this.now();
    await retryOnDuplicateKey(() =>
      this.members.updateOne(
        { _id: this.id },
        { $set: { role: this.options.role, expiresAt: new Date(now + this.leaseMs) } },
        { upsert: true },
      ),
    );
    const live = await this.members.countDocuments({ role: this.options.role, expiresAt: { $gt: new Date(now) } });
    this.counted = Math.max(1, live);
    // Expired memberships of dead processes are swept by whoever counts.
    await this.members.deleteMany({ role: this.options.role, expiresAt: { $lte: new Date(now - this.leaseMs) } });
  }
}
