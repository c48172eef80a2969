import type { Response, Router } from 'express';
import { z } from 'zod';
import { assertRole } from '../../api/admin/auth.js';
import { listAudit, type AuditEntry } from '../../store/audit-log.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, sendHtml, type SafeHtml } from '../templates.js';

const pageSize = 50;
const dayMs = 24 * 60 * 60_000;
/** The admin API's audit route is the admin's; the console's page is too. */
const auditRole = 'admin';
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** The audit page's filters as the query string carries them; a value that does not parse is dropped. */
const auditQuery = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  from: day,
  to: day,
  cursor: z.string().max(64).optional().catch(undefined),
});
type AuditQuery = z.infer<typeof auditQuery>;

function filtersForm(tenantId: string, query: AuditQuery): SafeHtml {
  return html`<form
    class="filters"
    method="get"
    action="${consolePath('tenants', tenantId, 'audit')}"
    role="search"
    aria-label="Filter the audit log"
  >
    <div>
      <label for="audit-action">Action starts with</label>
      <input id="audit-action" name="action" value="${query.action ?? ''}" size="18" />
    </div>
    <div><label for="audit-actor">Key id</label><input id="audit-actor" name="actor" value="${query.actor ?? ''}" size="18" /></div>
    <div><label for="audit-from">From (UTC)</label><input id="audit-from" name="from" type="date" value="${query.from ?? ''}" /></div>
    <div><label for="audit-to">to (UTC, inclusive)</label><input id="audit-to" name="to" type="date" value="${query.to ?? ''}" /></div>
    <div><button type="submit">Filter</button></div>
  </form>`;
}

function entryRow(entry: AuditEntry): SafeHtml {
  return html`<tr>
    <td><time datetime="${entry.at.toISOString()}">${formatTime(entry.at)}</time></td>
    <td><code>${entry.actor}</code></td>
    <td>${entry.action}</td>
    <td>${entry.target}</td>
    <td>${entry.details === undefined ? '' : html`<code>${JSON.stringify(entry.details)}</code>`}</td>
    <td>${entry.requestId === undefined ? '' : html`<code>${entry.requestId}</code>`}</td>
  </tr>`;
}

/**
 * The tenant's audit log, newest first, 50 a page by keyset, filtered by action (prefix), key
 * and day; for admin keys, as the admin API's `GET …/audit`. Details never hold secrets (the
 * use cases write them so); they are shown as their JSON text.
 */
async function renderAudit(deps: ConsoleDependencies, response: Response, tenantId: string, query: AuditQuery): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'audit');
  assertRole(context.signedIn.principal, auditRole);
  const { tenant } = context;
  const result = await listAudit(
    deps.db,
    tenant._id,
    { limit: pageSize, cursor: query.cursor, newestFirst: true },
    {
      actionPrefix: query.action || undefined,
      actor: query.actor || undefined,
      from: query.from === undefined ? undefined : new Date(`${query.from}T00:00:00Z`),
      before: query.to === undefined ? undefined : new Date(new Date(`${query.to}T00:00:00Z`).getTime() + dayMs),
    },
  );
  const { cursor: _cursor, ...filters } = query;
  const listPath = consolePath('tenants', tenant._id, 'audit');
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: audit log`),
      html`<h1>Audit log</h1>
        <p class="muted">
          Every change made through the admin API or this console: who (key id), what, on what, and the request id in the server log.
        </p>
        ${filtersForm(tenant._id, query)}
        ${
          result.items.length === 0
            ? html`<p>No entries match these filters.</p>`
            : html`<table>
                <caption>
                  Changes, newest first${query.cursor === undefined ? '' : ' (continued)'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Key</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Details</th>
                    <th scope="col">Request id</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.items.map(entryRow)}
                </tbody>
              </table>`
        }
        <nav class="pages" aria-label="Pages">
          ${query.cursor !== undefined && html`<a href="${listPath}${queryString(filters)}">Newest</a>`}
          ${result.nextCursor && html`<a href="${listPath}${queryString({ ...filters, cursor: result.nextCursor })}">Older entries</a>`}
        </nav>`,
    ),
  );
}

/** The audit log page under /console/tenants/:tenantId/audit. */
export function registerAuditPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/audit', (request, response) =>
    renderAudit(deps, response, request.params.tenantId, auditQuery.parse(request.query)),
  );
}
