import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentActivities, type PaymentActivities } from '../../../activities/payments.js';
import { createSalesDocumentActivities, type SalesDocumentActivities } from '../../../activities/sales-documents.js';
import { closeSchema } from '../../../store/schemas/settings-close.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { uniqueId } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { intacctRecords, paidOrder, runAttempt, salesDocumentInput, signIn } from './intacct-writes-support.js';

/**
 * Financial close (issue 18): an order paid through a gateway with close settings is received
 * into that gateway's clearing account, where its payout's deposit finds it; every other
 * payment keeps the order sync's payment account (the demo tenant's undeposited funds, 1050).
 */
describe('recordPayment into a gateway clearing account', () => {
  let fixture: OrderSyncFixture;
  let documents: SalesDocumentActivities;
  let payments: PaymentActivities;
  beforeAll(async () => {
    fixture = await startOrderSyncFixture();
    documents = createSalesDocumentActivities({ db: fixture.database.db, connections: fixture.connections });
    payments = createPaymentActivities({ db: fixture.database.db, connections: fixture.connections });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('when the gateway that took the payment has close settings, then the receipt waits in its clearing account; other gateways keep theirs', async () => {
    const tenantId = await fixture.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    await signIn(fixture, tenantId);
    const current = (await readSettings(fixture.database.db, tenantId))!;
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
    await writeSettings(
      fixture.database.db,
      tenantId,
      { ...current.settings, close },
      { expectedVersion: current.version, changedBy: 'test' },
    );

    const receiptAccounts: Record<string, string | undefined> = {};
    for (const gateway of ['stripe', 'paypalexpress']) {
      const orderId = uniqueId('ORD');
      const document = await runAttempt(
        1,
        documents.createSalesDocument,
        salesDocumentInput({ tenantId, orderId, transactionDefinition: 'Sales Invoice' }),
      );
      const outcome = await runAttempt(1, payments.recordPayment, {
        tenantId,
        storefront: 'bigcommerce',
        orderId,
        order: paidOrder(orderId, { attributes: { paymentGateway: gateway } }),
        customerId: 'WEB-GUEST',
        salesDocumentId: document.documentId,
      });
      expect(outcome).toMatchObject({ recorded: true, created: true });
      const [receipt] = (await intacctRecords(fixture, 'ARPYMT')).filter((row) => row.DOCNUMBER === orderId);
      receiptAccounts[gateway] = receipt?.UNDEPOSITEDACCOUNTNO;
    }
    expect(receiptAccounts).toEqual({ stripe: '1060', paypalexpress: '1050' });
  });
});
