import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { signatureHeadersOf } from '../../core/events';
import { signingOf } from '../../core/trigger';

/**
 * Credential test for the Storefront Webhook credential. There is no service to call: it checks
 * that the source is known and the secret usable, and names the header deliveries must carry.
 */
export async function storefrontWebhookTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const signing = signingOf(credential.data ?? {});
		const header = signatureHeadersOf(signing.source)[0];
		if (signing.secret.trim() !== signing.secret) {
			return {
				status: 'Error',
				message: 'The secret starts or ends with spaces, which the storefront does not sign with. Paste it again without them.',
			};
		}
		return { status: 'OK', message: `Deliveries must carry ${header}, signed with this secret` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
