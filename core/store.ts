/**
 * The activity store port. The core's domain operations run over this interface; store/ holds
 * the SQLite and PostgreSQL implementations (and is the only place with SQL).
 *
 * Every writing method runs in ONE transaction and takes a batch, so a node execution makes one
 * round of work for all of its items (reads on PostgreSQL run without BEGIN: each statement is
 * consistent in itself). Every write is idempotent and every decision that must happen once
 * (a guard entry, a coupon claim, an occasion claim, an event record) is made by the database
 * with a unique constraint and a single conditional statement, never read-decide-write.
 *
 * Instants are epoch milliseconds. Money is integer minor units with its currency.
 */
import type { CanonicalEvent } from './event';

export type Millis = number;

// ---------------------------------------------------------------- events and customers

export interface RecordOutcome {
	id: string;
	/** false: an event with this id was recorded before (a redelivery); nothing was written. */
	recorded: boolean;
	/** The customer had never been seen by this store before this event. */
	newCustomer: boolean;
	/**
	 * The event is about a customer (id or email) forgotten after it occurred: nothing was written,
	 * and it starts nothing. An event that occurred after the forget is recorded as new.
	 */
	suppressed?: true;
	/**
	 * For an order event: the order's state in the store after this event (or, for a redelivery,
	 * now). Not counted: cancelled, refunded in full, or the order belongs to another customer.
	 */
	order?: { counted: boolean; status?: string };
}

export interface CustomerRow {
	id: string;
	email?: string;
	phone?: string;
	firstName?: string;
	lastName?: string;
	birthday?: string;
	timezone?: string;
	locale?: string;
	acceptsMarketing?: boolean;
	registeredAt?: Millis;
	firstSeenAt: Millis;
	updatedAt: Millis;
	lastOrderAt?: Millis;
}

export interface ForgetRequest {
	/** The customer id to erase. */
	customerId?: string;
	/** Every customer id whose stored email is this address (compared in lower case), and its guest id `email:<address>`. */
	email?: string;
	/** With customerId: also the guest ids of its stored email and phone (`email:<address>`, `phone:+<digits>`). */
	guests?: boolean;
	/** With customerId: also every customer id with its stored email (the same person in another shop). */
	sameEmail?: boolean;
}

export interface ForgetReport {
	/** The customer id, else the email, that was asked for. */
	customerId: string;
	/** The ids whose rows were erased (none: the store held nothing about them). */
	customerIds: string[];
	/** Rows removed (or anonymized, for coupon codes already handed out) per table. */
	removed: Record<string, number>;
	/** Copies of erased data the database still holds outside its rows, and when they go (SQLite: a WAL a reader kept). */
	remains?: string;
}

// ---------------------------------------------------------------- product catalog

/**
 * One version of a product of the shop's catalog. Order lines name products by this id; an
 * order's categories are those its lines carried plus the catalog's categories of its products
 * now, so recording a product changes what orders recorded before it show too.
 */
export interface ProductRecord {
	/** The product id as order lines carry it (Shopify and WooCommerce: the numeric product id). */
	id: string;
	title?: string;
	/** Every category the product is in now; [] for none. */
	categories: string[];
	/** When this version was made: an older version recorded after a newer one changes nothing. */
	updatedAt: Millis;
}

export interface ProductOutcome {
	id: string;
	/** false: the store holds a newer version of the product; nothing was written. */
	applied: boolean;
}

// ---------------------------------------------------------------- purchases

export interface PurchaseQuery {
	customerId: string;
	/** Inclusive lower bound. */
	from?: Millis;
	/** Exclusive upper bound. */
	to?: Millis;
}

export interface PurchaseRows {
	customerId: string;
	/** One row per currency, net of refunds; cancelled, fully refunded and failed orders are not counted. */
	totals: Array<{ currency: string; orders: number; amountMinor: bigint }>;
	firstOrderAt?: Millis;
	lastOrderAt?: Millis;
	categories: string[];
	products: string[];
	skus: string[];
	couponCodes: string[];
	promotions: string[];
}

// ---------------------------------------------------------------- segments

export interface SegmentRow {
	id: number;
	name: string;
	createdAt: Millis;
	members: number;
}

export interface MembershipRow {
	customerId: string;
	addedAt: Millis;
	expiresAt?: Millis;
}

export interface SegmentAdd {
	customerId: string;
	/** Membership ends at this instant; undefined = open-ended. */
	until?: Millis;
}

