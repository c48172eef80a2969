import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  const cases: { name: string; value: string | undefined; expected: string | undefined }[] = [
    { name: 'an RFC 2822 date', value: 'Tue, 05 Mar 2019 21:40:11 +0000', expected: '2019-03-05T21:40:11Z' },
    { name: 'an RFC 2822 date in another zone', value: 'Tue, 05 Mar 2019 21:40:11 -0500', expected: '2019-03-06T02:40:11Z' },
    { name: 'an Intacct US date', value: '03/15/2026', expected: '2026-03-15T00:00:00Z' },
    { name: 'an ISO date', value: '2026-03-15', expected: '2026-03-15T00:00:00Z' },
    { name: 'an ISO timestamp with milliseconds', value: '2026-11-05T16:00:00.250Z', expected: '2026-11-05T16:00:00.250Z' },
    { name: 'empty', value: '', expected: undefined },
    { name: 'absent', value: undefined, expected: undefined },
    { name: 'not a date', value: 'soon', expected: undefined },
  ];
  it.each(cases)('when the value is $name, then it reads as $expected', ({ value, expected }) => {
    expect(isoTimestamp(value)).toBe(expected);
  });
});
