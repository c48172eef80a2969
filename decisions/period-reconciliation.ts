import { formatAmount } from '../mappers/money.js';
import type { PayoutLine, ProcessorPayout } from '../workflows/payout-reconcile-contract.js';
import {
  periodDays,
  previousPeriod,
  type ClearingRollForward,
  type CutOffItem,
  type PayoutRegisterRow,
  type PeriodReconciliationReport,
  type ReconciliationDifference,
  type RegisterTotals,
} from '../workflows/period-reconcile-contract.js';
import { disputesOf, glComparison, lineReferences, type GatewayWithUnposted } from './period-gl-and-disputes.js';
import { openingFromPreviousClosing, unpaidOutAfterDays, type PreviousPeriodClosing } from './period-opening-and-unpaid.js';
import { compareDocuments, type PeriodOrderRecord, type PeriodRefundRecord, type IntacctDocumentRecord } from './period-documents.js';

/** A payment the product recorded (a synced `payment` ledger entry), with the day it was recorded in the tenant's time zone. */
export interface PeriodPaymentRecord {
  /** The ledger entry's external id (the order id, or the order's capture key). */
  paymentId: string;
  orderId: string;
  gateway?: string;
  gatewayTransactionIds: string[];
  amount: number;
  currency: string;
  state: 'pending' | 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
  /** YYYY-MM-DD, tenant's time zone. */
  recordedOn: string;
}

/** A processor payout and what PayoutReconcile recorded of it. */
export interface PeriodPayoutRecord {
  payout: ProcessorPayout;
  /** The day it posts on (the posting's, else the gateway's rule): its period. */
  postingDate: string;
  posting?: {
    state: 'posted' | 'parked' | 'not_paid' | 'pending';
    depositKey?: string;
    journalKeys: string[];
    variances: string[];
  };
}

/** A dispute as its latest processor event up to the period's end says. */
export interface PeriodDisputeRecord {
  disputeId: string;
  status: string;
  amount: number;
  currency: string;
  paymentReferences: string[];
  /** YYYY-MM-DD of its first event. */
  openedOn: string;
}

/** Everything the report is built from: records dated up to the period's end, nothing later. */
export interface PeriodReconciliationInput {
  tenantId: string;
  period: string;
  timeZone: string;
  baseCurrency: string;
  /** The gateways with close settings: where their payments wait. */
  gateways: ReadonlyArray<{ gateway: string; clearingAccountNo: string }>;
  /** Every payment recorded up to the period's end (earlier months make the opening balance). */
  payments: readonly PeriodPaymentRecord[];
  /** Every paid payout posting up to the period's end. */
  payouts: readonly PeriodPayoutRecord[];
  /** The clearing accounts' GL balances at the period's end (debits − credits, base currency minor units), by account. */
  clearingBalances: Readonly<Record<string, number>>;
  orders: readonly PeriodOrderRecord[];
  intacctDocuments: readonly IntacctDocumentRecord[];
  refunds: readonly PeriodRefundRecord[];
  disputes: readonly PeriodDisputeRecord[];
  /** The previous month's stored report: the roll-forward opens where it closed. Null when that month was not reconciled. */
  previousClosing: PreviousPeriodClosing | null;
  /** Payments in no payout after `afterDays` days (`close.unpaidOutAfterDays`), counted to `asOf` (the period's end, or today while it is open). */
  unpaidOut: { afterDays: number; asOf: string };
}

interface LineFigures {
  gross: number;
  refunds: number;
  chargebacks: number;
  fees: number;
  adjustments: number;
  linesNet: number;
}

/** A payout's lines summed into the register's columns (see {@link PayoutRegisterRow}). */
export function payoutLineFigures(lines: readonly PayoutLine[]): LineFigures {
  const figures: LineFigures = { gross: 0, refunds: 0, chargebacks: 0, fees: 0, adjustments: 0, linesNet: 0 };
  for (const line of lines) {
    figures.fees += line.fee;
    figures.linesNet += line.net;
    if (line.kind === 'charge') figures.gross += line.gross;
    else if (line.kind === 'refund') figures.refunds -= line.gross;
    else if (line.kind === 'chargeback' || line.kind === 'chargeback_reversal') figures.chargebacks -= line.gross;
    else if (line.kind === 'fee' || line.kind === 'dispute_fee') figures.fees -= line.gross;
    else figures.adjustments += line.gross;
  }
  return figures;
}

