/**
 * A process of its own that takes installation leases, for installation-leases.test.ts:
 *
 *   LEASE_MODE=hold-forever  takes every slot of LEASE_KEY and holds them (renewing) until killed
 *   LEASE_MODE=member        joins the LEASE_KEY role of installation members and stays until killed
 *   LEASE_MODE=work          runs LEASE_COUNT short holds, LEASE_PARALLEL at a time, and prints
 *                            {"calls": [[start, end], ...]} (epoch ms) at the end
 */
import { setTimeout as delay } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { InstallationLeases } from '../../../store/installation-leases.js';
import { InstallationMembers } from '../../../store/installation-members.js';

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

if (env('LEASE_MODE') === 'member') {
  await new InstallationMembers(db, { role: key, leaseMs: Number(env('LEASE_MS')), renewEveryMs: 200 }).start();
  process.stdout.write('joined\n');
  setInterval(() => undefined, 60_000);
} else if (env('LEASE_MODE') === 'hold-forever') {
  let held = 0;
  for (let slot = 0; slot < limit; slot += 1)
    void leases.hold(key, limit, () => {
      held += 1;
      if (held === limit) process.stdout.write('held\n');
      return new Promise<never>(() => undefined);
    });
} else {
  // Each call's start and end on this machine's clock, for the test to count overlaps across processes.
  const calls: Array<[number, number]> = [];
  let next = 0;
  const count = Number(env('LEASE_COUNT'));
  const runner = async () => {
    while (next < count) {
      next += 1;
      await leases.hold(key, limit, async () => {
        const start = performance.timeOrigin + performance.now();
        await delay(15);
        calls.push([start, performance.timeOrigin + performance.now()]);
      });
    }
  };
  await Promise.all(Array.from({ length: Number(env('LEASE_PARALLEL')) }, runner));
  process.stdout.write(`${JSON.stringify({ calls })}\n`);
  await mongo.close();
}
