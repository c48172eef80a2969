import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';

/** `record_deposit` input: receipts waiting in undeposited funds (or a clearing account) moved into a bank account. */
export interface DepositInput {
  /** The Intacct bank (checking) account id. */
  readonly bankAccountId: string;
  readonly depositDate: BusinessDate;
  /** The deposit slip id: the business key the deposit is found again by (a payout id). */
  readonly depositId: string;
  /** ARPYMT RECORDNOs of the receipts deposited; at least one. */
  readonly receiptKeys: readonly string[];
  readonly description?: string;
}

/**
 * `record_deposit`, elements in the gateway's sequence (Sage's api.xsd: bankaccountid,
 * depositdate, depositid, receiptkeys, description). A deposit cannot hold negative lines, so it
 * carries whole receipts only; what the processor kept back is a journal entry beside it.
 */
export function recordDeposit(input: DepositInput): XmlElement {
  if (input.receiptKeys.length === 0) throw new RangeError('A deposit needs at least one receipt');
  return element('record_deposit', [
    element('bankaccountid', input.bankAccountId),
    legacyDate('depositdate', input.depositDate),
    element('depositid', input.depositId),
    element(
      'receiptkeys',
      input.receiptKeys.map((key) => element('receiptkey', key)),
    ),
    ...optional('description', input.description),
  ]);
}
