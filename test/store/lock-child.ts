/**
 * Child process for sqlite-lock.test.ts: another program holding the SQLite write lock. Takes it
 * (BEGIN IMMEDIATE), prints "locked", keeps it for the given milliseconds, then prints "releasing <epoch ms>"
 * (taken just before COMMIT: nobody else can write before then) and commits.
 */
import { DatabaseSync } from 'node:sqlite';

const [file, holdText] = process.argv.slice(2);
const db = new DatabaseSync(file);
db.exec('PRAGMA journal_mode = WAL');
db.exec('BEGIN IMMEDIATE');
db.exec('CREATE TABLE IF NOT EXISTS other_program (n INTEGER)');
db.exec('INSERT INTO other_program VALUES (1)');
process.stdout.write('locked\n');
setTimeout(() => {
	process.stdout.write(`releasing ${Date.now()}\n`);
	db.exec('COMMIT');
	db.close();
}, Number(holdText));