/**
 * The month's reconciliation (pure): the same input always gives the same report, and the input
 * holds only records dated up to the period's end, so a closed period reproduces exactly.
 */
export function buildPeriodReconciliation(input: PeriodReconciliationInput): PeriodReconciliationReport {
  const { from, to } = periodDays(input.period);
  const differences: ReconciliationDifference[] = [];
  const groups = gatewayGroups(input);
  const gateways = groups.map((group) => reconcileGateway(input, group, { from, to }, differences));
  glComparison(input, gateways, differences);
  const documents = compareDocuments(
    { period: input.period, from, to, baseCurrency: input.baseCurrency },
    {
      orders: input.orders,
      intacctDocuments: input.intacctDocuments,
      payments: input.payments.filter((payment) => payment.recordedOn >= from && payment.recordedOn <= to),
      refunds: input.refunds,
    },
    differences,
  );
  const unassigned = input.payments.filter(
    (payment) =>
      payment.state === 'synced' &&
      payment.recordedOn >= from &&
      payment.recordedOn <= to &&
      !groups.some((group) => group.gateway === payment.gateway),
  );
  if (unassigned.length > 0 && input.gateways.length > 0) {
    const amount = unassigned.reduce((sum, payment) => sum + payment.amount, 0);
    differences.push({
      area: 'payments',
      kind: 'paymentOutsideClearing',
      reference: unassigned.map((payment) => payment.paymentId).join(', '),
      explanation: `${unassigned.length} payment(s) of ${formatAmount(amount, unassigned[0]!.currency)} ${unassigned[0]!.currency} recorded in ${input.period} name no gateway with close settings (${[...new Set(unassigned.map((payment) => payment.gateway ?? 'none'))].join(', ')}): they are in no clearing roll-forward; add the gateway's close settings if its payouts should post`,
    });
  }
  return {
    tenantId: input.tenantId,
    period: input.period,
    from,
    to,
    timeZone: input.timeZone,
    baseCurrency: input.baseCurrency,
    gateways,
    documents,
    differences,
  };
}

/** One gateway and currency: a section of the report. */
export interface GatewayGroup {
  gateway: string;
  currency: string;
  clearingAccountNo: string;
}

/** One group per gateway with close settings and currency seen in its payments or payouts. */
function gatewayGroups(input: PeriodReconciliationInput): GatewayGroup[] {
  const groups: GatewayGroup[] = [];
  for (const { gateway, clearingAccountNo } of input.gateways) {
    const currencies = new Set([
      ...input.payments.filter((payment) => payment.gateway === gateway).map((payment) => payment.currency),
      ...input.payouts.filter((record) => record.payout.gateway === gateway).map((record) => record.payout.currency),
    ]);
    for (const currency of [...currencies].sort()) groups.push({ gateway, currency, clearingAccountNo });
  }
  return groups;
}

