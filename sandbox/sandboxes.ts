import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { startBigCommerceSandbox } from './bigcommerce/index.js';
import { startClaritySandbox } from './clarity/index.js';
import { startIntacctSandbox } from './intacct/index.js';
import { demoStripeSecretKey, startStripeSandbox } from './stripe/index.js';
import { assertPortFree } from './runtime/servers.js';

export interface RunningSandboxes {
  urls: { intacct: string; bigcommerce: string; clarity: string; stripe: string };
  close(): Promise<void>;
}

/** How the sandboxes start besides the configuration. */
export interface SandboxStartOptions {
  logger?: Logger;
  /**
   * A folder the sandboxes keep their state in across restarts (`intacct.json`, `bigcommerce.json`,
   * `clarity.json`, `stripe.json`), as a real vendor's world outlives a restart; absent (the default), each
   * start is the seed.
   */
  stateDir?: string;
}

/**
 * The three vendor simulators on their ports (docs/architecture.md "Sandbox contract"). A port in use
 * stops everything before anything starts, naming the variable that moves it.
 */
export async function startSandboxes(config: Pick<Config, 'sandbox'>, start: SandboxStartOptions = {}): Promise<RunningSandboxes> {
  const { host, ports, controlEnabled } = config.sandbox;
  await assertPortFree(ports.intacct, 'INTACCT_SANDBOX_PORT', 'Intacct sandbox');
  await assertPortFree(ports.bigcommerce, 'BIGCOMMERCE_SANDBOX_PORT', 'BigCommerce sandbox');
  await assertPortFree(ports.clarity, 'CLARITY_SANDBOX_PORT', 'Clarity sandbox');
  await assertPortFree(ports.stripe, 'STRIPE_SANDBOX_PORT', 'Stripe sandbox');
  const options = { host, controlEnabled, ...(start.logger && { logger: start.logger }) };
  const stateFile = (name: string) => (start.stateDir === undefined ? {} : { stateFile: path.join(start.stateDir, `${name}.json`) });
  const [intacct, bigcommerce, clarity, stripe] = await Promise.all([
    startIntacctSandbox({ ...options, port: ports.intacct, publicUrl: `http://localhost:${ports.intacct}`, ...stateFile('intacct') }),
    startBigCommerceSandbox({ ...options, port: ports.bigcommerce, ...stateFile('bigcommerce') }),
    startClaritySandbox({ ...options, port: ports.clarity, ...stateFile('clarity') }),
    startStripeSandbox({ ...options, port: ports.stripe, ...stateFile('stripe') }),
  ]);
  return {
    urls: {
      intacct: `http://localhost:${intacct.port}`,
      bigcommerce: `http://localhost:${bigcommerce.port}`,
      clarity: `http://localhost:${clarity.port}`,
      stripe: `http://localhost:${stripe.port}`,
    },
    close: async () => {
      await Promise.all([intacct.close(), bigcommerce.close(), clarity.close(), stripe.close()]);
    },
  };
}

/** What `npm run sandbox` and `npm start` print: where each simulator is and how to sign in. */
export function describeSandboxes(urls: RunningSandboxes['urls'], controlEnabled: boolean): string[] {
  return [
    `  Intacct sandbox    ${urls.intacct}/ia/xml/xmlgw.phtml  sender demo-sender / demo-sender-pw, company DEMO-CO, user sync-user / demo-user-pw`,
    `  BigCommerce        ${urls.bigcommerce}/stores/demostore/v3  X-Auth-Token demo-bc-token (client demo-bc-client / demo-bc-secret)`,
    `  Clarity            ${urls.clarity}  OAuth client demo-clarity-client / demo-clarity-secret`,
    `  Stripe             ${urls.stripe}/v1  Authorization: Bearer ${demoStripeSecretKey}`,
    `  sandbox control    ${controlEnabled ? 'on (fault injection, reset, request logs; see docs/sandboxes.md)' : 'off (SANDBOX_CONTROL=false)'}`,
  ];
}
