import { describe, expect, it } from 'vitest';
import { payoutDayClosesAt, payoutDayReference } from './payout-day.js';

describe('payoutDayClosesAt', () => {
  it.each([
    ['UTC, by arrival: the next midnight plus a day', '2026-11-06', 'UTC', 'arrival', '2026-11-08T00:00:00.000Z'],
    ['New York in winter (UTC−5)', '2026-11-06', 'America/New_York', 'arrival', '2026-11-08T05:00:00.000Z'],
    ['Berlin in summer (UTC+2)', '2026-07-01', 'Europe/Berlin', 'arrival', '2026-07-02T22:00:00.000Z'],
    [
      'the 25-hour day New York leaves summer time (it ends at UTC−5)',
      '2026-11-01',
      'America/New_York',
      'arrival',
      '2026-11-03T05:00:00.000Z',
    ],
    ['Kolkata (UTC+5:30)', '2026-11-06', 'Asia/Kolkata', 'arrival', '2026-11-07T18:30:00.000Z'],
    ['UTC, by created date: a week and a day', '2026-11-06', 'UTC', 'created', '2026-11-15T00:00:00.000Z'],
  ] as const)('when %s, then the day closes at the expected instant', (_case, day, timeZone, postingDate, expected) => {
    expect(new Date(payoutDayClosesAt(day, timeZone, postingDate)).toISOString()).toBe(expected);
  });
});

describe('payoutDayReference', () => {
  it('when the payouts are in the base currency, then the reference is the gateway and the day', () => {
    expect(payoutDayReference('stripe', '2026-11-06', 'USD', 'USD')).toBe('stripe-2026-11-06');
  });
  it('when the payouts are in another currency, then the reference names it, so each currency posts apart', () => {
    expect(payoutDayReference('stripe', '2026-11-06', 'EUR', 'USD')).toBe('stripe-2026-11-06-EUR');
  });
});
