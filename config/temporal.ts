import fs from 'node:fs';
import type { TemporalConfig } from './index.js';

/** Connection options shared by the client (API) and the worker's native connection. */
export interface TemporalConnectionOptions {
  address: string;
  apiKey?: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
}

/**
 * Builds the options for Temporal Cloud (API key or mTLS) or a plain local server. TLS
 * material is read here, once, so a wrong path fails at start-up rather than on first use.
 */
export function temporalConnectionOptions(config: TemporalConfig, address: string): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address };
  if (config.apiKey !== undefined) options.apiKey = config.apiKey;
  if (config.tls !== undefined) {
    const { certPath, keyPath, caPath, serverName } = config.tls;
    options.tls = {
      ...(serverName !== undefined && { serverNameOverride: serverName }),
      ...(caPath !== undefined && { serverRootCACertificate: fs.readFileSync(caPath) }),
      ...(certPath !== undefined &&
        keyPath !== undefined && { clientCertPair: { crt: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) } }),
    };
  }
  return options;
}

/** Where the product's processes find Temporal: the configured server or the local dev server. */
export function temporalAddress(config: TemporalConfig): string {
  return config.address ?? `127.0.0.1:${config.localPort}`;
}

/** The part of a client or native connection that answers the gRPC health check. */
interface HealthCheckable {
  healthService: { check(request: object): Promise<{ status?: number | null }> };
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T>;
}

/** True when the frontend answers its gRPC health check with SERVING before the timeout. */
export async function temporalIsServing(connection: HealthCheckable, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
    return response.status === 1;
  } catch {
    return false;
  }
}
