// jest's node environment (jest-environment-node, unchanged in every other respect) with the test files' global
// object an ordinary object instead of a contextified one.
//
// jest runs each test file in a vm context made from a sandbox object (vm.createContext(sandbox)). On such a context
// V8 resolves every global name (Array, Object, Math, JSON, Date, Map...) through Node's interceptors on the sandbox:
// a global lookup costs about 40 times what it costs in plain Node (measured: 2 million `Array.isArray` plus
// `Object.prototype.hasOwnProperty` calls, 0.8 s against 0.02 s). The code under test does such lookups in its hot
// loops (the log evaluator, the simulator, the lint, cdktf), so the same computation was several times slower under
// jest than in the CLI. vm.constants.DONT_CONTEXTIFY (Node >= 20.18 and >= 22.8) makes the context's global an
// ordinary object: global lookups at plain-Node speed. It is still a separate context (its own Array, Object, Error,
// its own globals), as before; older Node versions keep jest's default (same results, slower).
// One thing jest 30 no longer does with it: its GlobalProxy (the sandbox it would contextify) records the globals a
// test file sets and deletes them at teardown; with the plain global that cleanup is skipped. The context is
// discarded with its file all the same, so only memory held until then is at stake, never a result.
'use strict';

const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

class PlainGlobalEnvironment extends TestEnvironment {
  constructor(config, context) {
    const plain = vm.constants && vm.constants.DONT_CONTEXTIFY;
    const createContext = vm.createContext;
    // jest-environment-node calls vm.createContext(its sandbox proxy) once, in its constructor.
    if (plain) vm.createContext = () => createContext(plain);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}

module.exports = PlainGlobalEnvironment;
