import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { ActivityDependencies } from '../../activities/dependencies.js';
import { createOrderDiscoveryActivities, toRfc2822 } from '../../activities/order-discovery.js';
import type { StartReturnToCreditMemoInput } from '../../workflows/order-sweep-contract.js';
import { parseRfc2822Date } from '../../connectors/bigcommerce/index.js';
import { returnToCreditMemoWorkflowId } from '../../workflows/return-to-credit-memo-contract.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';

describe('toRfc2822 (BigCommerce V2 date filters)', () => {
  it.each([
    ['2026-01-07T13:30:00.000Z', 'down', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.000Z', 'up', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.400Z', 'down', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.400Z', 'up', 'Wed, 07 Jan 2026 13:30:01 +0000'],
    ['2026-12-31T23:59:59.999Z', 'up', 'Fri, 01 Jan 2027 00:00:00 +0000'],
    ['2026-03-01T08:05:09+02:00', 'down', 'Sun, 01 Mar 2026 06:05:09 +0000'],
  ] as const)('when %s is a lower (down) or upper (up) bound, rounded %s, then it is written %j', (iso, round, expected) => {
    expect(toRfc2822(iso, round)).toBe(expected);
  });

  it('when the written date is read back as BigCommerce sends it then it is the same instant', () => {
    expect(parseRfc2822Date(toRfc2822('2026-11-23T22:00:46.000Z', 'down'))).toBe('2026-11-23T22:00:46.000Z');
  });

  it('when the input is not a date then it fails without retries', () => {
    expect(() => toRfc2822('yesterday', 'down')).toThrow(expect.objectContaining({ type: 'InvalidDate', nonRetryable: true }));
  });
});

type Filter = Record<string, unknown>;

/** Tenant connections over stand-in storefront clients that record what they were asked. */
function fakeDependencies(options: {
  storefront: StorefrontKind;
  returnsEnabled: boolean;
  bigCommerceRefunds?: Array<{ id: number; order_id: number }>;
  totalPages?: number;
  clarityReturns?: Array<{ returnId: string; orderId: string; updatedAt: string }>;
  clarityNextCursor?: string;
}) {
  const calls: Filter[] = [];
  const bigCommerceClient = {
    payments: {
      listRefunds: (filter: Filter) => {
        calls.push(filter);
        const data = options.bigCommerceRefunds ?? [];
        return Promise.resolve({
          data,
          pagination: {
            total: data.length,
            count: data.length,
            per_page: filter.limit,
            current_page: filter.page,
            total_pages: options.totalPages ?? 1,
          },
        });
      },
    },
  };
  const clarityClient = {
    listReturns: (query: Filter) => {
      calls.push(query);
      return Promise.resolve({
        items: options.clarityReturns ?? [],
        ...(options.clarityNextCursor !== undefined && { nextCursor: options.clarityNextCursor }),
      });
    },
  };
  const connections = {
    forTenant: () =>
      Promise.resolve({
        settings: { connection: { storefront: { kind: options.storefront } }, returns: { enabled: options.returnsEnabled } },
        storefront: () => {
          calls.push({ storefrontOpened: true });
          return Promise.resolve(
            options.storefront === 'bigcommerce'
              ? { kind: 'bigcommerce', storeHash: 'demostore', client: bigCommerceClient }
              : { kind: 'clarity', client: clarityClient },
          );
        },
      }),
  };
  return { deps: { db: {}, connections } as unknown as ActivityDependencies, calls };
}

describe('listChangedRefunds (the sweep finding refunds)', () => {
  const window = { tenantId: 'acme', since: '2026-01-07T13:30:00.000Z', until: '2026-01-07T14:30:00.000Z' };

  it('when the tenant does not process returns then nothing is asked of the storefront and no refund is listed', async () => {
    const { deps, calls } = fakeDependencies({
      storefront: 'bigcommerce',
      returnsEnabled: false,
      bigCommerceRefunds: [{ id: 1, order_id: 100 }],
    });
    expect(await createOrderDiscoveryActivities(deps).listChangedRefunds(window)).toEqual({
      storefront: 'bigcommerce',
      refunds: [],
      enabled: false,
    });
    expect(calls).toEqual([]);
  });

  it('when a BigCommerce window has refunds then they are listed by creation time with their orders, and the next page is offered while there is one', async () => {
    const { deps, calls } = fakeDependencies({
      storefront: 'bigcommerce',
      returnsEnabled: true,
      bigCommerceRefunds: [
        { id: 7, order_id: 120 },
        { id: 9, order_id: 121 },
      ],
      totalPages: 3,
    });
    const page = await createOrderDiscoveryActivities(deps, { bigCommercePageSize: 2 }).listChangedRefunds({ ...window, cursor: '2' });
    expect(page).toEqual({
      storefront: 'bigcommerce',
      refunds: [
        { refundId: '7', orderId: '120' },
        { refundId: '9', orderId: '121' },
      ],
      nextCursor: '3',
      enabled: true,
    });
    expect(calls).toContainEqual({ createdMin: window.since, createdMax: window.until, page: 2, limit: 2 });
  });

  it('when the BigCommerce page is the last one then no next page is offered', async () => {
    const { deps } = fakeDependencies({
      storefront: 'bigcommerce',
      returnsEnabled: true,
      bigCommerceRefunds: [{ id: 7, order_id: 120 }],
      totalPages: 1,
    });
    expect(await createOrderDiscoveryActivities(deps).listChangedRefunds(window)).toEqual({
      storefront: 'bigcommerce',
      refunds: [{ refundId: '7', orderId: '120' }],
      enabled: true,
    });
  });

  it('when a Clarity window is listed then only refunded returns are asked for, and the listing stops at the first return past the window', async () => {
    const { deps, calls } = fakeDependencies({
      storefront: 'clarity',
      returnsEnabled: true,
      clarityReturns: [
        { returnId: 'RMA-1', orderId: 'CO-1', updatedAt: '2026-01-07T14:00:00.000Z' },
        { returnId: 'RMA-2', orderId: 'CO-2', updatedAt: '2026-01-07T15:00:00.000Z' },
      ],
      clarityNextCursor: 'next',
    });
    const page = await createOrderDiscoveryActivities(deps, { clarityPageSize: 2 }).listChangedRefunds(window);
    expect(page).toEqual({ storefront: 'clarity', refunds: [{ refundId: 'RMA-1', orderId: 'CO-1' }], enabled: true });
    expect(calls).toContainEqual({ updatedSince: window.since, status: 'refunded', limit: 2 });
  });

  it('when every Clarity return of the page is in the window then the next page is offered', async () => {
    const { deps } = fakeDependencies({
      storefront: 'clarity',
      returnsEnabled: true,
      clarityReturns: [{ returnId: 'RMA-1', orderId: 'CO-1', updatedAt: '2026-01-07T14:00:00.000Z' }],
      clarityNextCursor: 'c2',
    });
    expect(await createOrderDiscoveryActivities(deps).listChangedRefunds({ ...window, cursor: 'c1' })).toMatchObject({
      refunds: [{ refundId: 'RMA-1', orderId: 'CO-1' }],
      nextCursor: 'c2',
    });
  });
});

describe('startReturnToCreditMemo (the sweep starting refunds)', () => {
  const activityEnvironment = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

  function fakeTemporal(running: Set<string>) {
    const starts: Array<{ workflowType: string; options: Record<string, unknown> }> = [];
    const client = {
      workflow: {
        start: (workflowType: string, options: { workflowId: string } & Record<string, unknown>) => {
          starts.push({ workflowType, options });
          if (running.has(options.workflowId))
            return Promise.reject(new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, workflowType));
          running.add(options.workflowId);
          return Promise.resolve({});
        },
      },
    };
    return { temporal: { client: client as unknown as Client, taskQueue: 'q' }, starts };
  }

  it('when refunds are found then each gets a ReturnToCreditMemo by its business id, a running one is counted and left alone', async () => {
    const { temporal, starts } = fakeTemporal(new Set([returnToCreditMemoWorkflowId('acme', '8')]));
    const { deps } = fakeDependencies({ storefront: 'bigcommerce', returnsEnabled: true });
    const activities = createOrderDiscoveryActivities({ ...deps, temporal });
    const input: StartReturnToCreditMemoInput = {
      tenantId: 'acme',
      storefront: 'bigcommerce',
      refunds: [
        { refundId: '7', orderId: '120' },
        { refundId: '8', orderId: '121' },
      ],
      trigger: 'sweep',
    };
    const result = await activityEnvironment().run(activities.startReturnToCreditMemo, input);
    expect(result).toEqual({ started: 1, alreadyRunning: 1 });
    expect(starts.map((start) => start.workflowType)).toEqual(['returnToCreditMemo', 'returnToCreditMemo']);
    expect(starts[0]!.options).toMatchObject({
      workflowId: 'return-to-credit-memo:acme:7',
      taskQueue: 'q',
      args: [{ tenantId: 'acme', storefront: 'bigcommerce', orderId: '120', refundId: '7', trigger: 'sweep' }],
      workflowIdConflictPolicy: 'FAIL',
      // Found by a sweep: bulk work, with the tenant as its fairness key.
      priority: { fairnessKey: 'acme', priorityKey: 4 },
    });
    expect(starts[0]!.options.typedSearchAttributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: '120' }), expect.objectContaining({ value: 'pending' })]),
    );
  });

  it('when the worker has no Temporal client then it fails without retries, naming the workflow', async () => {
    const { deps } = fakeDependencies({ storefront: 'clarity', returnsEnabled: true });
    const input: StartReturnToCreditMemoInput = {
      tenantId: 'acme',
      storefront: 'clarity',
      refunds: [{ refundId: 'RMA-1', orderId: 'CO-1' }],
      trigger: 'backfill',
    };
    await expect(activityEnvironment().run(createOrderDiscoveryActivities(deps).startReturnToCreditMemo, input)).rejects.toMatchObject({
      type: 'TemporalClientMissing',
      nonRetryable: true,
      message: expect.stringContaining('ReturnToCreditMemo'),
    });
  });
});
