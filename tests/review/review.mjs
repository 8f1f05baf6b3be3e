// The review page in a real browser: headless Chromium (Debian's package)
// driven by puppeteer-core, as the VS Code test does.
//
// 1. The example story's page (`copydesk review examples/draft.md`): every
//    finding of `copydesk check --format json --include-supported` is a
//    highlighted <mark> with the same data-code, data-line and data-column;
//    the severities differ in line style and shape, not only colour; j/k and
//    n/p move between findings in order, Enter goes to the evidence; the page
//    requests nothing but itself.
// 2. A hostile draft and source (<script>, <img onerror>, javascript: links):
//    no dialog opens, no script of theirs runs, the markup shows as text.
// 3. Layout: no horizontal scrolling at 390 px wide nor in the print view.
// Screenshots and pages go to COPYDESK_TEST_OUT (default target/review-test).
//
// Environment: COPYDESK_BIN (default target/debug/copydesk), CHROMIUM
// (default /usr/bin/chromium), COPYDESK_TEST_OUT.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const top = path.resolve(here, "../..");
const bin = path.resolve(process.env.COPYDESK_BIN ?? path.join(top, "target/debug/copydesk"));
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const out = path.resolve(process.env.COPYDESK_TEST_OUT ?? path.join(top, "target/review-test"));
const failures = [];

function log(msg) {
  console.log(`[review] ${msg}`);
}
function check(ok, what) {
  if (ok) {
    log(`ok: ${what}`);
  } else {
    failures.push(what);
    console.error(`[review] FAIL: ${what}`);
  }
}

for (const [what, p] of [["copydesk binary", bin], ["chromium", chromium]]) {
  if (!fs.existsSync(p)) {
    console.error(`FAIL: ${what} missing: ${p}`);
    process.exit(1);
  }
}
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-review-"));
const env = { ...process.env, COPYDESK_CACHE_DIR: path.join(tmp, "index-cache") };

