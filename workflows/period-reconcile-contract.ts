import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AttentionNotice } from './shared-contract.js';

/**
 * PeriodReconcile's contract (issue 18, financial close): the month-end reconciliation a
 * controller signs. Per month and per payment gateway: the payout register, the clearing
 * roll-forward (compared with the payments not yet paid out and with the clearing account's
 * balance in Intacct's GL), orders against Intacct documents, payments and refunds, the
 * cut-off and the disputes still open; every difference explained in words with its figures.
 *
 * The report is built by a pure function (`decisions/period-reconciliation.ts`) from records
 * dated up to the period's end, so a closed period run again gives the same figures; the
 * activity stores it (`store/period-reports.ts`) with a fingerprint of its figures that says so.
 * Amounts are integers in minor units.
 */

export const periodReconcileWorkflowType = 'periodReconcile';

/** A calendar month, `YYYY-MM`, in the tenant's time zone. */
export type Period = string;

const periodPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for `YYYY-MM` with a month 01–12 and a year from 2000 to 2999. */
export function isPeriod(text: string): boolean {
  const match = periodPattern.exec(text);
  return match !== null && Number(match[1]) >= 2000 && Number(match[1]) <= 2999;
}

/** The period's first and last day, `YYYY-MM-DD` (both inclusive). */
export function periodDays(period: Period): { from: string; to: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(lastDay).padStart(2, '0')}` };
}

/** The month before, `YYYY-MM`. */
export function previousPeriod(period: Period): Period {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** `period-reconcile:{tenantId}:{period}`: one run of a period at a time; a later run of it is another execution of the same id. */
export function periodReconcileWorkflowId(tenantId: string, period: Period): string {
  return `period-reconcile:${tenantId}:${period}`;
}

/** The tenant's monthly schedule, `period-reconcile:{tenantId}` (it reconciles the month just ended). */
export function periodReconcileScheduleId(tenantId: string): string {
  return `period-reconcile:${tenantId}`;
}

/** The inverse of {@link periodReconcileWorkflowId}; undefined for any other id. */
export function parsePeriodReconcileWorkflowId(workflowId: string): { tenantId: string; period: Period } | undefined {
  const match = /^period-reconcile:([a-z0-9][a-z0-9-]{1,62}):(\d{4}-\d{2})$/.exec(workflowId);
  if (!match || !isPeriod(match[2]!)) return undefined;
  return { tenantId: match[1]!, period: match[2]! };
}

export interface PeriodReconcileInput {
  tenantId: string;
  /** The month to reconcile; absent (a scheduled run): the month before the run's start, in the tenant's time zone. */
  period?: Period;
  /** Who asked: `schedule`, or the API key id of an on-demand run. */
  requestedBy?: string;
}

/** What the workflow returns and shows: the stored report's headline, never its rows. */
export interface PeriodReconcileResult {
  tenantId: string;
  period: Period;
  /** SHA-256 of the report's figures: two runs with the same fingerprint gave the same figures. */
  figuresHash: string;
  /** The stored report's revision: 1 for the first run, +1 each time a run's figures differed from the last. */
  revision: number;
  /** The figures equal the previous run's (a closed period reproduced). False on the first run. */
  sameAsPreviousRun: boolean;
  /** Differences the report explains (0: nothing to look at). */
  differences: number;
  gateways: number;
}

/** Where the run stands (the `status` query). */
export interface PeriodReconcileStatus {
  step: 'resolving' | 'reconciling' | 'done' | 'parked';
  period?: Period;
  attention?: { code: string; reason: string; fix: string };
  result?: PeriodReconcileResult;
}

/** One payout in the period's register (minor units of its currency). */
export interface PayoutRegisterRow {
  processor: string;
  payoutId: string;
  /** The day it posts on (its period), YYYY-MM-DD. */
  postingDate: string;
  /** PayoutReconcile's outcome; `not_posted` when no PayoutReconcile has recorded one. */
  state: 'posted' | 'parked' | 'pending' | 'not_posted';
  /** Σ of charge lines' gross. */
  gross: number;
  /** Refunds paid back out of the processor balance (positive). */
  refunds: number;
  /** Chargebacks withdrawn less reversals of disputes won (positive when money went out). */
  chargebacks: number;
  /** Every fee the processor kept: per-line fees, fee lines, dispute fees (positive). */
  fees: number;
  /** Reserves and adjustments, signed as money into the balance. */
  adjustments: number;
  /** What the bank received (the payout's amount). */
  net: number;
  depositKey?: string;
  journalKeys: string[];
  /** The payout's amount less the sum of its lines: 0 when its lines explain it. */
  variance: number;
  /** PayoutReconcile's variances, in words. */
  variances: string[];
}

export type RegisterTotals = Pick<PayoutRegisterRow, 'gross' | 'refunds' | 'chargebacks' | 'fees' | 'adjustments' | 'net' | 'variance'>;

/**
 * The gateway's clearing account over the month, in the processor balance's words:
 * opening + captured − refunded − fees − chargebacks + adjustments − paid out = closing.
 */
export interface ClearingRollForward {
  opening: number;
  /** Order payments the product recorded into clearing in the month. */
  captured: number;
  refunded: number;
  fees: number;
  chargebacks: number;
  adjustments: number;
  paidOut: number;
  closing: number;
  /** Payments recorded by the period's end that no payout by then paid out. */
  notYetPaidOut: number;
  /** closing − notYetPaidOut (0 when every payout line matched a payment to the cent). */
  differenceFromNotYetPaidOut: number;
  /**
   * Where the opening balance came from: the previous period's stored report (its closing), or,
   * when that month was not reconciled, the records before the period. Absent in reports stored
   * before the opening was loaded from the previous closing.
   */
  openingFrom?: OpeningSource;
  /** The clearing account's balance in Intacct's GL at the period's end, when it can be compared. */
  intacct:
    | {
        compared: true;
        accountNo: string;
        /** Debits − credits of every GL entry of the account up to the period's end (base currency minor units). */
        balance: number;
        /** The closings of every gateway sharing the account (this one included). */
        expected: number;
        /** Of balance − expected: what payouts not posted in Intacct yet account for. */
        explainedByUnpostedPayouts: number;
        /** balance − expected − explainedByUnpostedPayouts: 0 when the GL agrees. */
        unexplained: number;
        sharedWith: string[];
      }
    | { compared: false; accountNo: string; reason: string };
}

/** Where a roll-forward's opening balance came from. */
export type OpeningSource =
  | {
      source: 'previousReport';
      /** The month whose stored closing this opening is. */
      period: Period;
      revision: number;
      figuresHash: string;
      /** The opening the records before the period give now; differs from the opening when they changed after that report. */
      fromRecords: number;
    }
  | {
      source: 'records';
      /** Why no stored closing was used, in words (the previous month not reconciled, or without this gateway). */
      reason: string;
    };

/** A payment on one side of the month's end. */
export interface CutOffItem {
  orderId: string;
  paymentReference: string;
  amount: number;
  /** The day the product recorded the payment (tenant's time zone). */
  capturedOn: string;
  /** The payout that paid it out, when one did by the period's end. */
  payoutId?: string;
  paidOutOn?: string;
}

export interface OpenDispute {
  disputeId: string;
  status: string;
  amount: number;
  currency: string;
  paymentReference?: string;
  openedOn: string;
  /** Withdrawn from the balance by a chargeback line by the period's end. */
  withdrawn: number;
}

/** A captured payment whose receipt the product recorded, in no payout after the tenant's number of days. */
export interface UnpaidOutPayment {
  orderId: string;
  paymentReference: string;
  amount: number;
  /** The day the product recorded the payment's receipt (tenant's time zone). */
  capturedOn: string;
  /** Whole days from {@link capturedOn} to the report's as-of day. */
  daysWaiting: number;
}

/** Payments paid but in no payout after `afterDays` days: the exception list a controller chases with the processor. */
export interface UnpaidOutExceptions {
  /** The tenant's setting (`close.unpaidOutAfterDays`). */
  afterDays: number;
  /** The day the days are counted to: the period's last day, or today while the period is open. */
  asOf: string;
  payments: UnpaidOutPayment[];
  total: number;
}

/** One gateway's (and currency's) part of the report. */
export interface GatewayReconciliation {
  gateway: string;
  currency: string;
  clearingAccountNo: string;
  register: PayoutRegisterRow[];
  registerTotals: RegisterTotals;
  rollForward: ClearingRollForward;
  cutOff: {
    /** Sold in the month, not paid out by its end: paid out next month (or later). */
    soldNotPaidOut: CutOffItem[];
    soldNotPaidOutTotal: number;
    /** Paid out in the month, sold in an earlier one. */
    paidOutSoldEarlier: CutOffItem[];
    paidOutSoldEarlierTotal: number;
  };
  openDisputes: OpenDispute[];
  /** Absent in reports stored before the exception list existed. */
  unpaidOut?: UnpaidOutExceptions;
}

/** Counts and amounts of one kind of record in the month. */
export interface RecordTally {
  count: number;
  amount: number;
}

/** Orders vs Intacct documents vs payments vs refunds and credit memos, for the month. */
export interface DocumentComparison {
  currency: string;
  orders: { recorded: number; posted: number; unposted: number; cancelledOrSkipped: number };
  intacctDocuments: RecordTally & { missing: number; duplicated: number };
  payments: RecordTally & { unposted: RecordTally };
  refunds: RecordTally & { unposted: RecordTally };
}

export const differenceAreas = ['register', 'rollForward', 'intacctGl', 'documents', 'payments', 'refunds', 'cutOff', 'disputes'] as const;

/** One difference, in words with its figures: what the controller reads, and what to do. */
export interface ReconciliationDifference {
  area: (typeof differenceAreas)[number];
  /** Stable machine name: `payoutOutOfBalance`, `missingDocument`, `duplicatedDocument`, … */
  kind: string;
  gateway?: string;
  /** The record it is about: a payout id, an order id, a refund id. */
  reference: string;
  explanation: string;
  figures?: { currency: string; expected: number; actual: number; difference: number };
}

/** The month's reconciliation: what is stored, served as JSON and CSV, and signed. */
export interface PeriodReconciliationReport {
  tenantId: string;
  period: Period;
  from: string;
  to: string;
  timeZone: string;
  baseCurrency: string;
  gateways: GatewayReconciliation[];
  documents: DocumentComparison;
  differences: ReconciliationDifference[];
}

export const periodReconcileStatusQuery = defineQuery<PeriodReconcileStatus>('status');
/** An operator's retry of a run parked on a failure (after fixing what its attention item names). */
export const retryPeriodReconcileUpdate = defineUpdate<PeriodReconcileStatus>('retry');

/** The activities PeriodReconcile calls. The report's rows never enter the workflow's history. */
export interface PeriodReconcileActivities {
  /** The period a run without one reconciles: the month before `nowMs`, in the tenant's time zone. */
  resolvePeriod(input: { tenantId: string; nowMs: number }): Promise<{ period: Period }>;
  /** Loads the records, builds the report (pure), stores it; returns its headline. */
  reconcilePeriod(input: {
    tenantId: string;
    period: Period;
    workflowId: string;
    /** The workflow run: a retried store of the same run is not counted as another run. */
    runId: string;
    requestedBy: string;
  }): Promise<PeriodReconcileResult>;
  /** The park as an attention item of the tenant (`period-reconcile:{period}`). */
  parkPeriod(input: { tenantId: string; period: Period; workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearPeriodAttention(input: { tenantId: string; period: Period; workflowId: string }): Promise<void>;
}
