import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../config/index.js';
import { provisionRuntime } from '../../sandbox/runtime/provision.js';
import { ferretDbStorage, findFreePort, startFerretDb, startTemporalDevServer, type LocalServer } from '../../sandbox/runtime/servers.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongoUri: string;
    temporalCliPath: string;
    temporalTestServerPath: string;
    ferretDbPath: string;
  }
}

/**
 * One Temporal dev server and one FerretDB for the whole integration run, on free ports, or
 * the servers named by TEMPORAL_ADDRESS / MONGODB_URI. Tests isolate themselves with unique
 * task queues, workflow ids and database names.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const binaries = await provisionRuntime({
    runtimeDir: config.runtime.dir,
    overrides: {
      ...(config.runtime.temporalCliPath !== undefined && { temporalCli: config.runtime.temporalCliPath }),
      ...(config.runtime.temporalTestServerPath !== undefined && { temporalTestServer: config.runtime.temporalTestServerPath }),
      ...(config.runtime.ferretDbPath !== undefined && { ferretDb: config.runtime.ferretDbPath }),
    },
    need: { postgresBin: config.runtime.ferretDbBackend === 'postgresql' },
  });
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'storefront-sync-test-'));
  const started: LocalServer[] = [];

  const [temporal, mongo] = await Promise.all([
    config.temporal.address === undefined
      ? startTemporalDevServer({
          cliPath: binaries.temporalCli,
          port: await findFreePort(),
          uiPort: undefined,
          databaseFile: undefined,
          namespace: config.temporal.namespace,
          searchAttributes: searchAttributeRegistrations,
          logFile: path.join(workDir, 'temporal.log'),
        })
      : undefined,
    config.mongo.uri === undefined
      ? startFerretDb({
          ferretDbPath: binaries.ferretDb,
          port: await findFreePort(),
          dataDir: path.join(workDir, 'ferretdb'),
          storage: ferretDbStorage(config.runtime.ferretDbBackend, binaries),
          logFile: path.join(workDir, 'ferretdb.log'),
        })
      : undefined,
  ]);
  if (temporal) started.push(temporal);
  if (mongo) started.push(mongo);

  project.provide('temporalAddress', temporal?.address ?? config.temporal.address!);
  project.provide('mongoUri', mongo?.uri ?? config.mongo.uri!);
  project.provide('temporalCliPath', binaries.temporalCli);
  project.provide('temporalTestServerPath', binaries.temporalTestServer);
  project.provide('ferretDbPath', binaries.ferretDb);

  return async () => {
    await Promise.all(started.map((server) => server.stop()));
    await fs.rm(workDir, { recursive: true, force: true });
  };
}
