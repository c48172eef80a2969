import type { Request, Response, Router } from 'express';
import { validationError } from '../../api/admin/documented-router.js';
import { approvePayout, payoutApprovalBody, payoutParams, retryPayout } from '../../api/admin/payout-workflow-routes.js';
import { HttpError } from '../../api/errors.js';
import type { ConsoleFlash } from '../../store/console-sessions.js';
import { findPayoutPosting, type PayoutPosting } from '../../store/payout-postings.js';
import { findProcessorPayout, listProcessorPayouts, type ProcessorPayoutDocument } from '../../store/processor-payouts.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page } from '../layout.js';
import type { SignedIn } from '../session.js';
import { redirectAfterAction } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, queryString, sendHtml, type SafeHtml } from '../templates.js';
import { refusal } from './inventory.js';
import { money } from './reconciliation-report.js';

/**
 * The payouts page: the tenant's processor payouts as stored, each with where PayoutReconcile
 * left it (state, Intacct deposit and journal keys, variances in words), and for operators the
 * retry and approve of the admin API's own use cases (`retryPayout`, `approvePayout`).
 */

const payoutsPerPage = 25;
/** The role of the payout retry and approve routes. */
const operatorRole = 'operator';

type Payout = { document: ProcessorPayoutDocument; posting: PayoutPosting | null };

const payoutPath = (tenantId: string, document: Pick<ProcessorPayoutDocument, 'processor' | 'payoutId'>, ...rest: string[]) =>
  consolePath('tenants', tenantId, 'payouts', document.processor, document.payoutId, ...rest);

function keysOf(posting: PayoutPosting | null): string {
  if (posting === null) return '—';
  const keys = [
    posting.depositKey && `deposit ${posting.depositKey}`,
    posting.journalKeys.length > 0 && `journals ${posting.journalKeys.join(', ')}`,
  ];
  return keys.filter(Boolean).join('; ') || '—';
}

function payoutRow(tenantId: string, { document, posting }: Payout): SafeHtml {
  const { payout } = document;
  return html`<tr>
    <td><a href="${payoutPath(tenantId, document)}">${document.payoutId}</a></td>
    <td>${document.processor} · ${payout.gateway}</td>
    <td>${payout.status}</td>
    <td>${payout.arrivalDate}</td>
    <td class="number">${money(payout.amount, payout.currency)}</td>
    <td>${posting?.state ?? 'not reconciled yet'}</td>
    <td>${keysOf(posting)}</td>
    <td class="number">${posting?.variances.length ?? 0}</td>
  </tr>`;
}

