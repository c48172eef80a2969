import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { provisionRuntime } from '../../sandbox/runtime/provision.js';
import { ferretDbStorage, findFreePort, startFerretDb, startTemporalDevServer, type LocalServer } from '../../sandbox/runtime/servers.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

/**
 * The servers a bench runs against: the ones it was given (TEMPORAL_ADDRESS, MONGODB_URI), else a
 * Temporal dev server (in memory, headless) and FerretDB started here on free ports, their files
 * in one scratch folder that {@link stop} removes with them.
 */
export class BenchServers {
  private readonly started: LocalServer[] = [];
  private scratch: Promise<string> | undefined;

  constructor(
    /** Names the scratch folder: `bench-{name}-…`. */
    private readonly name: string,
    private readonly log?: (line: string) => void,
  ) {}

  /** The Temporal frontend given, or a dev server's, started now. */
  async temporal(given?: string): Promise<string> {
    if (given !== undefined) return given;
    const [{ temporalCli }, dir] = await Promise.all([this.binaries({ temporalCli: true }), this.dir()]);
    const server = await startTemporalDevServer({
      cliPath: temporalCli,
      port: await findFreePort(),
      uiPort: undefined,
      databaseFile: undefined,
      namespace: loadConfig().temporal.namespace,
      searchAttributes: searchAttributeRegistrations,
      logFile: path.join(dir, 'temporal.log'),
    });
    this.started.push(server);
    return server.address;
  }

  /** The MongoDB-wire server given, or FerretDB's, started now. */
  async mongo(given?: string): Promise<string> {
    if (given !== undefined) return given;
    const backend = loadConfig().runtime.ferretDbBackend;
    const [binaries, dir] = await Promise.all([this.binaries({ ferretDb: true, postgresBin: backend === 'postgresql' }), this.dir()]);
    const server = await startFerretDb({
      ferretDbPath: binaries.ferretDb,
      storage: ferretDbStorage(backend, binaries),
      port: await findFreePort(),
      dataDir: path.join(dir, 'ferretdb'),
      logFile: path.join(dir, 'ferretdb.log'),
    });
    this.started.push(server);
    return server.uri;
  }

  /** Stops what was started here, newest first, and removes the scratch folder. */
  async stop(): Promise<void> {
    for (const server of this.started.splice(0).reverse()) await server.stop().catch(() => undefined);
    if (this.scratch !== undefined) await fs.rm(await this.scratch, { recursive: true, force: true });
  }

  private binaries(need: { temporalCli?: boolean; ferretDb?: boolean; postgresBin?: boolean }) {
    return provisionRuntime({
      runtimeDir: loadConfig().runtime.dir,
      need: {
        temporalCli: need.temporalCli ?? false,
        temporalTestServer: false,
        ferretDb: need.ferretDb ?? false,
        postgresBin: need.postgresBin ?? false,
      },
      ...(this.log && { log: this.log }),
    });
  }

  private dir(): Promise<string> {
    this.scratch ??= fs.mkdtemp(path.join(os.tmpdir(), `bench-${this.name}-`));
    return this.scratch;
  }
}
