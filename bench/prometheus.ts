/**
 * Reading n8n's Prometheus endpoint (/metrics, on with N8N_METRICS=true) for the benches.
 */

/** Expression isolates n8n took from its pool (n8n 2.41: counted per acquisition, eager or lazy). */
export const ISOLATES_ACQUIRED = 'n8n_expression_pool_acquired_total';

/** One sample line: the metric name, its labels (quoted values may hold any character), the value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)/;

/**
 * The value of a counter (or of a gauge with one label set) in Prometheus text exposition: the sum of its samples over every label
 * set, or undefined when the text has no sample of that name.
 */
export function counterValue(text: string, name: string): number | undefined {
	let total: number | undefined;
	for (const raw of text.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		const sample = SAMPLE.exec(line);
		if (!sample || sample[1] !== name) continue;
		const value = Number(sample[3]);
		if (!Number.isFinite(value)) throw new Error(`${name}: the sample "${line}" has no finite value`);
		total = (total ?? 0) + value;
	}
	return total;
}

/**
 * The event-loop delay of n8n's main process (prom-client's default metrics, on with
 * N8N_METRICS_INCLUDE_DEFAULT_METRICS=true, prefixed n8n_): the highest and the 99th percentile
 * since the previous scrape, as prom-client resets its delay histogram on every scrape.
 */
export const EVENT_LOOP_LAG_MAX = 'n8n_nodejs_eventloop_lag_max_seconds';
export const EVENT_LOOP_LAG_P99 = 'n8n_nodejs_eventloop_lag_p99_seconds';

async function scrape(baseUrl: string): Promise<string> {
	const res = await fetch(`${baseUrl}/metrics`);
	const text = await res.text();
	if (!res.ok) throw new Error(`GET ${baseUrl}/metrics answered ${res.status} (is N8N_METRICS=true set?): ${text.slice(0, 200)}`);
	return text;
}

/** How many isolates the n8n at baseUrl has acquired since it started; undefined when it does not count them (engine legacy). */
export async function isolatesAcquired(baseUrl: string): Promise<number | undefined> {
	return counterValue(await scrape(baseUrl), ISOLATES_ACQUIRED);
}

/** The main process's event-loop delay since the previous scrape, in seconds; undefined without default metrics. */
export async function eventLoopLag(baseUrl: string): Promise<{ max: number; p99: number } | undefined> {
	const text = await scrape(baseUrl);
	const max = counterValue(text, EVENT_LOOP_LAG_MAX);
	const p99 = counterValue(text, EVENT_LOOP_LAG_P99);
	return max === undefined || p99 === undefined ? undefined : { max, p99 };
}
