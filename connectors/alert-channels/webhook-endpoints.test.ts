import { describe, expect, it } from 'vitest';
import { AlertWebhookEndpoints } from './webhook-endpoints.js';

const production = (allowed?: string[]) =>
  new AlertWebhookEndpoints({ allowed, requireHttps: true, refusePrivateAddresses: true }, { resolve: () => Promise.resolve([]) });

describe('AlertWebhookEndpoints', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/x', undefined, undefined],
    ['http://hooks.slack.com/services/T0/B0/x', undefined, 'alert webhooks must be https'],
    ['https://user:pw@hooks.example.com/x', undefined, 'put no user or password in the URL'],
    ['https://10.0.0.8/x', undefined, '10.0.0.8 is not a public address'],
    ['https://[::1]/x', undefined, '[::1] is not a public address'],
    ['https://169.254.169.254/latest/meta-data', undefined, '169.254.169.254 is not a public address'],
    ['https://localhost/x', undefined, 'localhost is not a public address'],
    ['https://hooks.slack.com/services/x', ['https://*.slack.com'], undefined],
    [
      'https://alerts.example.com/x',
      ['https://*.slack.com'],
      'https://alerts.example.com is not one of the alert webhook hosts this installation allows: https://*.slack.com',
    ],
    ['ftp://hooks.example.com/x', undefined, 'alert webhooks must be https'],
    ['not a url', undefined, 'it is not a URL'],
  ])('in production, %s (allowed %j) is refused because: %s', (url, allowed, reason) => {
    expect(production(allowed).refusal(url)).toBe(reason);
  });

  it('in sandbox mode, a local http receiver is allowed and addresses are not looked up', () => {
    const local = new AlertWebhookEndpoints({ allowed: undefined, requireHttps: false, refusePrivateAddresses: false });
    expect(local.refusal('http://127.0.0.1:4010/alerts')).toBeUndefined();
    expect(local.dnsLookup()).toBeUndefined();
  });
});
