/**
 * A throwaway PostgreSQL cluster on this machine's own binaries (Debian's `postgresql`, which
 * scripts/ensure-system-deps.sh installs): initdb into a temp folder, a postmaster on a free
 * loopback port. Durability stays at PostgreSQL's defaults (fsync, synchronous commit): the
 * tests kill it with SIGKILL and expect every acknowledged change back.
 * initdb refuses to run as root, so as root the cluster runs as the `postgres` user; as anyone
 * else, as that user.
 * A test process that dies leaves no server running for long: clusters still open at exit are
 * killed and removed, and every start first removes the clusters of processes that are gone.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, portOpen } from './free-port.js';

export interface PostgresServer {
  port: number;
  /** The `postgres` database as the superuser `postgres` (trust authentication, no password). */
  url: string;
  /** Creates an empty database (a unique name unless `name` is given) and returns its URL. */
  newDatabase(name?: string): Promise<string>;
  /** Runs one SQL statement in the database at `url` (psql) and returns its unaligned output. */
  query(url: string, sql: string): Promise<string>;
  /** A clean shutdown (`pg_ctl -m fast`); the cluster stays, `start()` brings it back. */
  stop(): Promise<void>;
  /** Starts the cluster again on the same port with the same data (after `stop()` or `kill()`). */
  start(): Promise<void>;
  /** SIGKILL to the postmaster and all its processes, then waits until the port is closed. */
  kill(): Promise<void>;
  /** Kills the cluster if it runs and removes its folder. */
  destroy(): Promise<void>;
}

const execFileAsync = promisify(execFile);
const PREFIX = 'kaptar-pg-';
/** The pid of the test process that made the cluster, so that a later start can tell an orphan. */
const OWNER_FILE = 'owner.pid';
const INSTALL_HINT =
  'run `bash scripts/ensure-system-deps.sh` as root, or `sudo apt-get install -y postgresql`';

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = fs.readdirSync(root);
  } catch {
    return null;
  }
  const newest = versions
    .filter(
      (version) => /^\d+(\.\d+)?$/.test(version) && fs.existsSync(path.join(root, version, 'bin/initdb')),
    )
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  return newest ? path.join(root, newest, 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

function postgresAccount(): { uid: number; gid: number } | null {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

function unavailableReason(): string | null {
  if (process.platform !== 'linux') return 'the PostgreSQL tests run Debian’s binaries, on Linux only';
  if (binDir()) return null;
  // Root can install it: then a test must fail on the missing server (startPostgres says how), not skip.
  if (isRoot()) return null;
  return `PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ${INSTALL_HINT}`;
}

let availability: string | null | undefined;

/** Null when the PostgreSQL tests can run here; otherwise why not (warned once per process). */
export function postgresAvailable(): string | null {
  if (availability === undefined) {
    availability = unavailableReason();
    if (availability !== null) console.warn(`Skipping the PostgreSQL tests: ${availability}`);
  }
  return availability;
}

/** Not a zombie: a killed process whose parent never reaps it holds no port and no memory. */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent)
        children.push(Number(entry));
    } catch {
      // The process ended while we read the list.
    }
  }
  return children;
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * SIGKILL to the cluster's postmaster and its processes, waiting until they are gone; then what
 * they leave behind: the lock file and the shared memory segment (a removed cluster would never
 * reclaim it). Synchronous, so that it also works in an exit handler. Nothing to do if it is not
 * running.
 */