async function renderPayouts(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'payouts');
  const { tenant } = context;
  const cursor = typeof request.query.cursor === 'string' ? request.query.cursor.slice(0, 400) : undefined;
  const listed = await listProcessorPayouts(deps.db, tenant._id, {}, { limit: payoutsPerPage, cursor });
  const payouts = await Promise.all(
    listed.items.map(async (document) => ({
      document,
      posting: await findPayoutPosting(deps.db, tenant._id, document.processor, document.payoutId),
    })),
  );
  const listPath = consolePath('tenants', tenant._id, 'payouts');
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: payouts`),
      html`<h1>Payouts</h1>
        ${
          payouts.length === 0
            ? html`<p>No payout has been received yet.</p>`
            : html`<table>
                <caption>
                  Processor payouts, in the order they were received
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Payout</th>
                    <th scope="col">Processor · gateway</th>
                    <th scope="col">Processor status</th>
                    <th scope="col">Arrives</th>
                    <th scope="col" class="number">Net</th>
                    <th scope="col">Posting</th>
                    <th scope="col">Intacct keys</th>
                    <th scope="col" class="number">Variances</th>
                  </tr>
                </thead>
                <tbody>
                  ${payouts.map((payout) => payoutRow(tenant._id, payout))}
                </tbody>
              </table>`
        }
        <nav class="pages" aria-label="Pages">
          ${cursor !== undefined && html`<a href="${listPath}">First page</a>`}
          ${listed.nextCursor && html`<a href="${listPath}${queryString({ cursor: listed.nextCursor })}">Later payouts</a>`}
        </nav>`,
    ),
  );
}

function payoutActions(tenantId: string, document: ProcessorPayoutDocument, posting: PayoutPosting | null, signedIn: SignedIn): SafeHtml {
  const approvable = posting?.state === 'parked' && posting.variances.length > 0 && !posting.variancesApproved;
  return html`<section class="card" aria-labelledby="actions-heading">
    <h2 id="actions-heading">Actions</h2>
    <div class="actions">
      <form method="post" action="${payoutPath(tenantId, document, 'retry')}">
        ${csrfField(signedIn)}
        <button type="submit">Retry the payout</button>
      </form>
      ${
        approvable &&
        html`<form method="post" action="${payoutPath(tenantId, document, 'approve')}">
          ${csrfField(signedIn)}
          <div class="field">
            <label for="approve-note">Why the differences are accepted (required)</label>
            <input id="approve-note" name="note" required maxlength="500" size="40" />
          </div>
          <button type="submit">Approve and post with the variances</button>
        </form>`
      }
    </div>
  </section>`;
}

async function renderPayout(deps: ConsoleDependencies, response: Response, params: Record<string, string>): Promise<void> {
  const context = await tenantPage(deps, response, params.tenantId ?? '', 'payouts');
  const { tenant, signedIn } = context;
  const parsed = payoutParams.safeParse(params);
  const document = parsed.success ? await findProcessorPayout(deps.db, tenant._id, parsed.data.processor, parsed.data.payoutId) : null;
  if (document === null) throw new HttpError(404, 'not_found', `There is no payout ${params.processor}/${params.payoutId}.`);
  const posting = await findPayoutPosting(deps.db, tenant._id, document.processor, document.payoutId);
  const { payout } = document;
  const mayChange = mayAct(signedIn, operatorRole) && tenant.status === 'active' && posting?.state !== 'posted';
  sendHtml(
    response,
    page(
      context.frame(`Payout ${document.payoutId}`),
      html`<h1>Payout <code>${document.payoutId}</code></h1>
        <p><a href="${consolePath('tenants', tenant._id, 'payouts')}">Back to payouts</a></p>
        <dl class="facts">
          <dt>Processor · gateway</dt>
          <dd>${document.processor} · ${payout.gateway}</dd>
          <dt>Processor status</dt>
          <dd>${payout.status}</dd>
          <dt>Net to the bank</dt>
          <dd>${money(payout.amount, payout.currency)}</dd>
          <dt>Created · arrives</dt>
          <dd>${payout.createdDate} · ${payout.arrivalDate}</dd>
          <dt>Lines</dt>
          <dd>${payout.lines.length}</dd>
          <dt>Received</dt>
          <dd>${formatTime(document.importedAt)} (${document.source.layout})</dd>
          <dt>Posting</dt>
          <dd id="posting-state">
            ${posting === null ? 'not reconciled yet' : `${posting.state}, posts on ${posting.postingDate}`}${
              posting?.variancesApproved === true && '; variances approved'
            }
          </dd>
          <dt>Intacct deposit and journals</dt>
          <dd>${keysOf(posting)}</dd>
        </dl>
        <section aria-labelledby="variances-heading">
          <h2 id="variances-heading">Variances</h2>
          ${
            posting === null || posting.variances.length === 0
              ? html`<p>None.</p>`
              : html`<ul>
                  ${posting.variances.map(
                    (variance) => html`<li>${variance.explanation}${variance.lineId && html` (line <code>${variance.lineId}</code>)`}</li>`,
                  )}
                </ul>`
          }
        </section>
        ${mayChange && payoutActions(tenant._id, document, posting, signedIn)}
        ${!mayAct(signedIn, operatorRole) && html`<p class="muted">Retrying or approving a payout needs an operator key.</p>`}`,
    ),
  );
}

async function payoutAction(deps: ConsoleDependencies, request: Request, response: Response, action: 'retry' | 'approve'): Promise<void> {
  const params = request.params as Record<string, string>;
  const tenantId = params.tenantId ?? '';
  const { context } = await actingOn(deps, response, tenantId, operatorRole);
  const parsed = payoutParams.safeParse(params);
  if (!parsed.success) throw new HttpError(404, 'not_found', `There is no payout ${params.processor}/${params.payoutId}.`);
  let flash: ConsoleFlash;
  try {
    if (action === 'retry') {
      const retried = await retryPayout(deps, context, parsed.data);
      flash = { kind: 'success', text: `Payout ${parsed.data.payoutId} retried: now ${retried.status.step}.` };
    } else {
      const body = payoutApprovalBody.safeParse({ note: (request.body as Record<string, unknown>).note });
      if (!body.success) throw validationError(body.error, 'approval');
      const approved = await approvePayout(deps, context, parsed.data, body.data.note);
      flash = { kind: 'success', text: `Payout ${parsed.data.payoutId} approved with its variances: now ${approved.status.step}.` };
    }
  } catch (error) {
    flash = refusal(error);
  }
  await redirectAfterAction(deps.db, response, payoutPath(tenantId, parsed.data), flash);
}

/** The payouts list, one payout's page and its retry and approve under /console/tenants/:tenantId/payouts. */
export function registerPayoutPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/payouts', (request, response) => renderPayouts(deps, request, response, request.params.tenantId));
  router.get('/tenants/:tenantId/payouts/:processor/:payoutId', (request, response) => renderPayout(deps, response, request.params));
  for (const action of ['retry', 'approve'] as const)
    router.post(`/tenants/:tenantId/payouts/:processor/:payoutId/${action}`, (request, response) =>
      payoutAction(deps, request, response, action),
    );
}
