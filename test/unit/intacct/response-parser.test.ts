import { describe, expect, it } from 'vitest';
import { MalformedResponseError, looksLikeIntacctResponse, parseResponse } from '../../../connectors/intacct/response-parser.js';

const control = (status: string) =>
  `<control><status>${status}</status><senderid>s</senderid><controlid>r1</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>`;
const auth =
  '<authentication><status>success</status><userid>u</userid><companyid>C</companyid><locationid></locationid><sessiontimestamp>2026-01-01T10:00:00+00:00</sessiontimestamp><sessiontimeout>2026-01-01T22:00:00+00:00</sessiontimeout></authentication>';
const wrap = (results: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<response>${control('success')}<operation>${auth}${results}</operation></response>`;

describe('Intacct response parser', () => {
  it('keeps every value a string: leading zeros, trailing zeros, booleans', () => {
    const response = parseResponse(
      wrap(
        '<result><status>success</status><function>readByQuery</function><controlid>q</controlid><data listtype="item" count="1" totalcount="816" numremaining="815" resultId="7765623338X7bwUx4@eQAAAAY4"><item><ITEMID>00123</ITEMID><BASEPRICE>1.10</BASEPRICE><TAXABLE>true</TAXABLE><MEMO></MEMO></item></data></result>',
      ),
    );
    const [result] = response.results;
    expect(result!.data!.records).toEqual([{ ITEMID: '00123', BASEPRICE: '1.10', TAXABLE: 'true', MEMO: '' }]);
    expect(result!.data).toMatchObject({
      listtype: 'item',
      count: 1,
      totalcount: 816,
      numremaining: 815,
      resultId: '7765623338X7bwUx4@eQAAAAY4',
    });
  });

  it('returns one result, one error and one record as arrays', () => {
    const response = parseResponse(
      wrap(
        '<result><status>failure</status><function>create</function><controlid>c</controlid><data listtype="objects" count="1"><customer><RECORDNO>1</RECORDNO></customer></data><errormessage><error><errorno>BL34000061</errorno><description></description><description2>dup</description2><correction></correction></error></errormessage></result>',
      ),
    );
    expect(response.results).toHaveLength(1);
    expect(response.results[0]!.errors).toEqual([{ errorno: 'BL34000061', description: '', description2: 'dup', correction: '' }]);
    expect(response.results[0]!.data!.records).toEqual([{ RECORDNO: '1' }]);
  });

  it('reads records of any element case, in order', () => {
    const response = parseResponse(
      wrap(
        '<result><status>success</status><function>readByName</function><controlid>r</controlid><data listtype="CUSTOMER" count="2"><CUSTOMER><CUSTOMERID>A</CUSTOMERID></CUSTOMER><CUSTOMER><CUSTOMERID>B</CUSTOMERID><DISPLAYCONTACT><EMAIL1>b@x</EMAIL1></DISPLAYCONTACT></CUSTOMER></data></result>',
      ),
    );
    expect(response.results[0]!.data!.recordNames).toEqual(['CUSTOMER', 'CUSTOMER']);
    expect(response.results[0]!.data!.records[1]).toEqual({ CUSTOMERID: 'B', DISPLAYCONTACT: { EMAIL1: 'b@x' } });
  });

  it('reads getAPISession data, the authentication block and legacy keys', () => {
    const response = parseResponse(
      wrap(
        '<result><status>success</status><function>getAPISession</function><controlid>s</controlid><data><api><sessionid>abc..</sessionid><endpoint>https://api.intacct.com/ia/xml/xmlgw.phtml</endpoint><locationid></locationid></api></data></result><result><status>success</status><function>create_sotransaction</function><controlid>k</controlid><key>Sales Order-SO-0001</key></result>',
      ),
    );
    expect(response.results[0]!.data!.records[0]).toEqual({
      sessionid: 'abc..',
      endpoint: 'https://api.intacct.com/ia/xml/xmlgw.phtml',
      locationid: '',
    });
    expect(response.results[1]!.key).toBe('Sales Order-SO-0001');
    expect(response.authentication).toMatchObject({ status: 'success', sessionTimeout: '2026-01-01T22:00:00+00:00' });
  });

  it('keeps values with spaces, entities and astral characters exactly', () => {
    const response = parseResponse(
      wrap(
        '<result><status>success</status><function>read</function><controlid>r</controlid><data listtype="CUSTOMER" count="1"><CUSTOMER><NAME>  A &amp; B &lt;x&gt; ]]&gt; &#13;&#10;😀 </NAME></CUSTOMER></data></result>',
      ),
    );
    expect(response.results[0]!.data!.records[0]!.NAME).toBe('  A & B <x> ]]> \r\n😀 ');
  });

  it('tolerates a result without status (the uniqueid replay answer)', () => {
    const response = parseResponse(
      wrap(
        '<result><function>create_sotransaction</function><controlid>so:1</controlid><errormessage><error><errorno>XL03000004</errorno><description2>A successful transaction has already been recorded with the control id so:1</description2></error></errormessage></result>',
      ),
    );
    expect(response.results[0]!.status).toBeUndefined();
    expect(response.results[0]!.errors[0]).toEqual({
      errorno: 'XL03000004',
      description: '',
      description2: 'A successful transaction has already been recorded with the control id so:1',
      correction: '',
    });
  });

  it('reads a control failure, which has no operation', () => {
    const response = parseResponse(
      `<response>${control('failure')}<errormessage><error><errorno>XL03000006</errorno><description>Incorrect Intacct XML Partner ID or password.</description><description2></description2><correction></correction></error></errormessage></response>`,
    );
    expect(response.control.status).toBe('failure');
    expect(response.controlErrors[0]!.description).toBe('Incorrect Intacct XML Partner ID or password.');
    expect(response.authentication).toBeUndefined();
  });

  it('reads an authentication failure, which has no results', () => {
    const response = parseResponse(
      `<response>${control('success')}<operation><authentication><status>failure</status><userid>u</userid><companyid>C</companyid></authentication><errormessage><error><errorno>XL03000006</errorno><description></description><description2>Sign-in information is incorrect</description2><correction></correction></error></errormessage></operation></response>`,
    );
    expect(response.authentication!.status).toBe('failure');
    expect(response.authenticationErrors).toHaveLength(1);
    expect(response.results).toEqual([]);
  });

  it('decodes HTML entities gateway messages carry', () => {
    const response = parseResponse(
      wrap(
        '<result><status>failure</status><function>read</function><controlid>r</controlid><errormessage><error><errorno>X</errorno><description2>a&nbsp;b</description2></error></errormessage></result>',
      ),
    );
    expect(response.results[0]!.errors[0]!.description2).toBe('a\u00a0b');
  });

  it.each([
    ['Cloudflare page', '<!DOCTYPE html><html><div id="cf-error-details">524</div></html>', false],
    ['empty body', '', false],
    ['response', '<response><control/></response>', true],
    ['declaration then response', '<?xml version="1.0"?>\n<response>', true],
  ])('tells an XML response from %s', (_name, body, expected) => {
    expect(looksLikeIntacctResponse(body)).toBe(expected);
  });

  it.each([
    ['truncated', `<response>${control('success')}<operation>`],
    ['wrong shape', '<response><foo/></response>'],
  ])('refuses a %s response', (_name, body) => {
    expect(() => parseResponse(body)).toThrow(MalformedResponseError);
  });
});
