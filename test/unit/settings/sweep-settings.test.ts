import { describe, expect, it } from 'vitest';
import { defaultTenantSettings, parseTenantSettings } from '../../../store/schemas/settings.js';

const bigCommerce = { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } } as const;

function parseSweep(sweep: unknown) {
  return parseTenantSettings({ connection: bigCommerce, orderSync: { triggerStatuses: ['11'], ...(sweep !== undefined && { sweep }) } });
}

function errorsOf(sweep: unknown): Array<{ path: string; message: string }> {
  const result = parseSweep(sweep);
  return result.ok ? [] : result.errors;
}

describe('orderSync.sweep settings', () => {
  it('when a new tenant is created then the sweep is on, every 15 minutes, looking back 60 minutes', () => {
    expect(defaultTenantSettings(bigCommerce).orderSync.sweep).toStrictEqual({ enabled: true, everyMinutes: 15, lookbackMinutes: 60 });
  });

  it('when the sweep is left out or given empty then it takes every default', () => {
    for (const sweep of [undefined, {}]) {
      const result = parseSweep(sweep);
      expect(result.ok && result.settings.orderSync.sweep).toStrictEqual({ enabled: true, everyMinutes: 15, lookbackMinutes: 60 });
    }
  });

  it('when only some fields are given then the others keep their defaults', () => {
    const result = parseSweep({ enabled: false });
    expect(result.ok && result.settings.orderSync.sweep).toStrictEqual({ enabled: false, everyMinutes: 15, lookbackMinutes: 60 });
  });

  it.each([
    [
      { everyMinutes: 5, lookbackMinutes: 0 },
      { enabled: true, everyMinutes: 5, lookbackMinutes: 0 },
    ],
    [
      { everyMinutes: 1440, lookbackMinutes: 10_080 },
      { enabled: true, everyMinutes: 1440, lookbackMinutes: 10_080 },
    ],
    [
      { enabled: false, everyMinutes: 60, lookbackMinutes: 120 },
      { enabled: false, everyMinutes: 60, lookbackMinutes: 120 },
    ],
  ])('when the sweep is %j then it is accepted as %j', (sweep, expected) => {
    const result = parseSweep(sweep);
    expect(result.ok && result.settings.orderSync.sweep).toStrictEqual(expected);
  });

  it.each([
    [
      'an interval under 5 minutes',
      { everyMinutes: 4 },
      [{ path: 'orderSync.sweep.everyMinutes', message: 'everyMinutes must be at least 5' }],
    ],
    [
      'an interval over a day',
      { everyMinutes: 1441 },
      [{ path: 'orderSync.sweep.everyMinutes', message: 'everyMinutes must be at most 1440 (a day)' }],
    ],
    [
      'a fractional interval',
      { everyMinutes: 7.5 },
      [{ path: 'orderSync.sweep.everyMinutes', message: 'everyMinutes must be a whole number' }],
    ],
    [
      'an interval as text',
      { everyMinutes: '15' },
      [{ path: 'orderSync.sweep.everyMinutes', message: 'everyMinutes must be a whole number' }],
    ],
    [
      'a negative lookback',
      { lookbackMinutes: -1 },
      [{ path: 'orderSync.sweep.lookbackMinutes', message: 'lookbackMinutes must not be negative' }],
    ],
    [
      'a lookback over a week',
      { lookbackMinutes: 10_081 },
      [{ path: 'orderSync.sweep.lookbackMinutes', message: 'lookbackMinutes must be at most 10080 (a week)' }],
    ],
    ['enabled as text', { enabled: 'yes' }, [{ path: 'orderSync.sweep.enabled', message: 'enabled must be true or false' }]],
    ['a misspelt key', { everyMinute: 10 }, [{ path: 'orderSync.sweep.everyMinute', message: 'everyMinute is not a known setting' }]],
    ['not an object', 'hourly', [{ path: 'orderSync.sweep', message: 'Invalid input: expected object, received string' }]],
  ])('when the sweep has %s then it is refused with a message at its path', (_case, sweep, expected) => {
    expect(errorsOf(sweep)).toStrictEqual(expected);
  });
});
