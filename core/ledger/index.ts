/**
 * The ledger: recording events from items (a backfill of order history from n8n's Shopify or
 * WooCommerce nodes, a CSV, canonical JSON), a customer's profile, and erasure.
 *
 * Items become canonical events here (every one passes validateEvent); a batch is then recorded
 * with ONE store.recordEvents call, one transaction. Event ids are deterministic (the vendor
 * normalizers' ids, or ids derived from the mapped order/customer), so running a backfill twice
 * records nothing the second time.
 */
export { forgetCustomers, type ForgetCustomerRequest, type ForgetResult } from './erasure';
export { eventFromItem, eventsFromItems, LEDGER_FORMATS, type ItemFormat, type LedgerFormat } from './items';
export { eventsFromRows, mappedInstant, MAPPED_TYPES, type MappedRow, type MappedType, type MappingOptions } from './mapped';
export { productOf, PRODUCT_FORMATS, type ProductFormat, type ProductRow } from './products';
export { customerOf, customerProfiles, type CustomerProfile, type ProfileRequest } from './profiles';
export { ledgerSummary, recordLedger, type LedgerBatch, type LedgerEntry, type LedgerFailure, type LedgerResult, type LedgerSummary } from './record';
