import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from '@jest/globals';
import { counterValue, eventLoopLag, ISOLATES_ACQUIRED, isolatesAcquired } from '../../bench/prometheus';

// As n8n 2.41 (prom-client) writes it, with neighbours whose names start the same way.
const SAMPLE = `# HELP n8n_expression_pool_acquired_total Isolates acquired from the pool
# TYPE n8n_expression_pool_acquired_total counter
n8n_expression_pool_acquired_total 1234
# HELP n8n_expression_pool_acquired_total_seconds Not the counter
n8n_expression_pool_acquired_total_seconds 99
n8n_expression_pool_acquired 7
# HELP n8n_http_requests_total Requests
# TYPE n8n_http_requests_total counter
n8n_http_requests_total{method="POST",path="/webhook/{id}/storefront",status="200"} 1.5e+3
n8n_http_requests_total{method="GET",path="/a\\"}b",status="404"} 3 1733234567000
`;

describe('bench: Prometheus counters', () => {
	it('reads a counter without labels by its exact name', () => {
		assert.equal(counterValue(SAMPLE, ISOLATES_ACQUIRED), 1234);
		assert.equal(counterValue(SAMPLE, 'n8n_expression_pool_acquired'), 7);
	});

	it('sums a counter over its label sets, braces and escaped quotes inside label values included', () => {
		assert.equal(counterValue(SAMPLE, 'n8n_http_requests_total'), 1503);
	});

	it('says a counter is absent instead of reading it as 0', () => {
		assert.equal(counterValue(SAMPLE, 'n8n_expression_pool_released_total'), undefined);
		assert.equal(counterValue('', ISOLATES_ACQUIRED), undefined);
	});

	it('refuses a sample that is not a number', () => {
		assert.throws(() => counterValue(`${ISOLATES_ACQUIRED} NaN\n`, ISOLATES_ACQUIRED), /no finite value/);
	});

	it('reads the isolates from /metrics, and names the setting when the endpoint is off', async () => {
		let body = SAMPLE;
		let status = 200;
		const server = http.createServer((req, res) => {
			res.writeHead(req.url === '/metrics' ? status : 404, { 'content-type': 'text/plain' }).end(body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			assert.equal(await isolatesAcquired(baseUrl), 1234);
			body = 'n8n_version_info{version="2.41.1"} 1\n';
			assert.equal(await isolatesAcquired(baseUrl), undefined);
			status = 404;
			await assert.rejects(isolatesAcquired(baseUrl), /N8N_METRICS=true/);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it("reads the main process's event-loop delay from n8n's default metrics, and says when they are off", async () => {
		let body = `${SAMPLE}# HELP n8n_nodejs_eventloop_lag_max_seconds The maximum recorded event loop delay.
# TYPE n8n_nodejs_eventloop_lag_max_seconds gauge
n8n_nodejs_eventloop_lag_max_seconds 0.412
n8n_nodejs_eventloop_lag_p99_seconds 0.108
n8n_nodejs_eventloop_lag_seconds 0.003
`;
		const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(body));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			assert.deepEqual(await eventLoopLag(baseUrl), { max: 0.412, p99: 0.108 });
			body = SAMPLE;
			assert.equal(await eventLoopLag(baseUrl), undefined);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
