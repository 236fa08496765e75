/**
 * `eventwire load [SERVICES...]`: SLA load runs end to end from the contracts. The Node engine (default when k6
 * is not on PATH) drives the generated publishers over the real runtime and brokers and consumes the events
 * through the subscriptions they reach; `--engine k6` runs the generated k6 scripts instead.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { oneOf, parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

export const loadHelp = `Usage: eventwire load [SERVICES...] [--profile smoke|steady|peak|soak] [--duration 2m] [--rate-scale X]
                      [--engine node|k6] [--brokers local|containers] [--report DIR] [--transport T]
                      [--handlers S[=M]] [--operations OPS] [--workers N] [--drain D] [--contracts PATH]
                      [--generated DIR]

Load the services' publications at the volumes their contracts declare, consume them through every
subscription they reach, and judge the contracts' SLAs (x-eventwire-sla) per operation and phase:
publish p95/p99, publish errors, dropped iterations, processing p95 and delivery ratio per subscription.

Arguments:
  SERVICES             services whose publications to load (default: every service that publishes)

Options:
  --profile P          smoke (default: a short run sized to judge the percentiles), steady (contract rates,
                       5m), peak (peakPerSecond, 1m), soak (contract rates, 1h)
  --duration D         length of each scenario (k6 durations: 90s, 2m, 1h30m; at least 1s)
  --rate-scale X       multiply every contract rate by X (default 1)
  --engine E           node (default when k6 is not on PATH) or k6 (runs generated/loadtest/<service>.k6.ts)
  --brokers B          local (default: REDIS_URL, AMQP_URL, DATABASE_URL, isolated per run) or containers
  --transport T        redis-streams, rabbitmq or dapr (default: the contract's broker; dapr publishes through
                       the sidecar at DAPR_URL or DAPR_HTTP_PORT and receives on APP_PORT)
  --handlers S[=M]     consume service S's subscriptions with its own handlers: M exports createHandlers(deps)
                       or handlers (default M: generated/S/handlers.ts); repeatable. Others use a sink.
  --operations OPS     only these send operations (operation ids, comma-separated or repeated)
  --report DIR         write report.json and report.html there (default: loadtest-report/)
  --workers N          load worker threads (default: cores - 1, at most 4)
  --drain D            how long consumers may catch up after the load (default 30s)
  --contracts PATH     contract files or folders (default: asyncapi/)
  --generated DIR      generated code (default: generated/)
  -h, --help           show this help

Exit codes: 0 every threshold holds, 1 a threshold missed (the operation and phase are named),
2 bad input or a broker that cannot be reached.`;

const ENGINES = ['node', 'k6'] as const;

/** k6 is the engine of choice where it is installed. */
function hasK6(env: CliIo['env']): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'k6')));
}

export async function loadCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('load', argv, {
    profile: { type: 'string' },
    duration: { type: 'string' },
    'rate-scale': { type: 'string' },
    engine: { type: 'string' },
    brokers: { type: 'string' },
    transport: { type: 'string' },
    handlers: { type: 'string', multiple: true },
    operations: { type: 'string', multiple: true },
    report: { type: 'string' },
    workers: { type: 'string' },
    drain: { type: 'string' },
    contracts: { type: 'string', multiple: true },
    generated: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${loadHelp}\n`);
    return EXIT.ok;
  }
  const engine = oneOf('load', 'engine', values.engine, ENGINES, hasK6(io.env) ? 'k6' : 'node');
  const { runLoadCommand } = await import('../../loadtest/engine/command.ts');
  return runLoadCommand(
    {
      services: positionals,
      profile: values.profile,
      duration: values.duration,
      rateScale: values['rate-scale'],
      engine,
      brokers: values.brokers,
      transport: values.transport,
      handlers: values.handlers ?? [],
      report: resolve(io.cwd, values.report ?? 'loadtest-report'),
      workers: values.workers,
      drain: values.drain,
      contracts: (values.contracts ?? ['asyncapi']).map((p) => resolve(io.cwd, p)),
      generated: resolve(io.cwd, values.generated ?? 'generated'),
      operations: values.operations ?? [],
    },
    io,
  );
}
