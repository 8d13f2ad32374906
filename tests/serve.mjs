// A tiny static file server for the built site (dist/), with no dependency, for the browser tests
// and the bench. It serves files as any plain static host would: no special headers.
//
//   node tests/serve.mjs [--root dist] [--port 8080] [--host 127.0.0.1] [--prefix /cours/docker/]
//
// or from a test: `const server = await startServer({ root }); ... server.url ...; await server.close();`
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/** The repository's root folder. */
export const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));

/**
 * Serves `root` on `host:port` (port 0 picks a free one) under the URL path `prefix` (to check
 * that the site works from a sub-path, as on an LMS or a file share).
 * Resolves with `{ url, port, close() }`; `url` is the site's address and ends with a slash.
 */
export function startServer({
  root = join(repoRoot, "dist"),
  port = 0,
  host = "127.0.0.1",
  prefix = "/",
} = {}) {
  const base = resolve(root);
  if (!prefix.startsWith("/")) prefix = `/${prefix}`;
  if (!prefix.endsWith("/")) prefix = `${prefix}/`;
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    path = path.slice(prefix.length - 1);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        file = join(file, "index.html");
        stat = statSync(file);
      }
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": stat.size,
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      ok({
        url: `http://${host}:${actual}${prefix}`,
        port: actual,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const server = await startServer({
    root: arg("root", join(repoRoot, "dist")),
    port: Number(arg("port", 8080)),
    host: arg("host", "127.0.0.1"),
    prefix: arg("prefix", "/"),
  });
  console.log(`serving on ${server.url}`);
}
