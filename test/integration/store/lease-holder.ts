/**
 * A process of its own that takes installation leases, for installation-leases.test.ts:
 *
 *   LEASE_MODE=hold-forever  takes every slot of LEASE_KEY and holds them (renewing) until killed
 *   LEASE_MODE=work          runs LEASE_COUNT short holds, LEASE_PARALLEL at a time, counting in
 *                            the database how many run at once; prints {"maxInFlight": n} at the end
 */
import { setTimeout as delay } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { InstallationLeases } from '../../../store/installation-leases.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const mongo = await MongoClient.connect(env('MONGODB_URI'));
const db = mongo.db(env('LEASE_DATABASE'));
const leases = new InstallationLeases(db, { leaseMs: Number(env('LEASE_MS')), pollMs: 10 });
const key = env('LEASE_KEY');
const limit = Number(env('LEASE_LIMIT'));

if (env('LEASE_MODE') === 'hold-forever') {
  let held = 0;
  for (let slot = 0; slot < limit; slot += 1)
    void leases.hold(key, limit, () => {
      held += 1;
      if (held === limit) process.stdout.write('held\n');
      return new Promise<never>(() => undefined);
    });
} else {
  const counter = db.collection<{ _id: string; inFlight: number }>('lease_test_counters');
  let next = 0;
  let maxInFlight = 0;
  const count = Number(env('LEASE_COUNT'));
  const runner = async () => {
    while (next < count) {
      next += 1;
      await leases.hold(key, limit, async () => {
        const now = await counter.findOneAndUpdate({ _id: key }, { $inc: { inFlight: 1 } }, { returnDocument: 'after' });
        maxInFlight = Math.max(maxInFlight, now?.inFlight ?? 0);
        await delay(15);
        await counter.updateOne({ _id: key }, { $inc: { inFlight: -1 } });
      });
    }
  };
  await Promise.all(Array.from({ length: Number(env('LEASE_PARALLEL')) }, runner));
  process.stdout.write(`${JSON.stringify({ maxInFlight })}\n`);
  await mongo.close();
}
