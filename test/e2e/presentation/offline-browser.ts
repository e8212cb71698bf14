// Debian's Chromium driven by playwright-core, headless and with no network of its own:
// a fresh profile, background services off, and every request that is not to 127.0.0.1
// (or a file:/data: URL) aborted and recorded, so a page that needs a CDN shows it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = process.env.CNN_COURSE_CHROMIUM ?? "/usr/bin/chromium";

export interface OfflineBrowser {
  context: BrowserContext;
  /** URLs the browser tried to reach outside 127.0.0.1 (all aborted). */
  blocked: string[];
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** A fresh headless Chromium; `javaScriptEnabled: false` for the static fallback checks. */
export async function launchOfflineBrowser(opts: { javaScriptEnabled?: boolean } = {}): Promise<OfflineBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-course-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  // A loaded machine (CI runs notebooks beside it) can take a while to start a kernel.
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  const blocked: string[] = [];
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === "file:" || url.protocol === "data:" || url.protocol === "blob:" ||
      url.hostname === "127.0.0.1";
    if (local) await route.continue();
    else {
      blocked.push(url.href);
      await route.abort("blockedbyclient");
    }
  });
  return {
    context, blocked,
    async close(): Promise<void> {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
