import type { Db } from 'mongodb';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { ActivityDependencies } from '../../activities/dependencies.js';
import { heartbeating, withHeartbeats } from '../../activities/heartbeats.js';
import { createActivities } from '../../activities/index.js';
import type { TenantConnections } from '../../activities/tenant-connections.js';

const environment = (info: ConstructorParameters<typeof MockActivityEnvironment>[0]) => {
  const mock = new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  mock.on('heartbeat', (details: unknown) => heartbeats.push(details));
  return { mock, heartbeats };
};

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('activity heartbeats while a call waits', () => {
  it('when the activity has a heartbeat timeout, then it heartbeats several times per timeout until it settles, and no more after', async () => {
    const { mock, heartbeats } = environment({ heartbeatTimeoutMs: 300 });
    const result = await mock.run(
      withHeartbeats(async (orderId: string) => {
        await wait(450);
        return `done ${orderId}`;
      }),
      '100',
    );
    expect(result).toBe('done 100');
    // One every 100 ms over 450 ms.
    expect(heartbeats.length).toBeGreaterThanOrEqual(3);
    expect(heartbeats.every((details) => details === undefined)).toBe(true);
    const settled = heartbeats.length;
    await wait(250);
    expect(heartbeats).toHaveLength(settled);
  });

  it('when the activity fails, then its error leaves unchanged and the heartbeats stop', async () => {
    const { mock, heartbeats } = environment({ heartbeatTimeoutMs: 150 });
    const refused = new Error('store busy');
    await expect(
      mock.run(
        withHeartbeats(async () => {
          await wait(200);
          throw refused;
        }),
      ),
    ).rejects.toBe(refused);
    const settled = heartbeats.length;
    expect(settled).toBeGreaterThanOrEqual(1);
    await wait(150);
    expect(heartbeats).toHaveLength(settled);
  });

  it('when the activity has no heartbeat timeout, then it never heartbeats', async () => {
    const { mock, heartbeats } = environment({ heartbeatTimeoutMs: undefined });
    await mock.run(withHeartbeats(() => wait(200)));
    expect(heartbeats).toEqual([]);
  });

  it('when it runs outside an activity, then it runs as it is', async () => {
    expect(await withHeartbeats((a: number, b: number) => Promise.resolve(a + b))(2, 3)).toBe(5);
  });

  it('when a set of activities is wrapped, then each keeps its name and answers', async () => {
    const activities = heartbeating({ one: () => Promise.resolve(1), two: (value: string) => Promise.resolve(value) });
    expect(Object.keys(activities)).toEqual(['one', 'two']);
    expect(await activities.one()).toBe(1);
    expect(await activities.two('x')).toBe('x');
  });
});

describe('which registered activities heartbeat', () => {
  /** Dependencies whose first call takes `ms` and then fails, so each activity waits there as it would for a vendor's quota. */
  function slowDependencies(ms: number): ActivityDependencies {
    const slowly = () => wait(ms).then(() => Promise.reject(new Error('unreachable in this test')));
    return {
      db: {} as Db,
      connections: { forTenant: slowly } as unknown as TenantConnections,
      temporal: { client: { workflow: { start: slowly } } as never, taskQueue: 'test' },
    };
  }

  it.each([
    ['writeBackToStorefront', { tenantId: 't', storefront: 'bigcommerce', orderId: '1', state: 'synced', salesDocumentId: 'SO-1' }],
    ['fetchStorefrontOrder', { tenantId: 't', storefront: 'bigcommerce', orderId: '1' }],
    ['fetchStorefrontRefund', { tenantId: 't', storefront: 'bigcommerce', orderId: '1', refundId: '7' }],
    ['pushInventoryBatch', { tenantId: 't', idempotencyKey: 'k', levels: [{ sku: 'A', quantity: 1 }] }],
    ['readIntacctStockPage', { tenantId: 't', cursor: 'A' }],
  ])('when %s (a vendor call) waits with a heartbeat timeout, then it heartbeats', async (name, input) => {
    const activities = createActivities(slowDependencies(400)) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    const { mock, heartbeats } = environment({ heartbeatTimeoutMs: 300 });
    await expect(mock.run(activities[name]!, input)).rejects.toThrow('unreachable in this test');
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
  });

  it.each([['startOrderToCash', { tenantId: 't', storefront: 'bigcommerce', orderIds: ['1'] }]])(
    'when %s (which resumes from the progress it heartbeats) waits, then nothing else heartbeats over its progress',
    async (name, input) => {
      const activities = createActivities(slowDependencies(400)) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
      const { mock, heartbeats } = environment({ heartbeatTimeoutMs: 300 });
      await mock.run(activities[name]!, input).catch(() => undefined);
      expect(heartbeats.filter((details) => details === undefined)).toEqual([]);
    },
  );
});
