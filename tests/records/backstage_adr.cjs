// Backstage's ADR plugin reading our records: @backstage/plugin-adr-common's madrFilePathFilter
// (which files the plugin lists) and parseMadrWithFrontmatter (status and date from front
// matter), with the title and the MADR 2 `* Status:` / `* Date:` list read from marked's tokens as
// the plugin's MADR parser does (first depth-1 heading; first list). Prints one JSON line:
// [{file, listed, title, status, date}].
const fs = require("fs");
const path = require("path");
const { madrFilePathFilter, parseMadrWithFrontmatter } = require("@backstage/plugin-adr-common");
const { marked } = require("marked");

const item = (tokens, key) =>
  tokens.find((t) => t.type === "list")?.items?.find((t) => new RegExp(`^${key}:`, "i").test(t.text))
    ?.text.replace(new RegExp(`^${key}:`, "i"), "").trim();

const out = process.argv.slice(2).map((file) => {
  const listed = madrFilePathFilter(file);
  if (!listed) return { file: path.basename(file), listed };
  const parsed = parseMadrWithFrontmatter(fs.readFileSync(file, "utf8"));
  const tokens = marked.lexer(parsed.content);
  const heading = tokens.find((t) => t.type === "heading" && t.depth === 1);
  const status = parsed.status ?? item(tokens, "status")?.toLocaleLowerCase("en-US");
  return { file: path.basename(file), listed, title: heading?.text ?? null, status: status ?? null,
           date: parsed.date ?? item(tokens, "date") ?? null };
});
process.stdout.write(JSON.stringify(out) + "\n");
