import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { controlRoutes } from './control-routes.js';
import { ErrorCatalogue } from './error-catalogue.js';
import { FaultInjector } from './faults.js';
import { defaultPrincipals, handleGatewayRequest, type GatewayState } from './gateway.js';
import { implementedFunctions } from './handlers/index.js';
import { resolveOptions, type IntacctSandboxOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { ResultCursors } from './result-cursors.js';
import { SchemaValidator } from './schema-validator.js';
import { persistAfterWrites, SandboxStateFile } from '../state-file.js';
import { seedCompany } from './seed.js';
import { SessionRegistry } from './sessions.js';
import { CompanyStore, type CompanySnapshot } from './store.js';

/** What the Intacct sandbox's state file holds. */
interface IntacctStateSnapshot {
  company: CompanySnapshot;
}

/** The gateway path, as on api.intacct.com. */
export const gatewayPath = '/ia/xml/xmlgw.phtml';

/** Builds the sandbox's state and Express app (not listening). */
export function createIntacctSandboxApp(options: IntacctSandboxOptions): { app: Express; state: GatewayState } {
  const resolved = resolveOptions(options);
  const seed = resolved.seed ?? {};
  const principals = defaultPrincipals(seed);
  const stateFile =
    resolved.stateFile === undefined
      ? undefined
      : new SandboxStateFile<IntacctStateSnapshot>(resolved.stateFile, () => ({ company: state.store.toSnapshot() }));
  const saved = stateFile?.load() as IntacctStateSnapshot | undefined;
  const state: GatewayState = {
    options: resolved,
    errors: new ErrorCatalogue(resolved.errorNumbers),
    store: saved === undefined ? seedCompany(seed) : CompanyStore.fromSnapshot(saved.company),
    seed,
    senders: principals.senders,
    users: principals.users,
    sessions: new SessionRegistry(resolved.sessionDurationMs, resolved.now),
    cursors: new ResultCursors(resolved.resultIdTtlMs, resolved.now),
    faults: new FaultInjector(),
    log: new RequestLog(),
    validator: resolved.validateSchema ? new SchemaValidator(implementedFunctions) : undefined,
    inFlight: new Map(),
    rateWindows: new Map(),
    limitTally: new Map(),
    logger: resolved.logger,
    publicUrl: resolved.publicUrl ?? '',
    stateFile,
  };
  const app = express();
  app.disable('x-powered-by');
  // Every gateway call is a POST, reads included: each counts as a possible change (a write of an unchanged company is harmless).
  if (stateFile !== undefined) app.use(persistAfterWrites(stateFile));
  app.post(gatewayPath, express.text({ type: () => true, limit: resolved.maxBodyBytes }), async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const outcome = await handleGatewayRequest(body, state);
    if (outcome.kind === 'drop') {
      // The work (if any) is done; the caller never hears about it.
      setTimeout(() => req.socket.destroy(), outcome.afterMs);
      return;
    }
    const send = (): void => {
      if (outcome.retryAfterSeconds !== undefined) res.set('Retry-After', String(outcome.retryAfterSeconds));
      res.status(outcome.status).type(outcome.contentType).send(outcome.body);
    };
    if (outcome.delayMs > 0) setTimeout(send, outcome.delayMs);
    else send();
  });
  app.all(gatewayPath, (_req, res) => {
    res.status(405).set('Allow', 'POST').type('text/plain').send('Method Not Allowed');
  });
  if (resolved.controlEnabled) app.use('/__control', controlRoutes(state));
  return { app, state };
}

/** A running sandbox. */
export interface RunningIntacctSandbox {
  /** Base URL, e.g. `http://127.0.0.1:4001`; the gateway is at `${url}/ia/xml/xmlgw.phtml`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the sandbox and resolves once it listens. */
export async function startIntacctSandbox(options: IntacctSandboxOptions): Promise<RunningIntacctSandbox> {
  const { app, state } = createIntacctSandboxApp(options);
  const server = http.createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  if (!options.publicUrl) state.publicUrl = url;
  options.logger?.info({ url: `${url}${gatewayPath}`, control: options.controlEnabled }, 'intacct sandbox listening');
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        state.stateFile?.flush();
      }),
  };
}
