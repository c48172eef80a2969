import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { buildRequestXml } from '../../../connectors/intacct/envelope.js';
import { applyArCredit, type ArCreditApplicationInput } from '../../../connectors/intacct/functions/apply-ar-credit.js';
import { renderXml } from '../../../connectors/intacct/xml-writer.js';
import { projectRoot } from '../../../config/index.js';

const application: ArCreditApplicationInput = {
  customerId: 'C-1001',
  deposit: { undepositedFundsAccount: '1050' },
  paymentMethod: 'Credit Card',
  referenceNumber: 'RA-31',
  description: 'Credit memo Sales Credit Memo-CM-0001 applied to refund 31 paid out',
  date: '2024-03-22',
  applications: [{ creditMemoKey: '105', paid: { debitMemoKey: '104' }, amount: '25.00' }],
};

describe('applyArCredit (credit-only ARPYMT)', () => {
  it('applies the credit memo (ADJUSTMENTKEY) to the debit memo (POSADJKEY) with no cash amount, header fields in the documented order', () => {
    expect(renderXml(applyArCredit(application))).toBe(
      '<create><ARPYMT><PAYMENTMETHOD>Credit Card</PAYMENTMETHOD><CUSTOMERID>C-1001</CUSTOMERID><DOCNUMBER>RA-31</DOCNUMBER>' +
        '<DESCRIPTION>Credit memo Sales Credit Memo-CM-0001 applied to refund 31 paid out</DESCRIPTION>' +
        '<RECEIPTDATE>03/22/2024</RECEIPTDATE><PAYMENTDATE>03/22/2024</PAYMENTDATE><UNDEPOSITEDACCOUNTNO>1050</UNDEPOSITEDACCOUNTNO>' +
        '<ARPYMTDETAILS><ARPYMTDETAIL><POSADJKEY>104</POSADJKEY><ADJUSTMENTKEY>105</ADJUSTMENTKEY>' +
        '<TRX_ADJUSTMENTAMOUNT>25.00</TRX_ADJUSTMENTAMOUNT></ARPYMTDETAIL></ARPYMTDETAILS></ARPYMT></create>',
    );
  });

  it('names a bank account as FINANCIALENTITY, an invoice as RECORDKEY, and the currency when given', () => {
    const xml = renderXml(
      applyArCredit({
        ...application,
        deposit: { bankAccountId: 'BOA-CHK' },
        currency: 'CAD',
        applications: [{ creditMemoKey: '105', paid: { invoiceKey: '5512' }, amount: '3.10' }],
      }),
    );
    expect(xml).toMatch(/^<create><ARPYMT><FINANCIALENTITY>BOA-CHK<\/FINANCIALENTITY><PAYMENTMETHOD>/);
    expect(xml).toContain('<CURRENCY>CAD</CURRENCY>');
    expect(xml).not.toContain('UNDEPOSITEDACCOUNTNO');
    expect(xml).toContain(
      '<ARPYMTDETAIL><RECORDKEY>5512</RECORDKEY><ADJUSTMENTKEY>105</ADJUSTMENTKEY><TRX_ADJUSTMENTAMOUNT>3.10</TRX_ADJUSTMENTAMOUNT>',
    );
    expect(xml).not.toContain('TRX_PAYMENTAMOUNT');
  });

  it('refuses an application with nothing to apply', () => {
    expect(() => applyArCredit({ ...application, applications: [] })).toThrow(RangeError);
  });

  it("builds a request Sage's schema accepts", async () => {
    const schema = fs.readFileSync(path.join(projectRoot, 'sandbox/intacct/schema/api.xsd'), 'utf8');
    const contents = buildRequestXml({
      sender: { senderId: 'sender', senderPassword: 'sender-pw' },
      controlId: 'req-1',
      uniqueId: true,
      transaction: false,
      authentication: { sessionId: 'abc..' },
      functions: [{ controlId: 'rf-apply:t:31', body: applyArCredit(application) }],
    });
    const result = await validateXML({ xml: [{ fileName: 'request.xml', contents }], schema: [{ fileName: 'api.xsd', contents: schema }] });
    expect(result.errors).toEqual([]);
  }, 60_000);
});
