import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSweepInput, OrderSweepResult } from '../../../workflows/order-sweep-contract.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { createTimeSkippingEnvironment, uniqueId } from '../../support/harness.js';
import { withTestWorker } from '../../support/test-worker.js';
import { replayRecordedHistories } from '../../support/replay.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { placeBigCommerceOrder } from '../returns/refund-e2e-support.js';
import { fromHistoryPayload } from '../../support/history-payloads.js';

const require = createRequire(import.meta.url);

interface StoreHook {
  id: number;
  scope: string;
  destination: string;
  is_active: boolean;
}

/**
 * The sweep's check of the storefront webhooks, end to end: the product's worker and API on the
 * dev server and FerretDB, the storefront sandboxes over HTTP. Hooks are switched off and
 * deleted through the stores' own APIs, as the stores (or someone in them) would.
 */
describe('the order sweep checks and repairs the storefront webhooks', () => {
  let stack: OrderToCashStack;

  beforeAll(async () => {
    stack = await startOrderToCashStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const sweep = (tenantId: string) => {
    const workflowId = uniqueId('sweep');
    return stack.client.workflow
      .execute<(input: OrderSweepInput) => Promise<OrderSweepResult>>('orderSweep', {
        workflowId,
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ tenantId }],
      })
      .then((result) => ({ workflowId, result }));
  };
  const tenantHooks = async (tenantId: string): Promise<StoreHook[]> => {
    const listed = await stack.bigCommerce('GET', '/v3/hooks?limit=250');
    expect(listed.status).toBe(200);
    return (listed.body.data as StoreHook[]).filter((hook) => hook.destination.endsWith(`/webhooks/bigcommerce/${tenantId}`));
  };
  const attention = async (tenantId: string, state: 'open' | 'resolved') => {
    const answer = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=tenant&state=${state}`);
    expect(answer.status).toBe(200);
    return answer.body.items as Array<Record<string, any>>;
  };

  it('when the store deactivated the tenant’s hooks then a sweep re-activates them and raises an attention item saying so; an order placed afterwards arrives by webhook, and the next sweep resolves the item', async () => {
    const tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
    const registered = await tenantHooks(tenantId);
    expect(registered).toHaveLength(16);
    for (const hook of registered) expect((await stack.bigCommerce('PUT', `/v3/hooks/${hook.id}`, { is_active: false })).status).toBe(200);

    const first = await sweep(tenantId);

    expect(first.result.webhooks).toEqual({
      checked: 16,
      reactivated: 16,
      missing: 0,
      disabled: 0,
      attention: 'storefront_webhooks_reactivated',
    });
    expect((await tenantHooks(tenantId)).map((hook) => hook.is_active)).toEqual(registered.map(() => true));
    const [item, ...others] = await attention(tenantId, 'open');
    expect(others).toEqual([]);
    expect(item).toMatchObject({
      entity: 'tenant',
      externalId: 'storefront-webhooks',
      state: 'open',
      code: 'storefront_webhooks_reactivated',
      workflowId: first.workflowId,
    });
    expect(item!.reason).toContain('BigCommerce had deactivated the webhooks for store/order/created');
    expect(item!.reason).toContain('the sweep re-activated them');
    expect(item!.fix).toContain('Nothing is left to repair');

    // No sweep runs from here on: only the re-activated hook can start the order's workflow.
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 1 }] });
    const started = await eventually(
      async () => {
        const history = await stack.client.workflow
          .getHandle(orderToCashWorkflowId(tenantId, orderId))
          .fetchHistory()
          .catch(() => undefined);
        const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
        return payload ? await fromHistoryPayload<{ trigger: string }>(payload) : undefined;
      },
      { what: "the re-activated hook to start the order's workflow" },
    );
    expect(started).toMatchObject({ tenantId, orderId, trigger: 'webhook' });
    // The workflow starts before the receiver answers, so the store marks the delivery a moment later.
    const deliveryStates = async () => {
      const deliveries = (await (await fetch(`${stack.sandboxes.bigcommerce.url}/_control/webhooks`)).json()) as {
        deliveries: Array<{ scope: string; destination: string; state: string; data?: { id?: number } }>;
      };
      return deliveries.deliveries
        .filter(
          (delivery) =>
            delivery.scope === 'store/order/created' &&
            delivery.data?.id === Number(orderId) &&
            delivery.destination.endsWith(`/webhooks/bigcommerce/${tenantId}`),
        )
        .map((delivery) => delivery.state);
    };
    expect(
      await eventually(deliveryStates, {
        what: "the store to record the order's delivery",
        until: (states) => states.length > 0 && states.every((state) => state !== 'pending'),
      }),
    ).toEqual(['delivered']);

    const second = await sweep(tenantId);

    expect(second.result.webhooks).toEqual({ checked: 16, reactivated: 0, missing: 0, disabled: 0 });
    expect(await attention(tenantId, 'open')).toEqual([]);
    expect(await attention(tenantId, 'resolved')).toEqual([
      expect.objectContaining({ code: 'storefront_webhooks_reactivated', resolvedBy: `sweep ${second.workflowId} (webhooks healthy)` }),
    ]);
  });

  it('when every hook is registered and active then the sweep counts them and raises nothing', async () => {
    const tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);

    const { result } = await sweep(tenantId);

    expect(result.webhooks).toEqual({ checked: 16, reactivated: 0, missing: 0, disabled: 0 });
    expect(await attention(tenantId, 'open')).toEqual([]);
    expect(await attention(tenantId, 'resolved')).toEqual([]);
  });

  it('when a hook was deleted then the sweep raises an attention item naming the register route, which recreates it; the next sweep resolves the item', async () => {
    const tenantId = await stack.createTenant('bigcommerce');
    await stack.registerWebhooks(tenantId);
    const deleted = (await tenantHooks(tenantId)).find((hook) => hook.scope === 'store/order/created')!;
    expect((await stack.bigCommerce('DELETE', `/v3/hooks/${deleted.id}`)).status).toBe(200);

    const first = await sweep(tenantId);

    expect(first.result.webhooks).toEqual({
      checked: 15,
      reactivated: 0,
      missing: 1,
      disabled: 0,
      attention: 'storefront_webhooks_missing',
    });
    expect(await tenantHooks(tenantId)).toHaveLength(15);
    const [item] = await attention(tenantId, 'open');
    expect(item).toMatchObject({
      code: 'storefront_webhooks_missing',
      details: { storefront: 'bigcommerce', missing: ['store/order/created'] },
    });
    expect(item!.reason).toContain(`has no webhook to ${deleted.destination} for store/order/created`);
    expect(item!.fix).toContain(`Run POST /api/v1/tenants/${tenantId}/webhooks/register`);

    await stack.registerWebhooks(tenantId);
    const second = await sweep(tenantId);

    expect(second.result.webhooks).toEqual({ checked: 16, reactivated: 0, missing: 0, disabled: 0 });
    expect(await attention(tenantId, 'open')).toEqual([]);
  });

  it('when Clarity disabled the tenant’s subscription (its endpoint answered 410) then the sweep reports it, as Clarity cannot enable it again; registering as the item says makes the next sweep healthy', async () => {
    const tenantId = await stack.createTenant('clarity');
    const gone = http.createServer((_request, response) => response.writeHead(410).end());
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    try {
      const storefront = await (await stack.connections.forTenant(tenantId)).storefront();
      if (storefront.kind !== 'clarity') throw new Error('expected the Clarity client');
      const subscription = await storefront.client.createWebhook(
        {
          url: `http://127.0.0.1:${(gone.address() as AddressInfo).port}/webhooks/clarity/${tenantId}`,
          events: ['order.created', 'order.updated', 'product.updated', 'return.created'],
        },
        { idempotencyKey: randomUUID() },
      );
      expect(
        (
          await stack.clarity('POST', '/orders', {
            customerId: 'CU-2002',
            lineItems: [{ sku: 'TSHIRT-WHT-M', quantity: 1 }],
            status: 'processing',
          })
        ).status,
      ).toBe(201);
      await eventually(async () => !(await storefront.client.getWebhook(subscription.id)).active, {
        what: 'Clarity to disable the subscription',
        intervalMs: 200,
      });

      const first = await sweep(tenantId);

      expect(first.result.webhooks).toEqual({
        checked: 1,
        reactivated: 0,
        missing: 0,
        disabled: 1,
        attention: 'storefront_webhooks_disabled',
      });
      const [item] = await attention(tenantId, 'open');
      expect(item).toMatchObject({ code: 'storefront_webhooks_disabled', details: { storefront: 'clarity', disabled: [subscription.id] } });
      expect(item!.reason).toContain(`Clarity disabled the subscription ${subscription.id}`);
      expect(item!.fix).toContain(`POST /api/v1/tenants/${tenantId}/webhooks/register`);
      expect(item!.fix).not.toContain('DELETE');

      await stack.registerWebhooks(tenantId);
      const second = await sweep(tenantId);

      expect(second.result.webhooks).toEqual({ checked: 1, reactivated: 0, missing: 0, disabled: 0 });
      expect(await attention(tenantId, 'open')).toEqual([]);
    } finally {
      await new Promise((resolve) => gone.close(resolve));
    }
  });
});

