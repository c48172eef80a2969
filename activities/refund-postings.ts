import { createArAdjustment, findArAdjustmentByNumber, readBankGlAccount } from '../connectors/intacct/index.js';
import { PaymentAccountNotConfiguredError, choosePaymentDeposit } from '../mappers/payment-account.js';
import { toIntacctRefundPosting } from '../mappers/to-intacct-refund-posting.js';
import { findLedgerEntry, recordLedgerEntry } from '../store/ledger.js';
import { gatewayCloseSettings } from '../store/schemas/settings.js';
import { allMappingRows } from '../store/mappings.js';
import type { PaymentMethodMappingRow } from '../store/schemas/mapping-tables.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { activityAttempt, intacctControlId, intacctForOrder } from './intacct-writes.js';
import { operatorFailure } from './flow-failure.js';
import {
  returnToCreditMemoFailures,
  type RecordedRefundPosting,
  type RecordRefundPostingInput,
  type ReturnToCreditMemoActivities,
} from '../workflows/return-to-credit-memo-contract.js';
import { refundKey, refusing } from './refund-writes.js';

/** ReturnToCreditMemo's payout: the AR adjustment that gives the refund's money back, exactly once. */
export function createRefundPostingActivities(deps: ActivityDependencies) {
  /**
   * Pays the refund out in AR once: the ledger's `intacctKey` on the refund's entry guards
   * across runs, the control id `rf-post:{tenant}:{refundId}` with `uniqueid` within them, and
   * the adjustment number (`RF-{refundId}`) finds it on a retry.
   */
  async function recordRefundPosting(input: RecordRefundPostingInput): Promise<RecordedRefundPosting> {
    const key = refundKey(input);
    const known = await findLedgerEntry(deps.db, key);
    if (known?.intacctKey !== undefined) return { adjustmentKey: known.intacctKey, created: false };
    const connection = await deps.connections.forTenant(input.tenantId);
    const paymentMethodRows = (await allMappingRows(deps.db, input.tenantId, 'paymentMethods')).map(
      (document) => document.row as PaymentMethodMappingRow,
    );
    const client = await intacctForOrder(deps, input);
    // The order's receipt waited in its gateway's clearing account: the refund comes out of it too.
    const payment = await findLedgerEntry(deps.db, { tenantId: input.tenantId, entity: 'payment', externalId: input.refund.orderId });
    const clearingGlAccountNo = gatewayCloseSettings(connection.settings.close, payment?.gateway)?.clearing.glAccountNo;
    let deposit;
    try {
      if (clearingGlAccountNo === undefined)
        ({ deposit } = choosePaymentDeposit(input.refund.paymentMethod, connection.settings.orderSync.payments, paymentMethodRows));
    } catch (error) {
      if (error instanceof PaymentAccountNotConfiguredError) throw operatorFailure(returnToCreditMemoFailures, error.type, error.message);
      throw error;
    }
    const bankGlAccountNo =
      deposit !== undefined && 'bankAccountId' in deposit ? await readBankGlAccount(client, deposit.bankAccountId) : undefined;
    if (deposit !== undefined && 'bankAccountId' in deposit && bankGlAccountNo === undefined) {
      throw operatorFailure(
        returnToCreditMemoFailures,
        'PaymentAccountNotConfigured',
        `bank account ${deposit.bankAccountId} has no GL account in Intacct, so refund ${input.refundId} cannot be paid out of it`,
      );
    }
    const posting = toIntacctRefundPosting({
      refund: input.refund,
      customerId: input.customerId,
      documentId: input.documentId,
      settings: connection.settings,
      paymentMethodRows,
      bankGlAccountNo,
      clearingGlAccountNo,
    });
    let result: RecordedRefundPosting | undefined;
    if (activityAttempt() > 1) {
      const adjustmentKey = await findArAdjustmentByNumber(client, posting.adjustmentNumber);
      if (adjustmentKey !== undefined) result = { adjustmentKey, created: false };
    }
    result ??= await refusing('RefundPostingRefused', `the AR posting paying refund ${input.refundId} out`, () =>
      createArAdjustment(client, posting, intacctControlId('rf-post', input.tenantId, input.refundId)),
    );
    await recordLedgerEntry(deps.db, key, { intacctKey: result.adjustmentKey });
    return result;
  }

  return {
    recordRefundPosting: withConnectorFailures(recordRefundPosting),
  } satisfies Pick<ReturnToCreditMemoActivities, 'recordRefundPosting'>;
}