// ---------------------------------------------------------------- coupons

export interface PoolRow {
	id: number;
	name: string;
	createdAt: Millis;
}

export interface CodeInput {
	code: string;
	discountKind?: 'percent' | 'fixed';
	discountValue?: string;
	currency?: string;
	minimumOrder?: string;
	/** The code itself stops being valid at this instant (never handed out after it). */
	validUntil?: Millis;
}

export interface ClaimRequest {
	customerId: string;
	/** Idempotency key: the same customer with the same key in the same pool always gets the same code. */
	key: string;
	/** Expiry of the assignment, if any. */
	expiresAt?: Millis;
}

export interface ClaimedCode {
	code: string;
	pool: string;
	customerId: string;
	assignedAt: Millis;
	expiresAt?: Millis;
	/** When the code was used in an order (only a code served before can have been). */
	redeemedAt?: Millis;
	discountKind?: 'percent' | 'fixed';
	discountValue?: string;
	currency?: string;
	minimumOrder?: string;
	/** true when this key had been served before (a retried execution); no new code was used. */
	reused: boolean;
}

export type ClaimOutcome = ({ assigned: true } & ClaimedCode) | { assigned: false; pool: string };

export interface PoolStatus {
	pool: string;
	total: number;
	free: number;
	assigned: number;
	redeemed: number;
	expired: number;
	/** Codes to be created in the shop that it has not created yet: never handed out until it has. */
	notInShop: number;
	/** Codes the shop refused: never handed out. */
	refusedByShop: number;
}

/** A code to be created in the shop, with the terms it was stored with. */
export type PendingShopCode = CodeInput;

/** The shop's discount that codes with these terms belong to. */
export interface ShopDiscount extends Omit<CodeInput, 'code'> {
	shopDiscount: string;
}

/** What the shop made of a code: created (with its id in the shop) or refused (with the reason). */
export interface ShopMark {
	code: string;
	state: 'created' | 'refused';
	shopId?: string;
	shopDiscount?: string;
	error?: string;
}

export interface RedeemRequest {
	code: string;
	/** Restrict to one pool; undefined = the code in any pool. */
	pool?: string;
	orderId?: string;
}

export interface RedeemOutcome {
	/** The code as the pool holds it (found by codeKey), else as requested. */
	code: string;
	found: boolean;
	/** Marked now (false when it already was redeemed or not found). */
	redeemed: boolean;
	redeemedAt?: Millis;
}

export interface HeldCode {
	pool: string;
	code: string;
	assignedAt: Millis;
	expiresAt?: Millis;
	redeemedAt?: Millis;
}

// ---------------------------------------------------------------- guard

export type GuardPolicy =
	| { kind: 'once' }
	| { kind: 'always' }
	| { kind: 'atMost'; times: number }
	| { kind: 'perPeriod'; periodMs: number };

export interface GuardRequest {
	activity: string;
	customerId: string;
	/** Idempotency key of this attempt (e.g. the event id): a retry returns the first decision, Enter or Skip. */
	key: string;
	policy: GuardPolicy;
	/** The customer is in the activity's control group: if the policy lets them in, the entry is recorded as held out. */
	holdOut?: boolean;
}

export interface GuardOutcome {
	activity: string;
	customerId: string;
	/** The policy let the customer in and the entry was counted (held out or not). */
	entered: boolean;
	/** The entry was recorded as held out (a control group): counted, but the customer does not enter. */
	heldOut: boolean;
	/** The key was decided before (a retried execution): `entered` is that first answer, and nothing was counted. */
	replay: boolean;
	/** Entries counted for this customer and activity after this decision. */
	entries: number;
	firstAt?: Millis;
	lastAt?: Millis;
}

export interface GuardEntryRow {
	activity: string;
	customerId: string;
	key: string;
	enteredAt: Millis;
	/** A control group's entry: counted, but the customer was held out. */
	heldOut: boolean;
}

// ---------------------------------------------------------------- activity report

export interface ActivityReportQuery {
	activity: string;
	/** Entries with entered_at in [from, to). */
	from: Millis;
	to: Millis;
	/** Orders and coupon codes count from a customer's first entry in the range for this long. */
	windowMs: Millis;
	/** Only codes of these pools (each must exist); undefined: codes of every pool. */
	pools?: string[];
}

/**
 * One group of an activity's customers: those whose first counted entry in the range was an entry
 * (entered) or held out (control). Each customer's window starts at that first entry.
 */
