import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../config/index.js';
import { InstallationLeases } from '../../../store/installation-leases.js';
import { InstallationMembers } from '../../../store/installation-members.js';
import { eventually } from '../../support/eventually.js';
import { openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';

const config = testConfig();
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await openTestDatabase(config);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
});

/** A lease-holder process of its own (`lease-holder.ts`); resolves with everything it printed once it exits. */
function leaseHolder(environment: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/integration/store/lease-holder.ts')], {
    cwd: projectRoot,
    env: { ...process.env, MONGODB_URI: config.mongo.uri!, LEASE_DATABASE: config.mongo.database, ...environment },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

describe('installation leases: limits shared by every process through MongoDB', () => {
  it('when the process holding every slot is killed then the slots come back once its leases run out, and not before', async () => {
    const key = uniqueId('company');
    const holder = leaseHolder({ LEASE_MODE: 'hold-forever', LEASE_KEY: key, LEASE_LIMIT: '2', LEASE_MS: '1500' });
    await eventually(() => Promise.resolve(holder.output().includes('held')), {
      what: 'the other process to hold both slots',
      timeoutMs: 30_000,
    });
    const leases = new InstallationLeases(database.db, { leaseMs: 1_500 });
    expect(await leases.tryAcquire(key, 2)).toBeUndefined();

    holder.child.kill('SIGKILL');
    expect(await holder.exited).toBeNull();
    // Nothing released them: right after the kill both slots are still taken.
    expect(await leases.tryAcquire(key, 2)).toBeUndefined();
    const taken = await leases.hold(key, 2, () => leases.hold(key, 2, () => Promise.resolve('both slots')));
    expect(taken).toBe('both slots');
  });

  it('when two processes share a limit of two then never more than two of their calls run at once, and two do', async () => {
    const key = uniqueId('company');
    const run = { LEASE_MODE: 'work', LEASE_KEY: key, LEASE_LIMIT: '2', LEASE_MS: '10000', LEASE_COUNT: '25', LEASE_PARALLEL: '4' };
    const first = leaseHolder(run);
    const second = leaseHolder(run);
    expect(await first.exited).toBe(0);
    expect(await second.exited).toBe(0);
    const calls = [first.output(), second.output()].flatMap(
      (output) => (JSON.parse(output.trim()) as { calls: Array<[number, number]> }).calls,
    );
    expect(calls).toHaveLength(50);
    // The most calls running at one moment, over both processes: +1 at each start, −1 at each end (ends first at a tie).
    const events = calls.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, change] of events) most = Math.max(most, (running += change));
    expect(most).toBe(2);
  });

  it('when a holder releases its slot then the next caller takes it at once', async () => {
    const leases = new InstallationLeases(database.db, { leaseMs: 60_000 });
    const key = uniqueId('store');
    const lease = await leases.tryAcquire(key, 1);
    expect(lease).toBeDefined();
    expect(await leases.tryAcquire(key, 1)).toBeUndefined();
    await leases.release(lease!);
    expect(await leases.tryAcquire(key, 1)).toBeDefined();
  });

  it('when a second worker joins then each takes half of a store quota, and when it is killed its half comes back once its membership runs out', async () => {
    const role = uniqueId('worker');
    const here = await new InstallationMembers(database.db, { role, leaseMs: 1_500, renewEveryMs: 200 }).start();
    try {
      expect(here.share()).toBe(1);
      const other = leaseHolder({ LEASE_MODE: 'member', LEASE_KEY: role, LEASE_LIMIT: '1', LEASE_MS: '1500' });
      await eventually(() => Promise.resolve(here.count() === 2), { what: 'the other worker to be counted', timeoutMs: 30_000 });
      expect(here.share()).toBe(0.5);
      other.child.kill('SIGKILL');
      await other.exited;
      await eventually(() => Promise.resolve(here.count() === 1), { what: 'the killed worker to stop counting', timeoutMs: 30_000 });
      expect(here.share()).toBe(1);
    } finally {
      await here.stop();
    }
  });
});
