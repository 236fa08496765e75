/**
 * The AsyncAPI ecosystem's generators are benchmark baselines, not dependencies: they live in bench/ecosystem with
 * their own lockfile and are installed on first use (their browser download is skipped; no template here needs it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function ensureEcosystem(repo: string): Promise<string> {
  const dir = join(repo, 'bench/ecosystem');
  if (!existsSync(join(dir, 'node_modules/@asyncapi/modelina'))) {
    console.error('Installing the AsyncAPI ecosystem generators into bench/ecosystem (first run only)...');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: 'true' },
    });
  }
  return dir;
}
