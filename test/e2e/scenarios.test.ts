/**
 * The shipped templates (templates/*.json: scenarios 1-4, 6, 8-10) end to end, the way a shop
 * meets them: one real n8n (pinned version) with the PACKED package installed as a user install,
 * an SMTP catcher, the activity store in a SQLite file of a temp folder (DIALOGUE_STORE_URL).
 * Each template is imported into a copy with credentials set, Wait nodes compressed to seconds
 * and the Occasion Trigger polling every 10 s, activated, and fed signed Shopify, WooCommerce and
 * Generic deliveries at its Storefront Trigger's production URL. The tests assert what the
 * customer receives (mails: recipient, subject, coupon code) and what the store holds afterwards
 * (segments, coupons, guard entries), read from the same SQLite file in this process.
 *
 * If n8n cannot be installed or started, the before hook fails and so does every test here: the
 * tests are never skipped.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Credential, Execution, Mail, WorkflowNode } from '../../scripts/n8n/instance';
import {
	forged,
	genericEvent,
	genericOrder,
	isoSeconds,
	post,
	shopifyCheckoutCreated,
	shopifyCustomerCreated,
	shopifyOrderCreated,
	uniqueNumber,
	wooCustomerCreated,
	wooOrderCreated,
	type Answer,
	type Delivery,
	type Person,
} from './e2e-storefront';
import {
	PACKAGE,
	TEMPLATES_DIR,
	eventually,
	importAndActivate,
	loadTemplate,
	sleep,
	templateCopy,
	type Imported,
	type World,
	startWorld,
} from './e2e-templates';
import { n8n } from './n8n';

const DAY = 86_400_000;
/** The Wait nodes of the copies: seconds instead of a week. */
const WAIT_SECONDS = 5;
/** The second wait of one copy of template 6: long enough (over 65 s) for n8n to park the execution in its database. */
const PARKED_SECONDS = 70;
/** The Occasion Trigger copies poll at these seconds of every minute. */
const POLL_AT = [0, 10, 20, 30, 40, 50];
const POLL_INTERVAL_MS = 10_000;

const TEMPLATE_FILES = [
	'01-welcome.json',
	'02-big-spenders-webhook.json',
	'02-big-spenders.json',
	'03-abandoned-cart.json',
	'04-kids-clothing.json',
	'06-nudge-after-signup.json',
	'08-thank-you-coupon-every-order.json',
	'08-thank-you-coupon-first-order.json',
	'09-clearance-promotion.json',
	'10-social-thanks.json',
	'11-segment-reactivation.json',
	'12-weekly-activity-report.json',
];

/** Pools the templates assign from, filled in before() through a Coupon > Generate Codes workflow. */
const POOLS = [
	{ pool: 'thank-you-20', prefix: 'THANKS-', percent: '20', count: 20 },
	{ pool: 'nudge-10', prefix: 'NUDGE10-', percent: '10', count: 10 },
	{ pool: 'nudge-20', prefix: 'NUDGE20-', percent: '20', count: 10 },
	{ pool: 'cart-reminder-20', prefix: 'CART20-', percent: '20', count: 10 },
	// Two codes only: the third customer takes the Pool Empty branch.
	{ pool: 'clearance-in-store', prefix: 'STORE-', percent: '15', count: 2 },
];

const SUBJECTS = {
	welcome: 'Thank you for registering with us',
	cart: 'You left something in your cart: here is 20% off',
	nudge10: 'A welcome gift: 10% off your first order',
	nudge20: 'Still thinking it over? Here is 20% off',
	thankYou: 'Thank you for your order: 20% off the next one',
	clearance: 'Your printable coupon for our store',
	social: 'Thank you for sharing!',
};

let world: World;
let brokenSmtp: Credential;
const smtpData = () => ({ user: '', password: '', host: '127.0.0.1', port: world.smtp.port, secure: false, disableStartTls: true });
let passed = 0;
let tests = 0;
const wf: Record<string, Imported> = {};

function person(name: string, withEmail = true): Person {
	const id = uniqueNumber();
	return { id, firstName: name, lastName: 'Tester', ...(withEmail && { email: `${name.toLowerCase()}.${id}@customers.test` }) };
}

const mailsTo = (email: string | undefined): Mail[] => world.smtp.mails.filter((m) => email !== undefined && m.envelope.to.includes(email));
const waitMail = (email: string | undefined, subject: string, timeoutMs = 30_000) =>
	world.smtp.waitForMail((m) => email !== undefined && m.envelope.to.includes(email) && m.subject === subject, timeoutMs);

/** A fresh mail for the customer: not one of those already received. */
async function nextMail(email: string | undefined, subject: string, seen: number, timeoutMs = 30_000): Promise<Mail> {
	return eventually(async () => mailsTo(email).filter((m) => m.subject === subject)[seen], timeoutMs, `mail #${seen + 1} "${subject}" to ${email}`);
}

async function executionsOf(workflow: Imported): Promise<Execution[]> {
	return world.api.listExecutions(workflow.id);
}

