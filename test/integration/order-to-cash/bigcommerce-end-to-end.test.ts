import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCredentials } from '../../../store/credentials.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import {
  cents,
  useEndToEndTenant,
  type OrderToCashStack,
  mapJaneToIntacctCustomer,
  janeAtAcmeBillingAddress,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/**
 * BigCommerce orders from the sandbox's own webhooks to the Intacct sandbox's state: the
 * receiver, Temporal, the worker's real activities and both vendors over HTTP. Each test reads
 * the outcome from the systems themselves (Intacct's records, the store's order, the ledger).
 */
describe('OrderToCash end to end: BigCommerce → Intacct', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  const jane = janeAtAcmeBillingAddress;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      // Jane is an existing Intacct customer, known through the mapping table.
      prepare: (started, tenant) => mapJaneToIntacctCustomer(started, tenant),
    },
    (started) => ({ stack, tenantId } = started),
  );

  const bigCommerceOrder = async (orderId: string) =>
    (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as {
      id: number;
      total_inc_tax: string;
      staff_notes: string;
      status_id: number;
    };
  const documentsOf = async (orderId: string) =>
    (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
  const paymentsOf = async (customerId: string) =>
    (await stack.intacctRecords('ARPYMT')).filter((payment) => payment.CUSTOMERID === customerId);
  const createOrder = async (body: Record<string, unknown>) => {
    const created = await stack.bigCommerce('POST', '/v2/orders', body);
    expect(created.status).toBe(201);
    return String((created.body as { id: number }).id);
  };

  it('when a paid order of a mapped customer moves to a syncing status, then it lands as one sales order equal to the cent, paid once, and the store shows the document', async () => {
    const placed = await bigCommerceOrder('100');
    const paymentsBefore = (await paymentsOf('C-1001')).length;
    const transactionsBefore = stack.intacctTransactions.byFunction(tenantId);
    expect((await stack.bigCommerce('PUT', '/v2/orders/100', { status_id: 9 })).status).toBe(200);

    const status = await stack.waitForOrder(tenantId, '100', (current) => current.step === 'awaiting_fulfilment');
    expect(status.intacct).toMatchObject({
      customerId: 'C-1001',
      salesDocumentId: expect.stringMatching(/^Sales Order-/),
      paymentKey: expect.any(String),
    });

    const documents = await documentsOf('100');
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ DOCID: status.intacct.salesDocumentId, CUSTVENDID: 'C-1001', DOCPARID: 'Sales Order' });
    expect(cents(documents[0]!.TOTAL)).toBe(cents(placed.total_inc_tax));
    const payments = await paymentsOf('C-1001');
    expect(payments).toHaveLength(paymentsBefore + 1);
    expect(cents(payments.at(-1)!.TOTALENTERED)).toBe(cents(placed.total_inc_tax));

    // What the order cost in Intacct API transactions (Intacct bills them): one item read, the document, the payment.
    const transactionsAfter = stack.intacctTransactions.byFunction(tenantId);
    const spent = Object.fromEntries(
      Object.entries(transactionsAfter)
        .map(([name, count]) => [name, count - (transactionsBefore[name] ?? 0)])
        .filter(([name, count]) => count !== 0 && name !== 'getAPISession'),
    );
    expect(spent).toEqual({ readByName: 1, create_sotransaction: 1, create_arpayment: 1 });

    expect((await bigCommerceOrder('100')).staff_notes).toContain(`[Intacct] ${status.intacct.salesDocumentId} · synced`);
    expect(await stack.ledger(tenantId, 'order', '100')).toMatchObject({
      state: 'synced',
      intacctDocumentId: status.intacct.salesDocumentId,
      settingsVersion: 1,
    });
    const description = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, '100')).describe();
    expect(description.searchAttributes).toMatchObject({
      TenantId: [tenantId],
      Storefront: ['bigcommerce'],
      OrderNumber: ['100'],
      SyncState: ['synced'],
      IntacctDocument: [status.intacct.salesDocumentId],
    });
  });

  it('when a guest order with a coupon, shipping and tax syncs, then it is posted to the guest customer with the coupon as a discount subtotal, equal to the cent', async () => {
    const placed = await bigCommerceOrder('102');
    expect((await stack.bigCommerce('PUT', '/v2/orders/102', { status_id: 10 })).status).toBe(200);
    const status = await stack.waitForOrder(tenantId, '102', (current) => current.step === 'awaiting_fulfilment');
    expect(status.intacct.customerId).toBe('WEB-GUEST');
    const [document] = await documentsOf('102');
    expect(cents(document!.TOTAL)).toBe(cents(placed.total_inc_tax));
    expect(await documentsOf('102')).toHaveLength(1);
  });

  it('when a new customer orders twice, then the Intacct customer is created once and the second order needs no customer lookup', async () => {
    const firstId = await createOrder({
      customer_id: 2,
      status_id: 11,
      billing_address: { ...jane, first_name: 'John', last_name: 'Smith', email: 'john.smith@example.com', company: '' },
      products: [
        { product_id: 112, quantity: 2 },
        { product_id: 114, quantity: 1 },
      ],
      shipping_cost_ex_tax: '8.00',
    });
    const first = await stack.waitForOrder(tenantId, firstId, (current) => current.step === 'awaiting_fulfilment');
    const customerId = first.intacct.customerId!;
    expect(customerId).toMatch(/^BC-/);
    expect((await stack.intacctRecords('CUSTOMER')).filter((customer) => customer.CUSTOMERID === customerId)).toHaveLength(1);

    const transactionsBefore = stack.intacctTransactions.byFunction(tenantId);
    const secondId = await createOrder({
      customer_id: 2,
      status_id: 11,
      billing_address: { ...jane, first_name: 'John', last_name: 'Smith', email: 'john.smith@example.com', company: '' },
      products: [{ product_id: 113, quantity: 1 }],
    });
    const second = await stack.waitForOrder(tenantId, secondId, (current) => current.step === 'awaiting_fulfilment');
    expect(second.intacct.customerId).toBe(customerId);
    const transactionsAfter = stack.intacctTransactions.byFunction(tenantId);
    expect(transactionsAfter.create ?? 0).toBe(transactionsBefore.create ?? 0);
    const [document] = await documentsOf(secondId);
    expect(cents(document!.TOTAL)).toBe(cents((await bigCommerceOrder(secondId)).total_inc_tax));
  });

  it('when the tenant posts invoices, then the payment is applied to the invoice and leaves nothing due', async () => {
    await stack.updateOrderSync(tenantId, { transactionDefinition: 'Sales Invoice' });
    try {
      const orderId = await createOrder({
        customer_id: 1,
        status_id: 11,
        billing_address: jane,
        products: [{ product_id: 111, variant_id: 202, quantity: 3 }],
        shipping_cost_ex_tax: '8.00',
      });
      const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
      const [document] = await documentsOf(orderId);
      expect(document).toMatchObject({ DOCPARID: 'Sales Invoice' });
      const invoice = (await stack.intacctRecords('ARINVOICE')).find((record) => record.RECORDNO === document!.PRRECORDKEY);
      expect(invoice).toMatchObject({ STATE: 'Paid' });
      expect(cents(invoice!.TOTALDUE)).toBe(0);
      expect(cents(invoice!.TOTALPAID)).toBe(cents((await bigCommerceOrder(orderId)).total_inc_tax));
      expect(status.intacct.paymentKey).toBeDefined();
    } finally {
      await stack.updateOrderSync(tenantId, { transactionDefinition: 'Sales Order' });
    }
  });

  it('when an order is placed before it is ready, then it waits and syncs once the store moves it to Awaiting Fulfillment', async () => {
    const orderId = await createOrder({
      customer_id: 1,
      status_id: 1,
      billing_address: jane,
      products: [{ product_id: 112, quantity: 1 }],
    });
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'waiting_for_status');
    expect(await documentsOf(orderId)).toHaveLength(0);
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 11 })).status).toBe(200);
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    expect(await documentsOf(orderId)).toHaveLength(1);
  });

  it('when the same webhook arrives 5 times at once and 5 other events about the order arrive at once, then copies meeting the first in flight are asked to retry, and there is one workflow and one document', async () => {
    const orderId = await createOrder({
      customer_id: 1,
      status_id: 1,
      billing_address: jane,
      products: [{ product_id: 114, quantity: 2 }],
    });
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'waiting_for_status');
    // The store moves the order on (its own webhook goes out too); then ten more callbacks arrive at once, as the store would send them.
    const { secrets } = (await loadCredentials(stack.database.db, stack.cipher, tenantId, 'webhook'))!;
    const deliver = (hash: string, scope: string) =>
      fetch(`${stack.api.url}/webhooks/bigcommerce/${tenantId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': secrets[0]!.secret },
        body: JSON.stringify({
          scope,
          store_id: '1001',
          data: { type: 'order', id: Number(orderId) },
          hash,
          created_at: Math.floor(Date.now() / 1000),
          producer: 'stores/demostore',
        }),
      });
    await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 11 });
    const same = randomUUID();
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => deliver(same, 'store/order/statusUpdated')),
      ...Array.from({ length: 5 }, () => deliver(randomUUID(), 'store/order/updated')),
    ]);
    // Copies of one delivery that meet the first while it is still being dispatched are asked to come back (the store retries a 503).
    const sameAnswers = answers.slice(0, 5);
    const inProgress = await Promise.all(
      sameAnswers
        .filter((answer) => answer.status !== 200)
        .map(async (answer) => ({ status: answer.status, body: (await answer.json()) as { error: { code: string } } })),
    );
    expect(inProgress.every((answer) => answer.status === 503 && answer.body.error.code === 'delivery_in_progress')).toBe(true);
    expect(sameAnswers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.slice(5).every((answer) => answer.status === 200)).toBe(true);
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    expect(await documentsOf(orderId)).toHaveLength(1);
    const executions = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${orderToCashWorkflowId(tenantId, orderId)}'` }))
      executions.push(execution);
    expect(executions).toHaveLength(1);
  });

  it.each([
    ['its response is lost after Intacct committed it', [{ kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 }]],
    ['Intacct answers 5xx twice', [{ kind: 'http5xx', function: 'create_sotransaction', times: 2 }]],
    ['Intacct rate-limits the create', [{ kind: 'rateLimit', function: 'create_sotransaction', times: 2 }]],
  ])('when the sales document create fails because %s, then it is retried and exactly one document exists', async (_case, rules) => {
    await stack.intacctControl('DELETE', '/requests');
    await stack.intacctControl('PUT', '/faults', { seed: 7, rules });
    try {
      const orderId = await createOrder({
        customer_id: 1,
        status_id: 11,
        billing_address: jane,
        products: [{ product_id: 112, quantity: 3 }],
        shipping_cost_ex_tax: '8.00',
      });
      const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
      const documents = await documentsOf(orderId);
      expect(documents).toHaveLength(1);
      expect(documents[0]!.DOCID).toBe(status.intacct.salesDocumentId);
      expect(cents(documents[0]!.TOTAL)).toBe(cents((await bigCommerceOrder(orderId)).total_inc_tax));
      // The fault really happened, as many times as injected (the rules only match create_sotransaction).
      const { requests } = (await stack.intacctControl('GET', '/requests')) as { requests: Array<{ fault?: string }> };
      expect(requests.filter((request) => request.fault === rules[0]!.kind)).toHaveLength(rules[0]!.times);
    } finally {
      await stack.intacctControl('DELETE', '/faults');
    }
  });

  it('when the store ships a posted sales order and the tenant converts on shipment, then Intacct gets one invoice created from it and the watch ends', async () => {
    await stack.updateOrderSync(tenantId, {
      fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
    });
    try {
      const orderId = await createOrder({
        customer_id: 1,
        status_id: 11,
        billing_address: jane,
        products: [
          { product_id: 112, quantity: 2 },
          { product_id: 114, quantity: 1 },
        ],
        shipping_cost_ex_tax: '8.00',
      });
      const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
      const [address] = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/shipping_addresses`)).body as Array<{ id: number }>;
      const products = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/products`)).body as Array<{ id: number; quantity: number }>;
      const shipped = await stack.bigCommerce('POST', `/v2/orders/${orderId}/shipments`, {
        order_address_id: address!.id,
        items: products.map((product) => ({ order_product_id: product.id, quantity: product.quantity })),
        tracking_number: '1Z999AA10123456784',
        shipping_provider: 'ups',
      });
      expect(shipped.status).toBe(201);

      const result = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result();
      expect(result.outcome).toBe('synced');
      const invoices = (await documentsOf(orderId)).filter((document) => document.DOCPARID === 'Sales Invoice');
      expect(invoices).toHaveLength(1);
      expect(invoices[0]).toMatchObject({ DOCID: result.status.intacct.invoiceDocumentId, CREATEDFROM: posted.intacct.salesDocumentId });
      expect(cents(invoices[0]!.TOTAL)).toBe(cents((await bigCommerceOrder(orderId)).total_inc_tax));
      expect(await stack.ledger(tenantId, 'invoice', orderId)).toMatchObject({
        state: 'synced',
        intacctDocumentId: result.status.intacct.invoiceDocumentId,
      });
    } finally {
      await stack.updateOrderSync(tenantId, {
        fulfilment: { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
      });
    }
  });

  it('when a posted and paid order is cancelled in the store, then the payment is reversed and the document removed, once, and the store says so', async () => {
    const orderId = await createOrder({
      customer_id: 1,
      status_id: 11,
      billing_address: jane,
      products: [{ product_id: 113, quantity: 1 }],
    });
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    const paymentKey = posted.intacct.paymentKey!;
    expect((await stack.bigCommerce('PUT', `/v2/orders/${orderId}`, { status_id: 5 })).status).toBe(200);

    const result = await stack.client.workflow.getHandle(orderToCashWorkflowId(tenantId, orderId)).result();
    expect(result).toMatchObject({ outcome: 'cancelled' });
    expect(await documentsOf(orderId)).toHaveLength(0);
    const payment = (await stack.intacctRecords('ARPYMT')).find((record) => record.RECORDNO === paymentKey);
    expect(payment).toMatchObject({ STATE: 'Reversed' });
    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'cancelled' });
    expect(await stack.ledger(tenantId, 'payment', orderId)).toMatchObject({ state: 'cancelled' });
    expect((await bigCommerceOrder(orderId)).staff_notes).toContain('cancelled');
  });
});
