// Build Homebound's dashboard cards into one file the integration serves.
//
//   node frontend/build.mjs                 build custom_components/homebound/frontend/homebound-card.js
//   node frontend/build.mjs --out DIR       build into DIR instead (the staleness test compares)
//   node frontend/build.mjs --check         exit 0 when the committed file was built from these sources
//   node frontend/build.mjs --tests         bundle tests/*.test.ts into .tests/ (or --out DIR)
//                                           for `node --test`
//   --toolchain DIR                         the directory whose node_modules holds the pinned
//                                           toolchain (default: this directory, where script/setup
//                                           links node_modules to its cache)
//
// The built file starts with the digest of everything it is made from (the sources, the
// translations, this script, package.json and the lockfile): `--check` and the Python test
// compare that digest with the tree, so a source edited without a rebuild is caught without a
// toolchain. esbuild's output depends only on its version and input, so the test can also
// rebuild and compare bytes.

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");
export const OUTPUT = join(repo, "custom_components", "homebound", "frontend", "homebound-card.js");
const DIGEST_LINE = /^\/\* homebound-card sources sha256:([0-9a-f]{64}) \*\//;

function walk(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    })
    .sort();
}

/** The files the build reads, as paths relative to frontend/ with forward slashes, sorted. */
export function inputs() {
  const fixed = ["build.mjs", "package.json", "package-lock.json", "tsconfig.json"];
  const sources = walk(join(here, "src")).map((p) => relative(here, p).split("\\").join("/"));
  return [...fixed, ...sources].sort();
}

/** sha256 over each input's path and bytes (the Python test computes the same). */
export function sourceDigest() {
  const hash = createHash("sha256");
  for (const name of inputs()) {
    hash.update(name);
    hash.update("\0");
    hash.update(readFileSync(join(here, name)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

function option(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function loadEsbuild(toolchain) {
  const require = createRequire(join(toolchain, "package.json"));
  return require("esbuild");
}

async function buildCard(esbuild, toolchain, outFile) {
  const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
  const digest = sourceDigest();
  const result = await esbuild.build({
    entryPoints: [join(here, "src", "index.ts")],
    absWorkingDir: here,
    nodePaths: [join(toolchain, "node_modules")],
    bundle: true,
    format: "esm",
    target: "es2021",
    minify: true,
    charset: "utf8",
    legalComments: "eof",
    write: false,
    logLevel: "warning",
    define: { __HOMEBOUND_VERSION__: JSON.stringify(pkg.version) },
    tsconfig: join(here, "tsconfig.json"),
  });
  const banner =
    `/* homebound-card sources sha256:${digest} */\n` +
    "/* Homebound's dashboard cards, built by frontend/build.mjs from frontend/src: do not edit. */\n";
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, banner + result.outputFiles[0].text);
  return { digest, bytes: statSync(outFile).size };
}

async function buildTests(esbuild, toolchain, out) {
  rmSync(out, { recursive: true, force: true });
  const tests = readdirSync(join(here, "tests")).filter((n) => n.endsWith(".test.ts"));
  await esbuild.build({
    entryPoints: tests.map((n) => join(here, "tests", n)),
    absWorkingDir: here,
    nodePaths: [join(toolchain, "node_modules")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir: out,
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
    define: { __HOMEBOUND_VERSION__: '"test"' },
    tsconfig: join(here, "tsconfig.json"),
  });
  return tests.length;
}

export function committedDigest(file = OUTPUT) {
  try {
    const first = readFileSync(file, "utf8").split("\n", 1)[0];
    return DIGEST_LINE.exec(first)?.[1];
  } catch {
    return undefined;
  }
}

async function main(args) {
  if (args.includes("--check")) {
    const want = sourceDigest();
    const have = committedDigest();
    if (have === want) return 0;
    process.stderr.write(
      `${relative(repo, OUTPUT)} is stale (built from ${have ?? "nothing"}, sources are ${want}): run script/setup\n`,
    );
    return 1;
  }
  const toolchain = resolve(option(args, "--toolchain") ?? here);
  const esbuild = await loadEsbuild(toolchain);
  const outDir = option(args, "--out");
  if (args.includes("--tests")) {
    const out = outDir ? resolve(outDir) : join(here, ".tests");
    const count = await buildTests(esbuild, toolchain, out);
    process.stdout.write(`bundled ${count} test files into ${relative(process.cwd(), out) || out}\n`);
    return 0;
  }
  const outFile = outDir ? join(resolve(outDir), "homebound-card.js") : OUTPUT;
  const { digest, bytes } = await buildCard(esbuild, toolchain, outFile);
  process.stdout.write(`built ${relative(process.cwd(), outFile) || outFile} (${bytes} bytes, sources ${digest.slice(0, 12)})\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`build.mjs: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
