import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { bulkRetryBody, maxBulkRetry, retryAttentionGroup, type BulkRetryOutcome } from '../../api/admin/attention-retry-route.js';
import { orderCancelBody, runOrderAction } from '../../api/admin/order-routes.js';
import { attentionActionRole, resolveAttentionItem } from '../../api/admin/record-routes.js';
import { retryRefund } from '../../api/admin/refund-routes.js';
import { validationError } from '../../api/admin/documented-router.js';
import { HttpError } from '../../api/errors.js';
import { countOpenAttentionByCode, listAttention } from '../../store/attention.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { isHtmxRequest } from '../htmx.js';
import { csrfField, mayAct, notice, page, type PageFrame } from '../layout.js';
import { redirectAfterAction } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, html, queryString, sendHtml, type SafeHtml } from '../templates.js';
import { actionsFor, attentionItemView, roleFor, type AttentionAction } from './attention-items.js';

const entities = ['order', 'refund', 'inventory', 'tenant'] as const;
const pageSize = 25;

const listQuery = z.object({
  code: z.string().trim().max(100).optional().catch(undefined),
  entity: z.enum(entities).optional().catch(undefined),
  cursor: z.string().max(64).optional().catch(undefined),
  /** The bulk retry's filter as last counted (see the bulk form), and whether to show that count. */
  since: z.string().max(40).optional().catch(undefined),
  count: z.literal('true').optional().catch(undefined),
});
type ListQuery = z.infer<typeof listQuery>;

const itemParams = z.object({
  tenantId: z.string(),
  entity: z.enum(entities),
  externalId: z.string().min(1).max(200),
  action: z.enum(['retry', 'approve', 'cancel', 'resolve']),
});

function groupsView(tenantId: string, groups: Array<{ code: string; count: number }>, selected: string | undefined): SafeHtml {
  if (groups.length === 0) return html`<p>Nothing waits for a person.</p>`;
  return html`<table>
    <caption>
      Open items by code
    </caption>
    <thead>
      <tr>
        <th scope="col">Code</th>
        <th scope="col" class="number">Open</th>
      </tr>
    </thead>
    <tbody>
      ${groups.map(
        (group) =>
          html`<tr>
            <td>
              <a
                href="${consolePath('tenants', tenantId, 'attention')}${queryString({ code: group.code })}"
                ${group.code === selected ? html` aria-current="true"` : ''}
                >${group.code}</a
              >
            </td>
            <td class="number">${group.count}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function bulkForm(frame: PageFrame, tenantId: string, query: ListQuery, groups: Array<{ code: string }>): SafeHtml {
  const path = consolePath('tenants', tenantId, 'attention', 'retry');
  return html`<section aria-labelledby="bulk-heading">
    <h2 id="bulk-heading">Retry a group</h2>
    <p>
      After a fix that concerns many items (a mapping row, an outage over): count what the filter takes first, then retry up to
      ${maxBulkRetry} at a time.
    </p>
    <form class="filters" method="post" action="${path}" hx-post="${path}" hx-target="#bulk-result">
      ${csrfField(frame.signedIn)}
      <input type="hidden" name="dryRun" value="true" />
      <div>
        <label for="bulk-code">Code</label>
        <select id="bulk-code" name="code">
          <option value="">any code</option>
          ${groups.map(
            (group) => html`<option value="${group.code}" ${group.code === query.code ? html` selected` : ''}>${group.code}</option>`,
          )}
        </select>
      </div>
      <div>
        <label for="bulk-entity">Items</label>
        <select id="bulk-entity" name="entity">
          <option value="">orders and refunds</option>
          <option value="order" ${query.entity === 'order' ? html` selected` : ''}>orders</option>
          <option value="refund" ${query.entity === 'refund' ? html` selected` : ''}>refunds</option>
        </select>
      </div>
      <div>
        <label for="bulk-since">Parked since (optional, e.g. 2026-01-31T00:00:00Z)</label>
        <input id="bulk-since" name="since" size="24" value="${query.since ?? ''}" />
      </div>
      <div><button type="submit">Count items</button></div>
    </form>
    <div id="bulk-result" aria-live="polite"></div>
  </section>`;
}

/** The attention queue: groups by code with counts, the items of the chosen group with their actions, and the bulk retry. */
async function renderAttention(deps: ConsoleDependencies, response: Response, tenantId: string, query: ListQuery): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'attention');
  const { tenant, signedIn } = context;
  const [groups, items] = await Promise.all([
    countOpenAttentionByCode(deps.db, tenant._id),
    listAttention(
      deps.db,
      tenant._id,
      { state: 'open', code: query.code, entity: query.entity },
      { limit: pageSize, cursor: query.cursor },
    ),
  ]);
  const frame = context.frame(`${tenant.name}: attention queue`);
  const counted =
    query.count === 'true' && mayAct(signedIn, attentionActionRole) ? await bulkCount(deps, response, tenant._id, query) : undefined;
  const nextLink =
    items.nextCursor &&
    consolePath('tenants', tenant._id, 'attention') + queryString({ ...query, count: undefined, cursor: items.nextCursor });
  sendHtml(
    response,
    page(
      frame,
      html`<h1>Attention queue</h1>
        ${groupsView(tenant._id, groups, query.code)} ${mayAct(signedIn, attentionActionRole) && bulkForm(frame, tenant._id, query, groups)}
        ${counted}
        <h2 id="items-heading">${query.code === undefined ? 'Open items' : html`Open items with code ${query.code}`}</h2>
        ${query.code !== undefined && html`<p><a href="${consolePath('tenants', tenant._id, 'attention')}">Show every code</a></p>`}
        ${items.items.length === 0 ? html`<p>No open items${query.code === undefined ? '' : ' with this code'}.</p>` : ''}
        <ul class="items" aria-labelledby="items-heading">
          ${items.items.map((item, index) => attentionItemView(signedIn, tenant._id, item, `item-${index}`))}
        </ul>
        ${nextLink && html`<nav class="pages" aria-label="Pages"><a href="${nextLink}">Next page</a></nav>`}`,
    ),
  );
}

