/**
 * `eventwire load --engine k6`: runs the generated k6 script of each service with the run's profile and rate
 * scale, k6's own thresholds deciding (k6 exits 99 when one fails).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliIo, EXIT, type ExitCode } from '../../cli/io.ts';
import { formatDuration } from '../lib/duration.ts';
import type { PlanSettings } from '../lib/plan.ts';

/** k6's exit code when thresholds fail (errext/exitcodes ThresholdsHaveFailed). */
const K6_THRESHOLDS_FAILED = 99;

export async function runK6(
  input: {
    readonly services: readonly string[];
    readonly settings: PlanSettings;
    readonly report: string;
    readonly generated: string;
  },
  io: CliIo,
): Promise<ExitCode> {
  if (input.services.length === 0) {
    io.stderr('eventwire load --engine k6: name the services to load (one k6 script each).\n');
    return EXIT.badInput;
  }
  await mkdir(input.report, { recursive: true });
  let worst: ExitCode = EXIT.ok;
  for (const service of input.services) {
    const script = join(input.generated, 'loadtest', `${service}.k6.ts`);
    if (!existsSync(script)) {
      io.stderr(
        `eventwire load: ${script} does not exist: run "eventwire generate" (or the service publishes nothing).\n`,
      );
      return EXIT.badInput;
    }
    const args = [
      'run',
      '-e',
      `PROFILE=${input.settings.profile}`,
      '-e',
      `RATE_SCALE=${input.settings.rateScale}`,
      ...(input.settings.durationMs !== undefined
        ? ['-e', `DURATION=${formatDuration(input.settings.durationMs)}`]
        : []),
      '--summary-export',
      join(input.report, `${service}.k6-summary.json`),
      script,
    ];
    io.stderr(`k6 ${args.join(' ')}\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn('k6', args, {
        cwd: io.cwd,
        env: { ...io.env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', () => resolve(-1));
      child.on('exit', (status) => resolve(status ?? -1));
    });
    if (code === K6_THRESHOLDS_FAILED) worst = EXIT.findings;
    else if (code !== 0) {
      io.stderr(`eventwire load: k6 exited with ${code} for ${service}\n`);
      return EXIT.badInput;
    }
  }
  return worst;
}
