import type { Request, Response, Router } from 'express';
import { validationError } from '../../api/admin/documented-router.js';
import { periodField, runPeriodReconciliation } from '../../api/admin/reconciliation-routes.js';
import { HttpError } from '../../api/errors.js';
import { toPeriodReconciliationCsv } from '../../mappers/period-reconciliation-csv.js';
import type { ConsoleFlash } from '../../store/console-sessions.js';
import { listPeriodReports, readPeriodReport } from '../../store/period-reports.js';
import { isPeriod, previousPeriod } from '../../workflows/period-reconcile-contract.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page } from '../layout.js';
import { redirectAfterAction, type SignedIn } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, sendHtml, type SafeHtml } from '../templates.js';
import { refusal } from './inventory.js';
import { periodReportContent } from './reconciliation-report.js';

/**
 * The month-end reconciliation: the months reconciled so far (as `GET …/reconciliation/periods`),
 * one month's stored report with its CSV (the admin route's own CSV), and for operators the form
 * that reconciles a month now through the admin route's use case (`runPeriodReconciliation`).
 */

/** The role of `POST …/reconciliation`. */
const operatorRole = 'operator';

/** The month before the current one (UTC): the month a month-end close usually reconciles. */
function lastMonth(now = new Date()): string {
  return previousPeriod(now.toISOString().slice(0, 7));
}

function runForm(tenantId: string, signedIn: SignedIn): SafeHtml {
  return html`<section class="card" aria-labelledby="run-heading">
    <h2 id="run-heading">Reconcile a month now</h2>
    <form method="post" action="${consolePath('tenants', tenantId, 'reconciliation', 'run')}">
      ${csrfField(signedIn)}
      <div class="field">
        <label for="run-period">Month (YYYY-MM, in the tenant’s time zone)</label>
        <input id="run-period" name="period" required pattern="\\d{4}-\\d{2}" size="10" value="${lastMonth()}" />
      </div>
      <button type="submit">Run this month</button>
    </form>
    <p class="muted">A run of the month already going is joined, not doubled; the report appears here when it finishes.</p>
  </section>`;
}