export interface ActivityGroupRow {
	customers: number;
	/** Counted entries in the range (a repeatable activity counts a customer's every entry). */
	entries: number;
	/** Customers with a counted order in their window. */
	converted: number;
	/** Counted orders in the windows, per currency, amounts net of refunds. */
	orders: Array<{ currency: string; orders: number; amountMinor: bigint }>;
	/** Coupon codes (of the pools asked for) assigned in the windows, and of them those redeemed in the windows. */
	codesAssigned: number;
	codesRedeemed: number;
}

export interface ActivityReportRow {
	activity: string;
	/** Attempts in the range the policy refused (the store keeps no reason). */
	skipped: number;
	entered: ActivityGroupRow;
	control: ActivityGroupRow;
}

// ---------------------------------------------------------------- occasions

export interface OccasionCandidate {
	customer: CustomerRow;
	/** Instant the occasion relates to: cart update, registration, last order. */
	at?: Millis;
	/** When the store learned of that instant (its clock at the write): the cart version, the registration, the last order. */
	known?: Millis;
	cart?: CartRow;
}

export interface CartRow {
	id: string;
	customerId: string;
	currency?: string;
	totalMinor?: bigint;
	lines: unknown[];
	recoveryUrl?: string;
	updatedAt: Millis;
	version: number;
}

export interface OccasionClaim {
	/** Who consumes the occasion, e.g. workflow id + node id: each consumer gets it once. */
	consumer: string;
	kind: string;
	customerId: string;
	/** Occurrence key: the year of a birthday, the cart version, the lapse's last order instant. */
	occurrence: string;
}

export interface DueQuery {
	/** Candidates whose relevant instant (cart update, registration, last order) is in [after, before). */
	after?: Millis;
	before: Millis;
	/** The next page: only candidates after this one in the order (instant, id), where id is the cart's for carts, else the customer's. */
	cursor?: { at: Millis; id: string };
	limit: number;
	/** Skip what this consumer has already claimed for this kind. */
	consumer: string;
	kind: string;
}

export interface KnownQuery {
	/** Candidates the store learned of (`known`) at or after this instant. */
	knownFrom: Millis;
	/** ... whose relevant instant (cart update, registration, last order) is before this one. */
	before: Millis;
	/** The next page: only candidates after this one in the order (known, id), where id is the cart's for carts, else the customer's. */
	cursor?: { known: Millis; id: string };
	limit: number;
	/** Skip what this consumer has already claimed for this kind. */
	consumer: string;
	kind: string;
}

export interface BirthdayQuery {
	/** Month-days ('MM-DD') that may be due now in some time zone. */
	monthDays: string[];
	/** Occurrence keys (birthday years) already claimed by this consumer are skipped. */
	years: string[];
	/** Cursor: only customers with an id after this one (candidates come ordered by id). */
	afterCustomerId?: string;
	limit: number;
	consumer: string;
	kind: string;
}

// ---------------------------------------------------------------- profiles

export interface ProfileQuery {
	customerId: string;
	/** How many of the newest activity entries to return; 0 for none. */
	activityLimit: number;
}

export interface ProfileRows {
	customerId: string;
	/** undefined: the store has no customer with this id. */
	customer?: CustomerRow;
	/** All-time purchases. */
	purchases: PurchaseRows;
	/** Current memberships (expired ones are left out), by segment name. */
	segments: Array<{ segment: string } & MembershipRow>;
	/** Codes handed to the customer, in the order they were assigned. */
	codes: HeldCode[];
	/** Activities entered (guard entries), newest first, at most activityLimit. */
	activities: GuardEntryRow[];
}

// ---------------------------------------------------------------- the store

export interface Store {
	readonly dialect: 'sqlite' | 'postgres';
	/** Human-readable location, for execution hints: "SQLite /home/n8n/.n8n/dialogue-activities.sqlite". */
	readonly description: string;

	schemaVersion(): Promise<number>;
	close(): Promise<void>;

