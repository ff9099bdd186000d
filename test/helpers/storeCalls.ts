import type { Store } from '../../core/store';

/**
 * Records the name of every call made to the store's methods from now on, in order. Calls the
 * store makes to itself (its transaction helpers) are part of the outer call and not listed.
 */
export function storeCalls(store: Store): string[] {
	const calls: string[] = [];
	let depth = 0;
	const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
	for (const name of Object.getOwnPropertyNames(proto)) {
		const method = proto[name];
		if (name === 'constructor' || typeof method !== 'function') continue;
		const wrapped = async (...args: unknown[]) => {
			if (depth === 0) calls.push(name);
			depth++;
			try {
				return await (method as (...a: unknown[]) => Promise<unknown>).apply(store, args);
			} finally {
				depth--;
			}
		};
		Object.assign(store, { [name]: wrapped });
	}
	return calls;
}
