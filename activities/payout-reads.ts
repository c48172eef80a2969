import type { Db } from 'mongodb';
import type { StripeClient } from '../connectors/stripe/index.js';
import { payoutDayClosesAt, payoutDayReference } from '../decisions/payout-day.js';
import { payoutPostingDay } from '../mappers/payout-to-intacct.js';
import type { PayoutDayInput } from '../workflows/payout-day-contract.js';
import { matchPayout, type LedgerPosting, type PayoutMatching } from '../decisions/payout-matching.js';
import { fromStripePayout, StripePayoutMappingError } from '../mappers/from-stripe-payout.js';
import { describePayoutChange } from '../mappers/settlement-report/payout-change.js';
import { listOrderRefunds, listPaymentsByGatewayTransactionIds, findLedgerEntry, type LedgerEntry } from '../store/ledger.js';
import { findProcessorPayout, storeProcessorPayout } from '../store/processor-payouts.js';
import { defaultAwaitPostingsHours, gatewayCloseSettings, type GatewayCloseSettings } from '../store/schemas/settings.js';
import {
  payoutReconcileFailures,
  type PayoutCheck,
  type PayoutRef,
  type PayoutSummary,
  type ProcessorPayout,
} from '../workflows/payout-reconcile-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import type { TenantConnection } from './tenant-connections.js';

/** The `source.layout` of a payout PayoutReconcile read from the Stripe API itself (not from a report file). */
export const stripeApiLayout = 'stripe-api';

/** A stored payout matched to the books, with the gateway settings it posts with. */
export interface MatchedPayout {
  payout: ProcessorPayout;
  matching: PayoutMatching;
  gateway: GatewayCloseSettings;
  connection: TenantConnection;
}

/**
 * PayoutReconcile's reads: the payout from its processor (or as imported), and the payout
 * matched to what the product posted. Nothing here writes to Intacct.
 */
export function createPayoutReadActivities(deps: Pick<ActivityDependencies, 'db' | 'connections'>) {
  /**
   * The payout as its source has it now, stored for the other steps. A Stripe payout of a tenant
   * with a Stripe account is read from the API (unless it was imported from a report file); a
   * status change is kept (pending → paid), a change of lines or amount is refused and parks.
   */
  async function readPayout(ref: PayoutRef): Promise<PayoutSummary> {
    const stored = await findProcessorPayout(deps.db, ref.tenantId, ref.processor, ref.payoutId);
    let payout = stored?.payout;
    if (ref.processor === 'stripe' && (stored === null || stored.source.layout === stripeApiLayout)) {
      const stripe = await (await deps.connections.forTenant(ref.tenantId)).stripe();
      if (stripe !== undefined) {
        const read = await readStripePayout(stripe, ref.payoutId);
        payout = read.payout;
        // Stripe lists an automatic payout's lines only once it has reconciled them: until then it waits, and nothing is stored.
        if (!read.linesFinal) return { ...summaryOf(payout), status: payout.status === 'pending' ? 'pending' : 'in_transit' };
        const kept = await storeProcessorPayout(deps.db, ref.tenantId, payout, { layout: stripeApiLayout, importedBy: 'payout-reconcile' });
        if (kept.outcome === 'conflict')
          throw operatorFailure(
            payoutReconcileFailures,
            'PayoutChanged',
            `Stripe now reports payout ${ref.payoutId} differently from when it was stored: ${describePayoutChange(kept.stored.payout, payout)}`,
          );
      }
    }
    if (payout === undefined)
      throw operatorFailure(
        payoutReconcileFailures,
        'PayoutNotFound',
        `payout ${ref.processor}/${ref.payoutId} was never imported${ref.processor === 'stripe' ? ' and the tenant has no Stripe account in its settings' : ''}`,
      );
    return summaryOf(payout);
  }

  /**
   * The payout matched to the books. When the only differences are lines naming postings the
   * ledger lacks, says how long to wait for them: under load a payout can arrive while the
   * order it pays out is still being posted.
   */
  async function checkPayout(ref: PayoutRef): Promise<PayoutCheck> {
    const { payout, matching, gateway, connection } = await matchStoredPayout(deps, ref);
    const variances = matching.variances.map((variance) => ({
      kind: variance.kind,
      explanation: variance.explanation,
      ...(variance.lineId !== undefined && { lineId: variance.lineId }),
    }));
    const waitHours = connection.settings.close?.awaitPostingsHours ?? defaultAwaitPostingsHours;
    const awaitable = variances.length > 0 && waitHours > 0 && variances.every((variance) => variance.kind === 'unmatchedLine');
    return {
      variances,
      ...(awaitable && { awaitPostings: { lineIds: variances.flatMap((variance) => variance.lineId ?? []), waitHours } }),
      ...(gateway.postingMode === 'dailySummary' && { postsInDay: payoutDayOf(payout, gateway, connection) }),
    };
  }

  return {
    readPayout: withConnectorFailures(readPayout),
    checkPayout: withConnectorFailures(checkPayout),
  };
}