	recordEvents(events: CanonicalEvent[], now: Millis): Promise<RecordOutcome[]>;
	knownCustomers(ids: string[]): Promise<Set<string>>;
	getCustomer(id: string): Promise<CustomerRow | undefined>;
	/**
	 * Erases one id (a string: that id only) or what a request names, in one transaction, and keeps a
	 * suppression record (keyed hashes of the ids and emails, and `now`) so events about them that
	 * occurred before now are not recorded again.
	 */
	forgetCustomer(request: string | ForgetRequest, now?: Millis): Promise<ForgetReport>;
	/** forgetCustomer for many requests in ONE transaction (all or, on an error, none); one report per request, in order. */
	forgetCustomers(requests: ForgetRequest[], now?: Millis): Promise<ForgetReport[]>;
	/** What the profiles of many customers show, in one read; one answer per query, in order. */
	profiles(queries: ProfileQuery[], now: Millis): Promise<ProfileRows[]>;

	purchases(queries: PurchaseQuery[]): Promise<PurchaseRows[]>;

	/** Records versions of catalog products in one transaction; one outcome per product, in order. */
	recordProducts(products: ProductRecord[], now: Millis): Promise<ProductOutcome[]>;
	/** The catalog's categories of these products, by product id (products without any are left out). */
	productCategories(productIds: string[]): Promise<Record<string, string[]>>;

	listSegments(search?: string): Promise<SegmentRow[]>;
	/** Creates segments that do not exist; returns all named, `created` true for those this call created. */
	ensureSegments(names: string[], now: Millis): Promise<Array<SegmentRow & { created: boolean }>>;
	renameSegment(from: string, to: string): Promise<SegmentRow>;
	deleteSegment(name: string): Promise<{ removedMembers: number }>;
	segmentAdd(segment: string, adds: SegmentAdd[], now: Millis): Promise<Array<MembershipRow & { added: boolean }>>;
	segmentRemove(segment: string, customerIds: string[]): Promise<boolean[]>;
	segmentCheck(segment: string, customerIds: string[], now: Millis): Promise<Array<MembershipRow | undefined>>;
	segmentMembers(segment: string, now: Millis, limit: number, offset: number): Promise<MembershipRow[]>;
	segmentsOf(customerId: string, now: Millis): Promise<Array<{ segment: string } & MembershipRow>>;

	listPools(search?: string): Promise<PoolRow[]>;
	ensurePools(names: string[], now: Millis): Promise<PoolRow[]>;
	/** Inserts codes not yet in the pool (inShop: as pending creation in the shop); returns how many were added and which were skipped. */
	addCodes(pool: string, codes: CodeInput[], now: Millis, inShop?: boolean): Promise<{ added: number; skipped: string[] }>;
	/** Codes of the pool still to be created in the shop, oldest first. */
	pendingShopCodes(pool: string, limit: number): Promise<PendingShopCode[]>;
	/** The shop discounts that codes of the pool were created in, per terms. */
	shopDiscounts(pool: string): Promise<ShopDiscount[]>;
	/** Records what the shop made of codes still pending; returns how many changed. */
	markShopCodes(pool: string, marks: ShopMark[]): Promise<number>;
	claimCodes(pool: string, requests: ClaimRequest[], now: Millis): Promise<ClaimOutcome[]>;
	poolStatus(pool: string, now: Millis): Promise<PoolStatus>;
	redeemCodes(requests: RedeemRequest[], now: Millis): Promise<RedeemOutcome[]>;
	codesOf(customerId: string): Promise<HeldCode[]>;

	guardEnter(requests: GuardRequest[], now: Millis): Promise<GuardOutcome[]>;
	guardReset(activity: string, customerId: string): Promise<{ removed: boolean }>;
	guardHistory(filter: { activity?: string; customerId?: string; limit: number }): Promise<GuardEntryRow[]>;
	/** What became of the customers who entered each activity, and of its control group; one row per query. */
	activityReport(queries: ActivityReportQuery[]): Promise<ActivityReportRow[]>;

	dueBirthdays(query: BirthdayQuery): Promise<OccasionCandidate[]>;
	dueAbandonedCarts(query: DueQuery): Promise<OccasionCandidate[]>;
	dueRegisteredWithoutOrder(query: DueQuery): Promise<OccasionCandidate[]>;
	dueLapsed(query: DueQuery): Promise<OccasionCandidate[]>;
	/** The same candidates, read by when the store learned of them: an occasion already due that is new to a trigger activated before. */
	knownAbandonedCarts(query: KnownQuery): Promise<OccasionCandidate[]>;
	knownRegisteredWithoutOrder(query: KnownQuery): Promise<OccasionCandidate[]>;
	knownLapsed(query: KnownQuery): Promise<OccasionCandidate[]>;
	claimOccasions(claims: OccasionClaim[], now: Millis): Promise<boolean[]>;
}
