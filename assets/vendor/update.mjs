// Refreshes the vendored xterm.js build in assets/vendor/xterm/ from node_modules.
//
// The site ships these files itself (no CDN): run `npm ci && npm run vendor` after changing the
// @xterm/* versions in package.json, and commit the result. Building the site (`trunk build`)
// needs only the committed files, not node_modules.
//
// The files are copied unchanged except for the `//# sourceMappingURL=` comment, which is
// dropped because the .map files are not shipped.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "assets", "vendor", "xterm");
mkdirSync(out, { recursive: true });

const modules = [
  ["@xterm/xterm/lib/xterm.mjs", "xterm.mjs"],
  ["@xterm/addon-fit/lib/addon-fit.mjs", "addon-fit.mjs"],
];
for (const [from, to] of modules) {
  const text = readFileSync(join(root, "node_modules", from), "utf8");
  writeFileSync(join(out, to), text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"));
}
copyFileSync(join(root, "node_modules/@xterm/xterm/css/xterm.css"), join(out, "xterm.css"));
copyFileSync(join(root, "node_modules/@xterm/xterm/LICENSE"), join(out, "LICENSE"));

const versions = ["@xterm/xterm", "@xterm/addon-fit"].map((name) => {
  const pkg = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"));
  return `${name} ${pkg.version}`;
});
writeFileSync(join(out, "VERSIONS.txt"), versions.join("\n") + "\n");
console.log(`vendored into ${out}: ${versions.join(", ")}`);
