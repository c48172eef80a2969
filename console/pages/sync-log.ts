import type { Response, Router } from 'express';
import { z } from 'zod';
import { findLedgerEntry } from '../../store/ledger.js';
import { pageSyncLog, syncLogRowOf, type SyncLogPage, type SyncLogRow } from '../../store/sync-log.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, sendHtml, type SafeHtml } from '../templates.js';
import { formatAmount } from '../../mappers/money.js';
import { pageInventoryReports } from '../../store/inventory-reports.js';
import { inventoryReportsTable } from './inventory.js';
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

/** The kinds of entries the sync log lists, each on a page of its own. */
const logKinds = {
  order: { path: 'orders', label: 'Orders', idLabel: 'Order id' },
  refund: { path: 'refunds', label: 'Refunds', idLabel: 'Refund id' },
} as const;
type LogKind = keyof typeof logKinds;

/** Links to the sync log's lists: orders, refunds (the ledger's) and inventory runs (their reports). */
function kindTabs(tenantId: string, current: LogKind | 'inventory'): SafeHtml {
  const tabs: Array<[LogKind | 'inventory', string, string]> = [
    ['order', logKinds.order.path, logKinds.order.label],
    ['refund', logKinds.refund.path, logKinds.refund.label],
    ['inventory', 'inventory-runs', 'Inventory runs'],
  ];
  return html`<nav aria-label="Sync log lists">
    <ul class="inline-list">
      ${tabs.map(
        ([kind, path, label]) =>
          html`<li><a href="${consolePath('tenants', tenantId, path)}" ${kind === current && html` aria-current="page"`}>${label}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function filtersForm(tenantId: string, kind: LogKind, query: LogQuery): SafeHtml {
  return html`<form
    class="filters"
    method="get"
    action="${consolePath('tenants', tenantId, logKinds[kind].path)}"
    role="search"
    aria-label="Filter ${logKinds[kind].label.toLowerCase()}"
  >
    <div>
      <label for="filter-state">State</label>
      <select id="filter-state" name="state">
        <option value="">any</option>
        ${states.map((state) => html`<option value="${state}" ${state === query.state ? html` selected` : ''}>${state}</option>`)}
      </select>
    </div>
    <div>
      <label for="filter-id">${logKinds[kind].idLabel}</label><input id="filter-id" name="id" value="${query.id ?? ''}" size="14" />
    </div>
    <div>
      <label for="filter-from">First recorded from (UTC)</label
      ><input id="filter-from" name="from" type="date" value="${query.from ?? ''}" />
    </div>
    <div><label for="filter-to">to (UTC, inclusive)</label><input id="filter-to" name="to" type="date" value="${query.to ?? ''}" /></div>
    <div><button type="submit">Filter</button></div>
  </form>`;
}

function entryRow(tenantId: string, entry: SyncLogRow): SafeHtml {
  return html`<tr>
    <td><a href="${consolePath('tenants', tenantId, 'orders', entry.externalId)}">${entry.externalId}</a></td>
    <td class="state state-${entry.state}">${entry.state}</td>
    <td>${entry.intacctDocumentId ?? ''}</td>
    <td class="number">${entry.attempts}</td>
    <td>${entry.errorCode ?? ''}</td>
    <td>${formatTime(entry.updatedAt)}</td>
  </tr>`;
}

function refundRow(tenantId: string, entry: SyncLogRow): SafeHtml {
  const amount =
    entry.amount !== undefined && entry.currency !== undefined ? `${formatAmount(entry.amount, entry.currency)} ${entry.currency}` : '';
  const document = entry.intacctDocumentId ?? (entry.reducedDocumentId && `${entry.reducedDocumentId} (${entry.reduction ?? 'reduced'})`);
  return html`<tr>
    <td>${entry.externalId}</td>
    <td>
      ${entry.orderExternalId && html`<a href="${consolePath('tenants', tenantId, 'orders', entry.orderExternalId)}">${entry.orderExternalId}</a>`}
    </td>
    <td class="state state-${entry.state}">${entry.state}</td>
    <td class="number">${amount}</td>
    <td>${document ?? ''}</td>
    <td class="number">${entry.attempts}</td>
    <td>${entry.errorCode ?? ''}</td>
    <td>${formatTime(entry.updatedAt)}</td>
  </tr>`;
}

const columns: Record<LogKind, string[]> = {
  order: ['Order', 'State', 'Intacct document', 'Attempts', 'Last error', 'Last activity'],
  refund: ['Refund', 'Order', 'State', 'Amount', 'Intacct document', 'Attempts', 'Last error', 'Last activity'],
};
const numeric = new Set(['Attempts', 'Amount']);

/**
 * The rows a sync-log page shows: one entry by its id (the ledger's own `_id` look-up), or a page
 * of the read model (store/sync-log.ts) filtered by state and first-recorded day.
 */
async function syncLogRows(deps: ConsoleDependencies, tenantId: string, kind: LogKind, query: LogQuery): Promise<SyncLogPage> {
  if (query.id) {
    const entry = await findLedgerEntry(deps.db, { tenantId, entity: kind, externalId: query.id });
    return { rows: entry === null || (query.state !== undefined && entry.state !== query.state) ? [] : [syncLogRowOf(entry)] };
  }
  return pageSyncLog(
    deps.db,
    tenantId,
    kind,
    {
      state: query.state,
      recordedFrom: query.from === undefined ? undefined : new Date(`${query.from}T00:00:00Z`),
      recordedBefore: query.to === undefined ? undefined : new Date(new Date(`${query.to}T00:00:00Z`).getTime() + dayMs),
    },
    { limit: pageSize, cursor: query.cursor },
  );
}

/**
 * The sync log of orders or refunds, newest first by when the ledger first recorded them,
 * filtered by state, id and day first recorded, in pages of 50 by keyset; a page costs the
 * same on the first and the thousandth page (see store/sync-log.ts for why a read model).
 */
async function renderSyncLog(
  deps: ConsoleDependencies,
  response: Response,
  tenantId: string,
  kind: LogKind,
  query: LogQuery,
): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'orders');
  const { tenant } = context;
  const result = await syncLogRows(deps, tenant._id, kind, query);
  const { cursor: _cursor, ...filters } = query;
  const { label } = logKinds[kind];
  const listPath = consolePath('tenants', tenant._id, logKinds[kind].path);
  const row = kind === 'order' ? entryRow : refundRow;
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: sync log`),
      html`<h1>Sync log: ${label.toLowerCase()}</h1>
        ${kindTabs(tenant._id, kind)} ${filtersForm(tenant._id, kind, query)}
        ${
          result.rows.length === 0
            ? html`<p>
                No ${label.toLowerCase()} match these
                filters${result.searchedBackTo && html` among those first recorded since ${formatTime(result.searchedBackTo)}`}.
              </p>`
            : html`<table>
                <caption>
                  ${label}${query.cursor === undefined ? '' : ' (continued)'}
                </caption>
                <thead>
                  <tr>
                    ${columns[kind].map((name) => html`<th scope="col" ${numeric.has(name) && html` class="number"`}>${name}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${result.rows.map((entry) => row(tenant._id, entry))}
                </tbody>
              </table>`
        }
        <nav class="pages" aria-label="Pages">
          ${query.cursor !== undefined && html`<a href="${listPath}${queryString(filters)}">First page</a>`}
          ${
            result.nextCursor &&
            html`<a href="${listPath}${queryString({ ...filters, cursor: result.nextCursor })}"
              >${result.searchedBackTo ? `Search further back` : 'Next page'}</a
            >`
          }
        </nav>`,
    ),
  );
}

