import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import type { AttentionNotice } from './shared-contract.js';
import type { ProcessorName } from './payout-reconcile-contract.js';
import { SyncState, TenantId } from './search-attributes.js';

/**
 * PayoutDay's contract (issue 18, the `dailySummary` posting mode): a gateway's payouts of one
 * day posted to Intacct together, exactly once — one deposit of all their matched receipts and
 * one journal entry for all their fees, refunds, disputes, reserves and adjustments, referenced
 * by the gateway and the day — so clearing nets to zero per day and the bank receives exactly the
 * sum of the day's nets.
 *
 * Each payout's PayoutReconcile still reads and matches it (and parks it on variances); in this
 * mode it then hands the matched payout to its day (`signalWithStart`, {@link payoutMatchedSignal})
 * instead of posting, and waits for the day's answer (`payoutDayPosted`, PayoutReconcile's
 * contract). The day waits until it is over in the tenant's time zone plus a grace
 * (`decisions/payout-day.ts`), then posts the payouts handed in. A payout handed in after that
 * is told the day is closed and posts on its own.
 */

export const payoutDayWorkflowType = 'payoutDay';

/** Which day of which gateway (and currency: one posting per currency) a workflow posts. */
export interface PayoutDayRef {
  tenantId: string;
  /** The gateway whose close settings the payouts post with (lower case, as the settings keep it). */
  gateway: string;
  currency: string;
  /** YYYY-MM-DD, by the gateway's `postingDate` (arrival or created date). */
  day: string;
}

/** `payout-day:{tenantId}:{gateway}:{currency}:{day}`: one workflow, so one posting, per gateway, currency and day. */
export function payoutDayWorkflowId(ref: PayoutDayRef): string {
  return `payout-day:${ref.tenantId}:${ref.gateway}:${ref.currency}:${ref.day}`;
}

export interface PayoutDayInput extends PayoutDayRef {
  /** The deposit id and journal reference number (`{gateway}-{YYYY-MM-DD}`). */
  reference: string;
  /** When the day's payouts post (epoch ms): the day's end in the tenant's time zone plus the grace. */
  closesAt: number;
}

/** What Temporal UI can filter days by. */
export function payoutDaySearchAttributes(input: PayoutDayInput): SearchAttributePair[] {
  return [
    { key: TenantId, value: input.tenantId },
    { key: SyncState, value: 'waiting' },
  ];
}

/** A matched payout handed to its day by its PayoutReconcile. */
export interface PayoutOfDayMember {
  processor: ProcessorName;
  payoutId: string;
  /** The PayoutReconcile to answer when the day has posted. */
  workflowId: string;
  variancesApproved: boolean;
}

export const payoutMatchedSignal = defineSignal<[PayoutOfDayMember]>('payoutMatched');

export type PayoutDayStep = 'collecting' | 'depositing' | 'journaling' | 'parked' | 'posted';

export interface PayoutDayStatus {
  step: PayoutDayStep;
  attention?: { code: string; reason: string; fix: string };
  reference: string;
  /** When the day posts, ISO 8601. */
  closesAt: string;
  /** The payouts handed in (those the day posts, once it closed). */
  payouts: Array<Pick<PayoutOfDayMember, 'processor' | 'payoutId'>>;
  /** Payouts handed in after the day closed: told to post on their own. */
  late: Array<Pick<PayoutOfDayMember, 'processor' | 'payoutId'>>;
  intacct: { depositKey?: string; journalKeys?: string[] };
}

export interface PayoutDayResult {
  status: PayoutDayStatus;
}

export const payoutDayStatusQuery = defineQuery<PayoutDayStatus>('status');
/** An operator's retry of a parked day (after fixing what the attention item names). */
export const retryPayoutDayUpdate = defineUpdate<PayoutDayStatus>('retry');

/** The day's postings, built from every member's stored payout and matching. */
export type PayoutDayPostingInput = PayoutDayInput & { workflowId: string; payouts: PayoutOfDayMember[] };

/** The activities PayoutDay calls; each reads the stored payouts itself, so no line enters the history. */
export interface PayoutDayActivities {
  /** Every member's matched receipts moved from clearing to the bank in one deposit (deposit id = the day's reference), exactly once. */
  depositPayoutDay(input: PayoutDayPostingInput): Promise<{ depositKey?: string; created: boolean }>;
  /** Every member's other movements as one journal entry with the day's reference, exactly once. */
  journalPayoutDay(input: PayoutDayPostingInput): Promise<{ journalKeys: string[]; created: boolean }>;
  /** Each member's outcome in the register, naming the day's Intacct keys (also written by the payout itself once told). */
  recordPayoutDayOutcome(input: PayoutDayPostingInput & { depositKey?: string; journalKeys: string[] }): Promise<void>;
  parkPayoutDay(input: PayoutDayRef & { workflowId: string; attention: AttentionNotice }): Promise<void>;
  clearPayoutDayAttention(input: PayoutDayRef & { workflowId: string }): Promise<void>;
}
