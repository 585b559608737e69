// The browser the checks share: the system's Chromium driven by playwright-core, both found through
// the environment (LADDER_NPM: the folder npm installed into; LADDER_CHROMIUM: the browser).
import { createRequire } from "node:module";
import path from "node:path";

const npm = process.env.LADDER_NPM;
if (!npm) throw new Error("LADDER_NPM is not set: the folder `npm install --prefix` installed into");
export const require = createRequire(path.join(path.resolve(npm), "node_modules", "noop.js"));

// Root in a closed network: no sandbox, and none of the connections Chromium makes of its own accord.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launch() {
  const { chromium } = require("playwright-core");
  return chromium.launch({ executablePath: process.env.LADDER_CHROMIUM || "/usr/bin/chromium", args: ARGS });
}
