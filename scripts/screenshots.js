#!/usr/bin/env node
'use strict';
/* global document -- the functions given to page.evaluate() run in the browser */
// `npm run screenshots`: pictures of the real n8n editor with this package, taken by headless
// Chromium (Debian's chromium, driven by playwright-core):
//
//   1. builds the package (DIALOGUE_SKIP_BUILD=1 skips it) and installs it, packed, into a fresh
//      n8n user folder in a temp folder, as a user install does (scripts/n8n/instance.js);
//   2. starts the pinned n8n there (installed into the cache folder on first use), creates the
//      owner, an API key and a stand-in credential of each type the templates name (SMTP, Twilio,
//      Storefront Webhook: nothing is ever sent), and imports every templates/*.json with them;
//   3. logs in through the sign-in page, opens each template and saves
//        <out>/<template>.png                 the canvas, zoomed to fit
//        <out>/<template>--<node>.png         the settings panel of each of this package's nodes
//      and the same for "Dialogue nodes" (nodes.png, nodes--<node>.png): one of each node this
//      package registers, with its defaults;
//   4. the screenshot-only workflows in scripts/n8n/screenshot-workflows/: the panels of this
//      package's nodes only (<workflow>--<node>.png), no canvas; and the dialogs of n8n's own
//      credentials in CREDENTIAL_DIALOGS as a user fills them in (fake values, never saved);
//   5. the weekly report mail of template 12 (weekly-report-mail.png): a sample month of one
//      activity in the store (scripts/report-mail.js), the template run once by its schedule
//      against an SMTP catcher, the caught message shown as a mail client shows it
//      (scripts/n8n/mail-view.js);
//      out: docs/screenshots (DIALOGUE_SCREENSHOTS_DIR to change it).
//
// Options: --only=<text>[,<text>...] takes the pictures whose name contains one of them (e.g.
// --only=06 a template, --only=connect-a-shop the shop's credential dialogs and node panels,
// --only=mail the report mail); --canvas-only takes the canvases only. CHROMIUM_PATH overrides /usr/bin/chromium.
// Everything listens on 127.0.0.1 and is stopped at the end; the temp folder is removed.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

// Run under the repository's Node 24 even if started with the system node.
require('./node24.js').runUnderNode24(__filename, 'npm run screenshots');

const { ensureN8n, PACKAGE_NAME } = require('./n8n/install.js');
const n8n = require('./n8n/instance.js');
const { mailViewHtml } = require('./n8n/mail-view.js');
const reportMail = require('./report-mail.js');

const args = process.argv.slice(2);
const only = (args.find((a) => a.startsWith('--only=')) || '').slice('--only='.length);
const chosen = (name) => only.split(',').some((part) => name.includes(part));
const canvasOnly = args.includes('--canvas-only');
const outDir = path.resolve(root, process.env.DIALOGUE_SCREENSHOTS_DIR || path.join('docs', 'screenshots'));
const templatesDir = path.join(root, 'templates');
const screenshotWorkflowsDir = path.join(__dirname, 'n8n', 'screenshot-workflows');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OWNER = { email: 'owner@dialogue.local', password: 'Dialogue-Local-1', firstName: 'Screen', lastName: 'Shots' };

const CANVAS_VIEWPORT = { width: 1600, height: 900 };
const CANVAS_SCALE = 1.5;
const PANEL_VIEWPORT = { width: 1600, height: 1300 };
const PANEL_SCALE = 1.5;
const MAIL_VIEWPORT = { width: 920, height: 900 };
const MAIL_PICTURE = 'weekly-report-mail';

/** Stand-in credentials, one per type the templates name. They only need to exist. */
const CREDENTIALS = {
	smtp: { name: 'Shop mail server', data: { user: '', password: '', host: '127.0.0.1', port: 2525, secure: false, disableStartTls: true } },
	twilioApi: { name: 'Twilio account', data: { authType: 'authToken', accountSid: 'AC00000000000000000000000000000000', authToken: 'not-a-real-token' } },
	storefrontWebhookApi: { name: 'Shopify store', data: { source: 'shopify', secret: 'not-a-real-secret' } },
	shopifyAccessTokenApi: { name: 'Shopify: your-shop', data: { shopSubdomain: 'your-shop', accessToken: 'not-a-real-token', appSecretKey: 'not-a-real-secret' } },
};

/**
 * Dialogs of n8n's own credentials, opened as "Create credential" does and filled in field by field
 * (by parameter name); never saved.
 */
