/**
 * Stores as an older release left them: the migrations up to a version, applied as that release
 * applied them, for the upgrade tests of the contract suite.
 */
import { MIGRATIONS, renderStatement } from '../../store/schema';

export interface LegacyMigration {
	version: number;
	name: string;
	statements: string[];
}

/** The migrations up to `version`, rendered for the dialect (a release at that version ran these). */
export function migrationsUpTo(version: number, dialect: 'sqlite' | 'postgres'): LegacyMigration[] {
	return MIGRATIONS.filter((m) => m.version <= version).map((m) => ({
		version: m.version,
		name: m.name,
		statements: m.statements.map((step) => {
			if (typeof step !== 'string') throw new Error(`migration ${m.version} has a step that is not SQL; extend test/store/legacy.ts`);
			return renderStatement(step, dialect);
		}),
	}));
}