function killCluster(dataDir: string) {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return;
  }
  const postmaster = Number(lines[0]);
  // After a kill the pid file stays behind, and its pid may since belong to someone else.
  const ours = () => {
    try {
      return fs.readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').split('\0').includes(dataDir);
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(postmaster) || postmaster <= 0 || !running(postmaster) || !ours()) return;
  // Stopped, it forks no new backend between reading its children and being killed.
  try {
    process.kill(postmaster, 'SIGSTOP');
  } catch {
    // Gone since: another test process removing the same orphan got there first.
    return;
  }
  const processes = [postmaster, ...childrenOf(postmaster)];
  for (const pid of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + 10_000;
  while (processes.some(running)) {
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL processes ${processes.join(' ')} outlived SIGKILL`);
    sleepSync(5);
  }
  // The killed postmaster's parent is gone too; where PID 1 reaps no orphans (this machine) it
  // stays a zombie, which kill(pid, 0) still finds: the next postmaster would take its lock files
  // for a live server's and refuse to start.
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
  const [port, socketDir] = [lines[3], lines[4]];
  if (port && socketDir) fs.rmSync(path.join(socketDir, `.s.PGSQL.${port}.lock`), { force: true });
  const segment = lines[6]?.trim().split(/\s+/)[1];
  if (segment && /^\d+$/.test(segment)) {
    try {
      execFileSync('ipcrm', ['-m', segment], { stdio: 'ignore' });
    } catch {
      // Already removed.
    }
  }
}

async function removeCluster(dir: string) {
  killCluster(path.join(dir, 'data'));
  // Retries: two test processes may be removing the same orphan at once.
  await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

const open = new Set<string>();
let exitHandlersInstalled = false;

function removeOpenClusters() {
  for (const dir of open) {
    killCluster(path.join(dir, 'data'));
    // The process has moments left (Vitest sends SIGKILL 500 ms after SIGTERM), less than removing
    // a cluster's two thousand files takes.
    spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
  }
  open.clear();
}

function installExitHandlers() {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', removeOpenClusters);
  // Vitest ends its worker processes with SIGTERM, which runs no 'exit' handler.
  process.on('SIGTERM', function onTerm() {
    removeOpenClusters();
    process.off('SIGTERM', onTerm);
    // Still ends the process as SIGTERM does, unless someone else has taken that over.
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  });
}

/** Clusters whose test process died without its exit handler (SIGKILL, a crash of the runner). */
async function removeOrphans() {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = path.join(os.tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      // Being made right now, or not ours to judge.
      continue;
    }
    if (owner !== process.pid && !running(owner)) await removeCluster(dir);
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  if (!bin)
    throw new Error(`PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): ${INSTALL_HINT}`);
  const account = isRoot() ? postgresAccount() : null;
  if (isRoot() && !account) throw new Error('no `postgres` user to run the cluster as (initdb refuses root)');
  await removeOrphans();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  // pg_ctl hands its -o options to /bin/sh.
  if (!/^[\w./-]+$/.test(dir))
    throw new Error(`the temp folder ${dir} needs quoting: set TMPDIR to a plainer path`);
  installExitHandlers();
  open.add(dir);
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  if (account) fs.chownSync(dir, account.uid, account.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');
  const logText = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const asOwner = async (program: string, args: string[]) => {
    try {
      await execFileAsync(path.join(bin, program), args, { cwd: dir, ...account });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(
        `${program} ${args.join(' ')} failed: ${stderr || stdout || String(error)}\n${logText().slice(-2000)}`,
      );
    }
  };
  let port = 0;
  const start = () =>
    asOwner('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      '-l',
      logFile,
      '-w',
      'start',
    ]);

  try {
    // C.UTF-8: byte-order collation the same on every machine, and upper/lower case for Hungarian.
    await asOwner('initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    // A port free a moment ago may be taken by the time the postmaster binds it.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const logBefore = logText().length;
      try {
        await start();
        break;
      } catch (error) {
        if (attempt === 3 || !logText().slice(logBefore).includes('could not bind')) throw error;
      }
    }
  } catch (error) {
    open.delete(dir);
    await removeCluster(dir);
    throw error;
  }

  const psql = fs.existsSync(path.join(bin, 'psql')) ? path.join(bin, 'psql') : '/usr/bin/psql';
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let databases = 0;
  return {
    port,
    url: urlOf('postgres'),
    async newDatabase(name = `kaptar_test_${++databases}`) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await execFileAsync(psql, [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-c',
        `CREATE DATABASE ${name}`,
      ]);
      return urlOf(name);
    },
    async query(url, sql) {
      const { stdout } = await execFileAsync(psql, [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        url,
        '-c',
        sql,
      ]);
      return stdout.trim();
    },
    async stop() {
      await asOwner('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
    start,
    async kill() {
      killCluster(dataDir);
      const deadline = Date.now() + 10_000;
      while (await portOpen(port)) {
        if (Date.now() > deadline) throw new Error(`port ${port} stayed open after the kill`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async destroy() {
      open.delete(dir);
      await removeCluster(dir);
    },
  };
}
