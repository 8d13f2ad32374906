// Browser bench for the built site (dist/): run by `cargo xtask bench`, or directly:
//
//   node tests/bench.mjs [--dist dist] [--loads 5] [--runs 20] [--requests 100]
//
// Prints `name: value unit` lines:
//   first_load_gzip       gzipped bytes of what the page loads before its first prompt
//                         (html, js, wasm, css, icon; not images/), each file gzipped -9
//   first_load_raw        the same files uncompressed
//   ready_ms_median       navigation start -> first prompt on screen, fresh browser context
//                         each time (cold cache), median of --loads
//   hello_world_first_ms  `docker run hello-world`, Enter -> prompt back, first time (pulls)
//   hello_world_ms_median the same, median of --runs further runs
//   container_run_exit_ms_median  `docker run --rm busybox true` (create, start, exit, remove),
//                         Enter -> prompt back, median of --runs (busybox pulled first)
//   http_*, dns_*         the network figures of engine/examples/network_bench.rs, same scenario
//                         (--requests sequential HTTP requests, 100 containers for DNS); curl's
//                         %{time_total} runs on the page's clock, so latencies are wall-clock
// Exits with status 1 if a measure could not be taken (the reason goes to stderr).
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

import { launch, repoRoot, waitReady } from "./browser.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(arg("dist", process.env.PLAYGROUND_DIST ?? join(repoRoot, "dist")));
const loads = Number(arg("loads", 5));
const runs = Number(arg("runs", 20));
const requests = Number(arg("requests", 100));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const print = (name, value, unit) => console.log(`${name}: ${value} ${unit}`);

let failed = false;
const env = await launch({ root: dist });
try {
  // (a) and (b): fresh contexts, so nothing comes from the cache.
  const readyTimes = [];
  let firstLoad = null;
  for (let i = 0; i < loads; i++) {
    const page = await env.newPage();
    const paths = new Set();
    page.on("request", (r) => paths.add(new URL(r.url()).pathname));
    await page.goto(env.server.url);
    await waitReady(page, 60_000);
    readyTimes.push(await page.evaluate(() => window.__playground_ready_ms));
    if (firstLoad === null) firstLoad = paths;
    await page.context().close();
  }

  let gz = 0;
  let raw = 0;
  for (const path of firstLoad) {
    const rel = decodeURIComponent(path).replace(/^\/+/, "");
    if (rel.startsWith("images/")) continue;
    const file = join(dist, rel === "" ? "index.html" : rel);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    const bytes = readFileSync(file);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  print("first_load_gzip", gz, "bytes");
  print("first_load_raw", raw, "bytes");
  print("ready_ms_median", median(readyTimes).toFixed(1), "ms");

  // (c): one page, the command run through the page's hook and timed inside the page.
  const page = await env.newPage();
  await page.goto(env.server.url);
  await waitReady(page, 60_000);
  const runOnce = () =>
    page.evaluate(async () => {
      const stop = new Promise((_, fail) => {
        const started = performance.now();
        const check = setInterval(() => {
          const panic = document.querySelector(".panic-overlay pre");
          if (panic) fail(new Error(`the app panicked: ${panic.textContent}`));
          else if (performance.now() - started > 60_000) fail(new Error("no prompt after 60 s"));
          else return;
          clearInterval(check);
        }, 100);
      });
      return Promise.race([window.__playground.run("docker run hello-world"), stop]);
    });
  try {
    const check = (result) => {
      if (!result.output.includes("Hello from Docker!")) {
        throw new Error(`unexpected output:\n${result.output}`);
      }
      return result.ms;
    };
    print("hello_world_first_ms", check(await runOnce()).toFixed(1), "ms");
    const times = [];
    for (let i = 0; i < runs; i++) times.push(check(await runOnce()));
    print("hello_world_ms_median", median(times).toFixed(1), "ms");
  } catch (e) {
    failed = true;
    print("hello_world_ms_median", "n/a", "ms");
    console.error(`docker run hello-world: ${e.message}`);
  }

  // (d): a container's whole life, with as little output as possible.
  try {
    const pulled = await page.evaluate(() => window.__playground.run("docker pull busybox"));
    if (!pulled.output.includes("Status:")) throw new Error(`docker pull busybox:\n${pulled.output}`);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const result = await page.evaluate(() => window.__playground.run("docker run --rm busybox true"));
      if (/Error|docker:/.test(result.output)) throw new Error(`unexpected output:\n${result.output}`);
      times.push(result.ms);
    }
    print("container_run_exit_ms_median", median(times).toFixed(1), "ms");
  } catch (e) {
    failed = true;
    print("container_run_exit_ms_median", "n/a", "ms");
    console.error(`docker run --rm busybox true: ${e.message}`);
  }

  // (e): networking, as engine/examples/network_bench.rs measures it natively.
  try {
    await network(page);
  } catch (e) {
    failed = true;
    console.error(`network: ${e.message}`);
  }
} finally {
  await env.close();
}

