import { describe, expect, it } from 'vitest';
import type { IntacctRefusalWords } from './refund-refusal.js';
import { refusesCustomer, staleMappingVerdict, type MappingRowOrigin, type StaleMappingVerdict } from './stale-learned-mapping.js';

const invalidBc1: IntacctRefusalWords = { vendorCode: 'BL03000003', description2: "Invalid Customer 'BC-1' specified." };

describe('refusesCustomer', () => {
  it.each<[string, IntacctRefusalWords[], boolean]>([
    ['the gateway naming the customer in quotes', [invalidBc1], true],
    ['the words in description rather than description2', [{ description: "Invalid Customer 'BC-1' specified." }], true],
    ['another case and double quotes', [{ description2: 'invalid customer "BC-1"' }], true],
    ['the customer named without quotes', [{ description2: 'Invalid customer BC-1, check the record' }], true],
    ['"Invalid Customer specified" naming none', [{ description2: 'Invalid Customer specified.' }], true],
    ['"Invalid Customer" alone', [{ description2: 'Invalid Customer' }], true],
    ['another customer named', [{ description2: "Invalid Customer 'BC-2' specified." }], false],
    ['an invalid item', [{ vendorCode: 'BL03000003', description2: "Invalid Item 'SKU-1' specified." }], false],
    ['the error number alone', [{ vendorCode: 'BL03000003', description2: 'Invalid reference' }], false],
    ['"customer" in another refusal', [{ description2: 'Customer BC-1 is on credit hold' }], false],
    ['the customer refused as the second error', [{ description2: 'Could not create SODOCUMENT' }, invalidBc1], true],
    ['no words', [], false],
  ])('when Intacct answers with %s, then it is %s that the document’s customer was refused', (_case, refusal, expected) => {
    expect(refusesCustomer(refusal, 'BC-1')).toBe(expected);
  });
});

describe('staleMappingVerdict', () => {
  const learned = (key: string): MappingRowOrigin => ({ key, learned: true });
  const entered = (key: string): MappingRowOrigin => ({ key, learned: false });

  it.each<[string, IntacctRefusalWords[], MappingRowOrigin[], StaleMappingVerdict]>([
    ['a learned row names the refused customer', [invalidBc1], [learned('1')], { action: 'forget', keys: ['1'] }],
    [
      'several learned rows name it (every shopper remembered for it)',
      [invalidBc1],
      [learned('jane@example.com'), learned('1')],
      { action: 'forget', keys: ['1', 'jane@example.com'] },
    ],
    ['only a row a person entered names it', [invalidBc1], [entered('1')], { action: 'park' }],
    [
      'a person’s row and a learned row name it (only the learned one goes)',
      [invalidBc1],
      [entered('1'), learned('2')],
      { action: 'forget', keys: ['2'] },
    ],
    ['no row names it (the guest customer, a setting)', [invalidBc1], [], { action: 'park' }],
    ['the refusal is about an item', [{ description2: "Invalid Item 'SKU-1' specified." }], [learned('1')], { action: 'park' }],
  ])('when %s, then the verdict is as expected', (_case, refusal, rows, expected) => {
    expect(staleMappingVerdict(refusal, 'BC-1', rows)).toEqual(expected);
  });
});
