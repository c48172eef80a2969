import type { Response, Router } from 'express';
import { z } from 'zod';
import { listLedger, type LedgerEntry } from '../../store/ledger.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, sendHtml, type SafeHtml } from '../templates.js';
import { renderOrderPage } from './order-page.js';

const states = ['pending', 'synced', 'parked', 'skipped', 'cancelled', 'failed'] as const;
const pageSize = 50;
const dayMs = 24 * 60 * 60_000;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** The sync log's filters as the query string carries them; a value that does not parse is dropped, not an error page. */
const logQuery = z.object({
  state: z.enum(states).optional().catch(undefined),
  id: z.string().trim().max(200).optional().catch(undefined),
  from: day,
  to: day,
  cursor: z.string().max(300).optional().catch(undefined),
});
type LogQuery = z.infer<typeof logQuery>;

function filtersForm(tenantId: string, query: LogQuery): SafeHtml {
  return html`<form
    class="filters"
    method="get"
    action="${consolePath('tenants', tenantId, 'orders')}"
    role="search"
    aria-label="Filter orders"
  >
    <div>
      <label for="filter-state">State</label>
      <select id="filter-state" name="state">
        <option value="">any</option>
        ${states.map((state) => html`<option value="${state}" ${state === query.state ? html` selected` : ''}>${state}</option>`)}
      </select>
    </div>
    <div><label for="filter-id">Order id</label><input id="filter-id" name="id" value="${query.id ?? ''}" size="14" /></div>
    <div>
      <label for="filter-from">Last activity from (UTC)</label
      ><input id="filter-from" name="from" type="date" value="${query.from ?? ''}" />
    </div>
    <div><label for="filter-to">to (UTC, inclusive)</label><input id="filter-to" name="to" type="date" value="${query.to ?? ''}" /></div>
    <div><button type="submit">Filter</button></div>
  </form>`;
}

function entryRow(tenantId: string, entry: LedgerEntry): SafeHtml {
  return html`<tr>
    <td><a href="${consolePath('tenants', tenantId, 'orders', entry.externalId)}">${entry.externalId}</a></td>
    <td class="state state-${entry.state}">${entry.state}</td>
    <td>${entry.intacctDocumentId ?? ''}</td>
    <td class="number">${entry.attempts}</td>
    <td>${entry.lastError && html`${entry.lastError.code}: ${entry.lastError.message}`}</td>
    <td>${formatTime(entry.updatedAt)}</td>
  </tr>`;
}

/**
 * The sync log of orders: the ledger's order entries filtered by state, order id and day of
 * last activity, in pages of 50 by keyset (the ledger's key order), so a page costs the same
 * on the first and the thousandth page.
 */
async function renderSyncLog(deps: ConsoleDependencies, response: Response, tenantId: string, query: LogQuery): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'orders');
  const { tenant } = context;
  const result = await listLedger(
    deps.db,
    tenant._id,
    {
      entity: 'order',
      state: query.state,
      externalId: query.id || undefined,
      updatedFrom: query.from === undefined ? undefined : new Date(`${query.from}T00:00:00Z`),
      updatedBefore: query.to === undefined ? undefined : new Date(new Date(`${query.to}T00:00:00Z`).getTime() + dayMs),
    },
    { limit: pageSize, cursor: query.cursor },
  );
  const { cursor: _cursor, ...filters } = query;
  const listPath = consolePath('tenants', tenant._id, 'orders');
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: sync log`),
      html`<h1>Sync log: orders</h1>
        ${filtersForm(tenant._id, query)}
        ${
          result.items.length === 0
            ? html`<p>No orders match these filters.</p>`
            : html`<table>
                <caption>
                  Orders${query.cursor === undefined ? '' : ' (continued)'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">State</th>
                    <th scope="col">Intacct document</th>
                    <th scope="col" class="number">Attempts</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.items.map((entry) => entryRow(tenant._id, entry))}
                </tbody>
              </table>`
        }
        <nav class="pages" aria-label="Pages">
          ${query.cursor !== undefined && html`<a href="${listPath}${queryString(filters)}">First page</a>`}
          ${result.nextCursor && html`<a href="${listPath}${queryString({ ...filters, cursor: result.nextCursor })}">Next page</a>`}
        </nav>`,
    ),
  );
}

/** The sync log and one order's page. */
export function registerSyncLogPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/orders', (request, response) =>
    renderSyncLog(deps, response, request.params.tenantId, logQuery.parse(request.query)),
  );
  router.get('/tenants/:tenantId/orders/:orderId', (request, response) =>
    renderOrderPage(deps, response, request.params.tenantId, request.params.orderId),
  );
}
