import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  IntacctRetryableError,
  createArAdjustment,
  createArPayment,
  createJournalEntry,
  findDepositById,
  findJournalEntriesByReference,
  listGlEntries,
  netDebit,
  readBankGlAccount,
  recordDeposit,
  reverseArPayment,
  type IntacctClient,
} from '../../../connectors/intacct/index.js';
import { matchPayout, type LedgerPostingsByReference } from '../../../decisions/payout-matching.js';
import { toIntacctPayoutPosting } from '../../../mappers/payout-to-intacct.js';
import type { GatewayCloseSettings } from '../../../store/schemas/settings.js';
import { payout, payoutLine, receipt } from '../../support/payout-fixtures.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

const gateway: GatewayCloseSettings = {
  gateway: 'stripe',
  clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
  journal: 'GJ',
  dimensions: { locationId: '100' },
  postingMode: 'perPayout',
  postingDate: 'arrival',
};

/**
 * A payout posted through the connector to the Intacct sandbox over HTTP: order payments received
 * into the gateway's clearing account, then the payout's deposit and journal entry. The sandbox's
 * GL, read back by account and period, shows clearing at zero and the bank up by exactly the net.
 * Each test posts in its own month so the accounts' movements are its own.
 */
describe('Intacct client against the sandbox: payouts as a deposit and a journal entry', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function receive(amount: string, date: string, deposit: { undepositedFundsAccount: string } | { bankAccountId: string }) {
    const reference = uniqueId('ORD');
    const { paymentKey } = await createArPayment(
      client,
      { customerId: 'C-1001', amount, deposit, referenceId: reference, dateReceived: date, paymentMethod: 'Credit Card', applications: [] },
      `arpymt:${reference}`,
    );
    return { reference, paymentKey };
  }

  async function movement(accountNo: string, month: string) {
    return netDebit(await listGlEntries(client, { accountNo, from: `${month}-01`, to: `${month}-28` }), 2);
  }

  it('when a payout with fees, a refund and a lost dispute is posted, then clearing nets to zero and the bank is up by exactly the net', async () => {
    const first = await receive('100.00', '2026-03-02', { undepositedFundsAccount: '1060' });
    const second = await receive('25.00', '2026-03-03', { undepositedFundsAccount: '1060' });
    const third = await receive('40.00', '2026-03-03', { undepositedFundsAccount: '1060' });
    const subject = payout(
      [
        payoutLine('txn_1', 'charge', 10_000, 320, { paymentReference: 'ch_1' }),
        payoutLine('txn_2', 'charge', 2_500, 103, { paymentReference: 'ch_2' }),
        payoutLine('txn_3', 'charge', 4_000, 146, { paymentReference: 'ch_3' }),
        payoutLine('txn_4', 'refund', -2_500, 0, { paymentReference: 'ch_2' }),
        payoutLine('txn_5', 'chargeback', -4_000, 1_500, { paymentReference: 'ch_3' }),
      ],
      { payoutId: uniqueId('po'), arrivalDate: '2026-03-10' },
    );
    const postings: LedgerPostingsByReference = {
      ch_1: [receipt(first.reference, first.paymentKey, 10_000)],
      ch_2: [
        receipt(second.reference, second.paymentKey, 2_500),
        { kind: 'creditMemo', orderId: second.reference, documentKey: 'CM-9', amount: 2_500, currency: 'USD' },
      ],
      ch_3: [receipt(third.reference, third.paymentKey, 4_000)],
    };
    // The refund's own AR posting (ReturnToCreditMemo's RF-…) paid it out of clearing, where the payment waited.
    await createArAdjustment(
      client,
      {
        customerId: 'C-1001',
        date: '2026-03-05',
        adjustmentNumber: `RF-${uniqueId('r')}`,
        lines: [{ glAccountNumber: '1060', amount: '25.00', memo: 'refund of ch_2' }],
      },
      uniqueId('rf-post'),
    );
    const matching = matchPayout(subject, postings);
    expect(matching.fullyMatched).toBe(true);
    const bankGlAccountNo = (await readBankGlAccount(client, 'BOA-CHK'))!;
    const posting = toIntacctPayoutPosting({
      payout: subject,
      matching,
      gateway,
      bankGlAccountNo,
      baseCurrency: 'USD',
      exchangeRateType: 'Intacct Daily Rate',
    });

    const deposit = await recordDeposit(client, posting.deposit!, `deposit:${subject.payoutId}`);
    expect(deposit).toEqual({ depositKey: expect.stringMatching(/^\d+$/), created: true });
    const [entry] = posting.journalEntries;
    const journal = await createJournalEntry(client, entry!, `payout-je:${subject.payoutId}:1`);

    expect(await movement('1060', '2026-03')).toBe(0);
    expect(await movement('1000', '2026-03')).toBe(subject.amount);
    expect(subject.amount).toBe(10_000 + 2_500 + 4_000 - 320 - 103 - 146 - 2_500 - 4_000 - 1_500);
    expect(await movement('6100', '2026-03')).toBe(569);
    expect(await movement('6110', '2026-03')).toBe(4_000);
    expect(await movement('6120', '2026-03')).toBe(1_500);
    // The credit memo took the refund off revenue; the refunds account is for refunds the product never posted.
    expect(await movement('4950', '2026-03')).toBe(0);

    expect(await findDepositById(client, subject.payoutId)).toEqual({
      depositKey: deposit.depositKey,
      depositId: subject.payoutId,
      bankAccountId: 'BOA-CHK',
      date: '2026-03-10',
      total: '165',
    });
    expect(await findJournalEntriesByReference(client, subject.payoutId, 'GJ')).toEqual([
      { batchKey: journal.batchKey, title: `stripe payout ${subject.payoutId}`, date: '2026-03-10', journal: 'GJ' },
    ]);
  });

  it('when the answers are lost after commit, then the retries with the same control ids find the one deposit and journal entry', async () => {
    const paid = await receive('50.00', '2026-04-02', { undepositedFundsAccount: '1060' });
    const subject = payout(
      [payoutLine('txn_1', 'charge', 5_000, 175, { paymentReference: 'ch_1' }), payoutLine('txn_2', 'reserve', -500)],
      { payoutId: uniqueId('po'), arrivalDate: '2026-04-08' },
    );
    const matching = matchPayout(subject, { ch_1: [receipt(paid.reference, paid.paymentKey, 5_000)] });
    const posting = toIntacctPayoutPosting({
      payout: subject,
      matching,
      gateway,
      bankGlAccountNo: '1000',
      baseCurrency: 'USD',
      exchangeRateType: 'Intacct Daily Rate',
    });
    await sandbox.faults([
      { kind: 'commitThenDrop', function: 'record_deposit', times: 1 },
      { kind: 'commitThenDrop', function: 'create', times: 1 },
    ]);
    const depositControl = `deposit:${subject.payoutId}`;
    const journalControl = `payout-je:${subject.payoutId}:1`;
    const lostDeposit = await failure(recordDeposit(client, posting.deposit!, depositControl));
    expect(lostDeposit).toBeInstanceOf(IntacctRetryableError);
    const lostJournal = await failure(createJournalEntry(client, posting.journalEntries[0]!, journalControl));
    expect(lostJournal.outcomeUnknown).toBe(true);
    await sandbox.clearFaults();

    const deposit = await recordDeposit(client, posting.deposit!, depositControl);
    const journal = await createJournalEntry(client, posting.journalEntries[0]!, journalControl);
    expect([deposit.created, journal.created]).toEqual([false, false]);
    expect((await sandbox.records('DEPOSIT')).filter((row) => row.DEPOSITID === subject.payoutId)).toHaveLength(1);
    expect((await findJournalEntriesByReference(client, subject.payoutId, 'GJ')).map((found) => found.batchKey)).toEqual([
      journal.batchKey,
    ]);
    expect(await movement('1060', '2026-04')).toBe(0);
    expect(await movement('1000', '2026-04')).toBe(4_325);
    expect(await movement('1070', '2026-04')).toBe(500);
  });

  it('when a payout is split into parts, then each part posts under the same reference and is found again by its title', async () => {
    const fees = Array.from({ length: 5 }, (_, index) => payoutLine(`txn_${index}`, 'fee', -(100 + index)));
    const subject = payout(fees, { payoutId: uniqueId('po'), arrivalDate: '2026-05-04' });
    const posting = toIntacctPayoutPosting({
      payout: subject,
      matching: matchPayout(subject, {}),
      gateway,
      bankGlAccountNo: '1000',
      baseCurrency: 'USD',
      exchangeRateType: 'Intacct Daily Rate',
      maxLinesPerEntry: 5,
    });
    expect(posting.journalEntries).toHaveLength(3);
    const keys: string[] = [];
    for (const [index, entry] of posting.journalEntries.entries())
      keys.push((await createJournalEntry(client, entry, `payout-je:${subject.payoutId}:${index + 1}`)).batchKey);
    const again = await createJournalEntry(client, posting.journalEntries[1]!, `payout-je:${subject.payoutId}:2`);
    expect(again).toEqual({ batchKey: keys[1], created: false });
    expect(await movement('1060', '2026-05')).toBe(0);
    expect(await movement('1000', '2026-05')).toBe(-510);
  });

  it('when a deposit names a receipt already deposited, received straight into the bank, reversed or unknown, then Intacct refuses it whole', async () => {
    const deposited = await receive('10.00', '2026-06-01', { undepositedFundsAccount: '1050' });
    const direct = await receive('12.00', '2026-06-01', { bankAccountId: 'BOA-CHK' });
    const reversed = await receive('14.00', '2026-06-01', { undepositedFundsAccount: '1050' });
    await reverseArPayment(client, { paymentKey: reversed.paymentKey, date: '2026-06-02' }, uniqueId('rev'));
    const fresh = await receive('16.00', '2026-06-01', { undepositedFundsAccount: '1050' });
    const deposit = (receiptKeys: string[]) => ({
      bankAccountId: 'BOA-CHK',
      depositDate: '2026-06-05',
      depositId: uniqueId('dep'),
      receiptKeys,
    });
    await recordDeposit(client, deposit([deposited.paymentKey]), uniqueId('dep'));

    const messages: string[] = [];
    for (const keys of [[fresh.paymentKey, deposited.paymentKey], [direct.paymentKey], [reversed.paymentKey], ['999999']]) {
      const error = await failure(recordDeposit(client, deposit(keys), uniqueId('dep')));
      expect(error).toBeInstanceOf(IntacctInputError);
      messages.push(error.description2 ?? '');
    }
    expect(messages).toEqual([
      expect.stringMatching(new RegExp(`^Receipt ${deposited.paymentKey} has already been deposited \\(deposit \\d+\\)\\.$`)),
      `Receipt ${direct.paymentKey} is not in undeposited funds; it was received directly into bank account BOA-CHK.`,
      `Receipt ${reversed.paymentKey} is not a cash receipt that can be deposited.`,
      'Receipt 999999 is not a cash receipt that can be deposited.',
    ]);
    const unknownBank = await failure(recordDeposit(client, { ...deposit([fresh.paymentKey]), bankAccountId: 'NOPE' }, uniqueId('dep')));
    expect(unknownBank.description2).toBe("Invalid Bank account 'NOPE' specified.");
    // The refused deposit moved nothing: the fresh receipt is still in undeposited funds, and the bank holds the one deposit and the direct receipt.
    expect(await movement('1050', '2026-06')).toBe(1_600);
    expect(await movement('1000', '2026-06')).toBe(2_200);
  });
});

