// Index fadian's search records with Pagefind's own Node API (the npm package `pagefind`,
// installed by scripts/setup.sh). Usage: node pagefind-index.mjs PAGEFIND_MODULE RECORDS OUT
//   PAGEFIND_MODULE  the package's lib/index.js; RECORDS  a JSON list of {url, title, content};
//   OUT  the folder the index is written to (site/pagefind).
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [moduleFile, recordsFile, out, language] = process.argv.slice(2);
const pagefind = await import(pathToFileURL(moduleFile).href);
const records = JSON.parse(await readFile(recordsFile, "utf-8"));
const { index, errors } = await pagefind.createIndex({ forceLanguage: language, maxFragments: 2048 });
if (!index) { console.error(errors.join("\n")); process.exit(1); }
// one at a time: the order of the records fixes the index's bytes (a build is reproducible)
for (const r of records) {
  const added = await index.addCustomRecord({ url: r.url, content: r.content, language, meta: { title: r.title } });
  if (added.errors.length) { console.error(added.errors.join("\n")); process.exit(1); }
}
const written = await index.writeFiles({ outputPath: out });
if (written.errors.length) { console.error(written.errors.join("\n")); process.exit(1); }
await pagefind.close();