/** The sync log's inventory runs: the stored reconciliation reports, newest first, by keyset. */
async function renderInventoryRuns(deps: ConsoleDependencies, response: Response, tenantId: string, cursor: string | undefined) {
  const context = await tenantPage(deps, response, tenantId, 'orders');
  const { tenant } = context;
  const reports = await pageInventoryReports(deps.db, tenant._id, { limit: pageSize, cursor });
  const listPath = consolePath('tenants', tenant._id, 'inventory-runs');
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: sync log`),
      html`<h1>Sync log: inventory runs</h1>
        ${kindTabs(tenant._id, 'inventory')}
        ${inventoryReportsTable(tenant._id, reports.reports, cursor === undefined ? 'Inventory runs, newest first' : 'Inventory runs (continued)')}
        <nav class="pages" aria-label="Pages">
          ${cursor !== undefined && html`<a href="${listPath}">First page</a>`}
          ${reports.nextCursor && html`<a href="${listPath}${queryString({ cursor: reports.nextCursor })}">Next page</a>`}
        </nav>`,
    ),
  );
}

/** The sync log (orders, refunds, inventory runs) and one order's page. */
export function registerSyncLogPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/orders', (request, response) =>
    renderSyncLog(deps, response, request.params.tenantId, 'order', logQuery.parse(request.query)),
  );
  router.get('/tenants/:tenantId/refunds', (request, response) =>
    renderSyncLog(deps, response, request.params.tenantId, 'refund', logQuery.parse(request.query)),
  );
  router.get('/tenants/:tenantId/inventory-runs', (request, response) => {
    const cursor = typeof request.query.cursor === 'string' ? request.query.cursor.slice(0, 400) : undefined;
    return renderInventoryRuns(deps, response, request.params.tenantId, cursor);
  });
  router.get('/tenants/:tenantId/orders/:orderId', (request, response) =>
    renderOrderPage(deps, response, request.params.tenantId, request.params.orderId),
  );
}
