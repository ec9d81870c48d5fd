// Index one shard of fadian's search pages with Pagefind's own Node API (the npm package
// `pagefind`, installed by scripts/setup.sh). Usage: node pagefind-index.mjs PAGEFIND_MODULE PAGES OUT LANG
//   PAGEFIND_MODULE  the package's lib/index.js; PAGES  a JSON list of {url, html} (one small
//   page per document, its articles under headings with ids: the sub-results); OUT  the folder
//   the index is written to.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [moduleFile, pagesFile, out, language] = process.argv.slice(2);
const pagefind = await import(pathToFileURL(moduleFile).href);
const pages = JSON.parse(await readFile(pagesFile, "utf-8"));
const { index, errors } = await pagefind.createIndex({ forceLanguage: language, maxFragments: 4096 });
if (!index) { console.error(errors.join("\n")); process.exit(1); }
// sent in order, answered in order: the order of the pages fixes the index's bytes
const added = await Promise.all(pages.map((p) => index.addHTMLFile({ url: p.url, content: p.html })));
for (const a of added) {
  if (a.errors.length) { console.error(a.errors.join("\n")); process.exit(1); }
}
const written = await index.writeFiles({ outputPath: out });
if (written.errors.length) { console.error(written.errors.join("\n")); process.exit(1); }
await pagefind.close();
