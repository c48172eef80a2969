import { decideUnpaidOutAttention, paymentNotPaidOutCode, type UnpaidOutCheck } from '../decisions/unpaid-out-attention.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { listAttention } from '../store/attention.js';
import { listLedgerRecorded } from '../store/ledger.js';
import { listPayoutPostings } from '../store/payout-postings.js';
import { listProcessorPayouts, type ProcessorPayoutDocument } from '../store/processor-payouts.js';
import { defaultUnpaidOutAfterDays, type TenantSettings } from '../store/schemas/settings.js';
import { closeAttention, openAttention } from './attention-events.js';
import type { ActivityDependencies } from './dependencies.js';

/** Every page of a paged listing. */
async function allPages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/**
 * The daily check of payments paid but in no payout after `close.unpaidOutAfterDays` days:
 * reads the tenant's payments, paid payouts and the `payment_not_paid_out` items open now,
 * decides with {@link decideUnpaidOutAttention}, then opens one item per waiting payment (an
 * upsert on its key, so a second day or a retried activity opens nothing twice, and its alert
 * goes through the attention alert rules) and resolves the items a payout has since included.
 * Without close settings there is no clearing account to wait in: nothing is checked.
 */
export async function checkUnpaidOutPayments(
  deps: Pick<ActivityDependencies, 'db' | 'attentionEvents'>,
  input: { tenantId: string; settings: TenantSettings; asOf: string; workflowId?: string | undefined },
): Promise<UnpaidOutCheck['summary']> {
  const { tenantId, settings, asOf } = input;
  const afterDays = settings.close?.unpaidOutAfterDays ?? defaultUnpaidOutAfterDays;
  const gateways = (settings.close?.gateways ?? []).map((gateway) => gateway.gateway);
  const openItemIds = (
    await allPages((cursor) =>
      listAttention(deps.db, tenantId, { state: 'open', entity: 'tenant', code: paymentNotPaidOutCode }, { limit: 500, cursor }),
    )
  ).map((item) => item.externalId);
  if (gateways.length === 0 && openItemIds.length === 0) return { afterDays, asOf, count: 0, totals: {} };

  const localDay = (instant: Date) => businessDateOf(instant.toISOString(), settings.timezone);
  const payments = (await listLedgerRecorded(deps.db, tenantId, 'payment', { before: new Date() })).map((entry) => ({
    paymentId: entry.externalId,
    orderId: entry.orderExternalId ?? entry.externalId,
    ...(entry.gateway !== undefined && { gateway: entry.gateway.toLowerCase() }),
    gatewayTransactionIds: entry.gatewayTransactionIds ?? [],
    amount: entry.amount ?? 0,
    currency: entry.currency ?? settings.orderSync.currency.baseCurrency,
    state: entry.state,
    recordedOn: localDay(entry.createdAt),
  }));
  // A payout paid, then returned by the bank (its posting `not_paid`), paid nothing out.
  const returned = new Set(
    (await listPayoutPostings(deps.db, tenantId, { from: '2000-01-01', to: '9999-12-31' }))
      .filter((posting) => posting.state === 'not_paid')
      .map((posting) => `${posting.processor}:${posting.payoutId}`),
  );
  const paidPayouts = (await allPages((cursor) => listProcessorPayouts(deps.db, tenantId, {}, { limit: 500, cursor })))
    .map((document: ProcessorPayoutDocument) => document.payout)
    .filter((payout) => payout.status === 'paid' && !returned.has(`${payout.processor}:${payout.payoutId}`));

  const check = decideUnpaidOutAttention({ asOf, afterDays, gateways, payments, paidPayouts, openItemIds });
  for (const item of check.open)
    await openAttention(deps, {
      tenantId,
      entity: 'tenant',
      externalId: item.externalId,
      code: paymentNotPaidOutCode,
      reason: item.reason,
      fix: item.fix,
      details: item.details,
      ...(input.workflowId !== undefined && { workflowId: input.workflowId }),
    });
  for (const item of check.resolve)
    await closeAttention(deps, { tenantId, entity: 'tenant', externalId: item.externalId }, `daily check of ${asOf}: ${item.why}`);
  return check.summary;
}
