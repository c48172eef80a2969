import { findSalesDocumentsByReferences, listGlEntries, netDebit, decimalToMinorUnits } from '../connectors/intacct/index.js';
import type { PreviousPeriodClosing } from '../decisions/period-opening-and-unpaid.js';
import { buildPeriodReconciliation, type PeriodPayoutRecord, type PeriodReconciliationInput } from '../decisions/period-reconciliation.js';
import { currencyExponent } from '../mappers/money.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { listLedgerRecorded, type LedgerEntry } from '../store/ledger.js';
import { listPayoutPostings } from '../store/payout-postings.js';
import { readPeriodReport, storePeriodReport } from '../store/period-reports.js';
import { listDisputeEventsBefore } from '../store/processor-events.js';
import { listProcessorPayouts, type ProcessorPayoutDocument } from '../store/processor-payouts.js';
import { defaultUnpaidOutAfterDays, gatewayCloseSettings } from '../store/schemas/settings.js';
import { periodDays, previousPeriod, type PeriodReconcileActivities } from '../workflows/period-reconcile-contract.js';
import { closeAttention, openAttention } from './attention-events.js';
import type { ActivityDependencies } from './dependencies.js';

/** The day GL reads start from: the clearing account's whole history up to the period's end is its balance. */
const glHistoryStart = '2000-01-01';
/** Time zones are at most 14 hours from UTC: entries this far beyond a day's UTC edges are read, then placed by their local day. */
const zoneMarginMs = 15 * 3_600_000;

/** The attention item of a period's run: one per tenant and month. */
const attentionKey = (tenantId: string, period: string) => ({
  tenantId,
  entity: 'tenant' as const,
  externalId: `period-reconcile:${period}`,
});

/**
 * PeriodReconcile's activities: load every record dated up to the period's end, build the report
 * with the pure builder (`decisions/period-reconciliation.ts`), store it. No figure is worked out here.
 */
export function createPeriodReconcileActivities(deps: ActivityDependencies) {
  return {
    async resolvePeriod(input: { tenantId: string; nowMs: number }): Promise<{ period: string }> {
      const { settings } = await deps.connections.forTenant(input.tenantId);
      const today = businessDateOf(new Date(input.nowMs).toISOString(), settings.timezone);
      return { period: previousPeriod(today.slice(0, 7)) };
    },

    async reconcilePeriod(input: Parameters<PeriodReconcileActivities['reconcilePeriod']>[0]) {
      const report = buildPeriodReconciliation(await loadPeriodRecords(deps, input.tenantId, input.period));
      const runKey = `${input.workflowId}/${input.runId}`;
      const stored = await storePeriodReport(deps.db, { report, runKey, requestedBy: input.requestedBy });
      return {
        tenantId: input.tenantId,
        period: input.period,
        ...stored,
        differences: report.differences.length,
        gateways: report.gateways.length,
      };
    },

    async parkPeriod(input: Parameters<PeriodReconcileActivities['parkPeriod']>[0]): Promise<void> {
      const { attention } = input;
      await openAttention(deps, {
        ...attentionKey(input.tenantId, input.period),
        code: attention.code,
        reason: attention.reason,
        fix: attention.fix,
        workflowId: input.workflowId,
      });
    },

    async clearPeriodAttention(input: { tenantId: string; period: string; workflowId: string }): Promise<void> {
      await closeAttention(deps, attentionKey(input.tenantId, input.period), `workflow ${input.workflowId}`);
    },
  } satisfies PeriodReconcileActivities;
}

