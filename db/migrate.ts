/**
 * Numbered SQL migrations (`NNNN-title.sql`), applied in order and recorded with the SHA-256 of their text.
 * An applied migration whose text has changed is an error, never a silent skip: the database would no longer match
 * what the code believes its layout is.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_NAME = /^(\d{4})-[a-z0-9-]+\.sql$/;

export interface Migration {
  id: number;
  name: string;
  sql: string;
  sha256: string;
}

/** Line endings are normalised before hashing so a Windows checkout (CRLF) reads as the same migration. */
function hashMigration(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const match = MIGRATION_NAME.exec(name);
      if (!match) throw new StoreError(`migration file name "${name}" must look like 0001-title.sql`);
      const sql = readFileSync(join(dir, name), 'utf8');
      return { id: Number(match[1]), name, sql, sha256: hashMigration(sql) };
    });
  migrations.forEach((migration, index) => {
    if (migration.id !== index + 1) {
      throw new StoreError(`migrations must be numbered 0001, 0002, … without gaps; found ${migration.name}`);
    }
  });
  return migrations;
}

/** Whether the database has a table of that name. */
export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Applies the pending migrations, each in its own transaction; returns the names applied. */
export function migrate(db: Database.Database, migrations: Migration[], where: string): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT id, name, sha256 FROM migrations ORDER BY id').all() as Array<{
    id: number;
    name: string;
    sha256: string;
  }>;
  for (const row of applied) {
    const known = migrations[row.id - 1];
    if (!known) {
      throw new StoreError(
        `${where} was written by a newer Vigie (it has migration ${row.name}, this version knows ${migrations.length}); upgrade Vigie or use another database`,
      );
    }
    if (known.sha256 !== row.sha256) {
      throw new StoreError(
        `migration ${known.name} was changed after it was applied to ${where} (recorded sha256 ${row.sha256.slice(0, 12)}…, file ${known.sha256.slice(0, 12)}…); restore the file and add a new numbered migration instead`,
      );
    }
  }
  const record = db.prepare('INSERT INTO migrations (id, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  const done: string[] = [];
  for (const migration of migrations.slice(applied.length)) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, migration.sha256, Date.now());
    })();
    done.push(migration.name);
  }
  return done;
}
