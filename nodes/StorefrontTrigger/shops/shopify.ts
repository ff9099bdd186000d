/**
 * Shopify webhook subscriptions through the GraphQL Admin API (webhookSubscriptions,
 * webhookSubscriptionCreate, webhookSubscriptionDelete). GraphQL rather than REST webhooks.json:
 * Shopify marks the REST Admin API legacy and requires GraphQL of new apps. A throttled answer
 * (200 with errors[].extensions.code THROTTLED) is retried once the bucket has refilled enough, as
 * extensions.cost.throttleStatus tells.
 */
import { sleep } from 'n8n-workflow';
import { shopifyAdminUrl } from '../../../core/shop';
import { ATTEMPTS, MAX_WAIT_MS, ShopError, type ShopRequest, type ShopWebhook, type ShopWebhooks } from './types';

const PAGE = 100;

const LIST = `query Webhooks($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CREATE = `mutation CreateWebhook($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

const DELETE = `mutation DeleteWebhook($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;

/** orders/create <-> ORDERS_CREATE. */
export const shopifyTopicEnum = (topic: string): string => topic.replace('/', '_').toUpperCase();
const topicOfEnum = (value: string): string => value.toLowerCase().replace('_', '/');

interface GraphqlAnswer {
	data?: Record<string, unknown>;
	errors?: unknown;
	extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } };
}

function messagesOf(errors: unknown): string {
	if (typeof errors === 'string') return errors;
	if (Array.isArray(errors)) return errors.map((e) => (typeof e?.message === 'string' ? e.message : JSON.stringify(e))).join('; ');
	return JSON.stringify(errors ?? null);
}

function isThrottled(errors: unknown): boolean {
	return Array.isArray(errors) && errors.some((e) => e?.extensions?.code === 'THROTTLED');
}

/** How long until the bucket holds the query's cost again. */
function throttleWaitMs(answer: GraphqlAnswer): number {
	const cost = answer.extensions?.cost;
	const rate = cost?.throttleStatus?.restoreRate ?? 0;
	const missing = (cost?.requestedQueryCost ?? 0) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
	return rate > 0 ? Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil((missing / rate) * 1000))) : 1000;
}

function userErrorsOf(payload: unknown): string | undefined {
	const errors = (payload as { userErrors?: Array<{ message?: string }> } | undefined)?.userErrors ?? [];
	return errors.length > 0 ? errors.map((e) => e.message).join('; ') : undefined;
}

export function shopifyWebhooks(request: ShopRequest, credential: { shopSubdomain?: unknown }): ShopWebhooks {
	const url = shopifyAdminUrl(credential.shopSubdomain);

	async function graphql(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
		for (let attempt = 1; ; attempt++) {
			const { statusCode, body } = await request({ method: 'POST', url, body: { query, variables }, json: true });
			const answer = (body ?? {}) as GraphqlAnswer;
			if (statusCode >= 400) throw new ShopError(statusCode, messagesOf(answer.errors ?? body));
			if (answer.errors !== undefined) {
				if (isThrottled(answer.errors) && attempt < ATTEMPTS) {
					await sleep(throttleWaitMs(answer));
					continue;
				}
				throw new ShopError(statusCode, messagesOf(answer.errors));
			}
			return answer.data ?? {};
		}
	}

	return {
		async list() {
			const found: ShopWebhook[] = [];
			let after: string | null = null;
			do {
				const data = await graphql(LIST, { first: PAGE, after });
				const page = data.webhookSubscriptions as { nodes: Array<{ id: string; topic: string; uri: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
				for (const node of page.nodes) found.push({ id: node.id, topic: topicOfEnum(node.topic), address: node.uri, active: true });
				after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
			} while (after !== null);
			return found;
		},
		async create(topic, address) {
			const data = await graphql(CREATE, { topic: shopifyTopicEnum(topic), webhookSubscription: { uri: address, format: 'JSON' } });
			const payload = data.webhookSubscriptionCreate as { webhookSubscription?: { id: string } | null } | undefined;
			const refused = userErrorsOf(payload);
			if (refused || !payload?.webhookSubscription) throw new ShopError(200, `${topic}: ${refused ?? 'no webhook subscription was created'}`);
			return payload.webhookSubscription.id;
		},
		async remove(id) {
			const data = await graphql(DELETE, { id });
			const refused = userErrorsOf(data.webhookSubscriptionDelete);
			if (refused) throw new ShopError(200, refused);
		},
	};
}
