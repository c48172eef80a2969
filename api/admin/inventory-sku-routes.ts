import { WorkflowFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { identifier } from '../../store/schemas/fields.js';
import {
  inventoryChangedSignal,
  inventorySkuSyncWorkflowId,
  inventorySkuSyncWorkflowType,
  type InventorySkuSyncInput,
  type InventorySkuSyncResult,
  type SkuSyncReport,
} from '../../workflows/inventory-sku-sync-contract.js';
import { TenantId } from '../../workflows/search-attributes.js';
import { HttpError } from '../errors.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { assertInventorySyncOn, settingsOf } from './inventory-preconditions.js';
import { withTemporal } from './temporal-access.js';
import { tenantPriority } from '../../workflows/task-priority.js';

/** How long "sync this SKU now" waits for the sync to finish before answering 202 (it goes on either way). */
const skuSyncWaitMs = 5_000;

/** The innermost cause's message: "tenant x has no settings", not "Activity task failed". */
function rootCauseMessage(error: unknown): string {
  let current: unknown = error instanceof WorkflowFailedError && error.cause ? error.cause : error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The sync's result when it finishes within `waitMs`; undefined while it still runs. */
async function resultWithin(client: Client, workflowId: string, waitMs: number): Promise<InventorySkuSyncResult | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  try {
    return await client.connection.withAbortSignal(controller.signal, () =>
      client.workflow.getHandle<(input: InventorySkuSyncInput) => Promise<InventorySkuSyncResult>>(workflowId).result(),
    );
  } catch (error) {
    if (controller.signal.aborted) return undefined;
    if (error instanceof WorkflowFailedError)
      throw new HttpError(502, 'sync_failed', `the sync of the SKU failed: ${rootCauseMessage(error)}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why a finished sync could not bring the SKU in line at all, as the 404 an operator can act on;
 * undefined when it could at some store location (the warehouses table gives a line per SKU and
 * location: one location without Intacct stock does not make the SKU unknown, and its line is
 * in the answer).
 */
export function unknownSkuError(sku: string, lines: readonly SkuSyncReport[]): HttpError | undefined {
  const own = lines.filter((line) => line.sku === sku);
  const refusals = own.map((line) => unknownSkuLineError(sku, line));
  return own.length > 0 && refusals.every((refusal) => refusal !== undefined) ? refusals[0] : undefined;
}

function unknownSkuLineError(sku: string, line: SkuSyncReport): HttpError | undefined {
  const detail = { sku, outcome: line.outcome, ...(line.intacctItemId !== undefined && { intacctItemId: line.intacctItemId }) };
  switch (line.outcome) {
    case 'unmapped':
      return new HttpError(
        404,
        'unknown_sku',
        `no Intacct item maps to SKU ${sku}: add it to the items mapping table, or match items by ITEMID`,
        detail,
      );
    case 'notInIntacct':
      return new HttpError(404, 'unknown_sku', `Intacct has no stock of item ${line.intacctItemId} for SKU ${sku}`, detail);
    case 'notInStorefront':
      return new HttpError(404, 'unknown_sku', `the storefront has no SKU ${sku} whose stock it tracks`, detail);
    default:
      return undefined;
  }
}

const skuSyncLine = z.object({
  sku: z.string(),
  /** The store location of this level, when the warehouses table maps locations (a line per SKU and location). */
  locationId: z.string().optional(),
  outcome: z.enum(['pushed', 'unchanged', 'failed', 'filtered', 'unmapped', 'notInIntacct', 'notInStorefront']),
  intacctItemId: z.string().optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  reason: z.string().optional(),
});

const skuSyncView = z.object({
  workflowId: z.string(),
  /** `completed` with the result, or `running` (202) when it did not finish within a few seconds. */
  status: z.enum(['completed', 'running']),
  result: z
    .object({
      outcome: z.enum(['synced', 'disabled']),
      skus: z.array(skuSyncLine),
      rounds: z.number().int(),
      intacctTransactions: z.number().int(),
    })
    .optional(),
});

const skuParams = tenantParams.extend({ sku: identifier('sku') });

/** What "sync this SKU now" answered: the result when the sync finished within a few seconds, or that it still runs. */
export type SkuSyncNow = z.infer<typeof skuSyncView>;

/**
 * Brings one SKU to Intacct's availability now (InventorySkuSync, signal-with-start so a sync
 * already running goes round once more), waits a few seconds for its result and audits the
 * request: the admin API's `POST …/inventory/skus/{sku}/reconcile` and the console's form both
 * call it. Throws the HttpErrors an operator can act on (inventory off, SKU not in the list, a
 * SKU neither side knows, the sync failed).
 */
export async function syncSkuNow(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  tenantId: string,
  sku: string,
): Promise<SkuSyncNow> {
  const { principal, requestId } = context;
  const tenant = await visibleTenant(deps.db, principal, tenantId);
  const settings = await settingsOf(deps, tenant);
  assertInventorySyncOn(tenant, settings);
  if (settings.inventory.skus.mode === 'list' && !settings.inventory.skus.skus.includes(sku)) {
    throw new HttpError(409, 'sku_not_synced', `SKU ${sku} is not in inventory.skus, so its stock is not synced; add it there first`);
  }
  const target = { kind: 'sku' as const, sku };
  const workflowId = inventorySkuSyncWorkflowId(tenant._id, target);
  const input: InventorySkuSyncInput = { tenantId: tenant._id, target, trigger: 'operator' };
  const result = await withTemporal(deps, async ({ client, taskQueue }) => {
    // Signal-with-start: a sync of this SKU already running goes round once more, after this request.
    await client.workflow.signalWithStart(inventorySkuSyncWorkflowType, {
      workflowId,
      taskQueue,
      args: [input],
      signal: inventoryChangedSignal,
      signalArgs: [{ deliveryId: requestId ?? 'operator', topic: 'operator', occurredAt: new Date().toISOString() }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      priority: tenantPriority(tenant._id, 'live'),
      typedSearchAttributes: [{ key: TenantId, value: tenant._id }],
      staticSummary: `operator: SKU ${sku} → stock from Intacct (tenant ${tenant._id})`,
    });
    return resultWithin(client, workflowId, skuSyncWaitMs);
  });
  await audit(deps.db, { principal, requestId }, { tenantId: tenant._id, action: 'inventory.sku.reconcile', target: `sku:${sku}` });
  if (result === undefined) return { workflowId, status: 'running' };
  const unknown = unknownSkuError(sku, result.skus);
  if (unknown !== undefined) throw unknown;
  return {
    workflowId,
    status: 'completed',
    result: { outcome: result.outcome, skus: result.skus, rounds: result.rounds, intacctTransactions: result.intacctTransactions },
  };
}

/** InventorySkuSync's operator side: sync one SKU now, and read how its latest sync went. */
export function registerInventorySkuRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/inventory/skus/:sku/reconcile',
    summary:
      "Bring one SKU to Intacct's availability now: 200 with what happened, 202 while it still runs, 404 for a SKU neither side knows",
    tag: 'inventory',
    role: 'operator',
    params: skuParams,
    response: skuSyncView,
    handler: async ({ params, principal, requestId, response }) => {
      const synced = await syncSkuNow(deps, { principal, requestId }, params.tenantId, params.sku);
      if (synced.status === 'running') {
        // Answered here: the operation's success status is 200, this one is 202.
        response.status(202).json(synced);
        return undefined;
      }
      return synced;
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/inventory/skus/:sku/reconcile',
    summary: 'The latest sync of one SKU: running, or completed with what happened (404 when none is remembered)',
    tag: 'inventory',
    role: 'viewer',
    params: skuParams,
    response: skuSyncView.extend({ status: z.enum(['completed', 'running', 'failed']), failure: z.string().optional() }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const workflowId = inventorySkuSyncWorkflowId(tenant._id, { kind: 'sku', sku: params.sku });
      return withTemporal(deps, async ({ client }) => {
        const handle = client.workflow.getHandle<(input: InventorySkuSyncInput) => Promise<InventorySkuSyncResult>>(workflowId);
        let status: string;
        try {
          status = (await handle.describe()).status.name;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFoundError(`a sync of SKU ${params.sku}`);
          throw error;
        }
        if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') return { workflowId, status: 'running' as const };
        try {
          const result = await handle.result();
          return {
            workflowId,
            status: 'completed' as const,
            result: { outcome: result.outcome, skus: result.skus, rounds: result.rounds, intacctTransactions: result.intacctTransactions },
          };
        } catch (error) {
          return { workflowId, status: 'failed' as const, failure: rootCauseMessage(error) };
        }
      });
    },
  });
}
