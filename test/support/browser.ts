/**
 * A real Chromium for the tests, from npm alone: `@sparticuz/chromium` ships the binary inside its package and
 * `playwright-core` drives it, launched headless with the package's own flags plus --disable-background-networking
 * (the machine has no network, and a report must not need one). `npm ci` is the whole set-up.
 *
 * The package unpacks its binary into os.tmpdir() and reuses whatever it finds there, so two test files starting at
 * once could run a half-written binary. Each process unpacks into a staging directory of its own instead, which is
 * renamed into place when complete (a rename is atomic; the loser of a race discards its copy).
 *
 * `openPage(file)` loads a file:// page and records every request the page makes: a self-contained report makes
 * none but its own. Any http(s) request is aborted, so a report that needs the network fails visibly.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

// The package exports only its entry point; its package.json is found beside it.
const CHROMIUM_VERSION = (
  JSON.parse(
    fs.readFileSync(path.join(path.dirname(require.resolve("@sparticuz/chromium")), "..", "package.json"), "utf8"),
  ) as { version: string }
).version;

/** Where the unpacked binary is kept between runs (per package version). */
function cacheDir(): string {
  return path.join(os.tmpdir(), `entra-baseline-chromium-${CHROMIUM_VERSION}`);
}

async function executablePath(): Promise<string> {
  const dir = cacheDir();
  const binary = path.join(dir, "chromium");
  if (fs.existsSync(binary)) return binary;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "entra-baseline-chromium-staging-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: chromium } = await import("@sparticuz/chromium");
    const unpacked = await chromium.executablePath();
    if (path.dirname(unpacked) !== staging) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}`);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  try {
    fs.renameSync(staging, dir);
  } catch {
    // Another process got there first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export async function launchBrowser(): Promise<Browser> {
  const { default: chromium } = await import("@sparticuz/chromium");
  const { chromium: playwright } = await import("playwright-core");
  return playwright.launch({
    executablePath: await executablePath(),
    args: [...chromium.args, "--disable-background-networking"],
    headless: true,
  });
}

export interface OpenedPage {
  page: Page;
  /** Every URL the page requested, the page itself included. */
  requests: string[];
}

/** One browser for a test file: started in beforeAll, closed in afterAll. */
export function useBrowser(): { open(file: string): Promise<OpenedPage> } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(file: string): Promise<OpenedPage> {
      if (!browser) throw new Error("useBrowser: the browser starts in beforeAll");
      const context = await browser.newContext({ offline: true });
      await context.route(/^https?:/, (route) => route.abort());
      const page = await context.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      return { page, requests };
    },
  };
}
