// Shared helpers for the browser tests and the bench: Debian's Chromium driven by
// playwright-core, the built site served on 127.0.0.1, and ways to type into and read the
// terminal the way a learner would.
import { join } from "node:path";
import { chromium } from "playwright-core";

import { startServer, repoRoot } from "./serve.mjs";

export { repoRoot };

/** The prompt the host shell shows. */
export const PROMPT = "eleve@playground:~$";

/** Chromium path: $CHROMIUM or Debian's. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts the static server on a free port and a headless Chromium. Playwright gives each launch
 * a fresh temporary profile (it refuses `--user-data-dir` in `launch`), deleted on close.
 * Resolves with `{ server, browser, newPage(), close() }`.
 */
export async function launch({
  root = process.env.PLAYGROUND_DIST ?? join(repoRoot, "dist"),
  prefix = "/",
} = {}) {
  const server = await startServer({ root, prefix });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  return {
    server,
    browser,
    async newPage({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({ viewport: { width, height } });
      return context.newPage();
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the page has shown its first prompt (the app sets data-playground-ready). */
export async function waitReady(page, timeout = 30_000) {
  await page.waitForSelector("html[data-playground-ready]", { state: "attached", timeout });
}

/** The text on the terminal's screen (xterm.js DOM renderer rows), one string per row. */
export async function screenLines(page) {
  return page.$$eval(".terminal-pane .xterm-rows > div", (rows) =>
    rows.map((row) => row.textContent.replace(/\u00a0/g, " ").replace(/\s+$/, "")),
  );
}

/** The terminal's screen as one string. */
export async function screenText(page) {
  return (await screenLines(page)).join("\n");
}

/** The panic overlay's technical details if the app has panicked, else null. */
export async function panicDetails(page) {
  return page.evaluate(() => {
    const overlay = document.querySelector(".panic-overlay");
    return overlay ? (overlay.querySelector("pre")?.textContent ?? "(no details)") : null;
  });
}

/**
 * Waits until the terminal's screen contains `text` (string or RegExp). Fails at once, with the
 * panic message, if the app panics meanwhile.
 */
export async function waitForScreen(page, text, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const screen = await screenText(page);
    if (typeof text === "string" ? screen.includes(text) : text.test(screen)) return screen;
    const panic = await panicDetails(page);
    if (panic !== null) {
      throw new Error(`the app panicked while waiting for ${text}: ${panic}\nscreen:\n${screen}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`terminal never showed ${text} within ${timeout} ms; screen:\n${screen}`);
    }
    await page.waitForTimeout(50);
  }
}

/**
 * Types `line` key by key into the terminal, as a learner would (so the engine's line editor
 * handles every keystroke), then presses Enter.
 */
export async function typeLine(page, line, { delay = 5 } = {}) {
  await page.click(".terminal-pane .xterm");
  await page.keyboard.type(line, { delay });
  await page.keyboard.press("Enter");
}

/** How many rows of the screen currently show the prompt. */
export async function promptCount(page) {
  return (await screenLines(page)).filter((l) => l.startsWith(PROMPT)).length;
}
