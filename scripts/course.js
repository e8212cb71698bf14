#!/usr/bin/env node
// npm start [-- --headless | --solutions | --no-browser]
//
// The one command that sets up and opens the course on a fresh machine:
// installs the npm packages when needed, compiles engine/ and lib/, registers the tslab kernel,
// then opens JupyterLab (or the classic Notebook) on notebooks/. With --headless it
// runs every notebook instead, without a browser. Plain JavaScript on purpose:
// it must run before `npm install` has brought TypeScript tooling.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  return r.status === null ? 1 : r.status;
}

function step(title) {
  console.log(`\n== ${title}`);
}

function needsInstall() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(root, "package-lock.json")).mtimeMs > fs.statSync(marker).mtimeMs;
}

function jupyterPython() {
  for (const py of [process.env.CNN_COURSE_PYTHON, "/usr/bin/python3", "python3", "python"].filter(Boolean)) {
    const r = spawnSync(py, ["-c", "import nbclient, jupyter_client"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return null;
}

function hasModule(py, mod) {
  return spawnSync(py, ["-c", `import ${mod}`], { stdio: "ignore" }).status === 0;
}

function main() {
  if (args.includes("--help") || args.includes("-h")) {
    console.log("usage: npm start [-- --headless] [-- --solutions] [-- --no-browser]\n" +
      "  (default)     set up, then open JupyterLab (or the classic Notebook) on notebooks/\n" +
      "  --solutions   open solutions/ instead (instructors)\n" +
      "  --headless    set up, then run every notebook without a browser (executed copies in .cache/executed/)\n" +
      "  --no-browser  start the server without opening a browser tab");
    return 0;
  }
  if (needsInstall()) {
    step("Installing npm packages (npm install)");
    if (run(npm, ["install"]) !== 0) return 1;
  }
  step("Compiling engine/ and lib/ (cnn-course-engine and cnn-course, the modules the notebooks import)");
  if (run(npm, ["run", "--silent", "build"]) !== 0) return 1;
  step("Registering the tslab TypeScript kernel with Jupyter");
  if (run(npm, ["run", "--silent", "kernel"]) !== 0) return 1;

  if (args.includes("--headless")) {
    step("Running every notebook headless");
    return run(npm, ["run", "--silent", "notebooks"]);
  }
  const py = jupyterPython();
  if (!py) return 1; // the kernel step above already said what to install
  const folder = args.includes("--solutions") ? "solutions" : "notebooks";
  const browser = args.includes("--no-browser") ? ["--no-browser"] : [];
  // Jupyter refuses to run as root unless told (containers, CI machines).
  if (typeof process.getuid === "function" && process.getuid() === 0) browser.push("--allow-root");
  let app = null;
  if (hasModule(py, "jupyterlab")) app = ["-m", "jupyterlab"];
  else if (hasModule(py, "notebook")) app = ["-m", "notebook"];
  if (!app) {
    console.error("Neither JupyterLab nor the classic Notebook is installed for " + py +
      ".\nInstall JupyterLab:  python3 -m pip install jupyterlab   (then run `npm start` again)" +
      "\nOr run the notebooks without a browser:  npm start -- --headless");
    return 1;
  }
  step(`Opening ${folder}/ with ${app[1]} (stop it with Ctrl-C)`);
  return run(py, [...app, ...browser, `--notebook-dir=${path.join(root, folder)}`]);
}

process.exit(main());
