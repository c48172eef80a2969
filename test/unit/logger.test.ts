import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '../../config/logger.js';
import { sdkLogger } from '../../workers/logging.js';

describe('createLogger', () => {
  const written = (value: object): string => {
    const lines: string[] = [];
    createLogger({ logLevel: 'info' }, 'test', { write: (line: string) => void lines.push(line) }).info(value, 'line');
    return lines.join('');
  };

  it('when a line holds secret-like fields then their values are replaced, at the depths the product nests them', () => {
    const text = written({
      password: 'p-1',
      connection: { clientSecret: 'p-2', token: 'p-3' },
      taskToken: 'p-4',
      sdk: { taskToken: 'p-5', info: { taskToken: Buffer.from('p-6'), base64TaskToken: 'p-7' } },
    });
    expect(text).not.toMatch(/p-\d/);
    expect(JSON.parse(text)).toMatchObject({ sdk: { taskToken: '[redacted]', info: { taskToken: '[redacted]' } } });
  });

  it("when a line holds an order's contact data then the email, phone and addresses are replaced", () => {
    const address = { firstName: 'Ada', line1: '1 Loop Rd', phone: '555-0100', email: 'ada@example.com' };
    const text = written({
      email: 'ada@example.com',
      customer: { email: 'ada@example.com' },
      order: { orderId: '100', billingAddress: address, shippingAddress: address },
      input: { order: { billingAddress: address } },
    });
    for (const value of ['ada@example.com', '1 Loop Rd', '555-0100', 'Ada']) expect(text).not.toContain(value);
    expect(JSON.parse(text)).toMatchObject({ order: { orderId: '100', billingAddress: '[redacted]' } });
  });

  it('when a line holds ordinary fields then they are written as they are', () => {
    expect(JSON.parse(written({ tenantId: 'acme', sdk: { activityType: 'sendReminder' } }))).toMatchObject({
      tenantId: 'acme',
      sdk: { activityType: 'sendReminder' },
    });
  });
});

describe('sdkLogger', () => {
  it("when an activity fails then the SDK's line says what failed, not only the error's type", () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info' }, 'worker', { write: (line: string) => void lines.push(line) });
    const failure = ApplicationFailure.create({ message: 'Intacct request failed (ECONNRESET)', type: 'IntacctRetryableError' });
    sdkLogger(logger, 'info').warn('Activity failed', { activityType: 'convertToInvoice', error: failure });
    expect(JSON.parse(lines.join(''))).toMatchObject({
      msg: 'Activity failed',
      sdk: { activityType: 'convertToInvoice', error: { type: 'IntacctRetryableError', message: 'Intacct request failed (ECONNRESET)' } },
    });
  });
});
