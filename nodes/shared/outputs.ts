/**
 * Outputs of a node whose gate operation has two named outputs (like n8n's IF) while its other
 * operations have one: an expression n8n evaluates against the node's parameters.
 */
export function gateOutputs(condition: string, yes: string, no: string): `={{${string}}}` {
	return `={{ ${condition} ? [{ "type": "main", "displayName": "${yes}" }, { "type": "main", "displayName": "${no}" }] : [{ "type": "main" }] }}`;
}