function bulkOutcomeView(
  tenantId: string,
  request: z.output<typeof bulkRetryBody>,
  outcome: BulkRetryOutcome,
  frame: { csrf: SafeHtml },
): SafeHtml {
  const what = `${request.entity ?? 'orders and refunds'}${request.code === undefined ? '' : ` with code ${request.code}`}`;
  if (request.dryRun) {
    if (outcome.matched === 0) return notice({ kind: 'success', text: `No open ${what} to retry.` });
    const path = consolePath('tenants', tenantId, 'attention', 'retry');
    const taken = Math.min(outcome.matched, maxBulkRetry);
    return html`<div class="card" role="status">
      <p><strong>${outcome.matched}</strong> open ${what} match; a retry takes ${taken} of them now.</p>
      <form method="post" action="${path}" hx-post="${path}" hx-target="#bulk-result">
        ${frame.csrf} ${request.code !== undefined && html`<input type="hidden" name="code" value="${request.code}" />`}
        ${request.entity !== undefined && html`<input type="hidden" name="entity" value="${request.entity}" />`}
        ${request.since !== undefined && html`<input type="hidden" name="since" value="${request.since}" />`}
        <button type="submit">Retry ${taken} items</button>
      </form>
    </div>`;
  }
  return html`<div class="card" role="status">
    <p>
      Retried ${outcome.retried ?? 0} of ${outcome.matched}; ${outcome.notParked ?? 0} were no longer parked; ${outcome.failed ?? 0}
      failed.${outcome.nextCursor ? ' More remain: count again to take the next ones.' : ''}
    </p>
    ${
      (outcome.failures ?? []).length > 0 &&
      html`<ul>
        ${outcome.failures!.map((failure) => html`<li>${failure.entity} ${failure.externalId}: ${failure.message}</li>`)}
      </ul>`
    }
  </div>`;
}

/** The bulk retry's form as the admin API's body: the same schema checks it. */
function bulkRequestOf(request: Request) {
  const form = request.body as Record<string, unknown>;
  const text = (name: string) => (typeof form[name] === 'string' && form[name].trim() !== '' ? form[name].trim() : undefined);
  const parsed = bulkRetryBody.safeParse({
    ...(text('code') && { code: text('code') }),
    ...(text('entity') && { entity: text('entity') }),
    ...(text('since') && { since: text('since') }),
    dryRun: text('dryRun') === 'true',
  });
  if (!parsed.success) throw validationError(parsed.error, 'bulk retry');
  return parsed.data;
}

/** The bulk retry's count for the filter a page shows (without JavaScript, the count is a GET of its own). */
async function bulkCount(deps: ConsoleDependencies, response: Response, tenantId: string, query: ListQuery): Promise<SafeHtml> {
  const { context, signedIn } = await actingOn(deps, response, tenantId, attentionActionRole);
  const parsed = bulkRetryBody.safeParse({
    ...(query.code && { code: query.code }),
    ...(query.entity && { entity: query.entity }),
    ...(query.since && { since: query.since }),
    dryRun: true,
  });
  if (!parsed.success) return notice({ kind: 'error', text: validationError(parsed.error, 'bulk retry').message });
  const outcome = await retryAttentionGroup(deps, context, tenantId, parsed.data);
  return bulkOutcomeView(tenantId, parsed.data, outcome, { csrf: csrfField(signedIn) });
}

