import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { validationError } from '../../api/admin/documented-router.js';
import {
  describeInventorySchedule,
  inventoryPauseBody,
  inventoryResumeBody,
  pauseInventorySchedule,
  resumeInventorySchedule,
  triggerInventoryReconcile,
  triggerOverlapPolicies,
} from '../../api/admin/inventory-schedule-routes.js';
import { HttpError } from '../../api/errors.js';
import type { ConsoleFlash } from '../../store/console-sessions.js';
import { pageInventoryReports, readInventoryReport } from '../../store/inventory-reports.js';
import type { InventoryReport } from '../../workflows/inventory-reconcile-contract.js';
import { actingOn } from '../acting.js';
import { skuSyncSection } from './inventory-sku.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page } from '../layout.js';
import { redirectAfterAction, type SignedIn } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, sendHtml, type SafeHtml } from '../templates.js';

/**
 * The inventory page: InventoryReconcile's schedule (pause with a note, resume, run now, through
 * the admin API's own use cases) and the stored reports of recent runs, newest first, each with
 * a page of its own.
 */

const reportsPerPage = 20;
const operatorRole = 'operator';

type ScheduleView = Awaited<ReturnType<typeof describeInventorySchedule>>;
/** The schedule, or why it cannot be shown (none yet: inventory sync never on; Temporal down). */
type ScheduleState = { ok: true; schedule: ScheduleView } | { ok: false; why: string };

async function readSchedule(deps: ConsoleDependencies, tenantId: string): Promise<ScheduleState> {
  try {
    return { ok: true, schedule: await describeInventorySchedule(deps, { _id: tenantId }) };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404)
      return { ok: false, why: 'Not scheduled: the schedule is written when inventory sync is turned on in the settings.' };
    if (error instanceof HttpError && error.status === 503) return { ok: false, why: 'Unknown: Temporal did not answer.' };
    throw error;
  }
}

const time = (iso: string): string => formatTime(new Date(iso));

function scheduleFacts(schedule: ScheduleView): SafeHtml {
  const state = schedule.paused
    ? `Paused by ${schedule.pausedBy === 'settings' ? 'the settings (inventory sync off or tenant disabled)' : 'an operator'}`
    : 'Active';
  return html`<dl class="facts">
    <dt>State</dt>
    <dd id="schedule-state">${state}</dd>
    ${
      schedule.note !== undefined &&
      html`<dt>Note</dt>
        <dd id="schedule-note">${schedule.note}</dd>`
    }
    <dt>Runs</dt>
    <dd><code>${schedule.cron ?? '—'}</code>${schedule.timezone && ` (${schedule.timezone})`}</dd>
    <dt>Next runs</dt>
    <dd>${schedule.nextRunsAt.length === 0 ? 'none while paused' : schedule.nextRunsAt.map(time).join(', ')}</dd>
    <dt>Running now</dt>
    <dd>${schedule.runningWorkflowIds.length === 0 ? 'nothing' : schedule.runningWorkflowIds.join(', ')}</dd>
  </dl>`;
}

function scheduleActions(tenantId: string, schedule: ScheduleView, csrf: SafeHtml): SafeHtml {
  const path = (action: string) => consolePath('tenants', tenantId, 'inventory', action);
  return html`<div class="actions">
    ${
      schedule.paused
        ? html`<form method="post" action="${path('resume')}">
            ${csrf}
            <div class="field">
              <label for="resume-note">Note (optional)</label>
              <input id="resume-note" name="note" maxlength="500" size="40" />
            </div>
            <button type="submit">Resume the schedule</button>
          </form>`
        : html`<form method="post" action="${path('pause')}">
            ${csrf}
            <div class="field">
              <label for="pause-note">Why pause (required)</label>
              <input id="pause-note" name="note" required maxlength="500" size="40" />
            </div>
            <button type="submit">Pause the schedule</button>
          </form>`
    }
    <form method="post" action="${path('run')}">
      ${csrf}
      <div class="field">
        <label for="run-overlap">If a run is under way</label>
        <select id="run-overlap" name="overlap">
          <option value="SKIP">skip this one (that run brings every SKU in line)</option>
          <option value="BUFFER_ONE">run again when it ends</option>
        </select>
      </div>
      <button type="submit">Reconcile now</button>
    </form>
  </div>`;
}