/** Waits for `count` finished executions, then checks there are exactly that many and all succeeded. */
async function settled(workflow: Imported, count: number, timeoutMs = 30_000): Promise<Execution[]> {
	const done = await world.api.waitForExecutions(workflow.id, { count, timeoutMs, includeData: true });
	const all = await executionsOf(workflow);
	assert.equal(all.length, count, `${workflow.name}: ${all.length} executions, expected ${count}`);
	for (const execution of done) assert.equal(execution.status, 'success', `${workflow.name}: execution ${execution.id} ${execution.status}`);
	return done;
}

const ran = (execution: Execution, node: string) => Boolean(execution.data?.resultData.runData[node]);
const firstJson = (execution: Execution, node: string) => execution.data?.resultData.runData[node]?.[0]?.data?.main[0]?.[0]?.json;

function expectStatus(answer: Answer, status: number, kind: string) {
	assert.equal(answer.status, status, `answered ${answer.status} ${JSON.stringify(answer.body)}`);
	assert.equal(answer.body.status, kind, `answered ${JSON.stringify(answer.body)}`);
}

async function deliver(workflow: Imported, delivery: Delivery, kind = 'started', node?: string): Promise<Answer> {
	const answer = await post(node ? workflow.urls[node] : workflow.url, delivery);
	expectStatus(answer, kind === 'unauthorized' ? 401 : 200, kind);
	return answer;
}

const held = async (customerId: string | number, pool?: string) =>
	(await world.store.codesOf(String(customerId))).filter((code) => pool === undefined || code.pool === pool);
/** The Repeatability Guard's activity in a workflow (the templates name theirs). */
function activityOf(workflow: Imported): string {
	const guard = workflow.workflow.nodes.find((node) => node.type === `${PACKAGE}.repeatabilityGuard`);
	assert.ok(guard, `${workflow.name} has a Repeatability Guard`);
	return String(guard.parameters.activity);
}
const entries = async (workflow: Imported, customerId: string | number) =>
	world.store.guardHistory({ activity: activityOf(workflow), customerId: String(customerId), limit: 100 });
const segmentsOf = async (customerId: string | number) =>
	(await world.store.segmentsOf(String(customerId), Date.now())).map((row) => row.segment).sort();

/** The code the mail carries, which must be one the store assigned to the customer from the pool. */
async function codeOf(mail: Mail, customerId: string | number, pool: string): Promise<string> {
	const codes = (await held(customerId, pool)).map((c) => c.code);
	const found = codes.filter((code) => mail.html.includes(code));
	assert.equal(found.length, 1, `the mail "${mail.subject}" carries one of ${JSON.stringify(codes)}:\n${mail.html}`);
	return found[0];
}

function setPolicy(policy: string) {
	return (node: WorkflowNode) => {
		if (node.type === `${PACKAGE}.repeatabilityGuard`) node.parameters = { ...node.parameters, policy };
	};
}

/** What the abandoned-cart test set up in before(), to check at the end once polls have passed. */
const cart = {
	dueAt: 0,
	activatedAt: 0,
	leaves: undefined as unknown as Person,
	orders: undefined as unknown as Person,
	alreadyDue: undefined as unknown as Person,
};

/** The customer of the parked copy of template 6. */
const parked = { customer: undefined as unknown as Person, registeredAt: 0 };

