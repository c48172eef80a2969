import { z } from 'zod';
import { countAttention, listAttention, type AttentionFilter } from '../../store/attention.js';
import { HttpError } from '../errors.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import type { DocumentedRouter } from './documented-router.js';
import { restartHint, retryItem, type RetryableEntity } from './item-workflows.js';
import { attentionActionRole } from './record-routes.js';

/** Items one bulk retry takes at most; the answer's `nextCursor` leads to the rest. */
export const maxBulkRetry = 100;
/** Retries in flight at once: each is one workflow update, and the batch must not crowd out webhooks. */
const retryConcurrency = 5;
const retryableEntities: RetryableEntity[] = ['order', 'refund'];

/** A bulk retry's filter and mode (admin API body; the console builds the same from its form). */
export const bulkRetryBody = z.strictObject({
  entity: z.enum(retryableEntities, { error: 'entity must be order or refund (the items with a retry)' }).optional(),
  code: z.string().trim().min(1).max(100).optional(),
  since: z.iso
    .datetime({ offset: true, error: 'since must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z' })
    .optional(),
  /** Only count what the filter takes: the look before the real thing. */
  dryRun: z.boolean().default(false),
  limit: z.number().int().min(1).max(maxBulkRetry).default(maxBulkRetry),
  /** The previous answer's `nextCursor`: the items after those it took. */
  cursor: z.string().max(64).optional(),
});

const failure = z.object({ entity: z.enum(retryableEntities), externalId: z.string(), code: z.string(), message: z.string() });

type ItemOutcome = 'retried' | 'notParked' | z.infer<typeof failure>;

async function retryOne(deps: AdminDependencies, tenantId: string, entity: RetryableEntity, externalId: string): Promise<ItemOutcome> {
  try {
    await retryItem(deps, tenantId, entity, externalId);
    return 'retried';
  } catch (error) {
    // Refused by the workflow: already retrying from an earlier call, or no longer parked.
    if (error instanceof HttpError && error.code === `${entity}_state_conflict`) return 'notParked';
    if (error instanceof HttpError) {
      const message = error.status === 404 ? `${error.message}; ${restartHint(entity)}` : error.message;
      return { entity, externalId, code: error.code, message };
    }
    // One item's surprise must not lose the answer (and audit) of the others.
    deps.logger?.error({ err: error, tenantId, entity, externalId }, 'bulk retry: one item could not be retried');
    return { entity, externalId, code: 'retry_failed', message: 'the retry failed unexpectedly; the server log has the cause' };
  }
}

/**
 * Retry of parked orders and refunds by filter (entity, failure code, parked since), after a
 * fix that concerns many (a mapping row, an Intacct outage over): a dry run answers how many
 * the filter takes; the real call retries up to `limit` of them, in queue order, a few at a time, and
 * answers how many each way. Repeating it is harmless: an item already retrying, or no longer
 * parked, is refused by its workflow and counted as `notParked`.
 */
export function registerAttentionRetryRoute(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'post',
    path: '/tenants/:tenantId/attention/retry',
    summary: 'Retry parked orders and refunds by filter (entity, code, since); dryRun answers how many it takes',
    tag: 'attention',
    role: attentionActionRole,
    params: tenantParams,
    body: bulkRetryBody,
    response: z.object({
      matched: z.number().int(),
      retried: z.number().int().optional(),
      notParked: z.number().int().optional(),
      failed: z.number().int().optional(),
      failures: z.array(failure).optional(),
      nextCursor: z.string().optional(),
    }),
    handler: ({ params, body, principal, requestId }) => retryAttentionGroup(deps, { principal, requestId }, params.tenantId, body),
  });
}

/** A bulk retry as asked: filter, dry run or not, and the page of items to take. */
export type BulkRetryRequest = z.output<typeof bulkRetryBody>;

/** What a bulk retry answers: how many the filter takes, and for a real run how many went each way. */
export interface BulkRetryOutcome {
  matched: number;
  retried?: number;
  notParked?: number;
  failed?: number;
  failures?: Array<z.infer<typeof failure>>;
  nextCursor?: string;
}

/**
 * The bulk retry (admin API and console alike): a dry run counts what the filter takes; the
 * real one retries up to `limit` of them and is audited. The caller has checked
 * {@link attentionActionRole}; a key that may not see the tenant gets 404.
 */
export async function retryAttentionGroup(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  tenantId: string,
  request: BulkRetryRequest,
): Promise<BulkRetryOutcome> {
  await visibleTenant(deps.db, context.principal, tenantId);
  const filter: AttentionFilter = {
    state: 'open',
    entity: request.entity ?? retryableEntities,
    code: request.code,
    parkedSince: request.since === undefined ? undefined : new Date(request.since),
  };
  const matched = await countAttention(deps.db, tenantId, filter);
  if (request.dryRun) return { matched };

  const page = await listAttention(deps.db, tenantId, filter, { limit: request.limit, cursor: request.cursor });
  const outcomes: ItemOutcome[] = [];
  for (let start = 0; start < page.items.length; start += retryConcurrency) {
    const batch = page.items.slice(start, start + retryConcurrency);
    outcomes.push(...(await Promise.all(batch.map((item) => retryOne(deps, tenantId, item.entity as RetryableEntity, item.externalId)))));
  }
  const failures = outcomes.filter((outcome) => typeof outcome === 'object');
  const answer = {
    matched,
    retried: outcomes.filter((outcome) => outcome === 'retried').length,
    notParked: outcomes.filter((outcome) => outcome === 'notParked').length,
    failed: failures.length,
    failures,
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
  await audit(deps.db, context, {
    tenantId,
    action: 'attention.retry',
    target: `${request.entity ?? 'order,refund'}:${request.code ?? '*'}`,
    details: { ...(request.since !== undefined && { since: request.since }), retried: answer.retried, failed: answer.failed },
  });
  return answer;
}