/**
 * The sweep workflow alone, on the time-skipping server with stand-in activities: what it does
 * when the check fails, and that it checks once per sweep however many runs the window takes.
 */
describe('the order sweep workflow around the webhook check (time-skipping server, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function sweepWith(
    checkStorefrontWebhooks: () => Promise<unknown>,
  ): Promise<{ result: OrderSweepResult; checks: number; saved: number }> {
    const taskQueue = uniqueId('sweep-webhooks');
    let checks = 0;
    let saved = 0;
    const result = await withTestWorker(
      {
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../../../workflows/order-sweep.ts'),
        activities: {
          readSweepCursor: () => Promise.resolve({ lookbackMinutes: 60 }),
          // Two pages, one per run: the sweep continues as new once before it finishes.
          listChangedOrders: (input: { cursor?: string }) =>
            Promise.resolve({ storefront: 'bigcommerce', orderIds: [], ...(input.cursor === undefined && { nextCursor: '2' }) }),
          listChangedRefunds: () => Promise.resolve({ storefront: 'bigcommerce', refunds: [], enabled: false }),
          saveSweepCursor: (input: { lastSweptUntil: string }) => {
            saved += 1;
            return Promise.resolve(input);
          },
          checkStorefrontWebhooks: () => {
            checks += 1;
            return checkStorefrontWebhooks();
          },
        },
      },
      () =>
        env.client.workflow.execute<(input: OrderSweepInput) => Promise<OrderSweepResult>>('orderSweep', {
          workflowId: uniqueId('sweep'),
          taskQueue,
          args: [{ tenantId: 'acme', pagesPerRun: 1 }],
        }),
    );
    return { result, checks, saved };
  }

  it('when the check keeps failing then the sweep still completes, its cursor saved, and the result says why the check failed', async () => {
    const { result, checks, saved } = await sweepWith(() =>
      Promise.reject(ApplicationFailure.create({ type: 'BigCommerceServerError', message: 'BigCommerce answered 503' })),
    );

    expect(result).toMatchObject({ tenantId: 'acme', pages: 2, webhooks: { failed: 'BigCommerceServerError: BigCommerce answered 503' } });
    expect(checks).toBe(3);
    expect(saved).toBe(1);
  });

  it('when the window takes two runs then the webhooks are checked once, at the end', async () => {
    const { result, checks } = await sweepWith(() =>
      Promise.resolve({ checked: 8, reactivated: 1, missing: 0, disabled: 0, attention: 'storefront_webhooks_reactivated' }),
    );

    expect(result).toMatchObject({
      pages: 2,
      webhooks: { checked: 8, reactivated: 1, missing: 0, disabled: 0, attention: 'storefront_webhooks_reactivated' },
    });
    expect(checks).toBe(1);
  });

  it('when a sweep recorded before the check existed is replayed then the workflow makes the same decisions (no check)', async () => {
    await replayRecordedHistories(['order-sweep-bigcommerce-before-webhook-check.json'], {
      directory: fileURLToPath(new URL('./histories/', import.meta.url)),
    });
  });
});
