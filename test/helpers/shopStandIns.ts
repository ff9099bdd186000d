/**
 * A package node whose calls to the shop hosts go to local stand-ins (test/standins) through
 * n8n's own request helpers: the node asks for https://<shop>.myshopify.com or
 * https://shop.example, and only the scheme and host are swapped for the stand-in's.
 */
import type { IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, INodeType, IRequestOptions } from 'n8n-workflow';

/** Where the requests for each shop host go, and the hosts asked for. */
export class ShopHosts {
	readonly targets = new Map<string, string>();
	readonly seen: string[] = [];

	/** The stand-in's URL for a shop URL; throws for a host without a stand-in or a plain-HTTP URL. */
	route(address: string): string {
		const url = new URL(address);
		this.seen.push(`${url.protocol}//${url.host}`);
		const target = this.targets.get(url.host);
		if (url.protocol !== 'https:' || !target) throw new Error(`test: no stand-in for ${address}`);
		return `${target}${url.pathname}${url.search}`;
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NodeClass = new (...args: any[]) => INodeType & { execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> };

/** A subclass of the node whose shop requests `hosts` routes. */
export function viaStandIns<T extends NodeClass>(Node: T, hosts: ShopHosts): T {
	return class extends Node {
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const helpers = this.helpers;
			const ctx = Object.create(this) as IExecuteFunctions;
			ctx.helpers = {
				...helpers,
				httpRequestWithAuthentication(credentialType: string, options: IHttpRequestOptions, more?: unknown) {
					return helpers.httpRequestWithAuthentication.call(this, credentialType, { ...options, url: hosts.route(options.url) }, more as never);
				},
				requestWithAuthentication(credentialType: string, options: IRequestOptions, more?: unknown, itemIndex?: number) {
					return helpers.requestWithAuthentication.call(this, credentialType, { ...options, uri: hosts.route(String(options.uri)) }, more as never, itemIndex);
				},
			};
			return Node.prototype.execute.call(ctx);
		}
	};
}
