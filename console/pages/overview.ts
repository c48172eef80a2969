import type { Response } from 'express';
import { intacctUsageOfMonth } from '../../api/admin/intacct-usage-routes.js';
import { countOpenAttentionByCode } from '../../store/attention.js';
import { describeCredentials } from '../../store/credentials.js';
import { intacctUsageMonth } from '../../store/intacct-usage.js';
import { countLedgerStates, type LedgerEntry } from '../../store/ledger.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, html, queryString, sendHtml, type SafeHtml } from '../templates.js';
import { schedulesCard } from './overview-schedules.js';

const ledgerStates: ReadonlyArray<LedgerEntry['state']> = ['synced', 'pending', 'parked', 'failed', 'skipped', 'cancelled'];
const dayMs = 24 * 60 * 60_000;

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * What the safety-net sweep last found of the store's webhooks, from its open attention item
 * (activities/webhook-health.ts): the store deactivated or lost some, or the sweep re-activated them.
 */
function webhookProblem(tenantId: string, attention: ReadonlyArray<{ code: string }>): SafeHtml | undefined {
  const finding = attention.find((group) => group.code.startsWith('storefront_webhooks_'));
  if (finding === undefined) return undefined;
  const words =
    finding.code === 'storefront_webhooks_reactivated'
      ? 'the store had deactivated some; the sweep re-activated them'
      : finding.code === 'storefront_webhooks_disabled'
        ? 'the store has deactivated some'
        : 'some are missing at the store';
  return html`<a href="${consolePath('tenants', tenantId, 'attention')}${queryString({ code: finding.code })}">${words}</a>`;
}

function connectionsCard(
  tenantId: string,
  tenantStorefront: string,
  credentials: Awaited<ReturnType<typeof describeCredentials>>,
  attention: ReadonlyArray<{ code: string }>,
): SafeHtml {
  const rows = [
    { name: 'Intacct', set: credentials.intacct.set },
    { name: `Storefront (${tenantStorefront})`, set: credentials[tenantStorefront as 'bigcommerce' | 'clarity']?.set ?? false },
    { name: 'Webhooks', set: credentials.webhook.set },
  ];
  const webhooks = webhookProblem(tenantId, attention);
  return html`<section class="card" aria-labelledby="connections-heading">
    <h2 id="connections-heading">Connections</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Connection</th>
          <th scope="col">Credentials</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              <td>${row.name}</td>
              ${
                row.name === 'Webhooks' && row.set && webhooks !== undefined
                  ? html`<td class="health-bad">registered, but ${webhooks}</td>`
                  : html`<td class="${row.set ? 'health-ok' : 'health-bad'}">
                      ${row.name === 'Webhooks' ? (row.set ? 'registered' : 'not registered') : row.set ? 'set' : 'missing'}
                    </td>`
              }
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function ordersCard(tenantId: string, today: Partial<Record<string, number>>, week: Partial<Record<string, number>>): SafeHtml {
  return html`<section class="card" aria-labelledby="orders-heading">
    <h2 id="orders-heading">Orders by sync state</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">State</th>
          <th scope="col" class="number">Today</th>
          <th scope="col" class="number">Last 7 days</th>
        </tr>
      </thead>
      <tbody>
        ${ledgerStates.map(
          (state) =>
            html`<tr>
              <td>
                <a class="state state-${state}" href="${consolePath('tenants', tenantId, 'orders')}${queryString({ state })}">${state}</a>
              </td>
              <td class="number">${today[state] ?? 0}</td>
              <td class="number">${week[state] ?? 0}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">Counted by the day the order was first seen (UTC).</p>
  </section>`;
}

function attentionCard(tenantId: string, groups: Array<{ code: string; count: number }>): SafeHtml {
  return html`<section class="card" aria-labelledby="attention-heading">
    <h2 id="attention-heading">Open attention items</h2>
    ${
      groups.length === 0
        ? html`<p>Nothing waits for a person.</p>`
        : html`<table>
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
                      <a href="${consolePath('tenants', tenantId, 'attention')}${queryString({ code: group.code })}">${group.code}</a>
                    </td>
                    <td class="number">${group.count}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

function intacctUsageCard(usage: Awaited<ReturnType<typeof intacctUsageOfMonth>>): SafeHtml {
  const { monthlyTransactions, deferNonUrgentAtPercent } = usage.budget;
  const deferring =
    monthlyTransactions !== undefined &&
    deferNonUrgentAtPercent !== undefined &&
    usage.transactions >= Math.floor((monthlyTransactions * deferNonUrgentAtPercent) / 100);
  return html`<section class="card" aria-labelledby="intacct-usage-heading">
    <h2 id="intacct-usage-heading">Intacct API transactions, ${usage.month}</h2>
    <p>
      ${usage.transactions.toLocaleString('en-US')}
      ${
        monthlyTransactions === undefined
          ? html`sent this month; no budget is set (<code>intacctBudget.monthlyTransactions</code>).`
          : html`of a budget of ${monthlyTransactions.toLocaleString('en-US')} (${usage.percentUsed ?? 0} %).`
      }
    </p>
    ${
      usage.crossings.length > 0 &&
      html`<p class="health-bad">Thresholds crossed: ${usage.crossings.map((crossing) => `${crossing.thresholdPercent} %`).join(', ')}.</p>`
    }
    ${
      deferring &&
      html`<p class="notice error" role="status">
        The soft limit (${deferNonUrgentAtPercent} %) is reached: inventory reconciles and catalog syncs are deferred; orders, refunds and
        payouts go on.
      </p>`
    }
  </section>`;
}

/**
 * A tenant's overview: which connections have credentials, the schedules with their next
 * runs, orders by sync state today and over the last 7 days (from the ledger), open
 * attention items by code, and the month's Intacct API transactions against the budget.
 */
export async function renderOverview(deps: ConsoleDependencies, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'overview');
  const { tenant } = context;
  const now = new Date();
  const [credentials, today, week, attention, schedules, usage] = await Promise.all([
    describeCredentials(deps.db, tenant._id),
    countLedgerStates(deps.db, tenant._id, { entity: 'order', since: startOfUtcDay(now) }),
    countLedgerStates(deps.db, tenant._id, { entity: 'order', since: new Date(startOfUtcDay(now).getTime() - 6 * dayMs) }),
    countOpenAttentionByCode(deps.db, tenant._id),
    schedulesCard(deps, tenant),
    intacctUsageOfMonth(deps.db, tenant._id, intacctUsageMonth(now)),
  ]);
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: overview`),
      html`<h1>${tenant.name} <span class="muted">(${tenant._id})</span></h1>
        ${tenant.status === 'disabled' && html`<p class="notice error" role="status">This tenant is disabled: nothing syncs, and its keys can only read.</p>`}
        <div class="cards">
          ${connectionsCard(tenant._id, tenant.storefront, credentials, attention)} ${schedules} ${ordersCard(tenant._id, today, week)}
          ${attentionCard(tenant._id, attention)} ${intacctUsageCard(usage)}
        </div>`,
    ),
  );
}
