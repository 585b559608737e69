// node axe.mjs light|dark PAGE.html...: axe-core's rules run on each page in the colour scheme asked
// for; prints, as JSON, each page's violations (rule, impact, help, and each element's selector and
// axe's summary of what is wrong with it) and what axe could not decide (rule and how many elements).
import { pathToFileURL } from "node:url";
import { launch, require } from "./launch.mjs";

const [scheme, ...pages] = process.argv.slice(2);
const axe = require.resolve("axe-core/axe.min.js");
const browser = await launch();
const results = [];
try {
  // The pages forbid every script by their policy: bypassing it is the only way to let axe in.
  const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
  const page = await context.newPage();
  for (const file of pages) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.emulateMedia({ media: "screen", colorScheme: scheme });
    await page.addScriptTag({ path: axe });
    const found = await page.evaluate(async () => {
      const run = await window.axe.run(document, { resultTypes: ["violations", "incomplete"] });
      return {
        violations: run.violations.map((v) => ({
          rule: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })),
        })),
        undecided: run.incomplete.map((v) => ({ rule: v.id, count: v.nodes.length })),
      };
    });
    results.push({ page: file, scheme, ...found });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