describe('Intacct sandbox: payouts into a closed period', () => {
  let sandbox: SandboxHarness;
  beforeAll(async () => {
    sandbox = await startHarness({ seed: { closedBefore: '2026-07-01' } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when a deposit or journal entry is dated in a closed period, then it is refused as an input error', async () => {
    const client = sandbox.client();
    const reference = uniqueId('ORD');
    const { paymentKey } = await createArPayment(
      client,
      {
        customerId: 'C-1001',
        amount: '5.00',
        deposit: { undepositedFundsAccount: '1060' },
        referenceId: reference,
        dateReceived: '2026-07-02',
        paymentMethod: 'Credit Card',
        applications: [],
      },
      `arpymt:${reference}`,
    );
    const deposit = await failure(
      recordDeposit(
        client,
        { bankAccountId: 'BOA-CHK', depositDate: '2026-06-30', depositId: 'po_closed', receiptKeys: [paymentKey] },
        uniqueId('dep'),
      ),
    );
    expect(deposit).toBeInstanceOf(IntacctInputError);
    expect(deposit.description2).toBe('The period for 06/30/2026 is closed; transactions cannot be posted to it.');
    const journal = await failure(
      createJournalEntry(
        client,
        {
          journal: 'GJ',
          date: '2026-06-30',
          title: 'late fees',
          referenceNumber: 'po_closed',
          lines: [
            { accountNumber: '6100', direction: 'debit', amount: '1.00' },
            { accountNumber: '1060', direction: 'credit', amount: '1.00' },
          ],
        },
        uniqueId('je'),
      ),
    );
    expect(journal).toBeInstanceOf(IntacctInputError);
  });
});