/** Everything the builder needs, read from MongoDB and Intacct: only records dated up to the period's end. */
export async function loadPeriodRecords(
  deps: ActivityDependencies,
  tenantId: string,
  period: string,
  now = new Date(),
): Promise<PeriodReconciliationInput> {
  const connection = await deps.connections.forTenant(tenantId);
  const { settings } = connection;
  const timeZone = settings.timezone;
  const baseCurrency = settings.orderSync.currency.baseCurrency;
  const { from, to } = periodDays(period);
  const localDay = (instant: Date) => businessDateOf(instant.toISOString(), timeZone);
  const before = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000 + zoneMarginMs);
  const periodStart = new Date(Date.parse(`${from}T00:00:00Z`) - zoneMarginMs);
  const inPeriod = (entry: LedgerEntry) => localDay(entry.createdAt) >= from && localDay(entry.createdAt) <= to;
  const upToEnd = (entry: LedgerEntry) => localDay(entry.createdAt) <= to;

  const gateways = (settings.close?.gateways ?? []).map((gateway) => ({
    gateway: gateway.gateway,
    clearingAccountNo: gateway.clearing.glAccountNo,
  }));
  const payments = (await listLedgerRecorded(deps.db, tenantId, 'payment', { before })).filter(upToEnd).map((entry) => ({
    paymentId: entry.externalId,
    orderId: entry.orderExternalId ?? entry.externalId,
    ...(entry.gateway !== undefined && { gateway: entry.gateway.toLowerCase() }),
    gatewayTransactionIds: entry.gatewayTransactionIds ?? [],
    amount: entry.amount ?? 0,
    currency: entry.currency ?? baseCurrency,
    state: entry.state,
    recordedOn: localDay(entry.createdAt),
  }));
  const orders = (await listLedgerRecorded(deps.db, tenantId, 'order', { from: periodStart, before })).filter(inPeriod).map((entry) => ({
    orderId: entry.externalId,
    state: entry.state,
    ...(entry.intacctDocumentId !== undefined && { intacctDocumentId: entry.intacctDocumentId }),
    recordedOn: localDay(entry.createdAt),
  }));
  const refunds = (await listLedgerRecorded(deps.db, tenantId, 'refund', { from: periodStart, before })).filter(inPeriod).map((entry) => ({
    refundId: entry.externalId,
    ...(entry.orderExternalId !== undefined && { orderId: entry.orderExternalId }),
    state: entry.state,
    ...((entry.intacctDocumentId ?? entry.reducedDocumentId) !== undefined && {
      intacctDocumentId: (entry.intacctDocumentId ?? entry.reducedDocumentId)!,
    }),
    amount: entry.amount ?? 0,
    currency: entry.currency ?? baseCurrency,
    recordedOn: localDay(entry.createdAt),
  }));

  const payouts = await loadPayouts(deps, tenantId, to, settings);
  const disputes = disputesAt(await listDisputeEventsBefore(deps.db, tenantId, before.toISOString()), localDay, to);

  const previousClosing = await loadPreviousClosing(deps, tenantId, previousPeriod(period));
  const today = localDay(now);

  const client = await connection.intacct();
  const exponent = currencyExponent(baseCurrency);
  const clearingBalances: Record<string, number> = {};
  for (const accountNo of [...new Set(gateways.map((gateway) => gateway.clearingAccountNo))].sort())
    clearingBalances[accountNo] = netDebit(await listGlEntries(client, { accountNo, from: glHistoryStart, to }), exponent);
  const references = orders.filter((order) => order.state !== 'cancelled').map((order) => order.orderId);
  const intacctDocuments = (await findSalesDocumentsByReferences(client, settings.orderSync.transactionDefinition, references)).map(
    (document) => ({
      referenceNumber: document.referenceNumber,
      documentId: document.documentId,
      total: decimalToMinorUnits(document.total, exponent),
    }),
  );

  return {
    tenantId,
    period,
    timeZone,
    baseCurrency,
    gateways,
    payments,
    payouts,
    clearingBalances,
    orders,
    intacctDocuments,
    refunds,
    disputes,
    previousClosing,
    // A closed period counts to its last day, so running it again gives the same list.
    unpaidOut: { afterDays: settings.close?.unpaidOutAfterDays ?? defaultUnpaidOutAfterDays, asOf: today < to ? today : to },
  };
}

/** The previous month's stored report's closings, or null when that month was not reconciled. */
async function loadPreviousClosing(deps: ActivityDependencies, tenantId: string, period: string): Promise<PreviousPeriodClosing | null> {
  const stored = await readPeriodReport(deps.db, tenantId, period);
  if (stored === null) return null;
  return {
    period,
    revision: stored.revision,
    figuresHash: stored.figuresHash,
    closings: stored.report.gateways.map((section) => ({
      gateway: section.gateway,
      currency: section.currency,
      closing: section.rollForward.closing,
    })),
  };
}

/** Every paid payout posting up to `to`: PayoutReconcile's posting date when it recorded one, else the gateway's rule. */
async function loadPayouts(
  deps: ActivityDependencies,
  tenantId: string,
  to: string,
  settings: Awaited<ReturnType<ActivityDependencies['connections']['forTenant']>>['settings'],
): Promise<PeriodPayoutRecord[]> {
  const postings = new Map(
    (await listPayoutPostings(deps.db, tenantId, { from: glHistoryStart, to: '9999-12-31' })).map((posting) => [
      `${posting.processor}:${posting.payoutId}`,
      posting,
    ]),
  );
  const documents: ProcessorPayoutDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProcessorPayouts(deps.db, tenantId, {}, { limit: 500, ...(cursor !== undefined && { cursor }) });
    documents.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  const records: PeriodPayoutRecord[] = [];
  for (const { payout } of documents) {
    if (payout.status !== 'paid') continue;
    const posting = postings.get(`${payout.processor}:${payout.payoutId}`);
    const rule = gatewayCloseSettings(settings.close, payout.gateway)?.postingDate ?? 'arrival';
    const postingDate = posting?.postingDate ?? (rule === 'created' ? payout.createdDate : payout.arrivalDate);
    if (postingDate > to) continue;
    records.push({
      payout: { ...payout, gateway: payout.gateway.toLowerCase() },
      postingDate,
      ...(posting !== undefined && {
        posting: {
          state: posting.state,
          ...(posting.depositKey !== undefined && { depositKey: posting.depositKey }),
          journalKeys: posting.journalKeys,
          variances: posting.variances.map((variance) => variance.explanation),
        },
      }),
    });
  }
  return records.sort((left, right) =>
    left.postingDate !== right.postingDate
      ? left.postingDate < right.postingDate
        ? -1
        : 1
      : left.payout.payoutId < right.payout.payoutId
        ? -1
        : left.payout.payoutId > right.payout.payoutId
          ? 1
          : 0,
  );
}

/** Each dispute as its latest event up to the period's end says, opened on its first event's day. */
function disputesAt(
  events: Awaited<ReturnType<typeof listDisputeEventsBefore>>,
  localDay: (instant: Date) => string,
  to: string,
): PeriodReconciliationInput['disputes'] {
  const byDispute = new Map<string, PeriodReconciliationInput['disputes'][number]>();
  for (const event of events) {
    const day = localDay(new Date(event.occurredAt));
    if (day > to) continue;
    const { subject } = event;
    const known = byDispute.get(subject.id);
    byDispute.set(subject.id, {
      disputeId: subject.id,
      status: subject.status,
      amount: subject.amount,
      currency: subject.currency.toUpperCase(),
      paymentReferences: [subject.paymentIntentId, subject.chargeId].filter((reference): reference is string => reference !== undefined),
      openedOn: known?.openedOn ?? day,
    });
  }
  return [...byDispute.values()];
}