/** Types `cmd` in the page's terminal; its output and time, or an error if `bad` matches. */
async function must(page, cmd, bad = /Error|docker:|not found|failed/) {
  const r = await page.evaluate((c) => window.__playground.run(c), cmd);
  if (bad.test(r.output)) throw new Error(`${cmd}:\n${r.output}`);
  return r;
}

/** curl fetching `url` `n` times in one process, each transfer's time on a line of its own. */
function curlTimes(n, url) {
  return `sh -c 'set --; for i in $(seq ${n}); do set -- "$@" -o /dev/null ${url}; done; curl -s -w "%{time_total}\\n" "$@"'`;
}

function times(output, n) {
  const ms = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^\d+\.\d+$/.test(l))
    .map((l) => Number(l) * 1000);
  if (ms.length !== n) throw new Error(`expected ${n} transfer times, got ${ms.length}:\n${output}`);
  return ms;
}

async function network(page) {
  const n = requests;
  await must(page, "docker network create benchnet");
  await must(page, "docker run -d --name web --network benchnet -p 8080:80 nginx");
  await must(page, "docker run -d --name client --network benchnet alpine sleep 1000000");
  await must(page, "docker run -d --name hostclient --network host alpine sleep 1000000");
  await must(page, "docker exec client apk add -q curl", /ERROR/);
  await must(page, "docker exec hostclient apk add -q curl", /ERROR/);
  for (let i = 0; ; i++) {
    const r = await page.evaluate(() => window.__playground.run("docker exec client curl -s http://web/"));
    if (r.output.includes("Welcome to nginx")) break;
    if (i > 50) throw new Error(`nginx never answered:\n${r.output}`);
  }
  // Requests per second: (n - 1) over the time beyond the same command with one request, so the
  // command's start-up is left out (as natively).
  const rps = (one, all) => (((n - 1) * 1000) / Math.max(all.ms - one.ms, 1e-6)).toFixed(1);
  await must(page, `docker exec client ${curlTimes(5, "http://web/")}`);
  let one = await must(page, `docker exec client ${curlTimes(1, "http://web/")}`);
  let r = await must(page, `docker exec client ${curlTimes(n, "http://web/")}`);
  const c2c = times(r.output, n);
  print("http_container_to_container_rps", rps(one, r), "requests/s");
  print("http_container_to_container_p50_ms", median(c2c).toFixed(2), "ms");
  const wget = (k) => `wget -q -O /dev/null $(for i in $(seq ${k}); do echo http://localhost:8080/; done)`;
  one = await must(page, wget(1));
  r = await must(page, wget(n));
  print("http_host_to_published_port_rps", rps(one, r), "requests/s");
  r = await must(page, `docker exec hostclient ${curlTimes(n, "http://localhost:8080/")}`);
  print("http_host_to_published_port_p50_ms", median(times(r.output, n)).toFixed(2), "ms");

  const count = 100;
  await must(page, "docker network create dnsnet");
  await must(
    page,
    `for i in $(seq ${count}); do docker run -d --name d$i --network dnsnet busybox sleep 1000000 > /dev/null; done`,
  );
  const lookups = [];
  for (let i = 0; i < runs; i++) {
    r = await must(page, `docker exec d1 nslookup d${count}`, /can't find|Error/);
    if (!r.output.includes("Address: 172.")) throw new Error(`nslookup d${count}:\n${r.output}`);
    lookups.push(r.ms);
  }
  print("dns_nslookup_100th_name_ms_median", median(lookups).toFixed(1), "ms");
  r = await must(page, `docker exec d1 sh -c 'for i in $(seq ${count}); do /bin/true; done'`);
  print("process_spawn_in_loop_ms", (r.ms / count).toFixed(2), "ms per program");
  r = await must(
    page,
    `docker exec d1 sh -c 'for i in $(seq ${count}); do nslookup d$i > /dev/null || echo miss$i; done'`,
    /miss\d/,
  );
  print("dns_lookup_in_loop_ms", (r.ms / count).toFixed(2), "ms per lookup");
}
process.exit(failed ? 1 : 0);