/** The day a payout of a `dailySummary` gateway posts with: its posting day, reference and closing (`decisions/payout-day.ts`). */
function payoutDayOf(payout: ProcessorPayout, gateway: GatewayCloseSettings, connection: TenantConnection): PayoutDayInput {
  const day = payoutPostingDay(payout, gateway);
  return {
    tenantId: connection.tenantId,
    gateway: gateway.gateway,
    currency: payout.currency,
    day,
    reference: payoutDayReference(gateway.gateway, day, payout.currency, connection.settings.orderSync.currency.baseCurrency),
    closesAt: payoutDayClosesAt(day, connection.settings.timezone, gateway.postingDate),
  };
}

function summaryOf(payout: ProcessorPayout): PayoutSummary {
  return {
    status: payout.status,
    currency: payout.currency,
    amount: payout.amount,
    arrivalDate: payout.arrivalDate,
    lineCount: payout.lines.length,
  };
}

/**
 * A Stripe payout with its balance transactions. `linesFinal` is false while Stripe is still
 * reconciling an automatic payout (`reconciliation_status: in_progress`): its list of balance
 * transactions may be incomplete until `payout.reconciliation_completed`.
 */
async function readStripePayout(stripe: StripeClient, payoutId: string): Promise<{ payout: ProcessorPayout; linesFinal: boolean }> {
  const [payout, balanceTransactions] = await Promise.all([
    stripe.retrievePayout(payoutId),
    stripe.listPayoutBalanceTransactions(payoutId),
  ]);
  try {
    return {
      payout: fromStripePayout({ payout, balanceTransactions }),
      linesFinal: payout.reconciliation_status !== 'in_progress' || payout.status === 'failed' || payout.status === 'canceled',
    };
  } catch (error) {
    if (error instanceof StripePayoutMappingError) throw operatorFailure(payoutReconcileFailures, 'PayoutUnreadable', error.message);
    throw error;
  }
}

/**
 * The stored payout matched to the books (`matchPayout`) with its gateway's close settings: what
 * checking, depositing and journaling all start from, so each step sees the same matching.
 */
export async function matchStoredPayout(deps: Pick<ActivityDependencies, 'db' | 'connections'>, ref: PayoutRef): Promise<MatchedPayout> {
  const stored = await findProcessorPayout(deps.db, ref.tenantId, ref.processor, ref.payoutId);
  if (stored === null)
    throw operatorFailure(
      payoutReconcileFailures,
      'PayoutNotFound',
      `payout ${ref.processor}/${ref.payoutId} is not stored; read it first`,
    );
  const { payout } = stored;
  const connection = await deps.connections.forTenant(ref.tenantId);
  const gateway = gatewayCloseSettings(connection.settings.close, payout.gateway);
  if (gateway === undefined)
    throw operatorFailure(
      payoutReconcileFailures,
      'PayoutSettingsMissing',
      `the tenant's close settings have no gateway "${payout.gateway}", so payout ${payout.payoutId} has no clearing, bank or GL accounts to post to`,
    );
  const postings = await ledgerPostings(deps.db, ref.tenantId, payout);
  return { payout, matching: matchPayout(payout, postings.byReference, postings.byOrder), gateway, connection };
}

