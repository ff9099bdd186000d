/**
 * The Store over any Driver: each method is one transaction; the SQL lives in store/sql/.
 */
import type { CanonicalEvent } from '../core/event';
import type {
	ActivityReportQuery,
	BirthdayQuery,
	ClaimRequest,
	CodeInput,
	ShopMark,
	DueQuery,
	ForgetRequest,
	GuardRequest,
	KnownQuery,
	Millis,
	OccasionClaim,
	ProfileQuery,
	ProductRecord,
	PurchaseQuery,
	RedeemRequest,
	SegmentAdd,
	Store,
} from '../core/store';
import type { Driver, Querier } from './driver';
import * as ledger from './postgres/ledger';
import * as coupons from './sql/coupons';
import * as customers from './sql/customers';
import * as guard from './sql/guard';
import * as occasions from './sql/occasions';
import * as products from './sql/products';
import { profiles } from './sql/profiles';
import { purchases } from './sql/purchases';
import { activityReport } from './sql/report';
import * as segments from './sql/segments';

export class SqlStore implements Store {
	readonly dialect: 'sqlite' | 'postgres';
	readonly description: string;

	constructor(private readonly driver: Driver) {
		this.dialect = driver.dialect.name;
		this.description = driver.description;
	}

	private read<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
		return this.driver.transaction(fn, 'read');
	}

	private write<T>(fn: (q: Querier) => Promise<T>): Promise<T> {
		return this.driver.transaction(fn, 'write');
	}

	schemaVersion() {
		return this.read(async (q) => Number((await q.get('SELECT MAX(version) AS v FROM schema_migrations'))?.v ?? 0));
	}

	close() {
		return this.driver.close();
	}

	recordEvents(events: CanonicalEvent[], now: Millis) {
		const record = this.dialect === 'postgres' ? ledger.recordEvents : customers.recordEvents;
		return this.write((q) => record(q, this.driver.dialect, events, now));
	}

	knownCustomers(ids: string[]) {
		return this.read((q) => customers.knownCustomers(q, ids));
	}

	getCustomer(id: string) {
		return this.read((q) => customers.getCustomer(q, id));
	}

	async forgetCustomer(request: string | ForgetRequest, now: Millis = Date.now()) {
		const [report] = await this.forgetCustomers([typeof request === 'string' ? { customerId: request } : request], now);
		return report;
	}

	async forgetCustomers(requests: ForgetRequest[], now: Millis = Date.now()) {
		if (requests.length === 0) return [];
		const reports = await this.write((q) => customers.forgetCustomers(q, this.driver.dialect, requests, now));
		const remains = await this.driver.scrub?.();
		return remains === undefined ? reports : reports.map((report) => ({ ...report, remains }));
	}

	profiles(queries: ProfileQuery[], now: Millis) {
		return this.read((q) => profiles(q, queries, now));
	}

	purchases(queries: PurchaseQuery[]) {
		return this.read(async (q) => {
			const out = [];
			for (const query of queries) out.push(await purchases(q, query));
			return out;
		});
	}

	recordProducts(records: ProductRecord[], now: Millis) {
		return this.write((q) => products.recordProducts(q, records, now));
	}

	productCategories(productIds: string[]) {
		return this.read((q) => products.productCategories(q, productIds));
	}

	listSegments(search?: string) {
		return this.read((q) => segments.listSegments(q, search));
	}

	ensureSegments(names: string[], now: Millis) {
		return this.write((q) => segments.ensureSegments(q, names, now));
	}

	renameSegment(from: string, to: string) {
		return this.write((q) => segments.renameSegment(q, from, to));
	}

	deleteSegment(name: string) {
		return this.write((q) => segments.deleteSegment(q, name));
	}

	segmentAdd(segment: string, adds: SegmentAdd[], now: Millis) {
		return this.write((q) => segments.segmentAdd(q, this.driver.dialect, segment, adds, now));
	}

	segmentRemove(segment: string, customerIds: string[]) {
		return this.write((q) => segments.segmentRemove(q, segment, customerIds));
	}

	segmentCheck(segment: string, customerIds: string[], now: Millis) {
		return this.read((q) => segments.segmentCheck(q, segment, customerIds, now));
	}

	segmentMembers(segment: string, now: Millis, limit: number, offset: number) {
		return this.read((q) => segments.segmentMembers(q, segment, now, limit, offset));
	}

	segmentsOf(customerId: string, now: Millis) {
		return this.read((q) => segments.segmentsOf(q, customerId, now));
	}

	listPools(search?: string) {
		return this.read((q) => coupons.listPools(q, search));
	}

	ensurePools(names: string[], now: Millis) {
		return this.write((q) => coupons.ensurePools(q, names, now));
	}

	addCodes(pool: string, codes: CodeInput[], now: Millis, inShop = false) {
		return this.write((q) => coupons.addCodes(q, pool, codes, now, inShop));
	}

	pendingShopCodes(pool: string, limit: number) {
		return this.read((q) => coupons.pendingShopCodes(q, pool, limit));
	}

	shopDiscounts(pool: string) {
		return this.read((q) => coupons.shopDiscounts(q, pool));
	}

	markShopCodes(pool: string, marks: ShopMark[]) {
		return this.write((q) => coupons.markShopCodes(q, pool, marks));
	}

	claimCodes(pool: string, requests: ClaimRequest[], now: Millis) {
		return this.write((q) => coupons.claimCodes(q, this.driver.dialect, pool, requests, now));
	}

	poolStatus(pool: string, now: Millis) {
		return this.read((q) => coupons.poolStatus(q, pool, now));
	}

	redeemCodes(requests: RedeemRequest[], now: Millis) {
		return this.write((q) => coupons.redeemCodes(q, requests, now));
	}

	codesOf(customerId: string) {
		return this.read((q) => coupons.codesOf(q, customerId));
	}

	guardEnter(requests: GuardRequest[], now: Millis) {
		return this.write((q) => guard.guardEnter(q, requests, now));
	}

	guardReset(activity: string, customerId: string) {
		return this.write((q) => guard.guardReset(q, activity, customerId));
	}

	guardHistory(filter: { activity?: string; customerId?: string; limit: number }) {
		return this.read((q) => guard.guardHistory(q, filter));
	}

	activityReport(queries: ActivityReportQuery[]) {
		return this.read(async (q) => {
			const out = [];
			for (const query of queries) out.push(await activityReport(q, query));
			return out;
		});
	}

	dueBirthdays(query: BirthdayQuery) {
		return this.read((q) => occasions.dueBirthdays(q, query));
	}

	dueAbandonedCarts(query: DueQuery) {
		return this.read((q) => occasions.dueAbandonedCarts(q, query));
	}

	dueRegisteredWithoutOrder(query: DueQuery) {
		return this.read((q) => occasions.dueRegisteredWithoutOrder(q, query));
	}

	dueLapsed(query: DueQuery) {
		return this.read((q) => occasions.dueLapsed(q, query));
	}

	knownAbandonedCarts(query: KnownQuery) {
		return this.read((q) => occasions.knownAbandonedCarts(q, query));
	}

	knownRegisteredWithoutOrder(query: KnownQuery) {
		return this.read((q) => occasions.knownRegisteredWithoutOrder(q, query));
	}

	knownLapsed(query: KnownQuery) {
		return this.read((q) => occasions.knownLapsed(q, query));
	}

	claimOccasions(claims: OccasionClaim[], now: Millis) {
		return this.write((q) => occasions.claimOccasions(q, claims, now));
	}
}
