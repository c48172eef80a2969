import { describe, expect, it } from 'vitest';
import { composeAlertMessage } from './alert-message.js';
import { buildDailySummary, dailySummaryAlert, dailySummaryHeadline, type DailySummaryRecords } from './daily-summary.js';

const posting = (
  payoutId: string,
  state: 'posted' | 'parked' | 'pending',
  net: number,
  currency = 'USD',
  variances: Array<{ kind: string; explanation: string }> = [],
): DailySummaryRecords['payouts'][number] => ({
  processor: 'stripe',
  payoutId,
  state,
  currency,
  figures: { net, fees: 0, byKind: {} },
  variances,
});

const december6: DailySummaryRecords = {
  tenantId: 'acme',
  day: '2026-12-06',
  timeZone: 'Europe/London',
  orderStates: ['synced', 'synced', 'synced', 'parked', 'pending', 'cancelled', 'skipped', 'failed'],
  payouts: [
    posting('po_1', 'posted', 96_80),
    posting('po_2', 'posted', 10_00),
    posting('po_eur', 'posted', 50_00, 'EUR'),
    posting('po_3', 'parked', 20_00, 'USD', [
      { kind: 'unmatchedLine', explanation: 'charge ch_9 of 20.00 USD matches no payment' },
      { kind: 'amountDifference', explanation: 'order 1042 was paid 10.00 USD, the charge says 10.50 USD' },
    ]),
    posting('po_4', 'pending', 5_00),
  ],
  openAttention: 3,
};

describe('buildDailySummary', () => {
  it('when the day had orders and payouts in every state, then each is counted, posted nets are summed per currency and every variance is listed', () => {
    expect(buildDailySummary(december6)).toEqual({
      day: '2026-12-06',
      timeZone: 'Europe/London',
      orders: { recorded: 8, synced: 3, parked: 1, pending: 1, failed: 1, cancelledOrSkipped: 2 },
      payouts: { posted: 3, parked: 1, pending: 1, postedNet: { USD: 106_80, EUR: 50_00 } },
      variances: [
        { payoutId: 'po_3', processor: 'stripe', kind: 'unmatchedLine', explanation: 'charge ch_9 of 20.00 USD matches no payment' },
        {
          payoutId: 'po_3',
          processor: 'stripe',
          kind: 'amountDifference',
          explanation: 'order 1042 was paid 10.00 USD, the charge says 10.50 USD',
        },
      ],
      openAttention: 3,
    });
  });

  it('when nothing happened, then every figure is zero and the headline says so', () => {
    const quiet = buildDailySummary({ ...december6, orderStates: [], payouts: [], openAttention: 0 });
    expect(dailySummaryHeadline(quiet)).toBe(
      'Daily summary of 2026-12-06: 0 orders synced, 0 parked; 0 payouts posted, 0 parked; 0 variances',
    );
    expect(dailySummaryAlert('acme', quiet).reason.split('\n').slice(1)).toEqual([
      'Orders recorded: 0 (0 synced, 0 parked, 0 in progress, 0 failed, 0 cancelled or skipped).',
      'Payouts: 0 posted, 0 parked, 0 in progress.',
      'Variances: none.',
      'Waiting for a person: 0 open attention items.',
    ]);
    expect(dailySummaryAlert('acme', quiet).fix).toBe('Nothing waits for a person.');
  });
});

describe('the daily check of payments in no payout, in the summary', () => {
  it.each<[string, DailySummaryRecords['unpaidOut'], string | undefined]>([
    ['the check did not run', undefined, undefined],
    ['no payment waits', { afterDays: 7, asOf: '2026-12-06', count: 0, totals: {} }, 'Paid but in no payout after 7 days: none.'],
    [
      'one payment waits',
      { afterDays: 7, asOf: '2026-12-06', count: 1, totals: { USD: 50_00 } },
      'Paid but in no payout after 7 days: 1 payment (50.00 USD), each an attention item (payment_not_paid_out).',
    ],
    [
      'payments in two currencies wait',
      { afterDays: 10, asOf: '2026-12-06', count: 3, totals: { USD: 62_34, EUR: 7_00 } },
      'Paid but in no payout after 10 days: 3 payments (7.00 EUR, 62.34 USD), each an attention item (payment_not_paid_out).',
    ],
  ])('when %s, then the summary carries the figures and says so in one line before the attention count', (_case, unpaidOut, line) => {
    const summary = buildDailySummary({ ...december6, ...(unpaidOut !== undefined && { unpaidOut }) });
    expect(summary.unpaidOut).toEqual(unpaidOut);
    const lines = dailySummaryAlert('acme', summary).reason.split('\n');
    expect(lines.at(-1)).toBe('Waiting for a person: 3 open attention items.');
    expect(lines.filter((each) => each.startsWith('Paid but in no payout'))).toEqual(line === undefined ? [] : [line]);
    if (line !== undefined) expect(lines.at(-2)).toBe(line);
  });
});

describe('dailySummaryAlert', () => {
  const alert = dailySummaryAlert('acme', buildDailySummary(december6));

  it('when a day is summed up, then it is one daily_summary alert of the tenant, the day its episode, the figures line by line', () => {
    expect(alert).toMatchObject({
      tenantId: 'acme',
      rule: 'daily_summary',
      subject: { entity: 'tenant', externalId: 'daily-summary' },
      code: 'daily_summary',
      episode: '2026-12-06',
    });
    expect(alert.reason).toBe(
      [
        'Daily summary of 2026-12-06: 3 orders synced, 1 parked; 3 payouts posted, 1 parked; 2 variances (Europe/London).',
        'Orders recorded: 8 (3 synced, 1 parked, 1 in progress, 1 failed, 2 cancelled or skipped).',
        'Payouts: 3 posted (50.00 EUR, 106.80 USD to the bank), 1 parked, 1 in progress.',
        'Variances: payout po_3 (stripe): charge ch_9 of 20.00 USD matches no payment; payout po_3 (stripe): order 1042 was paid 10.00 USD, the charge says 10.50 USD',
        'Waiting for a person: 3 open attention items.',
      ].join('\n'),
    );
    expect(alert.fix).toBe('Work through the 3 open items in the attention queue (parked orders and payouts say what to fix).');
  });

  it('when it is sent, then the email subject is the headline and the text the figures; the webhook carries the same as Slack text', () => {
    const message = composeAlertMessage(
      's1',
      [{ ...alert, id: 's1', raisedAt: new Date('2026-12-07T07:00:00Z') }],
      'https://sync.example.com',
    );
    expect(message.subject).toBe(
      '[acme] Daily summary of 2026-12-06: 3 orders synced, 1 parked; 3 payouts posted, 1 parked; 2 variances (Europe/London)',
    );
    expect(message.text.split('\n')).toEqual([
      'Daily summary of 2026-12-06: 3 orders synced, 1 parked; 3 payouts posted, 1 parked; 2 variances (Europe/London).',
      '',
      ...alert.reason.split('\n').slice(1),
      '',
      alert.fix,
      '',
      'Attention queue: https://sync.example.com/console/tenants/acme/attention',
      'API: https://sync.example.com/api/v1/tenants/acme/alerts?rule=daily_summary',
    ]);
    expect(message.webhookBody).toMatchObject({
      digest: false,
      text: expect.stringMatching(/^\*Daily summary of 2026-12-06: .*\*\nOrders recorded: 8 /),
      alerts: [expect.objectContaining({ rule: 'daily_summary', code: 'daily_summary', what: 'Tenant acme has its daily summary' })],
    });
  });
});