function reconcileGateway(
  input: PeriodReconciliationInput,
  group: GatewayGroup,
  period: { from: string; to: string },
  differences: ReconciliationDifference[],
): GatewayWithUnposted {
  const { gateway, currency } = group;
  const money = (amount: number) => `${formatAmount(amount, currency)} ${currency}`;
  const payments = input.payments.filter(
    (payment) =>
      payment.gateway === gateway && payment.currency === currency && payment.state === 'synced' && payment.recordedOn <= period.to,
  );
  const payouts = input.payouts.filter(
    (record) =>
      record.payout.gateway === gateway &&
      record.payout.currency === currency &&
      record.payout.status === 'paid' &&
      record.posting?.state !== 'not_paid' &&
      record.postingDate <= period.to,
  );
  const paymentByReference = new Map<string, PeriodPaymentRecord>();
  for (const payment of payments) for (const reference of payment.gatewayTransactionIds) paymentByReference.set(reference, payment);
  const paymentOfLine = (line: PayoutLine) =>
    lineReferences(line)
      .map((reference) => paymentByReference.get(reference))
      .find((payment) => payment !== undefined) ?? payments.find((payment) => payment.orderId === line.orderReference);

  // Which payment each charge line paid out, and when.
  const paidOut = new Map<string, { payoutId: string; paidOutOn: string }>();
  for (const record of payouts)
    for (const line of record.payout.lines.filter((candidate) => candidate.kind === 'charge')) {
      const payment = paymentOfLine(line);
      if (payment !== undefined) paidOut.set(payment.paymentId, { payoutId: record.payout.payoutId, paidOutOn: record.postingDate });
      else if (record.postingDate >= period.from)
        differences.push({
          area: 'rollForward',
          kind: 'chargeWithoutPayment',
          gateway,
          reference: `${record.payout.payoutId}/${line.lineId}`,
          explanation: `payout ${record.payout.payoutId} paid out charge ${line.lineId} (${lineReferences(line).join(', ') || 'no payment reference'}) of ${money(line.gross)}, but no payment recorded by ${period.to} carries that reference: the clearing balance is ${money(line.gross)} below the payments not yet paid out until the order's payment is recorded`,
          figures: { currency, expected: 0, actual: line.gross, difference: line.gross },
        });
    }

  const register: PayoutRegisterRow[] = [];
  const rollForward: ClearingRollForward = {
    opening: 0,
    captured: 0,
    refunded: 0,
    fees: 0,
    chargebacks: 0,
    adjustments: 0,
    paidOut: 0,
    closing: 0,
    notYetPaidOut: 0,
    differenceFromNotYetPaidOut: 0,
    intacct: { compared: false, accountNo: group.clearingAccountNo, reason: 'not compared yet' },
  };
  for (const payment of payments) {
    if (payment.recordedOn < period.from) rollForward.opening += payment.amount;
    else rollForward.captured += payment.amount;
  }
  const hadEarlierRecords =
    payments.some((payment) => payment.recordedOn < period.from) || payouts.some((record) => record.postingDate < period.from);
  let unpostedEffect = 0;
  const unpostedNames: string[] = [];
  for (const record of payouts) {
    const figures = payoutLineFigures(record.payout.lines);
    const movement = figures.refunds + figures.fees + figures.chargebacks - figures.adjustments + record.payout.amount;
    if (record.posting?.state !== 'posted') {
      unpostedEffect += movement;
      unpostedNames.push(`${record.payout.payoutId} (${record.posting?.state ?? 'not posted'})`);
    }
    if (record.postingDate < period.from) {
      rollForward.opening -= movement;
      continue;
    }
    rollForward.refunded += figures.refunds;
    rollForward.fees += figures.fees;
    rollForward.chargebacks += figures.chargebacks;
    rollForward.adjustments += figures.adjustments;
    rollForward.paidOut += record.payout.amount;
    const row: PayoutRegisterRow = {
      processor: record.payout.processor,
      payoutId: record.payout.payoutId,
      postingDate: record.postingDate,
      state: record.posting?.state === 'not_paid' ? 'not_posted' : (record.posting?.state ?? 'not_posted'),
      gross: figures.gross,
      refunds: figures.refunds,
      chargebacks: figures.chargebacks,
      fees: figures.fees,
      adjustments: figures.adjustments,
      net: record.payout.amount,
      ...(record.posting?.depositKey !== undefined && { depositKey: record.posting.depositKey }),
      journalKeys: record.posting?.journalKeys ?? [],
      variance: record.payout.amount - figures.linesNet,
      variances: record.posting?.variances ?? [],
    };
    register.push(row);
    if (row.variance !== 0)
      differences.push({
        area: 'register',
        kind: 'payoutOutOfBalance',
        gateway,
        reference: row.payoutId,
        explanation: `payout ${row.payoutId} paid ${money(row.net)} to the bank but its lines sum to ${money(figures.linesNet)}: ${money(row.variance)} is not explained by the processor's lines`,
        figures: { currency, expected: figures.linesNet, actual: row.net, difference: row.variance },
      });
    if (row.state !== 'posted')
      differences.push({
        area: 'register',
        kind: row.state === 'parked' ? 'payoutParked' : 'payoutNotPosted',
        gateway,
        reference: row.payoutId,
        explanation: `payout ${row.payoutId} of ${money(row.net)} (${row.postingDate}) is ${row.state === 'parked' ? 'parked in the attention queue' : row.state === 'pending' ? 'still being posted' : 'not posted by PayoutReconcile'}: Intacct holds no deposit or journal entry for it yet${row.variances.length > 0 ? ` (${row.variances.join('; ')})` : ''}`,
        figures: { currency, expected: row.net, actual: 0, difference: -row.net },
      });
  }
  openingFromPreviousClosing(
    { period: input.period, previousPeriod: previousPeriod(input.period), gateway, currency, hadEarlierRecords },
    input.previousClosing,
    rollForward,
    differences,
  );
  rollForward.closing =
    rollForward.opening +
    rollForward.captured -
    rollForward.refunded -
    rollForward.fees -
    rollForward.chargebacks +
    rollForward.adjustments -
    rollForward.paidOut;

  const cutOffItem = (payment: PeriodPaymentRecord): CutOffItem => {
    const paid = paidOut.get(payment.paymentId);
    return {
      orderId: payment.orderId,
      paymentReference: payment.gatewayTransactionIds[0] ?? payment.paymentId,
      amount: payment.amount,
      capturedOn: payment.recordedOn,
      ...(paid !== undefined && { payoutId: paid.payoutId, paidOutOn: paid.paidOutOn }),
    };
  };
  const notPaidOut = payments.filter((payment) => !paidOut.has(payment.paymentId));
  rollForward.notYetPaidOut = notPaidOut.reduce((sum, payment) => sum + payment.amount, 0);
  rollForward.differenceFromNotYetPaidOut = rollForward.closing - rollForward.notYetPaidOut;
  const soldNotPaidOut = notPaidOut.filter((payment) => payment.recordedOn >= period.from).map(cutOffItem);
  const paidOutSoldEarlier = payments
    .filter((payment) => payment.recordedOn < period.from && (paidOut.get(payment.paymentId)?.paidOutOn ?? '') >= period.from)
    .map(cutOffItem);
  if (rollForward.differenceFromNotYetPaidOut !== 0)
    differences.push({
      area: 'rollForward',
      kind: 'closingDiffersFromUnpaidPayments',
      gateway,
      reference: `${gateway}/${currency}`,
      explanation: `the clearing roll-forward closes at ${money(rollForward.closing)} but the payments not yet paid out total ${money(rollForward.notYetPaidOut)}: ${money(rollForward.differenceFromNotYetPaidOut)} is payout lines that do not match a payment to the cent (see the payouts and charges named above)`,
      figures: {
        currency,
        expected: rollForward.notYetPaidOut,
        actual: rollForward.closing,
        difference: rollForward.differenceFromNotYetPaidOut,
      },
    });

  const unpaidOut = unpaidOutAfterDays(notPaidOut, input.unpaidOut, group, differences);
  const openDisputes = disputesOf(input, payments, payouts, group, period, differences);
  const registerTotals = register.reduce<RegisterTotals>(
    (totals, row) => ({
      gross: totals.gross + row.gross,
      refunds: totals.refunds + row.refunds,
      chargebacks: totals.chargebacks + row.chargebacks,
      fees: totals.fees + row.fees,
      adjustments: totals.adjustments + row.adjustments,
      net: totals.net + row.net,
      variance: totals.variance + row.variance,
    }),
    { gross: 0, refunds: 0, chargebacks: 0, fees: 0, adjustments: 0, net: 0, variance: 0 },
  );
  return {
    ...group,
    register,
    registerTotals,
    rollForward,
    cutOff: {
      soldNotPaidOut,
      soldNotPaidOutTotal: soldNotPaidOut.reduce((sum, item) => sum + item.amount, 0),
      paidOutSoldEarlier,
      paidOutSoldEarlierTotal: paidOutSoldEarlier.reduce((sum, item) => sum + item.amount, 0),
    },
    openDisputes,
    unpaidOut,
    unpostedEffect,
    unpostedNames,
  };
}
