import { describe, expect, it } from 'vitest';
import { defaultTenantSettings, settingsDiff } from '../../../store/schemas/settings.js';

const base = defaultTenantSettings({ storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } });

describe('settingsDiff', () => {
  it('when nothing changed then there is no change', () => {
    expect(settingsDiff(base, structuredClone(base))).toStrictEqual([]);
  });

  it('when leaves change, are added and are removed then each is reported at its path, sorted by path', () => {
    const after = structuredClone(base);
    after.timezone = 'Europe/London';
    after.orderSync.guestOrders = { enabled: true, customerId: 'GUEST' };
    after.orderSync.currency.orderCurrency = 'EUR';
    // A key present with undefined is the same as no key: stored documents drop undefined.
    after.connection.intacct.entityId = undefined;
    expect(settingsDiff(base, after)).toStrictEqual([
      { path: 'orderSync.currency.orderCurrency', before: undefined, after: 'EUR' },
      { path: 'orderSync.guestOrders.customerId', before: undefined, after: 'GUEST' },
      { path: 'orderSync.guestOrders.enabled', before: false, after: true },
      { path: 'timezone', before: 'UTC', after: 'Europe/London' },
    ]);
  });

  it('when a list changes then the whole list is reported once, old and new side by side', () => {
    const after = structuredClone(base);
    after.orderSync.triggerStatuses = ['11', '2'];
    after.orderSync.payments.methods = [{ method: 'Cash', account: { undepositedFunds: true } }];
    expect(settingsDiff(base, after)).toStrictEqual([
      { path: 'orderSync.payments.methods', before: [], after: [{ method: 'Cash', account: { undepositedFunds: true } }] },
      { path: 'orderSync.triggerStatuses', before: ['11', '9', '8', '3', '2', '10'], after: ['11', '2'] },
    ]);
  });

  it('when only an element inside a listed object changes then the list is still reported', () => {
    const before = { methods: [{ method: 'Cash', account: { glAccountNo: '1000' } }] };
    const after = { methods: [{ method: 'Cash', account: { glAccountNo: '1010' } }] };
    expect(settingsDiff(before, after)).toStrictEqual([{ path: 'methods', before: before.methods, after: after.methods }]);
  });

  it('when a value changes shape (object to scalar, union variant) then it is reported whole at its path', () => {
    expect(settingsDiff({ dueDate: { kind: 'paymentTerm' } }, { dueDate: { kind: 'daysAfterOrder', days: 30 } })).toStrictEqual([
      { path: 'dueDate.days', before: undefined, after: 30 },
      { path: 'dueDate.kind', before: 'paymentTerm', after: 'daysAfterOrder' },
    ]);
    expect(settingsDiff({ skus: { mode: 'all' } }, { skus: 'all' })).toStrictEqual([
      { path: 'skus', before: { mode: 'all' }, after: 'all' },
    ]);
  });

  it('when the first version is written then every setting appears as added', () => {
    expect(settingsDiff({}, { timezone: 'UTC', inventory: { enabled: false } })).toStrictEqual([
      { path: 'inventory', before: undefined, after: { enabled: false } },
      { path: 'timezone', before: undefined, after: 'UTC' },
    ]);
  });

  it('gives the same answer whatever the key order of its inputs', () => {
    const left = settingsDiff({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4, c: 2 }, a: 0 });
    const right = settingsDiff({ b: { d: 3, c: 2 }, a: 1 }, { a: 0, b: { c: 2, d: 4 } });
    expect(left).toStrictEqual([
      { path: 'a', before: 1, after: 0 },
      { path: 'b.d', before: 3, after: 4 },
    ]);
    expect(right).toStrictEqual(left);
  });

  it('does not change its inputs', () => {
    const before = structuredClone(base);
    const after = { ...structuredClone(base), timezone: 'Asia/Tokyo' };
    settingsDiff(before, after);
    expect(before).toStrictEqual(base);
    expect(after.timezone).toBe('Asia/Tokyo');
  });
});
