import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { buildRequestXml } from '../../../connectors/intacct/envelope.js';
import { createJournalEntry } from '../../../connectors/intacct/functions/create-journal-entry.js';
import { recordDeposit, type DepositInput } from '../../../connectors/intacct/functions/record-deposit.js';
import { renderXml } from '../../../connectors/intacct/xml-writer.js';
import { projectRoot } from '../../../config/index.js';

const deposit: DepositInput = {
  bankAccountId: 'BOA-CHK',
  depositDate: '2026-11-06',
  depositId: 'po_1Q2w3E',
  receiptKeys: ['9001', '9002'],
  description: 'stripe payout po_1Q2w3E: 2 receipts, USD 125.00',
};

describe('payout request builders', () => {
  it('writes record_deposit in the schema sequence: bank, legacy date, deposit id, receipt keys, description', () => {
    expect(renderXml(recordDeposit(deposit))).toBe(
      '<record_deposit><bankaccountid>BOA-CHK</bankaccountid>' +
        '<depositdate><year>2026</year><month>11</month><day>06</day></depositdate>' +
        '<depositid>po_1Q2w3E</depositid><receiptkeys><receiptkey>9001</receiptkey><receiptkey>9002</receiptkey></receiptkeys>' +
        '<description>stripe payout po_1Q2w3E: 2 receipts, USD 125.00</description></record_deposit>',
    );
    expect(() => recordDeposit({ ...deposit, receiptKeys: [] })).toThrow(RangeError);
  });

  it('writes a foreign-currency journal line with its currency, rate date and either the rate type or the explicit rate', () => {
    const line = { accountNumber: '6100', direction: 'debit' as const, amount: '2.90', currency: 'EUR', locationId: '100' };
    const entry = (exchangeRate: { rateType: string; date: string } | { rate: string; date: string }) =>
      renderXml(
        createJournalEntry({
          journal: 'GJ',
          date: '2026-11-06',
          title: 'stripe payout po_1',
          referenceNumber: 'po_1',
          lines: [
            { ...line, exchangeRate },
            { ...line, accountNumber: '1060', direction: 'credit', exchangeRate },
          ],
        }),
      );
    expect(entry({ rateType: 'Intacct Daily Rate', date: '2026-11-06' })).toContain(
      '<TRX_AMOUNT>2.90</TRX_AMOUNT><CURRENCY>EUR</CURRENCY><EXCH_RATE_DATE>11/06/2026</EXCH_RATE_DATE>' +
        '<EXCH_RATE_TYPE_ID>Intacct Daily Rate</EXCH_RATE_TYPE_ID><LOCATION>100</LOCATION>',
    );
    const explicit = entry({ rate: '1.0842', date: '2026-11-06' });
    expect(explicit).toContain('<EXCH_RATE_DATE>11/06/2026</EXCH_RATE_DATE><EXCHANGE_RATE>1.0842</EXCHANGE_RATE>');
    expect(explicit).not.toContain('EXCH_RATE_TYPE_ID');
  });

  it("builds a record_deposit request Sage's schema accepts", async () => {
    const schema = fs.readFileSync(path.join(projectRoot, 'sandbox/intacct/schema/api.xsd'), 'utf8');
    const contents = buildRequestXml({
      sender: { senderId: 'sender', senderPassword: 'sender-pw' },
      controlId: 'req-1',
      uniqueId: true,
      transaction: false,
      authentication: { sessionId: 'abc..' },
      functions: [{ controlId: 'deposit:t:po_1', body: recordDeposit(deposit) }],
    });
    const result = await validateXML({ xml: [{ fileName: 'request.xml', contents }], schema: [{ fileName: 'api.xsd', contents: schema }] });
    expect(result.errors).toEqual([]);
  }, 60_000);
});
