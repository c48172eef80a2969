import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctInputError,
  applyArCredit,
  createArAdjustment,
  readArAdjustmentBalance,
  reverseArPayment,
  type ArCreditApplicationInput,
  type IntacctClient,
} from '../../../connectors/intacct/index.js';
import { failure, startHarness, uniqueId, type SandboxHarness } from './support.js';

/**
 * A credit memo applied to a debit memo with a credit-only ARPYMT, as Sage's AR payments
 * reference documents it, against the sandbox: the sandbox refuses what Intacct refuses
 * (more than either side has open, another customer's item, a debit memo as the credit) and
 * moves both balances when it accepts.
 */
describe('Intacct client against the sandbox: applying an AR credit memo to a debit memo', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function adjustment(customerId: string, amount: string): Promise<string> {
    const number = uniqueId('ADJ');
    const { adjustmentKey } = await createArAdjustment(
      client,
      { customerId, date: '2024-03-22', adjustmentNumber: number, lines: [{ glAccountNumber: '4900', amount }] },
      `aradj:${number}`,
    );
    return adjustmentKey;
  }

  function application(creditMemoKey: string, debitMemoKey: string, amount: string, customerId = 'C-1001'): ArCreditApplicationInput {
    return {
      customerId,
      deposit: { undepositedFundsAccount: '1050' },
      paymentMethod: 'Credit Card',
      referenceNumber: uniqueId('RA'),
      date: '2024-03-22',
      applications: [{ creditMemoKey, paid: { debitMemoKey }, amount }],
    };
  }

  it('when the credit is applied within both balances, then both close (Paid, TOTALDUE 0) and a replay of the same control id finds the same application', async () => {
    const credit = await adjustment('C-1001', '-25.00');
    const debit = await adjustment('C-1001', '25.00');
    const input = application(credit, debit, '25.00');
    const controlId = uniqueId('rf-apply');

    const applied = await applyArCredit(client, input, controlId);
    const again = await applyArCredit(client, input, controlId);

    expect(applied.created).toBe(true);
    expect(again).toEqual({ paymentKey: applied.paymentKey, created: false });
    expect(await readArAdjustmentBalance(client, credit)).toEqual({ customerId: 'C-1001', totalDue: '0' });
    expect(await readArAdjustmentBalance(client, debit)).toEqual({ customerId: 'C-1001', totalDue: '0' });
    const rows = (await sandbox.records('ARADJUSTMENT')).filter((row) => row.RECORDNO === credit || row.RECORDNO === debit);
    expect(rows.map((row) => [row.STATE, row.TOTALPAID])).toEqual([
      ['Paid', '-25'],
      ['Paid', '25'],
    ]);
    expect((await sandbox.records('ARPYMT')).filter((row) => row.DOCNUMBER === input.referenceNumber)).toHaveLength(1);
  });

  it('when part is applied, then both stay open for the rest (Partially Paid), and reversing the application opens both again', async () => {
    const credit = await adjustment('C-1001', '-25.00');
    const debit = await adjustment('C-1001', '10.00');
    const { paymentKey } = await applyArCredit(client, application(credit, debit, '4.00'), uniqueId('rf-apply'));
    expect((await readArAdjustmentBalance(client, credit))?.totalDue).toBe('-21');
    expect((await readArAdjustmentBalance(client, debit))?.totalDue).toBe('6');
    const states = async () =>
      (await sandbox.records('ARADJUSTMENT')).filter((row) => row.RECORDNO === credit || row.RECORDNO === debit).map((row) => row.STATE);
    expect(await states()).toEqual(['Partially Paid', 'Partially Paid']);

    await reverseArPayment(client, { paymentKey, date: '2024-03-23' }, uniqueId('reverse'));

    expect((await readArAdjustmentBalance(client, credit))?.totalDue).toBe('-25');
    expect((await readArAdjustmentBalance(client, debit))?.totalDue).toBe('10');
    expect(await states()).toEqual(['Posted', 'Posted']);
  });

  it.each([
    ['more than the debit memo has due', '-25.00', '10.00', '10.01', 'C-1001', /exceeds its amount due/],
    ['more than the credit memo has open', '-5.00', '10.00', '5.01', 'C-1001', /exceeds its available credit/],
    ['a debit memo as the credit', '10.00', '10.00', '1.00', 'C-1001', /not an open credit memo/],
    ["another customer's items", '-5.00', '5.00', '5.00', 'C-1002', /belongs to customer C-1001/],
  ])(
    'when applying %s, then Intacct refuses it and nothing moves',
    async (_what, creditAmount, debitAmount, applied, customerId, message) => {
      const credit = await adjustment('C-1001', creditAmount);
      const debit = await adjustment('C-1001', debitAmount);
      const error = await failure(applyArCredit(client, application(credit, debit, applied, customerId), uniqueId('rf-apply')));
      expect(error).toBeInstanceOf(IntacctInputError);
      expect(error.message).toMatch(message);
      expect((await readArAdjustmentBalance(client, debit))?.totalDue).toBe(String(Number(debitAmount)));
      expect((await readArAdjustmentBalance(client, credit))?.totalDue).toBe(String(Number(creditAmount)));
    },
  );
});
