import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { startBigCommerceSandbox } from './bigcommerce/index.js';
import { startClaritySandbox } from './clarity/index.js';
import { startIntacctSandbox } from './intacct/index.js';
import { assertPortFree } from './runtime/servers.js';

export interface RunningSandboxes {
  urls: { intacct: string; bigcommerce: string; clarity: string };
  close(): Promise<void>;
}

/**
 * The three vendor simulators on their ports (docs/architecture.md "Sandbox contract"). A port in use
 * stops everything before anything starts, naming the variable that moves it.
 */
export async function startSandboxes(config: Pick<Config, 'sandbox'>, logger?: Logger): Promise<RunningSandboxes> {
  const { host, ports, controlEnabled } = config.sandbox;
  await assertPortFree(ports.intacct, 'INTACCT_SANDBOX_PORT', 'Intacct sandbox');
  await assertPortFree(ports.bigcommerce, 'BIGCOMMERCE_SANDBOX_PORT', 'BigCommerce sandbox');
  await assertPortFree(ports.clarity, 'CLARITY_SANDBOX_PORT', 'Clarity sandbox');
  const options = { host, controlEnabled, ...(logger && { logger }) };
  const [intacct, bigcommerce, clarity] = await Promise.all([
    startIntacctSandbox({ ...options, port: ports.intacct, publicUrl: `http://localhost:${ports.intacct}` }),
    startBigCommerceSandbox({ ...options, port: ports.bigcommerce }),
    startClaritySandbox({ ...options, port: ports.clarity }),
  ]);
  return {
    urls: {
      intacct: `http://localhost:${intacct.port}`,
      bigcommerce: `http://localhost:${bigcommerce.port}`,
      clarity: `http://localhost:${clarity.port}`,
    },
    close: async () => {
      await Promise.all([intacct.close(), bigcommerce.close(), clarity.close()]);
    },
  };
}

/** What `npm run sandbox` and `npm start` print: where each simulator is and how to sign in. */
export function describeSandboxes(urls: RunningSandboxes['urls'], controlEnabled: boolean): string[] {
  return [
    `  Intacct sandbox    ${urls.intacct}/ia/xml/xmlgw.phtml  sender demo-sender / demo-sender-pw, company DEMO-CO, user sync-user / demo-user-pw`,
    `  BigCommerce        ${urls.bigcommerce}/stores/demostore/v3  X-Auth-Token demo-bc-token (client demo-bc-client / demo-bc-secret)`,
    `  Clarity            ${urls.clarity}  OAuth client demo-clarity-client / demo-clarity-secret`,
    `  sandbox control    ${controlEnabled ? 'on (fault injection, reset, request logs; see docs/sandboxes.md)' : 'off (SANDBOX_CONTROL=false)'}`,
  ];
}
