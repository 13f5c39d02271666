import Database from 'better-sqlite3';

/**
 * Another process that takes SQLite's write lock (BEGIN IMMEDIATE) on the
 * app's database file, holds it for the given milliseconds, rolls back and
 * exits, saying "locked" and "released" on stdout as it goes. Usage:
 * node --conditions=@lifetimes/source --import tsx sqlite-lock-holder.ts <file> <ms>
 */
const [file, ms] = process.argv.slice(2);
if (!file || !ms || !Number.isFinite(Number(ms))) {
  process.stderr.write(
    'Usage: sqlite-lock-holder.ts <database file> <milliseconds to hold the lock>\n',
  );
  process.exit(2);
}
// Long enough to get the lock between the app's own write transactions.
const db = new Database(file, { timeout: 10_000, fileMustExist: true });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
setTimeout(() => {
  db.exec('ROLLBACK');
  db.close();
  process.stdout.write('released\n');
}, Number(ms));
