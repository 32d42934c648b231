#!/usr/bin/env node
// Makes sure the dashboard's browser test can run: Debian's Chromium at /usr/bin/chromium, and
// the fonts its screenshot needs (color emoji; CJK and Devanagari for viewers' names). Runs at
// the start of `npm test`. When something is missing and this process is root with apt-get,
// it installs it (apt-get update + install, quietly, time-boxed); otherwise it prints a notice
// and the browser test skips itself. It always exits 0: the tests decide what a missing browser
// means. Prints one line.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = "/usr/bin/chromium";
const fonts = ["fonts-noto-color-emoji", "fonts-wqy-zenhei", "fonts-lohit-deva"];
const timeoutMs = Number(process.env.TIKLIVE_APT_TIMEOUT_MS ?? 300_000);
const say = (line) => console.log(`ensure-chromium: ${line}`);

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function installed(pkg) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const out = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return out.status === 0 && out.stdout.includes("install ok installed");
}

const missing = [
  ...(existsSync(chromium) ? [] : ["chromium"]),
  ...(onPath("dpkg-query") ? fonts.filter((f) => !installed(f)) : []),
];
const version = () =>
  spawnSync(chromium, ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0]?.trim() || chromium;

if (missing.length === 0) {
  say(`${version()} is installed`);
} else if (
  process.platform !== "linux" ||
  typeof process.getuid !== "function" ||
  process.getuid() !== 0 ||
  !onPath("apt-get")
) {
  say(
    existsSync(chromium)
      ? `${version()} is installed, without ${missing.join(", ")} (the screenshot may lack some glyphs)`
      : `notice: ${chromium} is missing and this is not root with apt-get; the dashboard browser test will be skipped (as root: apt-get install chromium)`,
  );
} else {
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const left = () => Math.max(1000, timeoutMs - (Date.now() - started));
  const run = (args) => spawnSync("apt-get", ["-qq", ...args], { env, stdio: "ignore", timeout: left() });
  const failure = (result, step) =>
    result.error?.code === "ETIMEDOUT"
      ? `timed out after ${timeoutMs / 1000} s`
      : `apt-get ${step} exited with ${result.status ?? result.signal ?? result.error?.code}`;
  const problems = [];
  const done = [];
  const update = run(["update"]);
  if (update.status !== 0) problems.push(failure(update, "update"));
  else {
    // Chromium on its own first: a font the mirror lacks must not cost the browser.
    for (const group of [missing.filter((p) => p === "chromium"), missing.filter((p) => p !== "chromium")]) {
      if (group.length === 0) continue;
      const install = run(["-y", "install", ...group]);
      if (install.status === 0) done.push(...group);
      else problems.push(failure(install, `install ${group.join(" ")}`));
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const parts = [];
  if (done.length > 0) parts.push(`installed ${done.join(", ")} with apt-get in ${seconds} s`);
  if (problems.length > 0) parts.push(`notice: ${problems.join("; ")}`);
  parts.push(existsSync(chromium) ? version() : "no Chromium: the dashboard browser test will be skipped");
  say(parts.join("; "));
}
