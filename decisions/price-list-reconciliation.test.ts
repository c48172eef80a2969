import { describe, expect, it } from 'vitest';
import { priceListReconciliation } from './price-list-reconciliation.js';

const daily = { enabled: true, hour: 2 };

describe('priceListReconciliation', () => {
  it.each([
    [
      'an operator full run, even with the daily run off',
      '2026-12-07T10:00:00Z',
      'UTC',
      { enabled: false, hour: 2 },
      '2026-12-07',
      true,
      { reconcile: true, day: '2026-12-07', because: 'operatorFullRun' },
    ],
    [
      'the first run at the hour',
      '2026-12-07T02:00:00Z',
      'UTC',
      daily,
      '2026-12-06',
      false,
      { reconcile: true, day: '2026-12-07', because: 'dailyReconciliation' },
    ],
    [
      'a tenant never reconciled',
      '2026-12-07T23:30:00Z',
      'UTC',
      daily,
      undefined,
      false,
      { reconcile: true, day: '2026-12-07', because: 'dailyReconciliation' },
    ],
    [
      'a run before the hour',
      '2026-12-07T01:59:59Z',
      'UTC',
      daily,
      '2026-12-06',
      false,
      { reconcile: false, day: '2026-12-07', because: 'beforeTheHour' },
    ],
    [
      'a later run the same day',
      '2026-12-07T14:00:00Z',
      'UTC',
      daily,
      '2026-12-07',
      false,
      { reconcile: false, day: '2026-12-07', because: 'alreadyReconciledToday' },
    ],
    [
      'the daily run turned off',
      '2026-12-07T14:00:00Z',
      'UTC',
      { enabled: false, hour: 2 },
      undefined,
      false,
      { reconcile: false, day: '2026-12-07', because: 'turnedOff' },
    ],
    // 01:30 UTC is 02:30 in Berlin (UTC+1 in December): at the hour there, on the 7th.
    [
      'the hour read in the tenant time zone',
      '2026-12-07T01:30:00Z',
      'Europe/Berlin',
      daily,
      '2026-12-06',
      false,
      { reconcile: true, day: '2026-12-07', because: 'dailyReconciliation' },
    ],
    // 03:00 UTC on the 7th is still the 6th, 19:00, in Los Angeles: the 6th was reconciled already.
    [
      'the day read in the tenant time zone',
      '2026-12-07T03:00:00Z',
      'America/Los_Angeles',
      daily,
      '2026-12-06',
      false,
      { reconcile: false, day: '2026-12-06', because: 'alreadyReconciledToday' },
    ],
    [
      'hour 0: the first run after midnight',
      '2026-12-07T00:05:00Z',
      'UTC',
      { enabled: true, hour: 0 },
      '2026-12-06',
      false,
      { reconcile: true, day: '2026-12-07', because: 'dailyReconciliation' },
    ],
  ] as const)('%s', (_case, now, timeZone, settings, lastReconciledOn, full, expected) => {
    expect(priceListReconciliation({ now, timeZone, settings, lastReconciledOn, full })).toEqual(expected);
  });
});
