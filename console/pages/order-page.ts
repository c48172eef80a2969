import type { Response } from 'express';
import { readOrderStatus } from '../../api/admin/order-routes.js';
import { HttpError } from '../../api/errors.js';
import { findAttentionItem } from '../../store/attention.js';
import {
  findLedgerEntry,
  listOrderCapturePayments,
  listOrderRefunds,
  listOrderShipmentInvoices,
  type LedgerEntry,
} from '../../store/ledger.js';
import { orderToCashWorkflowId, type OrderToCashStatus } from '../../workflows/order-to-cash-contract.js';
import { readSettings } from '../../store/settings.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../layout.js';
import { tenantPage } from '../tenant-page.js';
import { formatTime, html, type SafeHtml, sendHtml } from '../templates.js';
import { attentionItemView } from './attention-items.js';
import { storefrontOrderLink, type StorefrontOrderLink } from './storefront-link.js';

/** One moment of the order's way, from the ledger. */
interface TimelineEvent {
  at: Date;
  text: string;
}

/** The workflow's live status, or why it could not be read (ended beyond retention, Temporal down). */
type LiveStatus = { ok: true; status: OrderToCashStatus } | { ok: false; why: string };

const ledgerTimeline = (order: LedgerEntry | null, related: LedgerEntry[]): TimelineEvent[] => {
  const events: TimelineEvent[] = [];
  if (order) {
    events.push({ at: order.createdAt, text: 'First seen' });
    if (order.lastError) events.push({ at: order.lastError.at, text: `Stopped: ${order.lastError.code}: ${order.lastError.message}` });
    events.push({
      at: order.updatedAt,
      text: `Now ${order.state}${order.intacctDocumentId ? ` as ${order.intacctDocumentId}` : ''} after ${order.attempts} attempt(s)`,
    });
  }
  for (const entry of related) {
    const key = entry.intacctDocumentId ?? entry.intacctKey;
    events.push({ at: entry.createdAt, text: `${entry.entity} ${entry.externalId}: ${entry.state}${key ? ` (${key})` : ''}` });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
};

function keysView(order: LedgerEntry | null, live: LiveStatus): SafeHtml {
  const intacct = live.ok ? live.status.intacct : undefined;
  const rows: Array<[string, string | undefined]> = [
    ['Sales document', intacct?.salesDocumentId ?? order?.intacctDocumentId],
    ['Document key (RECORDNO)', order?.intacctKey],
    ['AR invoice key', order?.arInvoiceKey],
    ['Customer', intacct?.customerId],
    ['Payment key', intacct?.paymentKey],
    ['Invoices', intacct?.invoiceDocumentIds?.join(', ') ?? intacct?.invoiceDocumentId],
    ['Capture payments', intacct?.capturePaymentKeys?.join(', ')],
  ];
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
  if (shown.length === 0) return html`<p>Nothing posted in Intacct yet.</p>`;
  return html`<dl class="facts">
    ${shown.map(
      ([name, value]) =>
        html`<dt>${name}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;
}

function storefrontView(link: StorefrontOrderLink): SafeHtml {
  if (link.kind === 'page') return html`<p><a href="${link.url}" rel="noopener noreferrer">${link.label}</a></p>`;
  return html`<p>${link.label}: <code>${link.address}</code> <span class="muted">(${link.why})</span></p>`;
}

function temporalLink(deps: ConsoleDependencies, workflowId: string): SafeHtml {
  if (deps.temporalUiUrl === undefined) return html`<p class="muted">Workflow id: <code>${workflowId}</code></p>`;
  const url = `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.temporalNamespace ?? 'default')}/workflows/${encodeURIComponent(workflowId)}`;
  return html`<p><a href="${url}" rel="noopener">Open workflow ${workflowId} in Temporal UI</a></p>`;
}

/**
 * One order's page: where it stands (the workflow's status query, or the ledger when the
 * workflow is gone), its way as a timeline from the ledger (the order, its refunds, payments
 * and invoices), the Intacct keys, its attention item with the actions the key may take, and
 * a link to the workflow in Temporal UI. 404 when neither the ledger nor Temporal knows it.
 */
export async function renderOrderPage(deps: ConsoleDependencies, response: Response, tenantId: string, orderId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'orders');
  const { tenant, signedIn } = context;
  const key = { tenantId: tenant._id, entity: 'order' as const, externalId: orderId };
  const [order, attention, refunds, payments, invoices, settings] = await Promise.all([
    findLedgerEntry(deps.db, key),
    findAttentionItem(deps.db, key),
    listOrderRefunds(deps.db, tenant._id, orderId),
    listOrderCapturePayments(deps.db, tenant._id, orderId),
    listOrderShipmentInvoices(deps.db, tenant._id, orderId),
    readSettings(deps.db, tenant._id),
  ]);
  const live: LiveStatus = await readOrderStatus(deps, signedIn.principal, tenant._id, orderId).then(
    ({ status }) => ({ ok: true as const, status }),
    (error: unknown) => {
      if (error instanceof HttpError && error.status < 500) return { ok: false as const, why: error.message };
      if (error instanceof HttpError) return { ok: false as const, why: `Temporal did not answer (${error.message})` };
      throw error;
    },
  );
  if (order === null && !live.ok && attention === null) throw new HttpError(404, 'order_not_found', `No order ${orderId} in the sync log.`);
  const timeline = ledgerTimeline(order, [...refunds, ...payments, ...invoices]);
  sendHtml(
    response,
    page(
      context.frame(`Order ${orderId}`),
      html`<h1>Order ${orderId}</h1>
        <section aria-labelledby="status-heading">
          <h2 id="status-heading">Where it stands</h2>
          <dl class="facts">
            <dt>Sync log state</dt>
            <dd class="state state-${order?.state ?? 'pending'}">${order?.state ?? 'not in the ledger yet'}</dd>
            <dt>Workflow step</dt>
            <dd>${live.ok ? live.status.step.replaceAll('_', ' ') : live.why}</dd>
            ${
              live.ok &&
              live.status.note !== undefined &&
              html`<dt>Note</dt>
                <dd>${live.status.note}</dd>`
            }
            ${
              order?.settingsVersion !== undefined &&
              html`<dt>Settings version</dt>
                <dd>${order.settingsVersion}</dd>`
            }
          </dl>
          ${settings && storefrontView(storefrontOrderLink(settings.settings.connection.storefront, orderId))}
          ${temporalLink(deps, order?.workflowId ?? orderToCashWorkflowId(tenant._id, orderId))}
        </section>
        ${
          attention &&
          html`<section aria-labelledby="attention-heading">
            <h2 id="attention-heading">Attention item (${attention.state})</h2>
            <ul class="items">
              ${attentionItemView(signedIn, tenant._id, attention, 'order-item')}
            </ul>
          </section>`
        }
        <section aria-labelledby="keys-heading">
          <h2 id="keys-heading">Intacct</h2>
          ${keysView(order, live)}
        </section>
        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Timeline</h2>
          ${
            timeline.length === 0
              ? html`<p>The ledger has no entries for this order yet.</p>`
              : html`<ol class="timeline">
                  ${timeline.map((event) => html`<li><time datetime="${event.at.toISOString()}">${formatTime(event.at)}</time>: ${event.text}</li>`)}
                </ol>`
          }
        </section>`,
    ),
  );
}
