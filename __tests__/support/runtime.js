// jest's runtime (jest-runtime, unchanged in every other respect) with each module compiled once per worker, not
// once per test file, and V8's code cache kept on disk for the next run.
//
// jest gives every test file its own module registry and vm context, so each file compiles again every module it
// loads (cdktf, the provider's classes, protobufjs, the project's library, jest's own expect and circus), and V8
// compiles again, lazily, every function the file calls: the same sources, compiled from scratch some hundred times
// per run. jest compiles with vm.compileFunction, which V8 cannot share between calls. This runtime compiles the same
// wrapper as a vm.Script instead (`({"Object.<anonymous>": function(module, exports, require, ...) { <source> }})`,
// the function named as Node names a module's) and keeps the Script: an unbound script runs in any context, so the
// next test file that loads the same source runs the kept Script in its own context and gets its own module function,
// with its own realm, globals and module state, exactly as before; only the compiled code (bytecode, including every
// inner function compiled so far) is shared. A module
// whose transformed source or wrapper parameters changed is compiled anew. The first compile in a worker takes V8's
// code cache from node_modules/.cache/jest-v8-script-cache/ (keyed by a hash of the file's name, the wrapper's
// parameters and the transformed source; V8 rejects a cache of another Node version or V8 flags, and a rejected
// cache costs a compile, never a wrong module); a module compiled without one has its cache written when its test
// file ends, so the cache holds the functions that file ran too. `jest --no-cache` keeps nothing on disk. Under
// --experimental-vm-modules jest's own compile is used: dynamic import() needs jest's per-file callback there.
// It also reads each file once per worker, while unchanged (see read-once.js).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;
const { handlePotentialSyntaxError } = require('@jest/transform');
const { CACHE, boundCache } = require('./caches');
const { readSource } = require('./read-once');

/** One directory per Node version and V8 flags (a cache made under other flags, e.g. another heap size, is rejected). */
const FLAGS = crypto
  .createHash('sha1')
  .update([process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\0'))
  .digest('hex')
  .slice(0, 12);
const VM_MODULES = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--experimental-vm-modules'));
const CACHE_ROOT = path.join(CACHE, 'jest-v8-script-cache');
const CACHE_DIR = path.join(CACHE_ROOT, `${process.version}-${process.arch}-${FLAGS}`);
/** About six full sets (~1,700 entries each): past that, most entries are of sources since edited, or of another Node. */
const CACHE_MAX_ENTRIES = 10000;

/** The wrapper's result key (jest's own name for it, up to jest 26): module functions are named as in plain Node. */
const RESULT = 'Object.<anonymous>';

/**
 * Without --experimental-vm-modules, jest's import() callback always throws this; a Script kept for every file
 * cannot hold one file's callback, so it holds this one.
 */
async function importWithoutVmModules() {
  throw new Error('You need to run with a version of node that supports ES Modules in the VM API. See https://jestjs.io/docs/ecmascript-modules');
}

/** filename -> { source, params, script } of one worker: the Script compiled for that exact source and wrapper. */
const compiled = new Map();

const diskPath = (filename, params, code) =>
  path.join(CACHE_DIR, crypto.createHash('sha1').update(filename).update('\0').update(params).update('\0').update(code).digest('hex'));

function readDisk(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed: another worker never reads half a file. */
function writeDisk(file, data) {
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
  } catch {
    // The disk copy only saves a later run a compile.
  }
}

class CompileOnceRuntime extends Runtime {
  /** Scripts this test file compiled without a disk cache: their caches are written at its teardown. */
  #toWrite = [];

  // jest-runtime's own two readers, with the worker's copy behind its per-test-file maps.
  readFileBuffer(filename) {
    let buffer = this._cacheFSBuffer.get(filename);
    if (!buffer) {
      buffer = readSource(filename).buffer;
      this._cacheFSBuffer.set(filename, buffer);
    }
    return buffer;
  }

  readFile(filename) {
    let text = this._cacheFS.get(filename);
    if (text === undefined) {
      // The bytes this test file already read, if any, so that its text and bytes are of one version.
      const buffer = this._cacheFSBuffer.get(filename);
      if (buffer) text = buffer.toString('utf8');
      else {
        const source = readSource(filename);
        text = source.text ??= source.buffer.toString('utf8');
        this._cacheFSBuffer.set(filename, source.buffer);
      }
      this._cacheFS.set(filename, text);
    }
    return text;
  }

  createScriptFromCode(scriptSource, filename) {
    if (VM_MODULES) return super.createScriptFromCode(scriptSource, filename);
    const vmContext = this._environment.getVmContext();
    if (vmContext == null) return null;
    const scriptFilename = this._resolver.isCoreModule(filename) ? `jest-nodejs-core-${filename}` : filename;
    const params = this.constructInjectedModuleParameters().join(',');
    let entry = compiled.get(scriptFilename);
    if (!entry || entry.source !== scriptSource || entry.params !== params) {
      entry = { source: scriptSource, params, script: this.#compile(scriptSource, scriptFilename, params) };
      compiled.set(scriptFilename, entry);
    }
    return entry.script.runInContext(vmContext)[RESULT];
  }

  #compile(source, filename, params) {
    const prefix = `({${JSON.stringify(RESULT)}:function(${params}){`;
    const file = this._config.cache !== false ? diskPath(filename, params, source) : undefined;
    const cachedData = file && readDisk(file);
    // columnOffset: line 1's columns are the source's own, as with jest's compileFunction.
    const options = { filename, columnOffset: -prefix.length, importModuleDynamically: importWithoutVmModules };
    try {
      const script = new vm.Script(`${prefix}${source}\n}});`, cachedData ? { ...options, cachedData } : options);
      if (file && (!cachedData || script.cachedDataRejected)) this.#toWrite.push({ file, script });
      return script;
    } catch (error) {
      throw handlePotentialSyntaxError(error);
    }
  }

  teardown() {
    // After the file ran: the cache then holds the functions it compiled lazily too, not only the top level.
    for (const { file, script } of this.#toWrite.splice(0)) writeDisk(file, script.createCachedData());
    super.teardown();
  }
}

/** Bounds the disk cache (an edit adds an entry per changed module): called by the global teardown. */
CompileOnceRuntime.pruneCodeCache = () => boundCache(CACHE_ROOT, CACHE_MAX_ENTRIES);

module.exports = CompileOnceRuntime;
