// Finds the headless browser the preview and plot tests use, or installs Debian's `chromium` the way .ci/run does
// (apt-get, as root), saying what it does. The lookup reads $CHROMIUM_PATH, then $PATH (so a test can pose as a bare
// machine with another PATH); nothing is downloaded from anywhere but the system's package manager.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable named `name` on `pathVar` (like `command -v`), or undefined. */
function which(name, pathVar = process.env.PATH ?? '') {
  for (const dir of pathVar.split(path.delimiter)) if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/** $CHROMIUM_PATH when set (and executable), else chromium, chromium-browser or google-chrome on PATH. */
function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const name of NAMES) {
    const found = which(name, env.PATH);
    if (found) return found;
  }
  return undefined;
}

/**
 * The browser, installing it when missing and possible (root with apt-get). `say` reports every step; returns the
 * binary or undefined with the reason said.
 */
function ensureChromium({ env = process.env, say = (m) => process.stderr.write(`${m}\n`), isRoot = process.getuid?.() === 0 } = {}) {
  const found = findChromium(env);
  if (found) return found;
  // A CHROMIUM_PATH that names no browser is the user's mistake to fix, not a reason to install one (which would not
  // change what CHROMIUM_PATH names, so every later run would install again).
  if (env.CHROMIUM_PATH) {
    say(
      `chromium: CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file; the browser tests (__tests__/browser: dashboard preview, simulator plots) will fail.`,
    );
    say('chromium: correct CHROMIUM_PATH, or unset it to use chromium from PATH');
    return undefined;
  }
  const aptGet = which('apt-get', env.PATH);
  if (!aptGet || !isRoot) {
    say('chromium: not found on PATH; the browser tests (__tests__/browser: dashboard preview, simulator plots) will fail.');
    say(`chromium: install Debian's package first: ${isRoot ? '' : 'sudo '}apt-get install chromium   (or set CHROMIUM_PATH)`);
    return undefined;
  }
  say('chromium: not found; installing Debian\'s "chromium" package with apt-get, as .ci/run does (about a minute, once)...');
  const quiet = { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] };
  const update = spawnSync(aptGet, ['update', '-qq'], quiet);
  const install = update.status === 0 ? spawnSync(aptGet, ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], quiet) : update;
  const installed = findChromium(env);
  if (install.status !== 0 || !installed) {
    say(`chromium: apt-get ${update.status !== 0 ? 'update' : 'install chromium'} failed (exit ${install.status}); the browser tests will fail.`);
    return undefined;
  }
  say(`chromium: installed ${installed}`);
  return installed;
}

module.exports = { findChromium, ensureChromium, which };

if (require.main === module) process.exitCode = ensureChromium() ? 0 : 1;
