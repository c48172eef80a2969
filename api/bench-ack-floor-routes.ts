import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express, { Router } from 'express';
import { HttpError } from './errors.js';
import { acknowledge } from './webhooks/receiver-answers.js';
import { dispatchDeadlineMs, orderToCashSignalWithStart } from './webhooks/temporal-dispatcher.js';

/** Where the floor is served, `{path}/{tenantId}`; only when BENCH_ACK_FLOOR is set. */
export const benchAckFloorPath = '/bench/ack-floor';

/** The floor's workflow type: no worker registers it, so its workflows are started or signalled and never run. */
export const benchAckFloorWorkflowType = 'benchAckFloor';

/** The floor's task queue beside the product's: no worker polls it, so no workflow task is ever taken. */
export const benchAckFloorTaskQueue = (productTaskQueue: string): string => `${productTaskQueue}-bench-ack-floor`;

const benchAckFloorWorkflowId = (tenantId: string, orderId: string) => `bench-ack-floor:${tenantId}:${orderId}`;

// The receivers' own limits on the ids they pass to Temporal.
const tenantIdShape = /^[A-Za-z0-9_-]{1,64}$/;
const orderIdShape = /^[0-9]{1,20}$/;

/**
 * The floor of `npm run bench`'s webhook acknowledgement figure (issue 23):
 * `POST /bench/ack-floor/{tenantId}` with `{"orderId":"…"}` answers 200 once Temporal took the
 * signal-with-start a delivery about that order costs the product's dispatch
 * ({@link orderToCashSignalWithStart}: the same options, payloads through the same client and
 * codec, search attributes, priority and deadline), for `bench-ack-floor:{tenantId}:{orderId}`,
 * a workflow of a type no worker registers on a task queue no worker polls, so nothing runs
 * after it. No authentication, no database, no delivery log: the least a durable acknowledgement
 * can cost on this API process, which the receiver's latency is compared with.
 *
 * Anyone who reaches it can start workflows, so `createApp` mounts it only when told to
 * (BENCH_ACK_FLOOR, set by the bench's process stack; production refuses it).
 */
export function benchAckFloorRoutes(temporal: { client: Client; taskQueue: string }): Router {
  const router = Router();
  const taskQueue = benchAckFloorTaskQueue(temporal.taskQueue);
  router.post(`${benchAckFloorPath}/:tenantId`, express.json({ limit: '1kb' }), async (request, response) => {
    const tenantId = String(request.params.tenantId);
    const orderId = (request.body as { orderId?: unknown } | undefined)?.orderId;
    if (!tenantIdShape.test(tenantId) || typeof orderId !== 'string' || !orderIdShape.test(orderId))
      throw new HttpError(400, 'invalid_request', 'a tenant id in the path and {"orderId": "<digits>"} in the body');
    const event = {
      tenantId,
      storefront: 'bigcommerce' as const,
      topic: 'store/order/updated',
      entity: 'order' as const,
      entityId: orderId,
      deliveryId: randomUUID(),
      occurredAt: new Date().toISOString(),
    };
    try {
      await temporal.client.connection.withDeadline(Date.now() + dispatchDeadlineMs, () =>
        temporal.client.workflow.signalWithStart(benchAckFloorWorkflowType, {
          ...orderToCashSignalWithStart(event, orderId, taskQueue),
          workflowId: benchAckFloorWorkflowId(tenantId, orderId),
        }),
      );
    } catch (error) {
      // As the receivers answer a Temporal they cannot reach: the bench counts it as not 2xx.
      throw new HttpError(503, 'temporal_unavailable', `Temporal did not take the call: ${(error as Error).message}`);
    }
    acknowledge(response, 'signalled');
  });
  return router;
}
