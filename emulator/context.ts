// The emulator's one bag of state and services, built once per startEmulator and handed to every route.
// reset() is what POST /_emulator/reset does: a fresh seeded world with no faults, calls or timers.
import type { FastifyBaseLogger } from 'fastify';
import { CallLog } from './call-log.ts';
import { Clock } from './clock.ts';
import { FaultQueue } from './faults.ts';
import {
  type AppConfig,
  type EmulatorOptions,
  resolveAppConfig,
  resolveTunables,
  type Tunables,
} from './options.ts';
import { Scheduler } from './scheduler.ts';
import { UsageOverrides } from './usage-headers.ts';
import { WebhookSender } from './webhook-sender.ts';
import { World } from './world.ts';

export interface EmulatorContext {
  readonly config: AppConfig;
  readonly tunables: Tunables;
  readonly clock: Clock;
  readonly world: World;
  readonly faults: FaultQueue;
  readonly calls: CallLog;
  readonly scheduler: Scheduler;
  readonly webhooks: WebhookSender;
  /** App tokens handed out by grant_type=client_credentials (the literal `id|secret` is always accepted). */
  readonly appTokens: Set<string>;
  /** Usage percentages pinned by the control API instead of the modelled ones. */
  readonly usage: UsageOverrides;
  readonly log: FastifyBaseLogger;
  reset(overrides?: Partial<Tunables>): void;
  close(): void;
}

export function createContext(opts: EmulatorOptions, log: FastifyBaseLogger): EmulatorContext {
  const config = resolveAppConfig(opts);
  const startupTunables = resolveTunables(opts);
  const tunables = resolveTunables(opts);
  const clock = new Clock(opts.now ?? Date.now);
  const scheduler = new Scheduler();
  const webhooks = new WebhookSender({
    appSecret: config.appSecret,
    retryDelaysMs: () => tunables.webhookRetryDelaysMs,
    now: () => clock.now(),
    scheduler,
    log,
  });
  const world = new World(clock);
  const faults = new FaultQueue();
  const calls = new CallLog();
  const appTokens = new Set<string>();
  const usage = new UsageOverrides();
  return {
    config,
    tunables,
    clock,
    world,
    faults,
    calls,
    scheduler,
    webhooks,
    appTokens,
    usage,
    log,
    reset(overrides = {}) {
      scheduler.cancelAll();
      webhooks.reset();
      Object.assign(tunables, structuredClone(startupTunables), stripUndefined(overrides));
      clock.reset();
      world.reset();
      faults.clear();
      calls.clear();
      appTokens.clear();
      usage.clear();
    },
    close() {
      scheduler.cancelAll();
      webhooks.reset();
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
