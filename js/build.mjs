// Bundle every view (one ES module per Python widget) into landscape_widgets/static/.
// `npm run build` (minified) or `node build.mjs --dev` (readable, with source maps).
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const dev = process.argv.includes("--dev");
const entries = readdirSync("src").filter((f) => f.endsWith(".js")).map((f) => `src/${f}`);

await build({
  entryPoints: entries,
  outdir: "../landscape_widgets/static",
  bundle: true,
  format: "esm",
  minify: !dev,
  sourcemap: dev,
  target: ["es2020"],
  legalComments: "none",
  logLevel: "info",
});