const CREDENTIAL_DIALOGS = [
	{
		picture: 'connect-a-shop--shopify-credential',
		type: 'Shopify Access Token API',
		name: 'Shopify: your-shop',
		fields: { shopSubdomain: 'your-shop', accessToken: 'shpat_0123456789abcdef0123456789abcdef', appSecretKey: '0123456789abcdef0123456789abcdef' },
	},
	{
		picture: 'connect-a-shop--woocommerce-credential',
		type: 'WooCommerce API',
		name: 'WooCommerce: shop.example.com',
		fields: { consumerKey: 'ck_0123456789abcdef0123456789abcdef01234567', consumerSecret: 'cs_0123456789abcdef0123456789abcdef01234567', url: 'https://shop.example.com' },
	},
];

const log = (line) => console.log(line);
const slug = (text) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function build() {
	if (process.env.DIALOGUE_SKIP_BUILD === '1') {
		if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('DIALOGUE_SKIP_BUILD=1 but dist/ does not exist; run `npm run build` first.');
		return;
	}
	log('== Building the package (npm run build)');
	const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) throw new Error('`npm run build` failed (see above).');
}

function loadChromium() {
	let chromium;
	try {
		({ chromium } = require('playwright-core'));
	} catch {
		throw new Error('playwright-core is not installed; run `npm install` first.');
	}
	if (!fs.existsSync(chromiumPath)) {
		throw new Error(`Chromium not found at ${chromiumPath}. Install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`);
	}
	return chromium;
}

/** The workflows to picture: the templates with their canvas, then the screenshot-only workflows without. */
function workflowFiles() {
	const inDir = (dir, canvas) =>
		fs
			.readdirSync(dir)
			.filter((f) => f.endsWith('.json') && chosen(f))
			.sort()
			.map((f) => ({ stem: path.basename(f, '.json'), file: path.join(dir, f), canvas }));
	return [...inDir(templatesDir, true), ...inDir(screenshotWorkflowsDir, false)];
}

/**
 * "Dialogue nodes": one of each node this package registers, with its defaults, so that every
 * node's canvas look (icon, subtitle, output names) and settings panel are pictured even when no
 * template uses it.
 */
