// Local MongoDB-wire server and Redis for `npm start` and `npm test`.
//
// Plain Node (no dependencies) so it runs before `npm ci`. Resolution order:
//   MongoDB: MONGODB_URI → `mongod` on PATH → mongo-java-server 1.47.0 (H2 file backend)
//   Redis:   REDIS_URL   → `redis-server` on PATH → Debian's redis-server (installed as root)
// Every child is tethered to this process through its standard input: when the pipe closes
// (normal stop, Ctrl-C, crash or SIGKILL of the parent) the child exits, so nothing is orphaned.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const launcherSourceDir = path.join(projectRoot, 'scripts', 'mongo-launcher');
const launcherBuildDir = path.join(projectRoot, '.local', 'mongo-launcher');

/** A problem the user must fix (e.g. install Java); printed as one clear message. */
export class SetupError extends Error {}

/** Prints one progress line to stderr, prefixed so it stands out from app logs. */
export function progress(message) {
  process.stderr.write(`[cinic] ${message}\n`);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages when running as root, else explains what to install. */
export function ensureDebianPackages(packages, why) {
  if (!isRoot() || !onPath('apt-get')) {
    throw new SetupError(`${why}. Install it with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  progress(`installing ${packages.join(', ')} with apt-get (${why.toLowerCase()})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  if (update.status !== 0 || install.status !== 0) {
    throw new SetupError(`apt-get could not install ${packages.join(' ')}; install it by hand`);
  }
}

/** Asks the kernel for a free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends `request` over TCP and resolves with the first chunk of the answer, or rejects. */
function probe(port, request) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error('probe timeout')), 1000);
    socket.on('connect', () => (request ? socket.write(request) : (socket.end(), resolve(''))));
    socket.on('data', (data) => {
      clearTimeout(timer);
      socket.end();
      resolve(data.toString());
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function waitUntil(check, { what, timeoutMs, child }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new SetupError(`${what} exited during start-up (code ${child.exitCode})`);
    try {
      if (await check()) return;
    } catch {
      // Not answering yet.
    }
    if (Date.now() > deadline) throw new SetupError(`${what} did not answer within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `command args…` so that it exits when this process's pipe to it closes. */
function spawnTethered(command, args, { logFile }) {
  // sh keeps the child's pid, reads its stdin until EOF (our death or stop()), then stops the child.
  const script = `"$@" & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid`;
  return spawnLogged('sh', ['-c', script, 'sh', command, ...args], { logFile });
}

function spawnLogged(command, args, { logFile }) {
  // Own process group: Ctrl-C reaches the app first; services stop after it, through the tether.
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const chunks = [];
  const keep = (data) => {
    chunks.push(data);
    if (chunks.length > 200) chunks.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', () => {
    if (logFile) writeFileSync(logFile, Buffer.concat(chunks));
  });
  child.recentOutput = () => Buffer.concat(chunks).toString();
  return child;
}

/** Ends a tethered child by closing its stdin, escalating to SIGKILL after `graceMs`. */
export function stopChild(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin.end();
  });
}

/** SIGKILLs a detached child and everything in its process group. */
export function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function stampOf(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(path.join(launcherSourceDir, file)));
  return hash.digest('hex');
}

function stampMatches(file, stamp) {
  return existsSync(file) && readFileSync(file, 'utf8') === stamp;
}

/**
 * Resolves the mongo-java-server jars with Maven (when pom.xml changed) and compiles the launcher
 * (when MongoLauncher.java or the jars changed). Two stamps, so an edited launcher is always
 * recompiled — without fetching the jars again.
 */
export function ensureMongoLauncher() {
  const libDir = path.join(launcherBuildDir, 'lib');
  const jarsStampFile = path.join(launcherBuildDir, 'stamp-jars');
  const classesStampFile = path.join(launcherBuildDir, 'stamp');
  const jarsStamp = stampOf(['pom.xml']);
  const classesStamp = stampOf(['pom.xml', 'MongoLauncher.java']);
  if (stampMatches(jarsStampFile, jarsStamp) && stampMatches(classesStampFile, classesStamp)) return launcherBuildDir;
  if (!onPath('java') || !onPath('javac'))
    ensureDebianPackages(['default-jdk-headless'], 'Java 17 (JDK) is needed for the local MongoDB-wire server');
  if (!stampMatches(jarsStampFile, jarsStamp)) {
    if (!onPath('mvn')) ensureDebianPackages(['maven'], 'Maven is needed to fetch the local MongoDB-wire server');
    progress('fetching mongo-java-server 1.47.0 with Maven (first run only)…');
    rmSync(launcherBuildDir, { recursive: true, force: true });
    mkdirSync(launcherBuildDir, { recursive: true });
    const mvn = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        path.join(launcherSourceDir, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${libDir}`,
      ],
      { stdio: 'inherit' },
    );
    if (mvn.status !== 0) throw new SetupError('Maven could not resolve mongo-java-server (see the output above)');
    writeFileSync(jarsStampFile, jarsStamp);
  }
  progress('compiling the MongoDB launcher…');
  rmSync(classesStampFile, { force: true });
  const javac = spawnSync(
    'javac',
    ['-d', launcherBuildDir, '-cp', `${libDir}/*`, path.join(launcherSourceDir, 'MongoLauncher.java')],
    { stdio: 'inherit' },
  );
  if (javac.status !== 0) throw new SetupError('javac could not compile scripts/mongo-launcher/MongoLauncher.java');
  writeFileSync(classesStampFile, classesStamp);
  return launcherBuildDir;
}

/** Makes sure a redis-server binary exists (installing Debian's as root). */
export function ensureRedisBinary() {
  if (!onPath('redis-server')) ensureDebianPackages(['redis-server'], 'Redis is needed (Debian package redis-server)');
}

/**
 * Starts the mongo-java-server launcher on `port` with its H2 file at `file`, with `workers` Netty
 * worker threads (a write waits for its group commit on one; MONGO_LAUNCHER_WORKERS overrides).
 * Returns the child process; it is ready when this resolves.
 */
export async function startJavaMongo({
  port,
  file,
  logFile,
  workers = Number(process.env.MONGO_LAUNCHER_WORKERS ?? 64),
}) {
  const buildDir = ensureMongoLauncher();
  mkdirSync(path.dirname(file), { recursive: true });
  const child = spawnLogged(
    'java',
    [
      '-Xss4m',
      '-XX:+UseSerialGC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${buildDir}/lib/*:${buildDir}`,
      'MongoLauncher',
      '127.0.0.1',
      String(port),
      file,
      String(workers),
    ],
    { logFile },
  );
  await waitUntil(async () => child.recentOutput().includes('ready ') && (await probe(port), true), {
    what: 'the local MongoDB-wire server',
    timeoutMs: 60_000,
    child,
  }).catch((error) => {
    killGroup(child);
    throw new SetupError(`${error.message}\n${child.recentOutput().slice(-2000)}`);
  });
  return child;
}

async function startMongod({ port, dir, logFile }) {
  mkdirSync(dir, { recursive: true });
  const child = spawnTethered(
    'mongod',
    ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'],
    { logFile },
  );
  await waitUntil(() => probe(port).then(() => true), { what: 'mongod', timeoutMs: 60_000, child });
  return child;
}

/** Starts redis-server on `port` with its files in `dir`; AOF only when `persistent`. */
export async function startRedis({ port, dir, persistent, logFile }) {
  ensureRedisBinary();
  mkdirSync(dir, { recursive: true });
  const persistence = persistent ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...persistence,
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  const child = spawnTethered('redis-server', args, { logFile });
  await waitUntil(async () => (await probe(port, 'PING\r\n')).startsWith('+PONG'), {
    what: 'redis-server',
    timeoutMs: 30_000,
    child,
  });
  return child;
}

/**
 * Starts (or reuses, from MONGODB_URI / REDIS_URL) MongoDB and Redis.
 * `persistent` keeps Redis' AOF (npm start); tests run Redis without persistence.
 * Resolves to { mongoUri, redisUrl, children, stop() }.
 */
export async function startLocalServices({ dataDir, persistent = false, env = process.env }) {
  mkdirSync(dataDir, { recursive: true });
  const children = {};
  const stop = async () => {
    await Promise.all(Object.values(children).map((child) => stopChild(child)));
  };
  try {
    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const port = await freePort();
      const logFile = path.join(dataDir, 'mongo.log');
      if (onPath('mongod')) {
        progress('starting mongod…');
        children.mongo = await startMongod({ port, dir: path.join(dataDir, 'mongod'), logFile });
      } else {
        progress('starting the local MongoDB-wire server (mongo-java-server, H2)…');
        children.mongo = await startJavaMongo({ port, file: path.join(dataDir, 'mongo', 'cinic.mv'), logFile });
      }
      mongoUri = `mongodb://127.0.0.1:${port}`;
    }
    let redisUrl = env.REDIS_URL;
    if (!redisUrl) {
      const port = await freePort();
      progress('starting redis-server…');
      children.redis = await startRedis({
        port,
        dir: path.join(dataDir, 'redis'),
        persistent,
        logFile: path.join(dataDir, 'redis.log'),
      });
      redisUrl = `redis://127.0.0.1:${port}`;
    }
    return { mongoUri, redisUrl, children, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
