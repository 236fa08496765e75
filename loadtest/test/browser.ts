/**
 * Opens a report page in the machine's headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser is ever downloaded) with a fresh, empty profile, and reads back what the page drew.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DrawnPlot {
  readonly id: string;
  readonly title: string;
  readonly series: number;
  readonly points: number;
  readonly canvas: boolean;
  /** Pixels of the plot's canvas that are not background. */
  readonly inked: number;
  /** Pixels in the first series' colour: the data line itself, not the axes or grid. */
  readonly lineInk: number;
}

interface InPage {
  readonly document: {
    readonly body: { readonly dataset: Record<string, string | undefined> };
    querySelector(selector: string): {
      readonly width: number;
      readonly height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray };
      } | null;
    } | null;
  };
  readonly eventwirePlots: Omit<DrawnPlot, 'inked' | 'lineInk'>[];
}

export interface RenderedReport {
  readonly plots: readonly DrawnPlot[];
  readonly verdict: string;
  readonly errors: readonly string[];
  /** Requests the page made beyond its own file: a self-contained report makes none. */
  readonly requests: readonly string[];
}

export async function renderReport(file: string, screenshot?: string): Promise<RenderedReport> {
  const profile = await mkdtemp(join(tmpdir(), 'eventwire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1000, height: 800 },
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    await page.goto(url);
    // The callbacks run in the page; this project type-checks against Node's types, so the few DOM members they
    // use are declared in InPage.
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.body.dataset.plotted !== undefined,
      undefined,
      { timeout: 20_000 },
    );
    const plots = await page.evaluate(() => {
      const inPage = globalThis as unknown as InPage;
      return inPage.eventwirePlots.map((plot) => {
        const canvas = inPage.document.querySelector(`#${plot.id} canvas`);
        const context2d = canvas?.getContext('2d');
        let inked = 0;
        let lineInk = 0;
        if (canvas && context2d) {
          const pixels = context2d.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < pixels.length; i += 4) {
            if ((pixels[i + 3] ?? 0) === 0) continue;
            inked++;
            // The first series' stroke, #1f77b4, give or take antialiasing.
            const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
            if (Math.abs(r - 31) < 40 && Math.abs(g - 119) < 40 && Math.abs(b - 180) < 40) lineInk++;
          }
        }
        return { ...plot, inked, lineInk };
      });
    });
    const verdict = (await page.textContent('.verdict')) ?? '';
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
    return { plots, verdict, errors, requests };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