async function renderPeriods(deps: ConsoleDependencies, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'reconciliation');
  const { tenant, signedIn } = context;
  const periods = await listPeriodReports(deps.db, tenant._id);
  const mayRun = mayAct(signedIn, operatorRole) && tenant.status === 'active';
  const periodPath = (period: string, ...rest: string[]) => consolePath('tenants', tenant._id, 'reconciliation', period, ...rest);
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: reconciliation`),
      html`<h1>Month-end reconciliation</h1>
        ${mayRun ? runForm(tenant._id, signedIn) : html`<p class="muted">Running a reconciliation needs an operator key.</p>`}
        <section aria-labelledby="periods-heading">
          <h2 id="periods-heading">Reconciled months</h2>
          ${
            periods.length === 0
              ? html`<p>No month has been reconciled yet.</p>`
              : html`<table aria-labelledby="periods-heading">
                  <thead>
                    <tr>
                      <th scope="col">Month</th>
                      <th scope="col" class="number">Differences</th>
                      <th scope="col" class="number">Revision</th>
                      <th scope="col">Stored</th>
                      <th scope="col">Fingerprint</th>
                      <th scope="col">CSV</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${periods.map(
                      (period) =>
                        html`<tr>
                          <td><a href="${periodPath(period.period)}">${period.period}</a></td>
                          <td class="number">${period.differences}</td>
                          <td class="number">${period.revision}</td>
                          <td>${formatTime(period.storedAt)}</td>
                          <td><code>${period.figuresHash.slice(0, 12)}</code></td>
                          <td><a href="${periodPath(period.period, 'csv')}" download>CSV of ${period.period}</a></td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>`,
    ),
  );
}

/** The stored report of `period`, or 404 (a malformed month as much as one not reconciled). */
async function storedReport(deps: ConsoleDependencies, tenantId: string, period: string) {
  const stored = isPeriod(period) ? await readPeriodReport(deps.db, tenantId, period) : null;
  if (stored === null) throw new HttpError(404, 'not_found', `${period} has not been reconciled for this tenant.`);
  return stored;
}

async function renderReport(deps: ConsoleDependencies, response: Response, tenantId: string, period: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'reconciliation');
  const stored = await storedReport(deps, context.tenant._id, period);
  const { report } = stored;
  const runs = stored.runs.slice(-5).reverse();
  sendHtml(
    response,
    page(
      context.frame(`Reconciliation ${stored.period}`),
      html`<h1>Reconciliation of ${stored.period}</h1>
        <p>
          <a href="${consolePath('tenants', context.tenant._id, 'reconciliation')}">Back to the reconciled months</a> ·
          <a href="${consolePath('tenants', context.tenant._id, 'reconciliation', stored.period, 'csv')}" download
            >Download the report as CSV</a
          >
        </p>
        <dl class="facts">
          <dt>Days</dt>
          <dd>${report.from} to ${report.to} (${report.timeZone})</dd>
          <dt>Base currency</dt>
          <dd>${report.baseCurrency}</dd>
          <dt>Revision</dt>
          <dd>
            ${stored.revision}, stored
            ${formatTime(stored.storedAt)}${
              stored.previous && `; revision ${stored.previous.revision} had other figures (${stored.previous.figuresHash.slice(0, 12)})`
            }
          </dd>
          <dt>Fingerprint</dt>
          <dd><code>${stored.figuresHash}</code></dd>
          <dt>Latest runs</dt>
          <dd>${runs.map((run) => `${formatTime(run.at)} by ${run.requestedBy}`).join('; ')}</dd>
        </dl>
        ${periodReportContent(report)}`,
    ),
  );
}

/** The same CSV, file name and headers as `GET …/reconciliation?format=csv`. */
async function sendCsv(deps: ConsoleDependencies, response: Response, tenantId: string, period: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'reconciliation');
  const stored = await storedReport(deps, context.tenant._id, period);
  response
    .status(200)
    .type('text/csv')
    .setHeader('Content-Disposition', `attachment; filename="${context.tenant._id}-reconciliation-${stored.period}.csv"`)
    .send(toPeriodReconciliationCsv(stored.report));
}

async function runMonth(deps: ConsoleDependencies, request: Request, response: Response): Promise<void> {
  const { tenantId } = request.params as { tenantId: string };
  const { context } = await actingOn(deps, response, tenantId, operatorRole);
  const form = request.body as Record<string, unknown>;
  let flash: ConsoleFlash;
  try {
    const period = periodField.safeParse(typeof form.period === 'string' ? form.period.trim() : undefined);
    if (!period.success) throw validationError(period.error, 'form');
    const started = await runPeriodReconciliation(deps, context, tenantId, period.data);
    flash = {
      kind: 'success',
      text: `Reconciliation of ${started.period} started (${started.workflowId}); its report appears here when it finishes.`,
    };
  } catch (error) {
    flash = refusal(error);
  }
  await redirectAfterAction(deps.db, response, consolePath('tenants', tenantId, 'reconciliation'), flash);
}

/** The reconciliation pages and the run form under /console/tenants/:tenantId/reconciliation. */
export function registerReconciliationPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/reconciliation', (request, response) => renderPeriods(deps, response, request.params.tenantId));
  router.post('/tenants/:tenantId/reconciliation/run', (request, response) => runMonth(deps, request, response));
  router.get('/tenants/:tenantId/reconciliation/:period', (request, response) =>
    renderReport(deps, response, request.params.tenantId, request.params.period),
  );
  router.get('/tenants/:tenantId/reconciliation/:period/csv', (request, response) =>
    sendCsv(deps, response, request.params.tenantId, request.params.period),
  );
}
