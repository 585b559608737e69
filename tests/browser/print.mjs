// node print.mjs MARGIN PAGE.html...: each page printed as a reader's browser prints it (print media,
// US Letter, MARGIN inches on every side unless the page's own `@page` rule says otherwise, no header
// or footer) to PAGE.pdf beside it. Prints, as JSON, the top and bottom margins each page got, in points.
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const [margin, ...pages] = process.argv.slice(2);
const results = [];
const browser = await launch();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const file of pages) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const side = `${margin}in`;
    await page.pdf({
      path: file.replace(/\.html$/, "") + ".pdf",
      format: "Letter",
      margin: { top: side, right: side, bottom: side, left: side },
      displayHeaderFooter: false,
    });
    results.push({ page: file, ...(await page.evaluate(margins, Number(margin) * 72)) });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));

// In the page: the margins in points, the page's own `@page { margin }` winning over the printer's
// (Chromium lets it), each length measured by letting the browser compute it.
function margins(printer) {
  const own = { top: "", bottom: "" };
  const read = (rules) => {
    for (const rule of rules) {
      if (rule instanceof CSSPageRule && rule.selectorText === "") {
        own.top = rule.style.marginTop || own.top;
        own.bottom = rule.style.marginBottom || own.bottom;
      } else if (rule instanceof CSSMediaRule && /^(all|print)$/.test(rule.media.mediaText)) {
        read(rule.cssRules);
      }
    }
  };
  for (const sheet of document.styleSheets) read(sheet.cssRules);
  const probe = document.createElement("div");
  document.body.append(probe);
  const points = (length) => {
    if (!length) return printer;
    probe.style.width = length;
    return (parseFloat(getComputedStyle(probe).width) * 72) / 96;
  };
  const found = { top: points(own.top), bottom: points(own.bottom) };
  probe.remove();
  return found;
}
