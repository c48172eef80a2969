import { describe, expect, it } from 'vitest';
import { toRfc2822 } from '../../activities/order-discovery.js';
import { parseRfc2822Date } from '../../connectors/bigcommerce/index.js';

describe('toRfc2822 (BigCommerce V2 date filters)', () => {
  it.each([
    ['2026-01-07T13:30:00.000Z', 'down', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.000Z', 'up', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.400Z', 'down', 'Wed, 07 Jan 2026 13:30:00 +0000'],
    ['2026-01-07T13:30:00.400Z', 'up', 'Wed, 07 Jan 2026 13:30:01 +0000'],
    ['2026-12-31T23:59:59.999Z', 'up', 'Fri, 01 Jan 2027 00:00:00 +0000'],
    ['2026-03-01T08:05:09+02:00', 'down', 'Sun, 01 Mar 2026 06:05:09 +0000'],
  ] as const)('when %s is a lower (down) or upper (up) bound, rounded %s, then it is written %j', (iso, round, expected) => {
    expect(toRfc2822(iso, round)).toBe(expected);
  });

  it('when the written date is read back as BigCommerce sends it then it is the same instant', () => {
    expect(parseRfc2822Date(toRfc2822('2026-11-23T22:00:46.000Z', 'down'))).toBe('2026-11-23T22:00:46.000Z');
  });

  it('when the input is not a date then it fails without retries', () => {
    expect(() => toRfc2822('yesterday', 'down')).toThrow(expect.objectContaining({ type: 'InvalidDate', nonRetryable: true }));
  });
});
