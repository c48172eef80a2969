import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  orderPreviewWorkflowId,
  orderPreviewWorkflowType,
  type OrderPreview,
  type OrderPreviewInput,
} from '../../workflows/order-preview-contract.js';
import { HttpError } from '../errors.js';
import { canonicalOrderBody } from './canonical-order-body.js';
import { tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { orderParams } from './order-routes.js';
import { withTemporal } from './temporal-access.js';

const ruleValue = z.object({ value: z.string(), ruleId: z.string(), caseIndex: z.int() });
const lineDecisions = z.object({
  warehouse: ruleValue.optional(),
  dimensions: z.record(z.string(), ruleValue),
  customFields: z.record(z.string(), ruleValue),
});

/** The preview's answer, for the OpenAPI document. */
const orderPreviewResponse = z.object({
  order: z.record(z.string(), z.unknown()).describe('the canonical order previewed'),
  check: z.object({ action: z.enum(['sync', 'wait', 'cancel', 'skip', 'park']) }).loose(),
  customer: z.object({
    customerId: z.string().optional(),
    source: z.enum(['given', 'mapping', 'guest', 'matchOrCreate']),
    note: z.string().optional(),
  }),
  items: z.object({ resolved: z.boolean() }).loose(),
  entityId: z.string().optional(),
  document: z.record(z.string(), z.unknown()).optional().describe('the create_sotransaction the workflow would send (SalesDocumentInput)'),
  rules: z.object({
    entity: ruleValue.optional(),
    transactionDefinition: ruleValue.optional(),
    customFields: z.record(z.string(), ruleValue),
    allLines: lineDecisions,
    lines: z.record(z.string(), lineDecisions).describe('by canonical line id'),
    holds: z.array(z.object({ reason: z.string(), ruleId: z.string(), caseIndex: z.int(), lineId: z.string().optional() })),
  }),
  problems: z.array(z.string()).describe('every reason the order would be parked or not posted now; empty: it would post as shown'),
});

/** A failed preview run as an HTTP answer: the order missing, input the preview cannot read, or a vendor not answering. */
function previewFailure(error: unknown): unknown {
  const cause = error instanceof WorkflowFailedError ? (error.cause?.cause ?? error.cause) : undefined;
  if (!(cause instanceof ApplicationFailure)) return error;
  if (cause.type === 'OrderNotFound') return new HttpError(404, 'not_found', cause.message);
  if (cause.nonRetryable) return new HttpError(422, 'preview_failed', cause.message);
  return new HttpError(502, 'upstream_unavailable', `the storefront or Intacct did not answer: ${cause.message}`);
}

/**
 * Previews of OrderToCash's posting (dry-run): what would be sent to Intacct for a storefront
 * order as the store has it now, or for a pasted canonical order, with the rule behind every
 * value and every check that would park it. The worker runs it (OrderPreview) with the
 * workflow's own activities; nothing is written to Intacct, the storefront or the product's store.
 */
export function registerOrderPreviewRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const body = z.object({
    customerId: z.string().trim().min(1).max(100).optional().describe('post to this Intacct customer instead of resolving one'),
  });
  const run = (input: OrderPreviewInput, orderId: string) =>
    withTemporal(deps, async ({ client, taskQueue }) => {
      try {
        return await client.workflow.execute<(input: OrderPreviewInput) => Promise<OrderPreview>>(orderPreviewWorkflowType, {
          workflowId: orderPreviewWorkflowId(input.tenantId, orderId, randomUUID()),
          taskQueue,
          args: [input],
          workflowExecutionTimeout: '2 minutes',
        });
      } catch (error) {
        throw previewFailure(error);
      }
    });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/orders/preview',
    summary: 'Preview the Intacct sales document for a pasted canonical order, without writing anything',
    tag: 'orders',
    role: 'viewer',
    params: tenantParams,
    body: body.extend({ order: canonicalOrderBody }),
    response: orderPreviewResponse,
    handler: async ({ params, principal, body: { order, customerId } }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      return run({ kind: 'canonical', tenantId: tenant._id, order, ...(customerId !== undefined && { customerId }) }, order.orderId);
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/orders/:orderId/preview',
    summary: 'Preview the Intacct sales document for a storefront order as the store has it now, without writing anything',
    tag: 'orders',
    role: 'viewer',
    params: orderParams,
    body,
    response: orderPreviewResponse,
    handler: async ({ params, principal, body: { customerId } }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const input: OrderPreviewInput = {
        kind: 'storefront',
        tenantId: tenant._id,
        storefront: tenant.storefront,
        orderId: params.orderId,
        ...(customerId !== undefined && { customerId }),
      };
      return run(input, params.orderId);
    },
  });
}