/** A real bulk retry's outcome in one line, for the flash of the page the retry redirects to. */
function bulkOutcomeFlash(request: z.output<typeof bulkRetryBody>, outcome: BulkRetryOutcome): NonNullable<PageFrame['notice']> {
  const failures = (outcome.failures ?? []).map((failure) => `${failure.entity} ${failure.externalId}: ${failure.message}`);
  const more = outcome.nextCursor ? ' More remain: count again to take the next ones.' : '';
  return {
    kind: failures.length > 0 ? 'error' : 'success',
    text: `Retried ${outcome.retried ?? 0} of ${outcome.matched}; ${outcome.notParked ?? 0} were no longer parked; ${outcome.failed ?? 0} failed.${more}${failures.length > 0 ? ` ${failures.join('; ')}` : ''}`,
  };
}

/**
 * Where an item's action leads back to without JavaScript: the console page it was pressed on
 * (the queue or the order's page, by the same-origin Referer), else the tenant's queue.
 */
function returnPath(request: Request, tenantId: string): string {
  const queue = consolePath('tenants', tenantId, 'attention');
  const referer = request.get('referer');
  if (referer === undefined) return queue;
  try {
    const url = new URL(referer);
    const ownOrigin = `${request.protocol}://${request.get('host') ?? ''}`;
    return url.origin === ownOrigin && url.pathname.startsWith(`${consolePath('tenants', tenantId)}/`)
      ? `${url.pathname}${url.search}`
      : queue;
  } catch {
    return queue;
  }
}

async function runItemAction(deps: ConsoleDependencies, request: Request, response: Response): Promise<string> {
  const params = itemParams.safeParse(request.params);
  if (!params.success) throw new HttpError(404, 'not_found', 'There is no such attention action.');
  const { tenantId, entity, externalId, action } = params.data;
  if (!actionsFor(entity).includes(action)) throw new HttpError(404, 'not_found', `A ${entity} item has no ${action}.`);
  const { context } = await actingOn(deps, response, tenantId, roleFor(entity, action));
  const done = doneText(entity, externalId, action);
  if (action === 'resolve') await resolveAttentionItem(deps, context, { tenantId, entity, externalId });
  else if (entity === 'refund') await retryRefund(deps, context, tenantId, externalId);
  else if (action === 'cancel') {
    const body = orderCancelBody.safeParse(request.body);
    if (!body.success) throw validationError(body.error, 'cancellation');
    await runOrderAction(deps, context, tenantId, externalId, { kind: 'cancel', reason: body.data.reason });
  } else {
    const { status } = await runOrderAction(deps, context, tenantId, externalId, { kind: action });
    return `${done} It is now at step "${status.step.replaceAll('_', ' ')}".`;
  }
  return done;
}

function doneText(entity: string, externalId: string, action: AttentionAction): string {
  const verbs: Record<AttentionAction, string> = { retry: 'retried', approve: 'approved', cancel: 'cancelled', resolve: 'marked resolved' };
  return `${entity[0]!.toUpperCase()}${entity.slice(1)} ${externalId} ${verbs[action]}.`;
}

/**
 * The attention queue's page and its actions. Every action goes through the admin API's use
 * cases (runOrderAction, retryRefund, resolveAttentionItem, retryAttentionGroup) after the same
 * checks (see `actingOn`); htmx requests get a fragment, others the page again with the outcome.
 */
export function registerAttentionPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/attention', (request, response) =>
    renderAttention(deps, response, request.params.tenantId, listQuery.parse(request.query)),
  );

  router.post('/tenants/:tenantId/attention/retry', async (request, response) => {
    const { tenantId } = request.params;
    const { context, signedIn } = await actingOn(deps, response, tenantId, attentionActionRole);
    const bulkRequest = bulkRequestOf(request);
    const outcome = await retryAttentionGroup(deps, context, tenantId, bulkRequest);
    if (isHtmxRequest(request)) {
      sendHtml(response, bulkOutcomeView(tenantId, bulkRequest, outcome, { csrf: csrfField(signedIn) }));
      return;
    }
    // Without JavaScript: the count is a page of its own (a link, reloaded without posting);
    // the retry's outcome is the flash of the queue it leads back to.
    const filters = { code: bulkRequest.code, entity: bulkRequest.entity, since: bulkRequest.since };
    const queue = consolePath('tenants', tenantId, 'attention');
    if (bulkRequest.dryRun) response.redirect(303, `${queue}${queryString({ ...filters, count: 'true' })}#bulk-heading`);
    else await redirectAfterAction(deps.db, response, `${queue}${queryString(filters)}`, bulkOutcomeFlash(bulkRequest, outcome));
  });

  router.post('/tenants/:tenantId/attention/:entity/:externalId/:action', async (request, response) => {
    const text = await runItemAction(deps, request, response);
    if (isHtmxRequest(request)) sendHtml(response, notice({ kind: 'success', text }));
    else await redirectAfterAction(deps.db, response, returnPath(request, request.params.tenantId), { kind: 'success', text });
  });
}
