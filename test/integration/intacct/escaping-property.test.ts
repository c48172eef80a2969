import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UnsendableXmlValueError,
  create,
  fieldText,
  queryLiteral,
  readByName,
  readByQuery,
  renderXml,
  type IntacctClient,
  type IntacctFunctionCall,
} from '../../../connectors/intacct/index.js';
import { startHarness, type SandboxHarness } from './support.js';

/** XML 1.0's Char production, written independently of the client's check. */
function isXmlText(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return false;
    if (code === 0x9 || code === 0xa || code === 0xd) continue;
    if (code < 0x20 || code === 0xfffe || code === 0xffff) return false;
  }
  return true;
}

const hostile = fc.constantFrom(
  '<',
  '&',
  '&amp;',
  ']]>',
  '"',
  "'",
  "\\'",
  '\\',
  '\r\n',
  '\r',
  ' leading',
  'trailing ',
  '   ',
  '\t',
  '😀',
  '𝄞',
  '\u0000',
  '\u0008',
  '\uFFFE',
  '\uD800',
  '\uDC00',
  '<![CDATA[x]]>',
  '&#x1;',
  '%_',
  '',
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 }),
  fc.array(fc.oneof(hostile, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')),
);

describe('Intacct XML escaping, client → sandbox → client', () => {
  let sandbox: SandboxHarness;
  let client: IntacctClient;

  beforeAll(async () => {
    sandbox = await startHarness();
    client = sandbox.client();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when any string is sent as a customer field, then it either comes back unchanged (also through a query literal) or is refused before sending', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyString, { minLength: 1, maxLength: 20 }), async (values) => {
        const run = randomUUID().slice(0, 8);
        const sendable: Array<{ value: string; customerId: string }> = [];
        const calls: IntacctFunctionCall[] = [];
        values.forEach((value, index) => {
          const customerId = `P-${run}-${index}`;
          let body;
          try {
            body = create([
              {
                object: 'CUSTOMER',
                fields: [
                  ['CUSTOMERID', customerId],
                  ['NAME', 'Escaping probe'],
                  ['NOTES', value],
                ],
              },
            ]);
            // The envelope renders (and checks) every value before anything is sent.
            renderXml(body);
          } catch (error) {
            expect(error).toBeInstanceOf(UnsendableXmlValueError);
            expect(isXmlText(value)).toBe(false);
            return;
          }
          expect(isXmlText(value)).toBe(true);
          sendable.push({ value, customerId });
          calls.push({ controlId: `create-${run}-${index}`, body });
        });
        if (sendable.length === 0) return;
        const created = await client.execute(calls);
        expect(created.map((result) => result.status)).toEqual(sendable.map(() => 'success'));
        const [readBack] = await client.execute([
          {
            controlId: `read-${run}`,
            body: readByName({ object: 'CUSTOMER', keys: sendable.map((entry) => entry.customerId), fields: ['CUSTOMERID', 'NOTES'] }),
          },
        ]);
        expect(readBack!.data!.records.map((record) => [fieldText(record, 'CUSTOMERID'), fieldText(record, 'NOTES')])).toEqual(
          sendable.map((entry) => [entry.customerId, entry.value]),
        );
        const queried = sendable.filter((entry) => entry.value !== '');
        if (queried.length === 0) return;
        const results = await client.execute(
          queried.map((entry, index) => ({
            controlId: `query-${run}-${index}`,
            body: readByQuery({
              object: 'CUSTOMER',
              query: `CUSTOMERID LIKE 'P-${run}-%' AND NOTES = ${queryLiteral(entry.value)}`,
              fields: ['CUSTOMERID'],
              pageSize: 100,
            }),
          })),
        );
        results.forEach((result, index) => {
          expect(result.status).toBe('success');
          expect(result.data!.records.map((record) => fieldText(record, 'CUSTOMERID'))).toContain(queried[index]!.customerId);
        });
      }),
      { numRuns: 8, seed: 20261123, examples: [[['<&>]]>"\'', '\r\n\t', ' x ', '😀\uD83D', '\u0001', '']]] },
    );
  });
});
