import type { AttentionItem } from '../../store/attention.js';
import { csrfField, mayAct } from '../layout.js';
import type { SignedIn } from '../session.js';
import { consolePath, formatTime, html, type SafeHtml } from '../templates.js';
import { orderActionRole } from '../../api/admin/order-routes.js';
import { attentionActionRole } from '../../api/admin/record-routes.js';
import { refundActionRole } from '../../api/admin/refund-routes.js';
import type { Role } from '../../store/api-keys.js';

/** The actions the attention page offers, by the entity of the item. */
export type AttentionAction = 'retry' | 'approve' | 'cancel' | 'resolve';

/** Which actions an item of this entity takes: orders and refunds have a workflow to retry; any item can be resolved. */
export function actionsFor(entity: AttentionItem['entity']): AttentionAction[] {
  if (entity === 'order') return ['retry', 'approve', 'cancel', 'resolve'];
  if (entity === 'refund') return ['retry', 'resolve'];
  return ['resolve'];
}

/** The role an action needs: the one the admin route for the same action declares. */
export function roleFor(entity: AttentionItem['entity'], action: AttentionAction): Role {
  if (action === 'resolve') return attentionActionRole;
  return entity === 'refund' ? refundActionRole : orderActionRole;
}

const actionLabels: Record<AttentionAction, string> = {
  retry: 'Retry',
  approve: 'Approve',
  cancel: 'Cancel order',
  resolve: 'Mark resolved',
};
const actionHints: Record<AttentionAction, string> = {
  retry: 'runs the parked step again, after the fix',
  approve: 'posts an order that waits for a status that syncs, or one an anomaly check or a rule holds',
  cancel: 'undoes what the order posted in Intacct',
  resolve: 'for an item fixed outside the product',
};

/** The vendor's own words, when the failure carried them (Intacct's and the storefronts' errors do, under these names). */
function vendorMessage(details: Record<string, unknown> | undefined): string | undefined {
  for (const name of ['vendorMessage', 'message', 'description', 'errorMessage'])
    if (typeof details?.[name] === 'string' && details[name] !== '') return details[name];
  return undefined;
}

/** The other plain facts of the failure (codes, amounts), shown as they are. */
function otherDetails(details: Record<string, unknown> | undefined): Array<[string, string]> {
  if (details === undefined) return [];
  return Object.entries(details)
    .filter(([name, value]) => !['vendorMessage', 'message', 'description', 'errorMessage'].includes(name) && value !== undefined)
    .map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as [string, string])
    .slice(0, 12);
}

const entityNames: Record<AttentionItem['entity'], string> = { order: 'Order', refund: 'Refund', inventory: 'Inventory', tenant: 'Tenant' };

function actionForm(signedIn: SignedIn, tenantId: string, item: AttentionItem, action: AttentionAction, slot: string): SafeHtml {
  const path = consolePath('tenants', tenantId, 'attention', item.entity, item.externalId, action);
  const what = `${entityNames[item.entity].toLowerCase()} ${item.externalId}`;
  return html`<form class="inline" method="post" action="${path}" hx-post="${path}" hx-target="#${slot}-result" hx-swap="innerHTML">
    ${csrfField(signedIn)}
    ${
      action === 'cancel' &&
      html`<label for="${slot}-reason">Why cancel</label> <input id="${slot}-reason" name="reason" required maxlength="500" />`
    }
    <button
      type="submit"
      class="${action === 'cancel' ? 'danger' : action === 'resolve' ? 'secondary' : ''}"
      title="${actionHints[action]}"
      aria-label="${actionLabels[action]} ${what}"
    >
      ${actionLabels[action]}
    </button>
  </form>`;
}

/**
 * One attention item as an operator reads it: what (with a link to the order's page), since
 * when, the code, the reason, the vendor's message, the fix in words, and the actions the key's
 * role allows (none for a viewer). `slot` names the item's elements on the page.
 */
export function attentionItemView(signedIn: SignedIn, tenantId: string, item: AttentionItem, slot: string): SafeHtml {
  const message = vendorMessage(item.details);
  const facts = otherDetails(item.details);
  const allowed = item.state === 'open' ? actionsFor(item.entity).filter((action) => mayAct(signedIn, roleFor(item.entity, action))) : [];
  return html`<li class="item card" id="${slot}">
    <h3>
      ${entityNames[item.entity]}
      ${
        item.entity === 'order'
          ? html`<a href="${consolePath('tenants', tenantId, 'orders', item.externalId)}">${item.externalId}</a>`
          : item.externalId
      } <span class="muted">· ${item.code} · since ${formatTime(item.since)}</span>
    </h3>
    <dl class="facts">
      <dt>Reason</dt>
      <dd>${item.reason}</dd>
      ${
        message !== undefined &&
        html`<dt>Vendor's message</dt>
          <dd><pre class="vendor">${message}</pre></dd>`
      }
      ${facts.map(
        ([name, value]) =>
          html`<dt>${name}</dt>
            <dd>${value}</dd>`,
      )}
      <dt>Fix</dt>
      <dd>${item.fix}</dd>
      ${
        item.state === 'resolved' &&
        html`<dt>Resolved</dt>
          <dd>${formatTime(item.resolvedAt)} by ${item.resolvedBy ?? 'unknown'}</dd>`
      }
    </dl>
    ${allowed.length > 0 && html`<div class="actions">${allowed.map((action) => actionForm(signedIn, tenantId, item, action, slot))}</div>`}
    <div id="${slot}-result" aria-live="polite"></div>
  </li>`;
}
