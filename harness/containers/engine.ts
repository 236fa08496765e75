/**
 * The Docker engine the containers mode runs on: whether one answers, whether an image is there (the harness
 * never pulls), and the cleanup that removes every container the harness started — at the end of a run, on
 * Ctrl-C or SIGTERM, and, for a process that was killed outright, on the next run (an orphan sweep by label).
 *
 * Testcontainers' own reaper (Ryuk) runs from an image a registry would provide; the harness does its own
 * cleanup instead, so `TESTCONTAINERS_RYUK_DISABLED` defaults to true. `TESTCONTAINERS_HOST_OVERRIDE` defaults to
 * localhost: clients reach containers only through ports published on 127.0.0.1.
 */
import { hostname } from 'node:os';
import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from 'testcontainers';
import { type BrokerKind, IMAGE_VARIABLES, type ImageSetting } from './settings.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

/** Labels on every container the harness starts: who owns it, so a later run can sweep it if its owner died. */
export const OWNER_LABEL = 'org.eventwire.harness.owner';
const ownerValue = `${hostname()}:${process.pid}`;
export const ownerLabels: Record<string, string> = { [OWNER_LABEL]: ownerValue };

export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

export class ImageMissingError extends Error {
  override name = 'ImageMissingError';
}

const ENGINE_TIMEOUT_MS = 15_000;
let engine: Promise<ContainerRuntimeClient> | undefined;

/** The engine's client, once per process; rejects with the reason and the command that starts an engine. */
export function dockerEngine(): Promise<ContainerRuntimeClient> {
  engine ??= connect();
  return engine;
}

async function connect(): Promise<ContainerRuntimeClient> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${ENGINE_TIMEOUT_MS / 1000} s`)),
          ENGINE_TIMEOUT_MS,
        );
      }),
    ]);
    await sweepOrphans(client);
    installSignalCleanup();
    return client;
  } catch (e) {
    engine = undefined;
    throw new EngineUnavailableError(
      `no Docker engine answers (${e instanceof Error ? e.message : String(e)}). ` +
        "Start one with `npm run containers:prepare` (installs Debian's docker.io and starts dockerd), " +
        'or point DOCKER_HOST at a running engine.',
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Why no engine can be used, or undefined when one answers: for choosing `containers` or `local` mode. */
export async function engineProblem(): Promise<string | undefined> {
  try {
    await dockerEngine();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Why the containers mode cannot run by default, or undefined when it can: no engine answers, or a broker image
 * is missing (a default run falls back to the local brokers rather than fail on an image nobody built).
 */
export async function containersProblem(
  images: Record<BrokerKind, ImageSetting>,
  needs?: ReadonlySet<BrokerKind>,
): Promise<string | undefined> {
  const problem = await engineProblem();
  if (problem !== undefined) return problem;
  const client = await dockerEngine();
  for (const [kind, setting] of Object.entries(images) as [BrokerKind, ImageSetting][]) {
    if (needs !== undefined && !needs.has(kind)) continue;
    if (!(await client.image.exists(ImageName.fromString(setting.image))))
      return `the ${kind} image "${setting.image}" is not in the local Docker engine (npm run containers:prepare builds it)`;
  }
  return undefined;
}

/** Throws unless `setting.image` is in the local engine: nothing is ever pulled. */
export async function requireLocalImage(kind: BrokerKind, setting: ImageSetting): Promise<void> {
  const client = await dockerEngine();
  if (await client.image.exists(ImageName.fromString(setting.image))) return;
  const from = setting.source === 'default' ? 'the default' : `set by ${setting.source}`;
  throw new ImageMissingError(
    `the ${kind} image "${setting.image}" (${from}) is not in the local Docker engine, and the harness never ` +
      'pulls. Build the local broker images with `npm run containers:prepare`, or set ' +
      `${IMAGE_VARIABLES[kind]} (or containers.images.${kind} in eventwire.config.json) to an image ` +
      '`docker image ls` shows.',
  );
}

/** Containers this process started and has not removed yet, by id. */
const live = new Map<string, () => Promise<void>>();

/** Registers a started container's removal; returns the function that unregisters it once it is removed. */
export function trackContainer(id: string, remove: () => Promise<void>): () => void {
  live.set(id, remove);
  return () => live.delete(id);
}

/** Removes every container this process still has, whatever state it is in. */
export async function removeAllContainers(): Promise<void> {
  const removals = [...live.values()];
  live.clear();
  await Promise.allSettled(removals.map((remove) => remove()));
}

let signalsInstalled = false;
function installSignalCleanup(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void removeAllContainers().finally(() => process.kill(process.pid, signal));
    });
  }
}

/**
 * Removes containers whose owning process on this host is gone (killed before its cleanup ran). Containers of
 * live processes, of other hosts sharing the engine, and not started by the harness are left alone.
 */
export async function sweepOrphans(client: ContainerRuntimeClient): Promise<void> {
  const containers = await client.container.dockerode.listContainers({
    all: true,
    filters: { label: [OWNER_LABEL] },
  });
  const host = hostname();
  const orphans = containers.filter((info) => {
    const owner = info.Labels?.[OWNER_LABEL];
    if (!owner) return false;
    const [ownerHost, pid] = owner.split(':');
    return ownerHost === host && !processAlive(Number(pid));
  });
  await Promise.allSettled(
    orphans.map((info) => client.container.getById(info.Id).remove({ force: true, v: true })),
  );
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
