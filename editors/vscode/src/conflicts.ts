// Renders the result of `copydesk/conflicts` as a Markdown document.

export interface ConflictSource {
  key: string;
  title: string | null;
  uri: string | null;
  range: { start: { line: number; character: number } } | null;
  text: string;
  figure: string;
}

export interface ConflictsResult {
  conflicts: { versions: { text: string; sources: ConflictSource[] }[] }[];
}

function location(s: ConflictSource): string {
  if (!s.uri) {
    return "";
  }
  const line = s.range ? s.range.start.line + 1 : 1;
  return ` — ${s.uri}#L${line}`;
}

export function renderConflicts(result: ConflictsResult, name: string): string {
  const n = result.conflicts.length;
  const out = [`# Source conflicts (${name})`, ""];
  out.push(n === 0 ? "The sources agree on every fact copydesk found." : `${n} ${n === 1 ? "fact" : "facts"} on which the sources disagree.`);
  result.conflicts.forEach((c, i) => {
    out.push("", `## ${i + 1}. ${c.versions.map((v) => v.text).join(" / ")}`);
    for (const v of c.versions) {
      out.push("", `- **${v.text}**`);
      for (const s of v.sources) {
        const title = s.title ? ` (${s.title})` : "";
        out.push(`  - \`${s.key}\`${title}${location(s)}`);
        out.push(`    > ${s.text.replace(/\s+/g, " ").trim()}`);
      }
    }
  });
  return out.join("\n") + "\n";
}
