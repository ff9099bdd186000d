/**
 * Where things are, whether a test runs from its TypeScript source (jest) or compiled in build/:
 * the repository root is the nearest folder above with a package.json. Child processes run the
 * compiled copy in build/test/, which `npm test` writes before the tests start.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

function findRoot(start: string): string {
	let dir = start;
	while (!existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`no package.json above ${start}`);
		dir = parent;
	}
	return dir;
}

export const repoRoot = findRoot(__dirname);

/** The compiled JavaScript of a test file, for a child process: compiledTest('store', 'race-child.js'). */
export function compiledTest(...segments: string[]): string {
	const file = path.join(repoRoot, 'build', 'test', ...segments);
	if (!existsSync(file)) throw new Error(`${file} is missing: compile the tests first (npx tsc -p tsconfig.test.json; npm test does)`);
	return file;
}