describe('templates in a real n8n: what the customer receives', () => {
	beforeAll(
		async () => {
			world = await startWorld('templates');

			// Coupon pools, filled the way the templates' sticky notes say: Coupon > Generate Codes.
			const filler = await importAndActivate(world, {
				name: 'E2E: fill a coupon pool',
				nodes: [
					{
						name: 'Fill request',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: '0c0f5d7e-4f83-4d52-9d0b-6f0b61d3e2a1',
						parameters: { httpMethod: 'POST', path: 'e2e-fill-pool', responseMode: 'lastNode', options: {} },
					},
					{
						name: 'Generate Codes',
						type: `${PACKAGE}.coupon`,
						typeVersion: 1,
						position: [240, 0],
						parameters: {
							operation: 'generate',
							pool: { __rl: true, mode: 'name', value: '={{ $json.body.pool }}' },
							count: '={{ $json.body.count }}',
							prefix: '={{ $json.body.prefix }}',
							length: 8,
							discountKind: 'percent',
							discountValue: '={{ $json.body.percent }}',
						},
					},
				],
				connections: { 'Fill request': { main: [[{ node: 'Generate Codes', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});
			for (const pool of POOLS) {
				const answer = await post(`${world.instance.baseUrl}/webhook/e2e-fill-pool`, {
					source: 'generic',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify(pool),
				});
				assert.equal(answer.status, 200, `filling ${pool.pool}: ${JSON.stringify(answer.body)}`);
				const status = await world.store.poolStatus(pool.pool, Date.now());
				assert.equal(status.free, pool.count, `pool ${pool.pool}: ${JSON.stringify(status)}`);
			}
			await world.api.deleteWorkflow(filler.id);

			const copy = (file: string, options: Parameters<typeof templateCopy>[2]) =>
				importAndActivate(world, templateCopy(world, file, { waitSeconds: WAIT_SECONDS, ...options }));
			wf.welcomeShopify = await copy('01-welcome.json', { source: 'shopify', label: 'Shopify' });
			wf.welcomeWoo = await copy('01-welcome.json', { source: 'woocommerce', label: 'WooCommerce' });
			wf.bigSpenders = await copy('02-big-spenders.json', { source: 'woocommerce' });
			wf.kids = await copy('04-kids-clothing.json', { source: 'generic' });
			wf.nudge = await copy('06-nudge-after-signup.json', { source: 'shopify' });
			wf.thanksEvery = await copy('08-thank-you-coupon-every-order.json', { source: 'shopify' });
			wf.thanksFirst = await copy('08-thank-you-coupon-first-order.json', { source: 'woocommerce' });
			wf.clearance = await copy('09-clearance-promotion.json', { source: 'generic' });
			wf.socialOnce = await copy('10-social-thanks.json', { source: 'generic', label: 'not repeatable' });
			wf.socialEvery = await copy('10-social-thanks.json', { source: 'generic', label: 'repeatable', edit: setPolicy('always') });
			// A copy whose SMTP credential is wrong at first (nothing listens on its port): fixed, then retried.
			brokenSmtp = await world.api.createCredential({
				name: 'Shop SMTP (wrong port)',
				type: 'smtp',
				data: { ...smtpData(), port: await n8n.freePort() },
			});
			wf.thanksRetry = await copy('08-thank-you-coupon-first-order.json', { source: 'generic', label: 'SMTP fixed later', smtp: brokenSmtp });
			wf.bigSpendersGeneric = await copy('02-big-spenders.json', { source: 'generic', label: 'Generic' });
			wf.nudgeParked = await copy('06-nudge-after-signup.json', {
				source: 'woocommerce',
				label: 'parked',
				edit: (node) => {
					if (node.name === 'Wait another week') node.parameters = { ...node.parameters, amount: PARKED_SECONDS, unit: 'seconds' };
				},
			});

			// Abandoned cart: a cart already abandoned for 4 days is in the store (recorded by another
			// workflow's trigger) before the template is activated; it must not be emailed.
			cart.alreadyDue = person('Olga');
			const old = shopifyCheckoutCreated({ token: `old-${cart.alreadyDue.id}`, customer: cart.alreadyDue, updatedAt: Date.now() - 4 * DAY });
			expectStatus(await post(wf.nudge.url, old), 200, 'recorded');

			wf.cart = await importAndActivate(world, templateCopy(world, '03-abandoned-cart.json', { source: 'shopify', pollAtSeconds: POLL_AT }));
			cart.activatedAt = Date.now();
			// Two carts left 3 days ago minus 25 s: due 25 s from now. One customer orders meanwhile.
			const updatedAt = Math.floor((Date.now() - 3 * DAY + 25_000) / 1000) * 1000;
			cart.dueAt = updatedAt + 3 * DAY;
			cart.leaves = person('Lena');
			cart.orders = person('Otto');
			for (const customer of [cart.leaves, cart.orders]) {
				const delivery = shopifyCheckoutCreated({ token: `chk-${customer.id}`, customer, updatedAt });
				expectStatus(await post(wf.cart.urls['Record carts and orders'], delivery), 200, 'recorded');
			}
			const order = shopifyOrderCreated({ id: uniqueNumber(), customer: cart.orders, total: '88.00' });
			expectStatus(await post(wf.cart.urls['Record carts and orders'], order), 200, 'recorded');

			// Template 6 with its second wait long enough to be parked in n8n's database: started now,
			// checked by a later test while the others run.
			parked.customer = person('Paula');
			expectStatus(await post(wf.nudgeParked.url, wooCustomerCreated(parked.customer)), 200, 'started');
			parked.registeredAt = Date.now();
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await world?.close(passed < tests);
	});

	const test = (name: string, fn: () => Promise<void>, timeout = 120_000) => {
		tests++;
		it(name, async () => {
			await fn();
			passed++;
		}, timeout);
	};

	test('every template is valid workflow JSON of the package\'s and n8n\'s nodes, with placeholder credentials and the scenarios\' defaults', async () => {
		const files = fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.json') && !/^0[57]-/.test(f)).sort();
		assert.deepEqual(files, TEMPLATE_FILES);
		const allowed = new Set([
			'n8n-nodes-base.wait',
			'n8n-nodes-base.if',
			'n8n-nodes-base.emailSend',
			'n8n-nodes-base.stickyNote',
			'n8n-nodes-base.noOp',
			'n8n-nodes-base.scheduleTrigger',
			'n8n-nodes-base.webhook',
			'n8n-nodes-base.respondToWebhook',
			...['storefrontTrigger', 'storefrontEvent', 'storefrontOccasionTrigger', 'purchaseCheck', 'customerSegment', 'coupon', 'repeatabilityGuard', 'storefrontLedger'].map((n) => `${PACKAGE}.${n}`),
		]);
		for (const file of files) {
			const template = loadTemplate(file);
			const text = JSON.stringify(template);
			assert.ok(template.name.startsWith('Dialogue '), `${file}: name`);
			for (const node of template.nodes) {
				assert.ok(allowed.has(node.type), `${file}: ${node.type} is not one of the template node types`);
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					assert.match(ref.id, /^choose-your-/, `${file}: ${node.name} ${type} credential is a placeholder`);
				}
				if (node.type === `${PACKAGE}.repeatabilityGuard`) assert.match(String(node.parameters.activity), /^[a-z][a-z-]+$/, `${file}: a named activity`);
				if (node.type === 'n8n-nodes-base.wait') assert.deepEqual([node.parameters.amount, node.parameters.unit], [7, 'days'], `${file}: ${node.name}`);
				if (node.type === 'n8n-nodes-base.emailSend' && file === '12-weekly-activity-report.json') {
					// The report goes to the shop's team, its chart (the Activity Report's binary field) inline.
					assert.equal(node.parameters.toEmail, 'marketing@example.com');
					assert.deepEqual(node.parameters.options, { appendAttribution: false, attachments: 'chart' });
					assert.match(String(node.parameters.html), /<img src="cid:chart"/);
				} else if (node.type === 'n8n-nodes-base.emailSend') {
					assert.match(String(node.parameters.toEmail), /^=\{\{ (\$json|\$\('(Customer registered|Members to win back)'\)\.item\.json)\.customer\.email \}\}$/);
					assert.deepEqual(node.parameters.options, { appendAttribution: false });
				}
				if (node.type === `${PACKAGE}.storefrontLedger`) {
					assert.deepEqual([node.parameters.operation, node.parameters.attachPicture, node.parameters.binaryPropertyName], ['report', true, 'chart'], `${file}: ${node.name}`);
				}
			}
			const notes = template.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
			assert.ok(notes.length >= 3, `${file}: sticky notes explain the steps`);
			for (const node of template.nodes.filter((n) => n.type === `${PACKAGE}.coupon`)) {
				const pool = (node.parameters.pool as { value: string }).value;
				assert.ok(notes.some((n) => String(n.parameters.content).includes(pool) && String(n.parameters.content).includes('Generate Codes')), `${file}: a note says how to fill ${pool}`);
				const mail = template.nodes.find((n) => n.type === 'n8n-nodes-base.emailSend' && String(n.parameters.html).includes('{{ $json.coupon.code }}'));
				assert.ok(mail, `${file}: an email carries the code`);
			}
			assert.doesNotMatch(text, /\be2e\b|127\.0\.0\.1|localhost|customers\.test/i, `${file}: nothing test-only`);
		}
		// Each scenario's defaults (over 1000 EUR, 3 days, Boys or Girls, ...), as visible fields.
		const param = (file: string, node: string) => loadTemplate(file).nodes.find((n) => n.name === node)!.parameters;
		assert.deepEqual((param('02-big-spenders.json', 'Spent more than 1000?').conditions as { condition: unknown[] }).condition, [
			{ kind: 'amountSpent', compare: 'gt', amount: '1000', currency: 'EUR' },
		]);
		assert.equal((param('02-big-spenders.json', 'Add to "Big spenders"').segment as { value: string }).value, 'Big spenders');
		for (const node of ['Spent more than 1000?', 'Add to "Big spenders"']) {
			assert.deepEqual(param('02-big-spenders-webhook.json', node), param('02-big-spenders.json', node), `the Webhook variant of 02: ${node}`);
		}
		assert.deepEqual([param('03-abandoned-cart.json', 'Cart abandoned for 3 days').abandonedAfter, param('03-abandoned-cart.json', 'Cart abandoned for 3 days').abandonedAfterUnit], [3, 'days']);
		assert.equal(((param('04-kids-clothing.json', 'Bought Boys or Girls?').conditions as { condition: Array<{ categories: string }> }).condition[0]).categories, 'Boys, Girls');
		assert.equal(
			(param('04-kids-clothing.json', 'Add to "Customers who buy children\'s clothing"').segment as { value: string }).value,
			"Customers who buy children's clothing",
		);
		assert.equal(param('08-thank-you-coupon-every-order.json', 'Every order').policy, 'always');
		assert.equal(param('08-thank-you-coupon-first-order.json', 'First order only').policy, 'once');
		assert.equal((param('09-clearance-promotion.json', 'Checkout with the clearance promotion').filters as { codeApplied: string }).codeApplied, 'Online furniture clearance');
	});

	test('every template imports into n8n unchanged (placeholder credentials and all)', async () => {
		for (const file of TEMPLATE_FILES) {
			const template = loadTemplate(file);
			const created = await world.api.createWorkflow({ ...template, name: `${template.name} (as shipped)` });
			const read = await world.api.getWorkflow(created.id);
			assert.equal(read.nodes.length, template.nodes.length, file);
			assert.deepEqual(read.nodes.map((n) => n.type).sort(), template.nodes.map((n) => n.type).sort(), file);
			await world.api.deleteWorkflow(created.id);
		}
	});

	test('01 welcome: Shopify and WooCommerce registrations get the welcome email once; no address, no email', async () => {
		const bob = person('Bob');
		const noAddress = person('Nora', false);
		const wanda = person('Wanda');
		const registration = shopifyCustomerCreated(bob);
		await deliver(wf.welcomeShopify, registration);
		await deliver(wf.welcomeShopify, shopifyCustomerCreated(noAddress));
		await deliver(wf.welcomeWoo, wooCustomerCreated(wanda));

		for (const customer of [bob, wanda]) {
			const mail = await waitMail(customer.email, SUBJECTS.welcome);
			assert.deepEqual(mail.envelope.to, [customer.email]);
			assert.match(mail.html, new RegExp(`Hello ${customer.firstName},`));
			assert.match(mail.html, /Our current promotions/);
			assert.doesNotMatch(mail.html + mail.text, /sent automatically with n8n/);
		}
		// The same registration delivered again (Shopify retries) is dropped by the trigger.
		await deliver(wf.welcomeShopify, registration, 'duplicate');

		const shopifyRuns = await settled(wf.welcomeShopify, 2);
		await settled(wf.welcomeWoo, 1);
		assert.equal(shopifyRuns.filter((e) => ran(e, 'No email address')).length, 1, 'the customer without an address took the false branch');
		assert.equal(mailsTo(bob.email).length, 1);
		assert.equal(mailsTo(wanda.email).length, 1);
		assert.equal((await entries(wf.welcomeShopify, bob.id)).length, 1);
		assert.equal((await entries(wf.welcomeWoo, wanda.id)).length, 1);
		assert.equal((await entries(wf.welcomeShopify, noAddress.id)).length, 0, 'no guard entry without an email address');
		const profile = await world.store.getCustomer(String(wanda.id));
		assert.equal(profile?.email, wanda.email, 'the WooCommerce customer is in the store');
	});

	test('02 big spenders (WooCommerce): 600.00 then 400.01 EUR joins "Big spenders"; exactly 1000.00 does not', async () => {
		const ada = person('Ada');
		const ben = person('Ben');
		await deliver(wf.bigSpenders, wooOrderCreated({ id: uniqueNumber(), customer: ada, total: '600.00' }));
		let runs = await settled(wf.bigSpenders, 1);
		assert.deepEqual(await segmentsOf(ada.id), []);
		assert.ok(ran(runs[0], 'Not a big spender yet'));

		await deliver(wf.bigSpenders, wooOrderCreated({ id: uniqueNumber(), customer: ada, total: '400.01' }));
		await deliver(wf.bigSpenders, wooOrderCreated({ id: uniqueNumber(), customer: ben, total: '1000.00' }));
		runs = await settled(wf.bigSpenders, 3);
		assert.deepEqual(await segmentsOf(ada.id), ['Big spenders']);
		assert.deepEqual(await segmentsOf(ben.id), [], 'more than 1000: exactly 1000.00 is not');
		const members = await world.store.segmentCheck('Big spenders', [String(ada.id), String(ben.id)], Date.now());
		assert.ok(members[0] && !members[1]);
		const joined = runs.map((e) => firstJson(e, 'Add to "Big spenders"')).filter((json) => json !== undefined);
		assert.equal(joined.length, 1);
		assert.deepEqual((joined[0] as { purchases: { amounts: unknown } }).purchases.amounts, { EUR: '1000.01' }, 'the check saw 1000.01 spent');
	});

	test('04 kids\' clothing (Generic): a Girls or Boys purchase joins the segment, other categories do not', async () => {
		const segment = "Customers who buy children's clothing";
		const kim = { id: `g-${uniqueNumber()}`, email: `kim.${uniqueNumber()}@customers.test`, firstName: 'Kim' };
		const al = { id: `g-${uniqueNumber()}`, email: `al.${uniqueNumber()}@customers.test`, firstName: 'Al' };
		await deliver(wf.kids, genericOrder({ id: `o-${uniqueNumber()}`, customer: kim, lines: [{ productId: 'dress-7', name: 'Summer dress', categories: ['Girls', 'Dresses'], price: '24.90' }] }));
		await deliver(wf.kids, genericOrder({ id: `o-${uniqueNumber()}`, customer: al, lines: [{ productId: 'sofa-2', name: 'Sofa', categories: ['Furniture'], price: '499.00' }] }));
		await settled(wf.kids, 2);
		assert.deepEqual(await segmentsOf(kim.id), [segment]);
		assert.deepEqual(await segmentsOf(al.id), []);

		// Al's history now holds a "Boys" product: he joins with this order.
		await deliver(wf.kids, genericOrder({ id: `o-${uniqueNumber()}`, customer: al, lines: [{ productId: 'jeans-3', name: 'Jeans', categories: ['boys'], price: '29.00' }] }));
		await settled(wf.kids, 3);
		assert.deepEqual(await segmentsOf(al.id), [segment]);
		assert.equal((await world.store.segmentMembers(segment, Date.now(), 100, 0)).length, 2);
	});

	test('06 nudge (Shopify): ordering during the first wait ends it; never ordering gets 10% then 20%; a redelivery and a forgery meanwhile change nothing', async () => {
		const buyer = person('Bea');
		const waiter = person('Walt');
		const registeredAt = Date.now() - 2_000;
		const waiterRegistration = shopifyCustomerCreated(waiter, registeredAt);
		await deliver(wf.nudge, shopifyCustomerCreated(buyer, registeredAt));
		await deliver(wf.nudge, waiterRegistration);
		const started = Date.now();

		// During the first wait: Bea orders (recorded by the same trigger; it starts nothing here).
		const beaOrder = shopifyOrderCreated({ id: uniqueNumber(), customer: buyer, total: '49.90' });
		expectStatus(await post(wf.nudge.url, beaOrder), 200, 'recorded');
		// ... Shopify redelivers Walt's registration, and someone forges an order for Walt.
		await deliver(wf.nudge, waiterRegistration, 'duplicate');
		const forgedOrder = forged(shopifyOrderCreated({ id: uniqueNumber(), customer: waiter, total: '10.00' }), (body) => body.replace('"10.00"', '"1.00"'));
		await deliver(wf.nudge, forgedOrder, 'unauthorized');
		assert.ok(Date.now() - started < WAIT_SECONDS * 1000, 'all of it happened during the first wait');

		const tenPercent = await waitMail(waiter.email, SUBJECTS.nudge10, 30_000);
		const twentyPercent = await waitMail(waiter.email, SUBJECTS.nudge20, 30_000);
		const runs = await settled(wf.nudge, 2, 30_000);
		assert.ok(Date.parse(twentyPercent.receivedAt) - Date.parse(tenPercent.receivedAt) >= (WAIT_SECONDS - 1) * 1000, 'the 20% mail came one (compressed) week after the 10% mail');
		assert.equal(await codeOf(tenPercent, waiter.id, 'nudge-10').then((c) => c.startsWith('NUDGE10-')), true);
		assert.equal(await codeOf(twentyPercent, waiter.id, 'nudge-20').then((c) => c.startsWith('NUDGE20-')), true);
		for (const mail of [tenPercent, twentyPercent]) {
			assert.deepEqual(mail.envelope.to, [waiter.email]);
			assert.match(mail.html, /Hello Walt,/);
		}
		assert.equal(mailsTo(waiter.email).length, 2);
		assert.equal(mailsTo(buyer.email).length, 0, 'Bea ordered during the wait: nothing more');
		assert.deepEqual(await held(buyer.id), []);
		assert.equal((await held(waiter.id)).length, 2);
		assert.equal(runs.filter((e) => ran(e, 'Ordered: done')).length, 1);
		assert.equal(runs.filter((e) => ran(e, 'Email the 20% code')).length, 1);
		assert.equal((await entries(wf.nudge, waiter.id)).length, 1);
		assert.equal((await entries(wf.nudge, buyer.id)).length, 1);
		const forgedId = JSON.parse(forgedOrder.body).id as number;
		assert.equal((await world.store.purchases([{ customerId: String(waiter.id) }]))[0].totals.length, 0, `the forged order ${forgedId} was not recorded`);
	});

	test('08 thank you, every order (Shopify): three orders get three emails with three distinct codes; a redelivery and a forgery in between get nothing', async () => {
		const cleo = person('Cleo');
		const orders = [uniqueNumber(), uniqueNumber(), uniqueNumber()].map((id, n) => shopifyOrderCreated({ id, customer: cleo, total: `${40 + n}.00` }));
		const mails: Mail[] = [];
		for (const [n, order] of orders.entries()) {
			await deliver(wf.thanksEvery, order);
			mails.push(await nextMail(cleo.email, SUBJECTS.thankYou, n));
			if (n === 1) {
				await deliver(wf.thanksEvery, orders[0], 'duplicate');
				await deliver(wf.thanksEvery, forged(orders[1], (body) => body.replace('"currency":"EUR"', '"currency":"USD"')), 'unauthorized');
				await deliver(wf.thanksEvery, shopifyOrderCreated({ id: uniqueNumber(), customer: cleo, total: '1.00' }, 'not-the-secret'), 'unauthorized');
			}
		}
		await settled(wf.thanksEvery, 3);
		await sleep(500);
		assert.equal(mailsTo(cleo.email).length, 3);
		const codes = await Promise.all(mails.map((mail) => codeOf(mail, cleo.id, 'thank-you-20')));
		assert.equal(new Set(codes).size, 3, `three distinct codes: ${codes}`);
		for (const [n, mail] of mails.entries()) {
			assert.deepEqual(mail.envelope.to, [cleo.email]);
			assert.match(mail.html, new RegExp(`order ${JSON.parse(orders[n].body).id}!`));
		}
		assert.equal((await held(cleo.id, 'thank-you-20')).length, 3);
		assert.equal((await entries(wf.thanksEvery, cleo.id)).length, 3);
	});

	test('08 thank you, first order only (WooCommerce): three orders at once get one email and one code', async () => {
		const dora = person('Dora');
		const answers = await Promise.all([0, 1, 2].map((n) => post(wf.thanksFirst.url, wooOrderCreated({ id: uniqueNumber(), customer: dora, total: `${70 + n}.00` }))));
		for (const answer of answers) expectStatus(answer, 200, 'started');
		const runs = await settled(wf.thanksFirst, 3);
		await sleep(1_000);
		const mails = mailsTo(dora.email);
		assert.equal(mails.length, 1, 'not repeatable: one email');
		assert.equal(mails[0].subject, SUBJECTS.thankYou);
		await codeOf(mails[0], dora.id, 'thank-you-20');
		assert.equal((await held(dora.id)).length, 1, 'one code in total');
		assert.equal((await entries(wf.thanksFirst, dora.id)).length, 1);
		assert.equal(runs.filter((e) => ran(e, 'Already thanked')).length, 2, 'the other two orders took Skip');
	});

	test('08 after a failed send (SMTP credential wrong, then fixed): the retried execution mails the code assigned before, and no second one', async () => {
		const eve = { id: `g-${uniqueNumber()}`, email: `eve.${uniqueNumber()}@customers.test`, firstName: 'Eve' };
		const order = genericOrder({ id: `o-${uniqueNumber()}`, customer: eve, lines: [{ productId: 'lamp-1', name: 'Lamp', categories: ['Lighting'], price: '39.00' }] });
		await deliver(wf.thanksRetry, order);
		const [failed] = await world.api.waitForExecutions(wf.thanksRetry.id, { count: 1, timeoutMs: 30_000 });
		assert.equal(failed.status, 'error');
		assert.equal(failed.data?.resultData.lastNodeExecuted, 'Thank-you email');
		const [assigned] = await held(eve.id, 'thank-you-20');
		assert.ok(assigned, 'the code was assigned before the send failed');
		assert.equal(mailsTo(eve.email).length, 0);

		// The shop owner fixes the SMTP credential and retries the failed execution.
		await world.api.updateCredential(brokenSmtp.id, { name: brokenSmtp.name, type: 'smtp', data: smtpData() });
		await world.api.request('POST', `/executions/${failed.id}/retry`, {});
		const mail = await waitMail(eve.email, SUBJECTS.thankYou);
		assert.equal(await codeOf(mail, eve.id, 'thank-you-20'), assigned.code, 'the same code');
		const runs = await world.api.waitForExecutions(wf.thanksRetry.id, { count: 2, timeoutMs: 30_000 });
		assert.deepEqual(runs.map((e) => e.status).sort(), ['error', 'success']);
		await deliver(wf.thanksRetry, order, 'duplicate');
		await sleep(500);
		assert.equal(mailsTo(eve.email).length, 1);
		assert.equal((await held(eve.id)).length, 1, 'no second code');
		assert.equal((await entries(wf.thanksRetry, eve.id)).length, 1);
	});

	test('09 clearance promotion (Generic): the promotion gets a printable in-store coupon once; other promotions nothing; an empty pool is visible', async () => {
		const promo = 'Online furniture clearance';
		const [c1, c3, c4] = ['Cora', 'Cliff', 'Cyd'].map((name) => ({ id: `g-${uniqueNumber()}`, email: `${name.toLowerCase()}.${uniqueNumber()}@customers.test`, firstName: name }));
		const c2 = { id: `g-${uniqueNumber()}`, email: `carl.${uniqueNumber()}@customers.test`, firstName: 'Carl' };
		const sofa = [{ productId: 'sofa-9', name: 'Clearance sofa', categories: ['Furniture'], price: '299.00' }];
		await deliver(wf.clearance, genericOrder({ id: `ck-${uniqueNumber()}`, customer: c1, lines: sofa, promotions: [promo], type: 'checkout.promotion_applied' }));
		const mail = await waitMail(c1.email, SUBJECTS.clearance);
		const code = await codeOf(mail, c1.id, 'clearance-in-store');
		assert.match(code, /^STORE-/);
		assert.match(mail.html, /IN-STORE COUPON/);

		// Not repeatable: Cora's second clearance checkout gets nothing; Carl's other promotion starts nothing.
		await deliver(wf.clearance, genericOrder({ id: `ck-${uniqueNumber()}`, customer: c1, lines: sofa, promotions: [promo], type: 'checkout.promotion_applied' }));
		const other = await post(wf.clearance.url, genericOrder({ id: `o-${uniqueNumber()}`, customer: c2, lines: sofa, promotions: ['Summer sale'] }));
		expectStatus(other, 200, 'recorded');
		// Cliff's order with the promotion takes the pool's last code; Cyd finds the pool empty.
		await deliver(wf.clearance, genericOrder({ id: `o-${uniqueNumber()}`, customer: c3, lines: sofa, promotions: [promo] }));
		await waitMail(c3.email, SUBJECTS.clearance);
		await deliver(wf.clearance, genericOrder({ id: `o-${uniqueNumber()}`, customer: c4, lines: sofa, promotions: ['online FURNITURE clearance'] }));
		const runs = await settled(wf.clearance, 4);
		await sleep(500);
		assert.equal(mailsTo(c1.email).length, 1);
		assert.equal(mailsTo(c2.email).length, 0);
		assert.equal(mailsTo(c4.email).length, 0);
		assert.equal(runs.filter((e) => ran(e, 'Already sent a coupon')).length, 1);
		assert.equal(runs.filter((e) => ran(e, 'Pool empty: add codes')).length, 1, 'the empty pool took the Pool Empty branch');
		assert.deepEqual(await world.store.poolStatus('clearance-in-store', Date.now()).then((s) => [s.free, s.assigned]), [0, 2]);
	});

	test('10 social thanks (Generic): not repeatable thanks the first participation only; repeatable thanks each', async () => {
		const sam = { id: `g-${uniqueNumber()}`, email: `sam.${uniqueNumber()}@customers.test`, firstName: 'Sam' };
		const sue = { id: `g-${uniqueNumber()}`, email: `sue.${uniqueNumber()}@customers.test`, firstName: 'Sue' };
		const social = (customer: typeof sam, kind: string) =>
			genericEvent({ id: `social-${uniqueNumber()}`, type: 'social.participated', occurredAt: isoSeconds(Date.now()), customer, social: { kind } });
		await deliver(wf.socialOnce, social(sam, 'review'));
		await deliver(wf.socialEvery, social(sue, 'review'));
		await waitMail(sam.email, SUBJECTS.social);
		await nextMail(sue.email, SUBJECTS.social, 0);
		await deliver(wf.socialOnce, social(sam, 'photo'));
		await deliver(wf.socialEvery, social(sue, 'photo'));
		await nextMail(sue.email, SUBJECTS.social, 1);
		await settled(wf.socialOnce, 2);
		await settled(wf.socialEvery, 2);
		await sleep(500);
		assert.equal(mailsTo(sam.email).length, 1);
		assert.match(mailsTo(sam.email)[0].html, /thank you for your review!/);
		assert.deepEqual(mailsTo(sue.email).map((m) => /thank you for your (\w+)!/.exec(m.html)?.[1]), ['review', 'photo']);
		assert.equal((await entries(wf.socialOnce, sam.id)).length, 1);
		assert.equal((await entries(wf.socialEvery, sue.id)).length, 2);
	});

	test('06 nudge (WooCommerce), the second week parked in n8n\'s database: the resumed execution still finds the customer and mails the 20% code', async () => {
		const paula = parked.customer;
		const tenPercent = await waitMail(paula.email, SUBJECTS.nudge10, 30_000);
		await codeOf(tenPercent, paula.id, 'nudge-10');
		const [waiting] = await eventually(async () => {
			const list = await executionsOf(wf.nudgeParked);
			return list.length === 1 && list[0].status === 'waiting' ? list : undefined;
		}, 20_000, 'the execution to be parked (status waiting)');
		assert.ok(waiting.waitTill, 'parked with a resume time');
		const twentyPercent = await waitMail(paula.email, SUBJECTS.nudge20, Math.max(0, parked.registeredAt + (WAIT_SECONDS + PARKED_SECONDS) * 1000 - Date.now()) + 60_000);
		assert.ok(Date.parse(twentyPercent.receivedAt) - Date.parse(tenPercent.receivedAt) >= (PARKED_SECONDS - 1) * 1000);
		assert.match(twentyPercent.html, /Hello Paula,/);
		assert.deepEqual(twentyPercent.envelope.to, [paula.email]);
		await codeOf(twentyPercent, paula.id, 'nudge-20');
		await settled(wf.nudgeParked, 1);
		assert.equal(mailsTo(paula.email).length, 2);
	}, 180_000);

	test('03 abandoned cart (Occasion Trigger): fires once on the poll after the cart is due, never twice; not for a customer who ordered or a cart due before activation', async () => {
		const mail = await waitMail(cart.leaves.email, SUBJECTS.cart, Math.max(cart.dueAt - Date.now(), 0) + 3 * POLL_INTERVAL_MS);
		const runs = await settled(wf.cart, 1);
		const startedAt = Date.parse(runs[0].startedAt);
		assert.ok(startedAt >= cart.dueAt, `started ${startedAt - cart.dueAt} ms after the cart was due, not before`);
		assert.ok(startedAt - cart.dueAt <= POLL_INTERVAL_MS + 5_000, `started on the first poll after it was due (${startedAt - cart.dueAt} ms)`);
		const event = firstJson(runs[0], 'Cart abandoned for 3 days') as { type: string; customer: { id: string }; occasion: { dueAt: string } };
		assert.equal(event.type, 'cart.abandoned');
		assert.equal(event.customer.id, String(cart.leaves.id));
		assert.equal(Date.parse(event.occasion.dueAt), cart.dueAt);
		await codeOf(mail, cart.leaves.id, 'cart-reminder-20');
		assert.match(mail.html, new RegExp(`checkouts/chk-${cart.leaves.id}/recover`), 'the mail links back to the cart');

		// Two more polls: still one execution, one mail.
		await sleep(Math.max(0, startedAt + 2 * POLL_INTERVAL_MS + 2_000 - Date.now()));
		assert.equal((await executionsOf(wf.cart)).length, 1, 'never twice');
		assert.equal(mailsTo(cart.leaves.email).length, 1);
		assert.equal(mailsTo(cart.orders.email).length, 0, 'the customer who ordered gets no reminder');
		assert.equal(mailsTo(cart.alreadyDue.email).length, 0, 'a cart already due at activation is not emailed');
		assert.ok(Date.now() - cart.activatedAt > 4 * POLL_INTERVAL_MS, 'several polls ran');
	});

	// Two workflows subscribed to the same shop topic (02 and 04 both start on orders): the event is
	// recorded once, and each trigger claims its own start.
	it('one order delivered to two activities\' webhooks starts both', async () => {
		const kit = { id: `g-${uniqueNumber()}`, email: `kit.${uniqueNumber()}@customers.test`, firstName: 'Kit' };
		const order = genericOrder({ id: `o-${uniqueNumber()}`, customer: kit, lines: [{ productId: 'shirt-4', name: 'Shirt', categories: ['Boys'], price: '19.00' }] });
		const first = await post(wf.kids.url, order);
		const second = await post(wf.bigSpendersGeneric.url, order);
		assert.deepEqual([first.body.status, second.body.status], ['started', 'started'], JSON.stringify(second.body));
	}, 60_000);
});
