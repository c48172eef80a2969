import { describe, expect, it } from 'vitest';
import { closeSchema } from '../store/schemas/settings-close.js';
import { toIntacctArPayment, toIntacctCapturePayment } from './payment-account.js';

describe('toIntacctArPayment with close settings', () => {
  const order = {
    orderId: '100',
    placedAt: '2026-03-01T15:30:00.000Z',
    currency: 'USD',
    amountPaid: 7662,
    total: 7662,
    paymentMethod: 'Bank Deposit',
  };
  const close = closeSchema.parse({
    gateways: [
      {
        gateway: 'stripe',
        clearing: { glAccountNo: '1060' },
        bankAccountId: 'BOA-CHK',
        glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', reserves: '1070', adjustments: '6190' },
      },
    ],
  });
  const settings = {
    orderSync: {
      payments: { methods: [], defaultAccount: { undepositedFunds: true, glAccountNo: '1050' } },
      currency: { baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
    },
    timezone: 'UTC',
    close,
  };
  const bankRow = { paymentMethod: 'Bank Deposit', undepositedFunds: false, bankAccountId: 'BOA-CHK' };
  const paidBy = (gateway: string | undefined) => ({
    order: { ...order, ...(gateway !== undefined && { attributes: { paymentGateway: gateway } }) },
    customerId: 'C-1',
    settings,
    paymentMethodRows: [bankRow],
  });

  it('when the gateway that took the payment has close settings, then the payment waits in its clearing account, whatever the method maps to', () => {
    expect(toIntacctArPayment(paidBy('Stripe')).deposit).toEqual({ undepositedFundsAccount: '1060' });
  });

  it('when another gateway or none took it, then the payment method’s account is used as before', () => {
    expect(toIntacctArPayment(paidBy('paypalexpress')).deposit).toEqual({ bankAccountId: 'BOA-CHK' });
    expect(toIntacctArPayment(paidBy(undefined)).deposit).toEqual({ bankAccountId: 'BOA-CHK' });
  });

  it('when a capture after posting came through the gateway, then its own receipt waits in the clearing account too', () => {
    const capture = { transactionId: 't-9', amount: 500, applicable: 500, capturedAt: '2026-03-04T10:00:00.000Z' };
    expect(toIntacctCapturePayment({ ...paidBy('stripe'), capture }).deposit).toEqual({ undepositedFundsAccount: '1060' });
  });
});