function galleryWorkflow() {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const nodes = pkg.n8n.nodes.map((file, i) => {
		const exported = require(path.join(root, file));
		const description = new (Object.values(exported)[0])().description;
		return {
			id: `0d1a1060-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
			name: description.defaults.name || description.displayName,
			type: `${PACKAGE_NAME}.${description.name}`,
			typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
			position: [(i % 4) * 320, Math.floor(i / 4) * 260],
			parameters: {},
			...(description.webhooks ? { webhookId: `0d1a1060-0000-4000-9000-${String(i + 1).padStart(12, '0')}` } : {}),
		};
	});
	return { name: 'Dialogue nodes', nodes, connections: {}, settings: { executionOrder: 'v1' } };
}

/** The template with every credential reference pointed at the stand-in of its type. */
function withCredentials(workflow, credentials) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes || []) {
		for (const type of Object.keys(node.credentials || {})) {
			if (credentials[type]) node.credentials[type] = credentials[type];
		}
	}
	return copy;
}

// Editor chrome over the canvas that is not part of the workflow: hidden before a canvas picture.
const HIDE_CHROME = `
	[data-test-id="canvas-controls"], [data-test-id="canvas-minimap"], [data-test-id="node-creator-plus-button"],
	[data-test-id="command-bar-button"], [data-test-id="add-sticky-button"], [data-test-id="toggle-focus-panel-button"],
	[data-test-id="instance-ai-canvas-action-button"], [data-test-id="canvas-node-toolbar"], .tab-bar-container,
	[class*="executionButtons"], [data-test-id="execute-workflow-button"] { visibility: hidden !important; }
`;

async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', OWNER.email);
	await page.fill('#password', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
}

async function openWorkflow(page, baseUrl, id) {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	// Let the canvas lay out and the node icons load.
	await page.waitForLoadState('networkidle').catch(() => {});
	await page.waitForTimeout(800);
}

/** The canvas zoomed to fit, cut to the workflow (nodes, their labels, stickies, edges) plus a margin. */
async function canvasPicture(page, file) {
	await page.click('[data-test-id="zoom-to-fit"]');
	await page.waitForTimeout(600);
	const style = await page.addStyleTag({ content: HIDE_CHROME });
	await page.mouse.move(2, 2);
	await page.waitForTimeout(300);
	const clip = await page.evaluate(() => {
		const wrapper = document.querySelector('[data-test-id="canvas-wrapper"]').getBoundingClientRect();
		const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
		for (const el of document.querySelectorAll('.vue-flow__node, .vue-flow__node *, .vue-flow__edge-path')) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			box.left = Math.min(box.left, r.left);
			box.top = Math.min(box.top, r.top);
			box.right = Math.max(box.right, r.right);
			box.bottom = Math.max(box.bottom, r.bottom);
		}
		const margin = 16;
		const left = Math.max(wrapper.left, box.left - margin);
		const top = Math.max(wrapper.top, box.top - margin);
		const right = Math.min(wrapper.right, box.right + margin);
		const bottom = Math.min(wrapper.bottom, box.bottom + margin);
		return { x: Math.floor(left), y: Math.floor(top), width: Math.ceil(right - left), height: Math.ceil(bottom - top) };
	});
	await page.screenshot({ path: file, clip });
	await style.evaluate((el) => el.remove());
}

/** The settings column of the open node panel, cut to its content. */
async function panelPicture(page, nodeName, file) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName.replace(/"/g, '\\"')}"]`).dblclick();
	await page.waitForSelector('[data-test-id="node-parameters"]', { timeout: 15_000 });
	await page.waitForTimeout(800);
	const clip = await page.evaluate(() => {
		const params = document.querySelector('[data-test-id="node-parameters"]');
		const column = params.closest('.node-settings') || params.parentElement;
		const c = column.getBoundingClientRect();
		// The last field (or option list) ends the content; the column itself runs to the bottom.
		let contentBottom = params.getBoundingClientRect().top;
		for (const el of params.querySelectorAll('[data-test-id="parameter-item"], [data-test-id^="parameter-input"], .parameter-item, button')) {
			const r = el.getBoundingClientRect();
			if (r.height > 0) contentBottom = Math.max(contentBottom, r.bottom);
		}
		contentBottom += 24;
		return { x: Math.floor(c.x), y: Math.floor(c.y), width: Math.ceil(c.width), height: Math.ceil(Math.min(c.bottom, contentBottom) - c.y) };
	});
	await page.mouse.move(2, 2);
	await page.screenshot({ path: file, clip });
	await page.keyboard.press('Escape');
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden', timeout: 10_000 }).catch(() => page.click('[data-test-id="ndv-close-button"]'));
}

/** n8n's dialog for a new credential of this type, filled in, cut to its content. */
async function credentialPicture(page, baseUrl, { type, name, fields }, file) {
	await page.goto(`${baseUrl}/home/credentials/create`);
	const search = page.locator('[data-test-id="new-credential-type-select"] input');
	await search.waitFor({ timeout: 30_000 });
	await search.fill(type);
	const exactly = new RegExp(`^\\s*${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
	await page.locator('.el-select-dropdown__item', { hasText: exactly }).first().click();
	await page.click('[data-test-id="new-credential-type-button"]');
	const dialog = page.locator('[data-test-id="editCredential-modal"]');
	await dialog.waitFor({ timeout: 15_000 });
	if (name) {
		await dialog.locator('[data-test-id="credential-name"] [data-test-id="inline-edit-preview"]').click();
		await dialog.locator('[data-test-id="credential-name"] [data-test-id="inline-edit-input"]').fill(name);
		await page.keyboard.press('Enter');
	}
	for (const [field, value] of Object.entries(fields)) {
		await dialog.locator(`[data-test-id="parameter-input-${field}"] input`).fill(value);
	}
	await page.evaluate(() => document.activeElement && document.activeElement.blur());
	await page.mouse.move(2, 2);
	await page.waitForTimeout(500);
	const clip = await dialog.evaluate((el) => {
		const d = el.getBoundingClientRect();
		// The dialog has a fixed height: cut below its last field.
		let bottom = d.top;
		for (const item of el.querySelectorAll('header, [data-test-id="parameter-input"], [data-test-id^="parameter-input-"], [data-test-id="node-credentials-config-container"] > *')) {
			const r = item.getBoundingClientRect();
			if (r.height > 0) bottom = Math.max(bottom, r.bottom);
		}
		return { x: Math.floor(d.x), y: Math.floor(d.y), width: Math.ceil(d.width), height: Math.ceil(Math.min(d.bottom, bottom + 24) - d.y) };
	});
	await page.screenshot({ path: file, clip });
}

/** The caught mail in a mail client's reading pane. */
async function mailPicture(browser, mail, file) {
	const context = await browser.newContext({ viewport: MAIL_VIEWPORT, deviceScaleFactor: 1 });
	try {
		const page = await context.newPage();
		await page.setContent(await mailViewHtml(fs.readFileSync(mail.file), { timeZone: 'UTC' }), { waitUntil: 'load' });
		await page.locator('.mail').screenshot({ path: file });
	} finally {
		await context.close();
	}
}

async function main() {
	const chromium = loadChromium();
	build();
	const { n8nBin } = await ensureN8n({ log });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-screenshots-'));
	const storeFile = path.join(userFolder, 'dialogue-activities.sqlite');
	const withMail = !canvasOnly && chosen(MAIL_PICTURE);
	let instance;
	let browser;
	let smtp;
	try {
		n8n.installPackage(userFolder, root, { log });
		smtp = await n8n.startSmtpCatcher({ dir: path.join(userFolder, 'mail') });
		CREDENTIALS.smtp.data.port = smtp.port;
		if (withMail) await reportMail.fillStore(storeFile);
		instance = await n8n.startN8n({
			userFolder,
			n8nBin,
			log,
			env: { DIALOGUE_STORE_URL: storeFile, GENERIC_TIMEZONE: 'Europe/Berlin' },
		});
		log(`n8n ready on ${instance.baseUrl} in ${(instance.startupMs / 1000).toFixed(1)} s`);
		const cookie = await n8n.setupOwner(instance.baseUrl, OWNER);
		const api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: 'screenshots' }));
		const credentials = {};
		for (const [type, { name, data }] of Object.entries(CREDENTIALS)) {
			const created = await api.createCredential({ name, type, data });
			credentials[type] = { id: created.id, name: created.name };
		}

		const report = withMail ? await reportMail.scheduleReportMail({ api, smtp, credentials }) : null;

		const workflows = [];
		const pictured = [...workflowFiles(), ...(only ? [] : [{ stem: 'nodes', file: null, canvas: true }])].filter((w) => w.canvas || !canvasOnly);
		const dialogs = canvasOnly ? [] : CREDENTIAL_DIALOGS.filter((d) => chosen(d.picture));
		if (pictured.length + dialogs.length === 0 && !withMail) throw new Error(`no pictures${only ? ` matching "${only}"` : ''}`);
		for (const { stem, file, canvas } of pictured) {
			const workflow = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : galleryWorkflow();
			const created = await api.createWorkflow(withCredentials(workflow, credentials));
			const ours = (workflow.nodes || []).filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`)).map((node) => node.name);
			workflows.push({ stem, id: created.id, ours, canvas });
		}

		fs.mkdirSync(outDir, { recursive: true });
		browser = await chromium.launch({
			executablePath: chromiumPath,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const canvasContext = await browser.newContext({ viewport: CANVAS_VIEWPORT, deviceScaleFactor: CANVAS_SCALE });
		const canvasPage = await canvasContext.newPage();
		await signIn(canvasPage, instance.baseUrl);
		const panelContext = await browser.newContext({ viewport: PANEL_VIEWPORT, deviceScaleFactor: PANEL_SCALE, storageState: await canvasContext.storageState() });
		const panelPage = await panelContext.newPage();

		const written = [];
		for (const { stem, id, ours, canvas } of workflows) {
			if (canvas) {
				await openWorkflow(canvasPage, instance.baseUrl, id);
				const canvasFile = path.join(outDir, `${stem}.png`);
				await canvasPicture(canvasPage, canvasFile);
				written.push(canvasFile);
			}
			if (canvasOnly || ours.length === 0) continue;
			await openWorkflow(panelPage, instance.baseUrl, id);
			for (const nodeName of ours) {
				const file = path.join(outDir, `${stem}--${slug(nodeName)}.png`);
				await panelPicture(panelPage, nodeName, file);
				written.push(file);
			}
		}
		for (const dialog of dialogs) {
			const file = path.join(outDir, `${dialog.picture}.png`);
			await credentialPicture(panelPage, instance.baseUrl, dialog, file);
			written.push(file);
		}
		if (report) {
			log('waiting for the weekly report mail');
			const file = path.join(outDir, `${MAIL_PICTURE}.png`);
			await mailPicture(browser, await report.mail(), file);
			written.push(file);
		}
		log(`\n${written.length} pictures in ${path.relative(process.cwd(), outDir) || '.'}:`);
		for (const file of written) log(`  ${path.basename(file)}  (${Math.round(fs.statSync(file).size / 1024)} kB)`);
	} finally {
		if (browser) await browser.close().catch(() => {});
		if (instance) await instance.stop();
		if (smtp) await smtp.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(`\nnpm run screenshots failed: ${err.stack || err.message}`);
	process.exit(1);
});
