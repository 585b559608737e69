// Draws Mermaid charts with Mermaid's own renderer (mermaid.min.js) in headless Chromium, saves a
// screenshot of each at each width, and prints what the drawing holds as JSON on stdout: every
// node, subgraph and edge with its box in the SVG's own coordinates (y grows downwards).
//
//   LADDER_NPM=DIR node tests/browser/mermaid-render.mjs SHOTS_DIR WIDTHS CHART.mmd...
//
// DIR holds node_modules with mermaid and playwright-core (`npm install --prefix DIR mermaid
// playwright-core`); the browser is launch.mjs's (LADDER_CHROMIUM, else /usr/bin/chromium). WIDTHS
// is a comma-separated list of viewport widths (`390,1280`). The test page sets the chart at its
// natural size in a box that scrolls sideways when the chart is wider than the screen, as a page
// that embeds the chart should.
import fs from "node:fs";
import path from "node:path";
import { launch } from "./launch.mjs";

const npm = path.resolve(process.env.LADDER_NPM);
const mermaidScript = path.join(npm, "node_modules", "mermaid", "dist", "mermaid.min.js");

const [shots, widths, ...charts] = process.argv.slice(2);
const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; padding: 12px; font-family: sans-serif; background: #fff; }
  .chart { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  .chart svg { max-width: none !important; height: auto; }
</style></head><body><h1 style="font-size:18px">TITLE</h1><div class="chart" id="chart"></div></body></html>`;

// Runs in the page: draws one chart and reads back its parts.
async function draw(text) {
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  const { svg } = await window.mermaid.render("ladder", text);
  const box = document.getElementById("chart");
  box.innerHTML = svg;
  const root = box.querySelector("svg");
  root.style.width = `${root.viewBox.baseVal.width}px`; // its natural size, not the box's width
  const origin = root.getBoundingClientRect();
  const rect = (element) => {
    const r = element.getBoundingClientRect();
    return { x: r.x - origin.x, y: r.y - origin.y, width: r.width, height: r.height };
  };
  const words = (element) => (element.textContent || "").replace(/\s+/g, " ").trim();
  const nodes = [...root.querySelectorAll("g.node")].map((g) => ({
    id: (g.id.match(/flowchart-(.+)-\d+$/) || [null, g.id])[1],
    classes: g.getAttribute("class"),
    text: words(g),
    box: rect(g),
  }));
  const clusters = [...root.querySelectorAll("g.cluster")].map((g) => ({
    id: (g.getAttribute("data-id") || g.id).replace(/^ladder-/, ""),
    text: words(g.querySelector(".cluster-label") || g),
    box: rect(g.querySelector("rect") || g),
  }));
  const labels = new Map(
    [...root.querySelectorAll("g.edgeLabel .label[data-id]")].map((g) => [g.getAttribute("data-id"), words(g)]),
  );
  const edges = [...root.querySelectorAll("path[data-edge='true']")].map((p) => ({
    id: p.getAttribute("data-id"),
    classes: p.getAttribute("class"),
    label: labels.get(p.getAttribute("data-id")) || "",
  }));
  return {
    width: origin.width,
    height: origin.height,
    scrollWidth: box.scrollWidth,
    clientWidth: box.clientWidth,
    nodes,
    clusters,
    edges,
  };
}

const browser = await launch();
const results = {};
let failed = false;
try {
  for (const chart of charts) {
    const name = path.basename(chart).replace(/\.mmd$/, "");
    const text = fs.readFileSync(chart, "utf8");
    results[name] = {};
    for (const width of widths.split(",").map(Number)) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const problems = [];
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(String(error)));
      await page.setContent(PAGE.replace("TITLE", name));
      await page.addScriptTag({ path: mermaidScript });
      let drawn;
      try {
        drawn = await page.evaluate(draw, text);
      } catch (error) {
        problems.push(String(error.message || error).slice(0, 800));
        failed = true;
      }
      const shot = path.join(shots, `${name}-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      results[name][width] = { ...drawn, screenshot: shot, problems };
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1));
process.exit(failed ? 1 : 0);
