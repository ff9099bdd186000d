// Register Webhooks in the Shop in a real n8n: the packed package installed as a user install,
// n8n's own Shopify Access Token and WooCommerce credentials, and n8n's HTTP client reaching
// stand-ins for the Shopify GraphQL Admin API and the WooCommerce REST API through HTTPS_PROXY and
// a test certificate authority (test/standins/shop-webhooks.ts, test/standins/https-proxy.ts). n8n's public webhook address is
// https://n8n.example/ (WEBHOOK_URL), as behind a reverse proxy; deliveries are posted to the same
// path on the local instance.
//
// If n8n cannot be installed this fails and says why; it is never skipped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { N8nApi, N8nHandle } from '../../scripts/n8n/instance';
import { fixtureBytes, openShopifyOrderBytes } from '../core/events/helpers';
import { startShopStandIn, type ShopStandIn } from '../standins/shop-webhooks';
import { n8n, repoRoot, requireN8n } from './n8n';

const PACKAGE = 'n8n-nodes-dialogue-activities';
const PUBLIC = 'https://n8n.example';
const SHOP = 'e2e-shop';
const TOKEN = 'shpat_e2e';
const APP_SECRET = 'shpss_e2e-app-secret';
const WOO_HOST = 'shop.example';
const WOO_KEY = 'ck_e2e';
const WOO_SECRET = 'cs_e2e';
const OTHER = 'https://elsewhere.example/hooks';

const log = (line: string) => console.log(`# ${line}`);