function scheduleSection(tenantId: string, state: ScheduleState, signedIn: SignedIn, mayChange: boolean): SafeHtml {
  return html`<section class="card" aria-labelledby="schedule-heading">
    <h2 id="schedule-heading">Reconciliation schedule</h2>
    ${state.ok ? scheduleFacts(state.schedule) : html`<p>${state.why}</p>`}
    ${state.ok && mayChange && scheduleActions(tenantId, state.schedule, csrfField(signedIn))}
    ${
      state.ok &&
      state.schedule.recentRuns.length > 0 &&
      html`<h3>Started by the schedule</h3>
        <ul>
          ${state.schedule.recentRuns.map((run) => html`<li>${time(run.startedAt)}: <code>${run.workflowId}</code></li>`)}
        </ul>`
    }
  </section>`;
}

function reportRow(tenantId: string, report: InventoryReport): SafeHtml {
  return html`<tr>
    <td><a href="${consolePath('tenants', tenantId, 'inventory', 'reports', report.runId)}">${time(report.finishedAt)}</a></td>
    <td>${report.outcome}</td>
    <td class="number">${report.compared}</td>
    <td class="number">${report.changed}</td>
    <td class="number">${report.pushed}</td>
    <td class="number">${report.failed}</td>
    <td class="number">${report.unmapped}</td>
    <td class="number">${Math.round(report.durationMs / 1000)} s</td>
  </tr>`;
}

/** The reports table (the inventory page's, and the sync log's inventory runs). */
export function inventoryReportsTable(tenantId: string, reports: readonly InventoryReport[], caption: string): SafeHtml {
  if (reports.length === 0) return html`<p>No reconciliation has finished yet.</p>`;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">Finished</th>
        <th scope="col">Outcome</th>
        <th scope="col" class="number">Compared</th>
        <th scope="col" class="number">Differed</th>
        <th scope="col" class="number">Pushed</th>
        <th scope="col" class="number">Failed</th>
        <th scope="col" class="number">Unmapped</th>
        <th scope="col" class="number">Took</th>
      </tr>
    </thead>
    <tbody>
      ${reports.map((report) => reportRow(tenantId, report))}
    </tbody>
  </table>`;
}

async function renderInventory(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'inventory');
  const { tenant, signedIn } = context;
  const cursor = typeof request.query.cursor === 'string' ? request.query.cursor.slice(0, 400) : undefined;
  const [schedule, reports] = await Promise.all([
    readSchedule(deps, tenant._id),
    pageInventoryReports(deps.db, tenant._id, { limit: reportsPerPage, cursor }),
  ]);
  const mayChange = mayAct(signedIn, operatorRole) && tenant.status === 'active';
  const listPath = consolePath('tenants', tenant._id, 'inventory');
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: inventory`),
      html`<h1>Inventory</h1>
        ${scheduleSection(tenant._id, schedule, signedIn, mayChange)} ${mayChange && skuSyncSection(tenant._id, signedIn)}
        ${!mayChange && html`<p class="muted">Pausing, resuming and running the schedule needs an operator key.</p>`}
        <section aria-labelledby="reports-heading">
          <h2 id="reports-heading">Recent runs</h2>
          ${inventoryReportsTable(tenant._id, reports.reports, cursor === undefined ? 'Reports, newest first' : 'Reports (continued)')}
          <nav class="pages" aria-label="Pages">
            ${cursor !== undefined && html`<a href="${listPath}">Newest</a>`}
            ${reports.nextCursor && html`<a href="${listPath}${queryString({ cursor: reports.nextCursor })}">Older runs</a>`}
          </nav>
        </section>`,
    ),
  );
}