/**
 * What the product posted for the payments a payout's lines name, from the sync ledger: each
 * payment's cash receipt under every gateway id it was received for, and the order's refunds
 * (credit memos, or the sales order a refund before invoicing reduced) under the same ids; and,
 * for lines that carry the merchant's order id instead, the same by storefront order id.
 */
async function ledgerPostings(
  db: Db,
  tenantId: string,
  payout: ProcessorPayout,
): Promise<{ byReference: Record<string, LedgerPosting[]>; byOrder: Record<string, LedgerPosting[]> }> {
  const references = new Set(
    payout.lines.flatMap((line) => [
      ...(line.paymentReference === undefined ? [] : [line.paymentReference]),
      ...(line.otherPaymentReferences ?? []),
    ]),
  );
  const byReference: Record<string, LedgerPosting[]> = {};
  const byOrder: Record<string, LedgerPosting[]> = {};
  const refundsOf = new Map<string, Promise<LedgerPosting[]>>();
  const orderPostings = (orderId: string) => {
    if (!refundsOf.has(orderId)) refundsOf.set(orderId, refundPostings(db, tenantId, orderId, payout.currency));
    return refundsOf.get(orderId)!;
  };

  for (const payment of await listPaymentsByGatewayTransactionIds(db, tenantId, [...references])) {
    const receipt = receiptOf(payment, payout.currency);
    if (receipt === undefined) continue;
    const refunds = await orderPostings(receipt.orderId);
    for (const id of (payment.gatewayTransactionIds ?? []).filter((candidate) => references.has(candidate))) {
      const postings = (byReference[id] ??= []);
      // An order paid by several captures under one id lists its refunds once.
      postings.push(receipt, ...refunds.filter((refund) => !postings.includes(refund)));
    }
  }
  const unknownOrders = new Set(
    payout.lines
      .filter((line) => line.orderReference !== undefined && (line.paymentReference === undefined || !byReference[line.paymentReference]))
      .map((line) => line.orderReference!),
  );
  for (const orderId of unknownOrders) {
    const payment = await findLedgerEntry(db, { tenantId, entity: 'payment', externalId: orderId });
    const receipt = payment === null ? undefined : receiptOf(payment, payout.currency);
    const refunds = await orderPostings(orderId);
    if (receipt !== undefined || refunds.length > 0) byOrder[orderId] = [...(receipt === undefined ? [] : [receipt]), ...refunds];
  }
  return { byReference, byOrder };
}

/** A payment entry's cash receipt, when it was recorded in Intacct. */
function receiptOf(payment: LedgerEntry, currency: string): LedgerPosting | undefined {
  if (payment.state !== 'synced' || payment.intacctKey === undefined || payment.amount === undefined) return undefined;
  return {
    kind: 'receipt',
    orderId: payment.orderExternalId ?? payment.externalId,
    paymentKey: payment.intacctKey,
    amount: payment.amount,
    currency: payment.currency ?? currency,
    ...(payment.depositedIn !== undefined && { depositedIn: payment.depositedIn }),
  };
}

/** An order's refunds the product posted: each a credit memo, or the sales order it reduced before invoicing. */
async function refundPostings(db: Db, tenantId: string, orderId: string, currency: string): Promise<LedgerPosting[]> {
  return (await listOrderRefunds(db, tenantId, orderId)).flatMap((refund): LedgerPosting[] => {
    const documentKey = refund.intacctDocumentId ?? refund.reducedDocumentId ?? refund.intacctKey;
    if (refund.state !== 'synced' || documentKey === undefined || refund.amount === undefined) return [];
    return [{ kind: 'creditMemo', orderId, documentKey, amount: refund.amount, currency: refund.currency ?? currency }];
  });
}
