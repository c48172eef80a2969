import { applyArCredit, findLivePaymentByReference, readArAdjustmentBalance, readSalesDocument } from '../connectors/intacct/index.js';
import { cashRefunded } from '../mappers/canonical-refund.js';
import { formatAmount, parseAmount } from '../mappers/money.js';
import { PaymentAccountNotConfiguredError, choosePaymentDeposit, toIntacctPaymentMethod } from '../mappers/payment-account.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import { allMappingRows } from '../store/mappings.js';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import {
  returnToCreditMemoFailures,
  type AppliedRefundCredit,
  type ApplyRefundCreditInput,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { operatorFailure } from './flow-failure.js';
import { activityAttempt, intacctControlId, intacctForOrder } from './intacct-writes.js';
import { refusing } from './refund-writes.js';

/** The reference number (ARPYMT DOCNUMBER) of a refund's credit application: the business key that finds it again. */
export function refundCreditApplicationNumber(refundId: string): string {
  return `RA-${refundId}`;
}

/**
 * The refund's credit application in the sync ledger: an entry of its own (a payment, with no
 * order attached so it never counts as one of the order's captures).
 */
export const refundCreditApplicationKey = (input: { tenantId: string; refundId: string }) => ({
  tenantId: input.tenantId,
  entity: 'payment' as const,
  externalId: `refund:${input.refundId}:credit-application`,
});

/**
 * ReturnToCreditMemo's last step: the credit memo's AR credit (an ARADJUSTMENT credit memo,
 * the credit memo's PRRECORDKEY) pays the refund's AR posting (an ARADJUSTMENT debit memo), so
 * AR is not left with two offsetting open items.
 */
export function createRefundCreditApplicationActivities(deps: ActivityDependencies) {
  /**
   * Applies the credit once: the ledger entry guards across runs, the control id
   * `rf-apply:{tenant}:{refundId}` with `uniqueid` within them, and the reference number
   * (`RA-{refundId}`) finds it on a retry. The amount is the money refunded, capped by what
   * both items still have open (a person may have applied part by hand); nothing open, nothing applied.
   */
  async function applyRefundCredit(input: ApplyRefundCreditInput): Promise<AppliedRefundCredit> {
    const key = refundCreditApplicationKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.state === 'synced')
      return {
        ...(known.intacctKey !== undefined && { applicationKey: known.intacctKey }),
        amount: formatAmount(known.amount ?? 0, known.currency ?? input.refund.currency),
        created: false,
      };
    const connection = await deps.connections.forTenant(input.tenantId);
    const client = await intacctForOrder(deps, input);
    const referenceNumber = refundCreditApplicationNumber(input.refundId);
    const { refund } = input;
    const remember = async (applied: AppliedRefundCredit): Promise<AppliedRefundCredit> => {
      await recordLedgerEntry(deps.db, key, {
        state: 'synced',
        ...(applied.applicationKey !== undefined && { intacctKey: applied.applicationKey }),
        amount: parseAmount(applied.amount, refund.currency).minor,
        currency: refund.currency,
        workflowId: input.workflowId,
      });
      return applied;
    };
    if (activityAttempt() > 1) {
      const applicationKey = await findLivePaymentByReference(client, input.customerId, referenceNumber);
      if (applicationKey !== undefined)
        return remember({ applicationKey, amount: formatAmount(cashRefunded(refund), refund.currency), created: false });
    }
    const creditMemo = await readSalesDocument(client, input.creditMemoId);
    const credit = creditMemo?.arInvoiceKey ? await readArAdjustmentBalance(client, creditMemo.arInvoiceKey) : undefined;
    const debit = await readArAdjustmentBalance(client, input.refundPostingKey);
    if (credit === undefined || debit === undefined) {
      throw operatorFailure(
        returnToCreditMemoFailures,
        'RefundCreditApplicationRefused',
        `the AR record of ${credit === undefined ? `credit memo ${input.creditMemoId}` : `refund posting ${input.refundPostingKey}`} is not an AR adjustment in Intacct, so the credit memo cannot be applied to refund ${input.refundId}'s posting`,
      );
    }
    const open = Math.min(
      cashRefunded(refund),
      -parseAmount(credit.totalDue, refund.currency).minor,
      parseAmount(debit.totalDue, refund.currency).minor,
    );
    if (open <= 0) {
      // Closed already: by an earlier application of ours the ledger lost, or by a person.
      const applicationKey = await findLivePaymentByReference(client, input.customerId, referenceNumber);
      return remember(
        applicationKey === undefined
          ? { amount: '0', created: false }
          : { applicationKey, amount: formatAmount(cashRefunded(refund), refund.currency), created: false },
      );
    }
    const paymentMethodRows = (await allMappingRows(deps.db, input.tenantId, 'paymentMethods')).map(
      (document) => document.row as PaymentMethodMappingRow,
    );
    let deposit;
    try {
      ({ deposit } = choosePaymentDeposit(refund.paymentMethod, connection.settings.orderSync.payments, paymentMethodRows));
    } catch (error) {
      if (error instanceof PaymentAccountNotConfiguredError) throw operatorFailure(returnToCreditMemoFailures, error.type, error.message);
      throw error;
    }
    const amount = formatAmount(open, refund.currency);
    const { baseCurrency } = connection.settings.orderSync.currency;
    const result = await refusing(
      'RefundCreditApplicationRefused',
      `applying credit memo ${input.creditMemoId} to refund ${input.refundId}'s AR posting`,
      () =>
        applyArCredit(
          client,
          {
            customerId: input.customerId,
            deposit,
            paymentMethod: toIntacctPaymentMethod(refund.paymentMethod),
            referenceNumber,
            description: `Credit memo ${input.creditMemoId} applied to refund ${input.refundId} paid out`,
            date: businessDateOf(refund.createdAt, connection.settings.timezone),
            ...(refund.currency !== baseCurrency && { currency: refund.currency }),
            applications: [{ creditMemoKey: creditMemo!.arInvoiceKey, paid: { debitMemoKey: input.refundPostingKey }, amount }],
          },
          intacctControlId('rf-apply', input.tenantId, input.refundId),
        ),
    );
    return remember({ applicationKey: result.paymentKey, amount, created: result.created });
  }

  return {
    applyRefundCredit: withConnectorFailures(applyRefundCredit),
  } satisfies Pick<ReturnToCreditMemoActivities, 'applyRefundCredit'>;
}
