import type { AlertRule } from '../store/schemas/settings.js';

/**
 * What an alert says (pure): what happened, to which item, why (the attention reason, which holds
 * the vendor's message, and the vendor's code), the fix in words, and where to act (the console's
 * attention page and the admin API). One alert or a digest of several, as an email's subject and
 * text and as a webhook's JSON (Slack-compatible `text` plus the product's own `alerts`).
 */

/** The facts of one alert the message is made from. */
export interface AlertFacts {
  id: string;
  tenantId: string;
  rule: AlertRule;
  subject: { entity: string; externalId: string };
  code: string;
  reason: string;
  fix: string;
  details?: Record<string, unknown>;
  raisedAt: Date;
}

/** An alert as the webhook's `alerts` entries carry it. */
export interface AlertView {
  id: string;
  rule: AlertRule;
  tenantId: string;
  what: string;
  subject: { entity: string; externalId: string };
  code: string;
  reason: string;
  vendor?: { code?: string; status?: number; requestId?: string };
  fix: string;
  raisedAt: string;
  links: { console: string; api: string };
}

const ruleHeadline: Record<AlertRule, string> = {
  parked: 'is parked and waits for a person',
  webhooks: 'no longer receives all of its storefront webhooks',
  schedule_failed: 'has a scheduled run that failed',
  intacct_budget: 'has spent a threshold of its monthly Intacct API budget',
  payout_variance: 'has a payout that does not reconcile',
  daily_summary: 'has its daily summary',
};

const entityNames: Record<string, string> = { order: 'Order', refund: 'Refund', inventory: 'Inventory item', payout: 'Payout' };

/** The item in words: "Order 123", or the tenant for the tenant-wide rules. */
export function itemInWords(facts: Pick<AlertFacts, 'tenantId' | 'subject'>): string {
  const { entity, externalId } = facts.subject;
  // Payout items are the tenant's, keyed `payout:{processor}:{payoutId}[:{lineId}]` (activities/payout-attention.ts).
  const payout = entity === 'tenant' ? /^payout:([a-z-]+):(.+)$/.exec(externalId) : null;
  if (payout) return `Payout ${payout[2]} (${payout[1]}) of tenant ${facts.tenantId}`;
  if (entity === 'tenant') return `Tenant ${facts.tenantId}`;
  return `${entityNames[entity] ?? entity} ${externalId} of tenant ${facts.tenantId}`;
}

/** Where to act: the console's attention page (the operator console) and the matching admin API call. */
export function alertLinks(facts: Pick<AlertFacts, 'tenantId' | 'rule' | 'subject'>, publicBaseUrl: string): AlertView['links'] {
  const tenant = encodeURIComponent(facts.tenantId);
  const api =
    facts.rule === 'parked' || facts.rule === 'webhooks' || facts.rule === 'payout_variance'
      ? `${publicBaseUrl}/api/v1/tenants/${tenant}/attention?entity=${encodeURIComponent(facts.subject.entity)}`
      : `${publicBaseUrl}/api/v1/tenants/${tenant}/alerts?rule=${facts.rule}`;
  return { console: `${publicBaseUrl}/console/tenants/${tenant}/attention`, api };
}

function vendorFacts(details: Record<string, unknown> | undefined): AlertView['vendor'] | undefined {
  if (details === undefined) return undefined;
  const vendor = {
    ...(typeof details.vendorCode === 'string' && { code: details.vendorCode }),
    ...(typeof details.status === 'number' && { status: details.status }),
    ...(typeof details.requestId === 'string' && { requestId: details.requestId }),
  };
  return Object.keys(vendor).length === 0 ? undefined : vendor;
}

export function alertView(facts: AlertFacts, publicBaseUrl: string): AlertView {
  const vendor = vendorFacts(facts.details);
  return {
    id: facts.id,
    rule: facts.rule,
    tenantId: facts.tenantId,
    what: `${itemInWords(facts)} ${ruleHeadline[facts.rule]}`,
    subject: facts.subject,
    code: facts.code,
    reason: facts.reason,
    ...(vendor !== undefined && { vendor }),
    fix: facts.fix,
    raisedAt: facts.raisedAt.toISOString(),
    links: alertLinks(facts, publicBaseUrl),
  };
}

function textOf(view: AlertView): string {
  const vendor = view.vendor;
  const vendorLine =
    vendor === undefined
      ? []
      : [
          `Vendor: ${[vendor.code && `code ${vendor.code}`, vendor.status && `HTTP ${vendor.status}`, vendor.requestId && `request ${vendor.requestId}`].filter(Boolean).join(', ')}`,
        ];
  return [
    `${view.what} (${view.code}).`,
    '',
    `Why: ${view.reason}`,
    ...vendorLine,
    `Fix: ${view.fix}`,
    '',
    `Attention queue: ${view.links.console}`,
    `API: ${view.links.api}`,
    `Since: ${view.raisedAt}`,
  ].join('\n');
}

/** A daily summary: its reason is the summary itself, headline first, so it is the message rather than a "why". */
function summaryMessage(id: string, view: AlertView): { id: string; subject: string; text: string; webhookBody: Record<string, unknown> } {
  const [headline = view.what, ...lines] = view.reason.split('\n');
  const subject = `[${view.tenantId}] ${headline.replace(/\.$/, '')}`;
  const text = [headline, '', ...lines, '', view.fix, '', `Attention queue: ${view.links.console}`, `API: ${view.links.api}`].join('\n');
  const slack = [`*${headline}*`, ...lines, view.fix, `<${view.links.console}|Attention queue>`].join('\n');
  return { id, subject, text, webhookBody: { text: slack, digest: false, alerts: [view] } };
}

/** One message for one alert or a digest of several (all of one tenant). */
export function composeAlertMessage(
  id: string,
  alerts: readonly AlertFacts[],
  publicBaseUrl: string,
): { id: string; subject: string; text: string; webhookBody: Record<string, unknown> } {
  const views = alerts.map((facts) => alertView(facts, publicBaseUrl));
  const first = views[0];
  if (first === undefined) throw new Error('an alert message needs at least one alert');
  if (views.length === 1 && first.rule === 'daily_summary') return summaryMessage(id, first);
  if (views.length === 1) {
    const subject = `[${first.tenantId}] ${first.what}: ${first.code}`;
    const slack = `*${first.what}* (\`${first.code}\`)\n*Why:* ${first.reason}\n*Fix:* ${first.fix}\n<${first.links.console}|Attention queue> · <${first.links.api}|API>`;
    return { id, subject, text: textOf(first), webhookBody: { text: slack, digest: false, alerts: views } };
  }
  const subject = `[${first.tenantId}] ${views.length} items wait for a person`;
  const text = [
    `${views.length} items of tenant ${first.tenantId} wait for a person:`,
    '',
    ...views
      .map((view, index) => `${index + 1}. ${textOf(view)}`)
      .join('\n\n')
      .split('\n'),
  ].join('\n');
  const slack = [
    `*${views.length} items of tenant ${first.tenantId} wait for a person*`,
    ...views.map((view) => `• ${view.what} (\`${view.code}\`): ${view.reason}`),
    `<${first.links.console}|Attention queue>`,
  ].join('\n');
  return { id, subject, text, webhookBody: { text: slack, digest: true, alerts: views } };
}