function samplesList(title: string, id: string, items: readonly string[]): SafeHtml {
  if (items.length === 0) return html``;
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    <ul class="inline-list">
      ${items.map((item) => html`<li><code>${item}</code></li>`)}
    </ul>
  </section>`;
}

async function renderReport(deps: ConsoleDependencies, response: Response, tenantId: string, runId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'inventory');
  const report = await readInventoryReport(deps.db, context.tenant._id, runId);
  if (report === null) throw new HttpError(404, 'not_found', `There is no inventory report ${runId}.`);
  const counters: Array<[string, number]> = [
    ['Intacct pages read', report.pages],
    ['Intacct items read', report.intacctItems],
    ['SKUs compared', report.compared],
    ['Levels that differed', report.changed],
    ['Levels pushed', report.pushed],
    ['Failed', report.failed],
    ['Unmapped Intacct items', report.unmapped],
    ['Left out by the SKU filter', report.filtered],
    ['Not in the storefront', report.notInStorefront],
    ['Storefront writes', report.batches],
    ['Intacct API transactions', report.intacctTransactions],
  ];
  sendHtml(
    response,
    page(
      context.frame(`Inventory run ${runId}`),
      html`<h1>Inventory run <code>${runId}</code></h1>
        <p><a href="${consolePath('tenants', context.tenant._id, 'inventory')}">Back to inventory</a></p>
        <dl class="facts">
          <dt>Outcome</dt>
          <dd>${report.outcome}</dd>
          <dt>Ran</dt>
          <dd>${time(report.startedAt)} to ${time(report.finishedAt)} (${Math.round(report.durationMs / 1000)} s)</dd>
          ${counters.map(
            ([name, value]) =>
              html`<dt>${name}</dt>
                <dd>${value}</dd>`,
          )}
        </dl>
        ${
          report.largestDrifts.length > 0 &&
          html`<table>
            <caption>
              Largest differences
            </caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col" class="number">Storefront had</th>
                <th scope="col" class="number">Intacct says</th>
              </tr>
            </thead>
            <tbody>
              ${report.largestDrifts.map(
                (drift) =>
                  html`<tr>
                    <td>${drift.sku}</td>
                    <td class="number">${drift.from}</td>
                    <td class="number">${drift.to}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        }
        ${
          report.failedSamples.length > 0 &&
          html`<section aria-labelledby="failed-heading">
            <h2 id="failed-heading">Failed (first few)</h2>
            <ul>
              ${report.failedSamples.map((sample) => html`<li><code>${sample.sku}</code>: ${sample.reason}</li>`)}
            </ul>
          </section>`
        }
        ${samplesList('Unmapped Intacct items (first few)', 'unmapped-heading', report.unmappedSamples)}
        ${samplesList('Not in the storefront (first few)', 'not-in-storefront-heading', report.notInStorefrontSamples)}`,
    ),
  );
}

/** A refused or failed action (an HttpError the operator can act on), as the flash of the page it returns to; other errors go on to the error page. */
export function refusal(error: unknown): ConsoleFlash {
  if (error instanceof HttpError && error.status !== 500) {
    const details = Array.isArray(error.details) ? (error.details as Array<{ message?: unknown }>) : [];
    const reasons = details.map((detail) => detail.message).filter((message): message is string => typeof message === 'string');
    return { kind: 'error', text: `Not done: ${error.message}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}.` };
  }
  throw error;
}

const overlapField = z.object({ overlap: z.enum(triggerOverlapPolicies).default('SKIP') });

/** Runs one schedule action after the console's checks; its outcome (or why not) is the flash of the inventory page. */
async function scheduleAction(
  deps: ConsoleDependencies,
  request: Request,
  response: Response,
  action: 'pause' | 'resume' | 'run',
): Promise<void> {
  const { tenantId } = request.params as { tenantId: string };
  const { context } = await actingOn(deps, response, tenantId, operatorRole);
  const form = request.body as Record<string, unknown>;
  const note = typeof form.note === 'string' && form.note.trim() !== '' ? form.note : undefined;
  let flash: ConsoleFlash;
  try {
    if (action === 'pause') {
      const body = inventoryPauseBody.safeParse({ note });
      if (!body.success) throw validationError(body.error, 'pause');
      await pauseInventorySchedule(deps, context, tenantId, body.data.note);
      flash = { kind: 'success', text: `Inventory schedule paused: ${body.data.note}` };
    } else if (action === 'resume') {
      const body = inventoryResumeBody.safeParse({ note });
      if (!body.success) throw validationError(body.error, 'resume');
      await resumeInventorySchedule(deps, context, tenantId, body.data.note);
      flash = { kind: 'success', text: 'Inventory schedule resumed.' };
    } else {
      const body = overlapField.safeParse({ overlap: form.overlap });
      if (!body.success) throw validationError(body.error, 'run');
      const triggered = await triggerInventoryReconcile(deps, context, tenantId, body.data.overlap);
      const said = {
        started: 'Reconciliation started.',
        skipped: 'A reconciliation is already running; it brings every SKU in line, so no other was started.',
        queued: 'A reconciliation is running; another starts when it ends.',
      };
      flash = { kind: 'success', text: said[triggered.outcome] };
    }
  } catch (error) {
    flash = refusal(error);
  }
  await redirectAfterAction(deps.db, response, consolePath('tenants', tenantId, 'inventory'), flash);
}

/** The inventory page, a report's page, and the schedule's actions under /console/tenants/:tenantId/inventory. */
export function registerInventoryPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/inventory', (request, response) => renderInventory(deps, request, response, request.params.tenantId));
  router.get('/tenants/:tenantId/inventory/reports/:runId', (request, response) =>
    renderReport(deps, response, request.params.tenantId, request.params.runId),
  );
  for (const action of ['pause', 'resume', 'run'] as const)
    router.post(`/tenants/:tenantId/inventory/${action}`, (request, response) => scheduleAction(deps, request, response, action));
}