/** Runs copydesk; exit 1 (findings) is not an error. */
function copydesk(args, cwd) {
  try {
    return execFileSync(bin, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  } catch (e) {
    if (e.status === 1) return e.stdout;
    throw e;
  }
}

// The example story.
const json = JSON.parse(copydesk(["check", "--format", "json", "--include-supported", "examples/draft.md"], top));
const expected = json.files[0].diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
if (!expected.some((e) => e.startsWith("figure-mismatch@")) || !expected.some((e) => e.startsWith("supported@"))) {
  console.error("FAIL: the example draft has no figure-mismatch or no supported figure; nothing to look for");
  process.exit(1);
}
const examplePage = path.join(out, "example.html");
copydesk(["review", "examples/draft.md", "-o", examplePage], top);

// A hostile draft and source.
const hostile = path.join(tmp, "hostile");
fs.mkdirSync(path.join(hostile, "sources"), { recursive: true });
fs.writeFileSync(
  path.join(hostile, "sources", "wire.txt"),
  "Police said 382 babies were rescued. <script>window.__pwned = 'source'; alert('source')</script>\n",
);
fs.writeFileSync(
  path.join(hostile, "draft.md"),
  [
    "# Rescue <script>window.__pwned = 'heading'; alert(1)</script>",
    "",
    "Police said 383 babies were rescued.<script>alert(1)</script> <img src=x onerror=\"window.__pwned = 'img'; alert(2)\">",
    "",
    "<script>window.__pwned = 'block'; alert(3)</script>",
    "",
    "<img src=x onerror=\"window.__pwned = 'block-img'; alert(4)\">",
    "",
    "See [the wire](javascript:alert(5)) and <a href=\"javascript:alert(6)\" id=\"raw\">this</a>.",
    "",
  ].join("\n"),
);
const hostilePage = path.join(out, "hostile.html");
copydesk(["review", "--corpus", "sources", "draft.md", "-o", hostilePage], hostile);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${path.join(tmp, "chromium-profile")}`,
  ],
});

/** Opens a page; records dialogs and any request other than the page itself. */
async function open(file, viewport) {
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const seen = { dialogs: [], requests: [], errors: [] };
  page.on("dialog", async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    if (r.url() === url) {
      r.continue();
    } else {
      seen.requests.push(r.url());
      r.abort();
    }
  });
  await page.setViewport(viewport);
  await page.goto(url, { waitUntil: "load" });
  return { page, seen };
}

const noHorizontalScroll = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

try {
  // 1. The example story.
  {
    const { page, seen } = await open(examplePage, { width: 1280, height: 900 });
    const marks = await page.$$eval("mark.hl.head", (ms) =>
      ms.map((m) => {
        const r = m.getBoundingClientRect();
        const s = getComputedStyle(m);
        return {
          id: m.id,
          key: `${m.dataset.code}@${m.dataset.line}:${m.dataset.column}`,
          severity: m.dataset.severity,
          suppressed: m.hasAttribute("data-suppressed"),
          visible: r.width > 0 && r.height > 0,
          line: `${s.borderBottomStyle} ${s.borderBottomWidth}`,
          glyph: getComputedStyle(m, "::before").content,
        };
      }),
    );
    check(
      JSON.stringify(marks.map((m) => m.key).sort()) === JSON.stringify([...expected].sort()),
      `every JSON finding is a highlight with its data-* (${expected.length}): got ${marks.map((m) => m.key).join(", ")}`,
    );
    check(marks.every((m) => m.visible), "every highlight is laid out");
    const style = {};
    for (const m of marks.filter((m) => !m.suppressed)) style[m.severity] ??= `${m.line} ${m.glyph}`;
    const styles = Object.values(style);
    check(
      styles.length >= 3 && new Set(styles).size === styles.length,
      `severities differ in line and shape, not only colour: ${JSON.stringify(style)}`,
    );
    const supp = marks.find((m) => m.suppressed);
    check(supp && supp.glyph !== style[supp.severity]?.split(" ").pop(), "a suppressed finding has its own shape");
    await page.screenshot({ path: path.join(out, "review-desktop.png"), fullPage: false });
    await page.screenshot({ path: path.join(out, "review-desktop-full.png"), fullPage: true });

    // Keyboard: j/n forward, k/p back, in document order; Enter to the evidence.
    const order = marks.map((m) => m.id);
    const active = () => page.evaluate(() => document.activeElement?.id ?? "");
    const visited = [];
    for (let i = 0; i < order.length; i++) {
      await page.keyboard.press(i % 2 ? "n" : "j");
      visited.push(await active());
    }
    check(JSON.stringify(visited) === JSON.stringify(order), `j/n visit every finding in order (${visited.length})`);
    await page.keyboard.press("k");
    await page.keyboard.press("p");
    check((await active()) === order[order.length - 3], "k/p go back");
    const current = await page.$$eval(".current", (els) => els.map((e) => e.id));
    const id = order[order.length - 3].slice(2);
    check(
      current.length === 2 && current.includes(`f-${id}`) && current.includes(`card-${id}`),
      `the current finding and its card are marked: ${current}`,
    );
    const position = await page.$eval("#position", (e) => e.textContent);
    check(position.startsWith(`Finding ${order.length - 2} of ${order.length}`), `the position is announced: ${position}`);
    await page.keyboard.press("Enter");
    check((await active()) === `card-${id}`, "Enter moves to the finding's evidence");
    const inView = await page.$eval(`#card-${id}`, (c) => {
      const r = c.getBoundingClientRect();
      return r.top < innerHeight && r.bottom > 0;
    });
    check(inView, "the evidence is scrolled into view");

    // A phone.
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    check(await noHorizontalScroll(page), "no horizontal scrolling at 390 px");
    await page.screenshot({ path: path.join(out, "review-390px.png"), fullPage: true });
    await page.$eval(".draft", (d) => d.scrollIntoView());
    await page.screenshot({ path: path.join(out, "review-390px-draft.png") });

    // Print.
    await page.setViewport({ width: 794, height: 1123 });
    await page.emulateMediaType("print");
    check(await noHorizontalScroll(page), "no horizontal scrolling in the print view");
    const hiddenKeys = await page.$eval(".keys", (e) => getComputedStyle(e).display === "none");
    check(hiddenKeys, "the print view leaves out the keyboard help");
    await page.screenshot({ path: path.join(out, "review-print.png"), fullPage: true });
    await page.pdf({ path: path.join(out, "review.pdf"), format: "A4" });
    await page.emulateMediaType("screen");

    check(seen.requests.length === 0, `the page requests nothing else: ${seen.requests.join(", ")}`);
    check(seen.errors.length === 0, `no script errors: ${seen.errors.join("; ")}`);
    await page.close();
  }

  // 2. The hostile draft.
  {
    const { page, seen } = await open(hostilePage, { width: 1280, height: 900 });
    await page.click("#raw").catch(() => {});
    await page.evaluate(() => {
      const a = [...document.querySelectorAll("a")].find((a) => a.textContent.includes("wire"));
      if (a) a.click();
    });
    await new Promise((r) => setTimeout(r, 500));
    check(seen.dialogs.length === 0, `no dialog opens: ${seen.dialogs.join(", ")}`);
    const pwned = await page.evaluate(() => window.__pwned ?? null);
    check(pwned === null, `no script from the draft or source runs: ${pwned}`);
    const scripts = await page.$$eval("script", (s) => s.length);
    check(scripts === 1, `one script element, the page's own: ${scripts}`);
    const imgs = await page.$$eval("img", (s) => s.length);
    check(imgs === 0, "no image element from the draft");
    const text = await page.evaluate(() => document.body.innerText);
    check(text.includes("<script>alert(1)</script>"), "the draft's <script> shows as text");
    check(text.includes("<img src=x onerror="), "the draft's <img onerror> shows as text");
    check(text.includes("<script>window.__pwned = 'source'"), "the source's <script> shows as text");
    const marks = await page.$$eval("mark.hl.head", (ms) => ms.map((m) => m.dataset.code));
    check(marks.includes("figure-mismatch"), `the figure is still checked and marked: ${marks}`);
    check(seen.requests.length === 0, `the hostile page requests nothing: ${seen.requests.join(", ")}`);
    await page.screenshot({ path: path.join(out, "hostile.png"), fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

log(`screenshots in ${out}`);
if (failures.length > 0) {
  console.error(`[review] ${failures.length} check(s) failed`);
  process.exit(1);
}
log("all checks passed");
