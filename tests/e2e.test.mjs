// Browser end-to-end tests: the built site (dist/, from `trunk build --release`) served on
// 127.0.0.1 and driven in Debian's headless Chromium, the way a learner uses it.
//
//   npm ci && trunk build --release && node --test tests/
//
// Environment: PLAYGROUND_DIST (default dist/), CHROMIUM (default /usr/bin/chromium).
// Screenshots go to target/e2e/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import {
  PROMPT,
  launch,
  promptCount,
  repoRoot,
  screenText,
  typeLine,
  waitForScreen,
  waitReady,
} from "./browser.mjs";

const SHOTS = join(repoRoot, "target", "e2e");
mkdirSync(SHOTS, { recursive: true });

/** The first chapter's title, from its Markdown (`# Title` on the first line). */
function firstChapterTitle() {
  const dir = join(repoRoot, "courseware", "chapters");
  const first = readdirSync(dir).filter((f) => f.endsWith(".md")).sort()[0];
  return readFileSync(join(dir, first), "utf8").split("\n")[0].replace(/^#\s+/, "").trim();
}

/** Opens the site in a new page, recording its requests and errors. */
async function open(env, options = {}) {
  const page = await env.newPage(options);
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(env.server.url);
  return { page, requests, errors };
}

describe("the playground page", () => {
  let env;
  let page;
  let requests;
  let errors;

  before(async () => {
    env = await launch();
    ({ page, requests, errors } = await open(env));
    await waitReady(page);
  });

  after(async () => {
    await env?.close();
  });

  test("loads with its French title and no error", async () => {
    assert.equal(await page.title(), "Docker dans le navigateur");
    const brand = await page.textContent(".topbar .brand");
    assert.match(brand, /Docker dans le navigateur/);
    assert.equal(await page.$("#loading"), null, "the loading message is gone");
    assert.deepEqual(errors, []);
  });

  test("the lesson pane shows the first chapter", async () => {
    const title = await page.textContent(".lesson .lesson-body h1");
    assert.equal(title.trim(), firstChapterTitle());
  });

  test("the terminal shows the prompt", async () => {
    const screen = await waitForScreen(page, PROMPT);
    assert.ok(screen.split("\n")[0].startsWith(PROMPT), `first row:\n${screen}`);
  });

  test("line editing: keys typed one by one, cursor moves, backspace, history", async () => {
    const before = await promptCount(page);
    // Type "oo", go to the start, insert "f", go to the end, type a stray "x" and erase it.
    await page.click(".terminal-pane .xterm");
    await page.keyboard.type("oo", { delay: 5 });
    await page.keyboard.press("Home");
    await page.keyboard.type("f", { delay: 5 });
    await page.keyboard.press("End");
    await page.keyboard.type("x", { delay: 5 });
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Enter");
    await waitForScreen(page, "-sh: foo: not found");
    // The previous line comes back with the up arrow.
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    const deadline = Date.now() + 10_000;
    while ((await promptCount(page)) < before + 2) {
      assert.ok(Date.now() < deadline, `prompt did not come back twice:\n${await screenText(page)}`);
      await page.waitForTimeout(50);
    }
    const screen = await screenText(page);
    assert.equal(screen.match(/-sh: foo: not found/g)?.length, 2, screen);
    await typeLine(page, "clear");
  });

  // Needs the engine's `docker run` and the image catalog (cargo xtask images).
  test("docker run hello-world prints its greeting", async () => {
    await typeLine(page, "docker run hello-world");
    await waitForScreen(page, "Hello from Docker!", 60_000);
    await page.screenshot({ path: join(SHOTS, "hello-world.png") });
  });

  // Needs the engine's `docker ps -a` (and the container from the previous test).
  test("docker ps -a lists the exited container", async () => {
    await typeLine(page, "clear");
    await typeLine(page, "docker ps -a");
    const screen = await waitForScreen(page, /hello-world.*Exited \(0\)/, 30_000);
    assert.match(screen, /CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS/);
  });

  test("the next chapter opens without losing the terminal session", async () => {
    await page.getByRole("button", { name: /Chapitre suivant/ }).click();
    await page.waitForFunction(() => document.querySelector(".lesson-progress")?.textContent.includes("Chapitre 2"));
    const title = await page.locator(".lesson-body h1").first().textContent();
    assert.match(title, /cycle de vie/i);
    // It opens at its top.
    assert.equal(await page.locator(".lesson").evaluate((el) => el.scrollTop), 0);
    // The terminal still shows what was typed before: the page was not reloaded.
    assert.match(await screenText(page), /hello-world.*Exited \(0\)/);
    await page.screenshot({ path: join(SHOTS, "chapter-2.png") });
    await page.getByRole("button", { name: /Chapitre précédent/ }).click();
    await page.waitForFunction(() => document.querySelector(".lesson-progress")?.textContent.includes("Chapitre 1"));
  });

  test("a screenshot of the page is saved", async () => {
    const path = join(SHOTS, "page.png");
    await page.screenshot({ path });
    assert.ok(readFileSync(path).length > 1000);
  });

  test("every request went to the page's own host, 127.0.0.1", async () => {
    assert.ok(requests.length > 0);
    const foreign = requests.filter((url) => new URL(url).hostname !== "127.0.0.1");
    assert.deepEqual(foreign, []);
  });
});

describe("the site works from a sub-path and on a narrow screen", () => {
  let env;

  before(async () => {
    env = await launch({ prefix: "/cours/docker/" });
  });

  after(async () => {
    await env?.close();
  });

  test("served under /cours/docker/ on a 700px wide screen", async () => {
    const { page, requests, errors } = await open(env, { width: 700, height: 900 });
    await waitReady(page);
    await waitForScreen(page, PROMPT);
    for (const url of requests) {
      const { hostname, pathname } = new URL(url);
      assert.equal(hostname, "127.0.0.1", url);
      assert.ok(pathname.startsWith("/cours/docker/"), `${url} escapes the sub-path`);
    }
    assert.deepEqual(errors, []);
    // Narrow layout: the lesson above the terminal, both visible.
    const lesson = await page.$eval(".lesson", (el) => el.getBoundingClientRect().toJSON());
    const terminal = await page.$eval(".terminal-pane", (el) => el.getBoundingClientRect().toJSON());
    assert.ok(lesson.bottom <= terminal.top, "the lesson sits above the terminal");
    assert.ok(terminal.height > 300, "the terminal keeps a usable height");
    await page.screenshot({ path: join(SHOTS, "narrow.png"), fullPage: true });
  });
});

describe("an internal error", () => {
  let env;

  before(async () => {
    env = await launch();
  });

  after(async () => {
    await env?.close();
  });

  test("shows a French message with a reload button", async () => {
    const { page } = await open(env);
    await waitReady(page);
    await page.evaluate(() => {
      // The panic unwinds into JS as an exception (a trap in release builds): expected here.
      try {
        window.__playground.panic();
      } catch {}
    });
    const overlay = await page.waitForSelector(".panic-overlay", { timeout: 5_000 });
    assert.match(await overlay.textContent(), /Une erreur interne est survenue/);
    const button = await page.$(".panic-overlay button");
    assert.equal((await button.textContent()).trim(), "Recharger la page");
    await page.screenshot({ path: join(SHOTS, "panic.png") });
    await Promise.all([page.waitForEvent("load"), button.click()]);
    await waitReady(page);
    assert.equal(await page.$(".panic-overlay"), null, "the reload starts afresh");
  });
});

describe("the session survives a reload", () => {
  let env;
  let page;
  let errors;
  const run = async (command) => (await page.evaluate((c) => window.__playground.run(c), command)).output;
  const settled = () =>
    page.waitForFunction(() => window.__playground?.persistence().settled, null, { timeout: 30_000 });

  before(async () => {
    env = await launch();
    ({ page, errors } = await open(env));
    await waitReady(page);
  });

  after(async () => {
    await env?.close();
  });

  test("containers, images, volumes and host files come back, as after a daemon restart", async () => {
    await run("docker run -d --name toujours --restart always alpine sleep 1000");
    await run("docker run -d --name simple alpine sleep 1000");
    await run("docker run --name une-fois alpine echo bonjour");
    await run("docker exec simple sh -c 'echo modifié > /etc/motd'");
    await run("docker run --rm -v donnees:/data alpine sh -c 'echo gardé > /data/fichier'");
    await run("echo 'notes du cours' > notes.txt");
    await settled();
    const saved = await page.evaluate(() => window.__playground.persistence());
    console.log(
      `saved: snapshot ${saved.snapshotMs.toFixed(1)} ms, state ${saved.stateBytes} B, blobs ${saved.blobBytes} B`,
    );
    await page.reload();
    await waitReady(page);
    const restored = await page.evaluate(() => window.__playground.persistence());
    console.log(`restored in ${restored.restoreMs.toFixed(1)} ms`);
    const ps = await run('docker ps -a --format "{{.Names}} {{.Status}}"');
    assert.match(ps, /toujours Up/, "restarted by its policy");
    assert.match(ps, /simple Exited \(255\)/, "was running: stopped by the restart");
    assert.match(ps, /une-fois Exited \(0\)/);
    assert.match(await run("docker images"), /alpine\s+latest/);
    assert.match(await run("docker volume ls"), /local\s+donnees/);
    assert.match(await run("cat notes.txt"), /notes du cours/);
    assert.match(await run("docker logs une-fois"), /bonjour/);
    assert.match(await run("docker start simple && docker exec simple cat /etc/motd"), /modifié/);
    assert.match(await run("docker run --rm -v donnees:/data alpine cat /data/fichier"), /gardé/);
    await page.screenshot({ path: join(SHOTS, "after-reload.png") });
    assert.deepEqual(errors, []);
  });

  test("a change made just before leaving is saved as the page goes", async () => {
    await settled();
    await run("echo 'écrit au dernier moment' > tard.txt");
    await page.reload();
    await waitReady(page);
    assert.match(await run("cat tard.txt"), /écrit au dernier moment/);
  });

  test("an unreadable save is set aside, offered to download, and a fresh session starts", async () => {
    await settled();
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("docker-dans-le-navigateur", 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction("state", "readwrite");
            tx.objectStore("state").put(new Uint8Array([1, 2, 3]), "current");
            tx.oncomplete = () => resolve(open.result.close());
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await page.reload();
    await waitReady(page);
    const notice = await page.waitForSelector(".storage-old", { timeout: 10_000 });
    assert.match(await notice.textContent(), /illisible/);
    const href = await page.getAttribute(".storage-old a[download]", "href");
    assert.ok(href.startsWith("blob:"), href);
    assert.doesNotMatch(await run("docker ps -a"), /toujours/, "a fresh session");
    // Still there after another reload, until the learner deletes it.
    await settled();
    await page.reload();
    await waitReady(page);
    await page.waitForSelector(".storage-old", { timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, "old-session.png") });
    await page.click(".storage-old button");
    await page.waitForSelector(".storage-old", { state: "detached" });
  });

  test("Réinitialiser deletes everything after a confirmation", async () => {
    await run("echo 'à effacer' > efface.txt");
    await settled();
    page.once("dialog", (dialog) => dialog.accept());
    await Promise.all([page.waitForEvent("load"), page.click(".pane-reset")]);
    await waitReady(page);
    assert.match(await run("cat efface.txt"), /No such file or directory/);
  });
});

describe("without usable storage the terminal still works and says so", () => {
  let env;

  before(async () => {
    env = await launch();
  });

  after(async () => {
    await env?.close();
  });

  /** A page whose IndexedDB is changed by `script` before the app starts. */
  async function openWith(script) {
    const page = await env.newPage();
    await page.addInitScript(script);
    await page.goto(env.server.url);
    await waitReady(page);
    return page;
  }

  test("no IndexedDB (private browsing, sandboxed iframe): a notice, and commands run", async () => {
    const page = await openWith(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
    const notice = await page.waitForSelector(".storage-problem", { timeout: 10_000 });
    assert.match(await notice.textContent(), /ne permet pas d'enregistrer la session/);
    const { output } = await page.evaluate(() => window.__playground.run("echo toujours là"));
    assert.match(output, /toujours là/);
  });

  test("a full quota is reported, not swallowed", async () => {
    const page = await openWith(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await page.evaluate(() => window.__playground.run("echo plein > plein.txt"));
    const notice = await page.waitForSelector(".storage-problem", { timeout: 15_000 });
    assert.match(await notice.textContent(), /stockage du navigateur est plein/);
    await page.screenshot({ path: join(SHOTS, "quota.png") });
  });
});
