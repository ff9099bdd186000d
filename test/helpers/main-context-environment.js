'use strict';
/**
 * Jest's node environment, with the tests and the modules they load compiled in Node's main
 * context instead of a VM context per file. Values that native code and Node's built-ins make
 * (the results n8n's isolated-vm expression engine copies out, node:sqlite rows, structuredClone)
 * belong to the main context: n8n-workflow rebuilds a DateTime from an expression only when the
 * object's prototype is its own Object.prototype, and node:assert's deep comparisons check
 * prototypes, so both must run in that same context. Jest still gives each file its own module
 * registry; the files run one at a time (--runInBand).
 */
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

// Contexts whose code is compiled in the main context instead.
const main = new WeakSet();
const inMain = (options) => options && main.has(options.context ?? options.parsingContext);
const without = (options, key) => Object.fromEntries(Object.entries(options).filter(([name]) => name !== key));

const compileFunction = vm.compileFunction;
vm.compileFunction = (code, params, options) =>
	compileFunction(code, params, inMain(options) ? without(options, 'parsingContext') : options);
for (const name of ['SourceTextModule', 'SyntheticModule']) {
	const Module = vm[name];
	if (!Module) continue;
	vm[name] = class extends Module {
		constructor(...args) {
			const at = name === 'SourceTextModule' ? 1 : 2;
			if (inMain(args[at])) args[at] = without(args[at], 'context');
			super(...args);
		}
	};
}

class MainContextEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		main.add(this.context);
		this.global = globalThis;
	}
}

module.exports = MainContextEnvironment;
