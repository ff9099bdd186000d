import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Tested by the nodes' `dialogueStoreTest` (nodes/shared/store.ts): connects and reports the schema version. */
export class DialogueStoreApi implements ICredentialType {
	name = 'dialogueStoreApi';

	// A database, not an HTTP API: users look for "Dialogue Store".
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Dialogue Store';

	icon = { light: 'file:../icons/dialogue.svg', dark: 'file:../icons/dialogue.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-dialogue-activities#the-activity-store';

	properties: INodeProperties[] = [
		{
			displayName: 'Database Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'SQLite (One n8n Instance)', value: 'sqlite', description: 'A file on the n8n machine' },
				{ name: 'PostgreSQL (Queue Mode, Several Workers)', value: 'postgres', description: 'A server every n8n process reaches' },
			],
			default: 'sqlite',
		},
		{
			displayName: 'File Path',
			name: 'file',
			type: 'string',
			default: '',
			placeholder: 'dialogue-activities.sqlite',
			description: "Empty: dialogue-activities.sqlite in the n8n user folder. A relative path is inside the n8n user folder and may not leave it; n8n's own database is refused.",
			displayOptions: { show: { type: ['sqlite'] } },
		},
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost', displayOptions: { show: { type: ['postgres'] } } },
		{ displayName: 'Port', name: 'port', type: 'number', default: 5432, displayOptions: { show: { type: ['postgres'] } } },
		{ displayName: 'Database', name: 'database', type: 'string', default: 'n8n', displayOptions: { show: { type: ['postgres'] } } },
		{ displayName: 'User', name: 'user', type: 'string', default: 'postgres', displayOptions: { show: { type: ['postgres'] } } },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require (Do Not Verify Certificate)', value: 'require' },
				{ name: 'Verify Certificate', value: 'verify' },
			],
			default: 'disable',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'dialogue',
			description: 'The tables live in this schema, so the store can share the database n8n itself uses. Created on first use.',
			displayOptions: { show: { type: ['postgres'] } },
		},
	];

}
