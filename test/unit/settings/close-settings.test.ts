import { describe, expect, it } from 'vitest';
import { closeAccountsToCheck, gatewayCloseSettings, parseTenantSettings } from '../../../store/schemas/settings.js';

const connection = { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } } as const;
const stripe = {
  gateway: 'Stripe',
  clearing: { glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
};

function parse(close: unknown) {
  return parseTenantSettings({ connection, orderSync: { triggerStatuses: ['11'] }, close });
}

describe('close settings (per gateway)', () => {
  it('when a tenant has no close settings, then no gateway has any and there is nothing to check', () => {
    const result = parseTenantSettings({ connection, orderSync: { triggerStatuses: ['11'] } });
    if (!result.ok) throw new Error('expected valid settings');
    expect(result.settings.close).toBeUndefined();
    expect(gatewayCloseSettings(result.settings.close, 'stripe')).toBeUndefined();
    expect(closeAccountsToCheck(result.settings.close)).toEqual({ glAccounts: [], bankAccounts: [] });
    expect(parse({}).ok && (parse({}) as { settings: { close: unknown } }).settings.close).toEqual({ gateways: [], unpaidOutAfterDays: 7 });
  });

  it('when a gateway is configured, then defaults fill the journal, mode, date and clearing kind and the name is lower case', () => {
    const result = parse({ gateways: [stripe] });
    expect(result.ok && result.settings.close?.gateways).toEqual([
      {
        ...stripe,
        gateway: 'stripe',
        clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
        journal: 'GJ',
        dimensions: {},
        postingMode: 'perPayout',
        postingDate: 'arrival',
      },
    ]);
  });

  it('when a gateway is listed twice or an account is missing or a word is unknown, then each problem is named at its path', () => {
    const { disputeFees: _optional, fees: _fees, ...withoutFees } = stripe.glAccounts;
    const result = parse({
      gateways: [stripe, { ...stripe, gateway: 'stripe', glAccounts: withoutFees, postingMode: 'weekly', postingDate: 'paid' }],
    });
    expect(result.ok ? [] : result.errors).toEqual([
      { path: 'close.gateways.1.glAccounts.fees', message: 'fees is required' },
      { path: 'close.gateways.1.postingMode', message: 'postingMode must be one of perPayout, dailySummary' },
      { path: 'close.gateways.1.postingDate', message: 'postingDate must be one of arrival, created' },
    ]);
    const duplicate = parse({ gateways: [stripe, { ...stripe, gateway: ' STRIPE ' }] });
    expect(duplicate.ok ? [] : duplicate.errors).toEqual([
      { path: 'close.gateways.1.gateway', message: 'gateway "stripe" is listed twice' },
    ]);
  });

  it('when the days a payment may wait for a payout are set, then 1 to 90 whole days are taken and anything else is named', () => {
    const days = (value: unknown) => parse({ gateways: [stripe], unpaidOutAfterDays: value });
    expect(days(14).ok && (days(14) as { settings: { close: { unpaidOutAfterDays: number } } }).settings.close.unpaidOutAfterDays).toBe(14);
    expect(
      [0, 91, 2.5, '7'].map((value) => {
        const result = days(value);
        return result.ok ? [] : result.errors;
      }),
    ).toEqual([
      [{ path: 'close.unpaidOutAfterDays', message: 'unpaidOutAfterDays must be at least 1' }],
      [{ path: 'close.unpaidOutAfterDays', message: 'unpaidOutAfterDays must be at most 90' }],
      [{ path: 'close.unpaidOutAfterDays', message: 'unpaidOutAfterDays must be whole days' }],
      [{ path: 'close.unpaidOutAfterDays', message: 'unpaidOutAfterDays must be a number' }],
    ]);
  });

  it('when a misspelt key is sent, then it is refused rather than dropped', () => {
    const result = parse({ gateways: [{ ...stripe, bankAcount: 'X' }] });
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'close.gateways.0.bankAcount', message: 'bankAcount is not a known setting' }]);
  });

  it('when a payment names its gateway in any case, then that gateway’s settings are found; an unknown or absent one finds none', () => {
    const result = parse({ gateways: [stripe] });
    if (!result.ok) throw new Error('expected valid settings');
    expect(gatewayCloseSettings(result.settings.close, ' STRIPE ')?.clearing.glAccountNo).toBe('1060');
    expect(gatewayCloseSettings(result.settings.close, 'paypalexpress')).toBeUndefined();
    expect(gatewayCloseSettings(result.settings.close, undefined)).toBeUndefined();
  });

  it('when the connection test lists the accounts to check, then every GL and bank account appears once, sorted', () => {
    const result = parse({
      gateways: [
        stripe,
        {
          ...stripe,
          gateway: 'paypal',
          clearing: { glAccountNo: '1061' },
          bankAccountId: 'WF-CHK',
          glAccounts: { ...stripe.glAccounts, disputeFees: undefined },
        },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(closeAccountsToCheck(result.settings.close)).toEqual({
      glAccounts: ['1060', '1061', '1070', '4950', '6100', '6110', '6120', '6190'],
      bankAccounts: ['BOA-CHK', 'WF-CHK'],
    });
  });
});
