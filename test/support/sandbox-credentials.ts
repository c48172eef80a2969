import { demoTenant } from '../../sandbox/demo-tenant.js';

/** The sandboxes' fixed demo credentials (docs/architecture.md "Sandbox contract"), as the credential store takes them. */
export const sandboxCredentials = {
  intacct: {
    senderId: demoTenant.intacct.senderId,
    senderPassword: demoTenant.intacct.senderPassword,
    userId: demoTenant.intacct.userId,
    userPassword: demoTenant.intacct.userPassword,
  },
  bigcommerce: {
    accessToken: demoTenant.bigcommerce.accessToken,
    clientId: demoTenant.bigcommerce.clientId,
    clientSecret: demoTenant.bigcommerce.clientSecret,
  },
  clarity: { clientId: 'demo-clarity-client', clientSecret: 'demo-clarity-secret' },
} as const;