describe('real n8n: the Storefront Trigger registers its webhooks in the shop', () => {
	let userFolder = '';
	let instance: N8nHandle | undefined;
	let standIn: ShopStandIn | undefined;
	let api: N8nApi;
	const credentials: Record<string, { id: string; name: string }> = {};
	let passed = 0;

	beforeAll(
		async () => {
			const { n8nBin } = await requireN8n(log);
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-e2e-shopreg-'));
			const storeFile = path.join(userFolder, 'store', 'dialogue.sqlite');
			fs.mkdirSync(path.dirname(storeFile), { recursive: true });
			n8n.installPackage(userFolder, repoRoot, { log });
			standIn = await startShopStandIn({ shopify: { shop: SHOP, accessToken: TOKEN }, woo: { host: WOO_HOST, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET } });
			instance = await n8n.startN8n({ userFolder, n8nBin, log, env: { ...standIn.env, DIALOGUE_STORE_URL: storeFile, WEBHOOK_URL: `${PUBLIC}/` } });
			const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1', firstName: 'Shop', lastName: 'Test' });
			api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: 'e2e shopreg' }));
			for (const [type, data] of Object.entries({
				shopifyAccessTokenApi: { shopSubdomain: SHOP, accessToken: TOKEN, appSecretKey: APP_SECRET },
				wooCommerceApi: { url: `https://${WOO_HOST}`, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET, includeCredentialsInQuery: false },
			})) {
				const created = await api.createCredential({ name: `E2E ${type}`, type, data });
				credentials[type] = { id: created.id, name: created.name };
			}
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await instance?.stop();
		await standIn?.close();
		if (passed === 2) fs.rmSync(userFolder, { recursive: true, force: true });
		else if (userFolder) console.log(`# kept ${userFolder} (n8n log: ${path.join(userFolder, 'n8n.log')})`);
	});

	async function triggerWorkflow(source: 'shopify' | 'woocommerce', webhookId: string, credentialType: string) {
		return await api.createWorkflow({
			name: `Registers in ${source}`,
			nodes: [
				{
					id: `${webhookId.slice(0, 8)}-0000-4000-8000-000000000001`,
					name: 'Storefront Trigger',
					type: `${PACKAGE}.storefrontTrigger`,
					typeVersion: 1.2,
					position: [0, 0],
					webhookId,
					credentials: { [credentialType]: credentials[credentialType] },
					parameters: { source, registerWebhooks: true, events: ['order.placed'], filters: {}, options: {} },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
	}

	/** Waits until the shop holds `count` webhooks at `address` (activation registers asynchronously). */
	async function waitForHooks<T>(list: () => T[], count: number, what: string): Promise<T[]> {
		const deadline = Date.now() + 20_000;
		for (;;) {
			const found = list();
			if (found.length === count) return found;
			if (Date.now() > deadline) throw new Error(`${what}: ${found.length} webhooks, expected ${count}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	it('WooCommerce: activation registers order.created with its own secret; a delivery signed with it starts the workflow; deactivation removes it', async () => {
		assert.ok(instance && standIn);
		standIn.woo.hooks.push({ id: 1, name: 'ERP', status: 'active', topic: 'order.created', delivery_url: OTHER, secret: 'erp' });
		const webhookId = 'a1000000-0000-4000-8000-0000000000a1';
		const address = `${PUBLIC}/webhook/${webhookId}/storefront`;
		const workflow = await triggerWorkflow('woocommerce', webhookId, 'wooCommerceApi');
		await api.activateWorkflow(workflow.id);
		const [hook] = await waitForHooks(() => standIn!.woo.hooks.filter((h) => h.delivery_url === address), 1, 'after activation');
		assert.equal(hook.topic, 'order.created');

		const body = fixtureBytes('woocommerce-order-created.json');
		const res = await n8n.waitForWebhook(`${instance.baseUrl}/webhook/${webhookId}/storefront`, { body: body.toString('utf8'), headers: standIn.woo.delivery(hook, body.toString('utf8')) });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.equal((res.body as { status: string }).status, 'started', JSON.stringify(res.body));
		const [execution] = await api.waitForExecutions(workflow.id, { count: 1 });
		assert.equal(execution.status, 'success');

		await api.deactivateWorkflow(workflow.id);
		await waitForHooks(() => standIn!.woo.hooks.filter((h) => h.delivery_url === address), 0, 'after deactivation');
		assert.deepEqual(standIn.woo.hooks.map((h) => h.id), [1], 'the other webhook is untouched');
		passed++;
	});

	it('Shopify: activation registers orders/create; a delivery signed with the app secret starts the workflow; deactivation removes it', async () => {
		assert.ok(instance && standIn);
		standIn.shopify.hooks.push({ id: 'gid://shopify/WebhookSubscription/1', topic: 'ORDERS_CREATE', uri: OTHER });
		const webhookId = 'a2000000-0000-4000-8000-0000000000a2';
		const address = `${PUBLIC}/webhook/${webhookId}/storefront`;
		const workflow = await triggerWorkflow('shopify', webhookId, 'shopifyAccessTokenApi');
		await api.activateWorkflow(workflow.id);
		const [hook] = await waitForHooks(() => standIn!.shopify.hooks.filter((h) => h.uri === address), 1, 'after activation');
		assert.equal(hook.topic, 'ORDERS_CREATE');

		const body = openShopifyOrderBytes();
		const res = await n8n.waitForWebhook(`${instance.baseUrl}/webhook/${webhookId}/storefront`, {
			body: body.toString('utf8'),
			headers: {
				'content-type': 'application/json',
				'x-shopify-topic': 'orders/create',
				'x-shopify-shop-domain': `${SHOP}.myshopify.com`,
				'x-shopify-hmac-sha256': createHmac('sha256', APP_SECRET).update(body).digest('base64'),
			},
		});
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.equal((res.body as { status: string }).status, 'started', JSON.stringify(res.body));

		await api.deactivateWorkflow(workflow.id);
		await waitForHooks(() => standIn!.shopify.hooks.filter((h) => h.uri === address), 0, 'after deactivation');
		assert.deepEqual(standIn.shopify.hooks.map((h) => h.id), ['gid://shopify/WebhookSubscription/1'], 'the other webhook is untouched');
		passed++;
	});
});
