//! Opening the database: pragmas, schema creation, migrations and the version guard.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::base::error::{Error, Result};

/// The canonical schema of the newest version, used to create fresh databases.
pub const SCHEMA: &str = include_str!("../../../../schema.sql");

/// Append-only migrations: entry `i` brings a database from version `i` to `i + 1`. Never edit a
/// released entry; add a new one and update `schema.sql` to match.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../../migrations/0001_initial.sql"),
    include_str!("../../../../migrations/0002_messaging.sql"),
    include_str!("../../../../migrations/0003_scenarios.sql"),
    include_str!("../../../../migrations/0004_step_identity.sql"),
    include_str!("../../../../migrations/0005_personal_steps.sql"),
    include_str!("../../../../migrations/0006_search_newest_first.sql"),
    include_str!("../../../../migrations/0007_imports.sql"),
    include_str!("../../../../migrations/0008_merges.sql"),
    include_str!("../../../../migrations/0009_zalo_contacts.sql"),
    include_str!("../../../../migrations/0010_zalo_routes.sql"),
    include_str!("../../../../migrations/0011_campaigns.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "tend.db";

/// An open Tend database. One `Store` is one SQLite connection: use it from one thread at a time
/// (the app keeps it behind a mutex; background work opens its own).
pub struct Store {
    pub(crate) conn: Connection,
    /// The time zone send windows and local dates are computed in: the laptop's, unless a
    /// test sets another.
    pub(crate) zone: std::sync::Arc<dyn crate::base::calendar::Zone>,
    /// What the use cases run on this connection changed, until the caller takes it.
    pub(crate) effects: crate::db::effects::Effects,
}

/// Restricts the data folder to its owner, and creates (or restricts) the database file, its
/// write-ahead log and shared-memory file as owner-only. SQLite gives the `-wal` and `-shm`
/// files it creates the mode of the database file, so a new database is created `0600` first.
#[cfg(unix)]
fn make_private(dir: &Path, db: &Path) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let io = |what: &Path, e: std::io::Error| {
        Error::Storage(format!("cannot make {} private: {e}", what.display()))
    };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| io(dir, e))?;
    // Only a missing file is created here. Opening an existing one and closing it again would
    // drop every POSIX lock this process holds on it (closing any descriptor of a file releases
    // them all): SQLite's own connections would lose theirs, and another process (`tend backup`
    // beside the open app) would think itself alone, checkpoint, and delete the write-ahead log
    // the app goes on writing to.
    if !db.exists() {
        std::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .mode(0o600)
            .open(db)
            .map_err(|e| io(db, e))?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = db.with_file_name(format!("{DB_FILE}{suffix}"));
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| io(&file, e))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_dir: &Path, _db: &Path) -> Result<()> {
    // Elsewhere the folder is in the user's own profile, which the OS already keeps private.
    Ok(())
}

impl Store {
    /// Opens (creating if needed) `tend.db` in `dir`, creating the directory too. Customer data
    /// is personal data: on Unix the folder is made `0700` and the database files `0600`, so
    /// other accounts on the laptop cannot read them.
    pub fn open_dir(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Storage(format!(
                "cannot create the data folder {}: {e}",
                dir.display()
            ))
        })?;
        let db = dir.join(DB_FILE);
        make_private(dir, &db)?;
        Self::open(&db)
    }

    /// Opens (creating if needed) the database file at `path` and brings it to the newest schema.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|e| {
            Error::Storage(format!("cannot open the database {}: {e}", path.display()))
        })?;
        Self::setup(conn, true)
    }

    /// An in-memory database with the newest schema, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(conn: Connection, wal: bool) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // The version is read before anything that writes (switching to write-ahead logging
        // rewrites the header), so a database from a newer Tend is left exactly as it was.
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerDatabase {
                found,
                known: SCHEMA_VERSION,
            });
        }
        if wal {
            // journal_mode returns a row, so it is read rather than executed.
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Storage(format!(
                    "the database refused write-ahead logging (journal mode {mode})"
                )));
            }
        }
        // 8 MB of page cache (SQLite's default is 2 MB): with 100k customers the indexes the
        // scheduler and search walk no longer fit in 2 MB. Pages are only held once read.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192;",
        )?;
        register_words(&conn)?;
        let mut store = Store {
            conn,
            zone: std::sync::Arc::new(crate::base::calendar::LocalZone),
            effects: crate::db::effects::Effects::NONE,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Makes every commit on this connection durable: in write-ahead-log mode `synchronous =
    /// NORMAL` lets the last commits vanish in a power cut, which for the outbox would undo a
    /// `sending` claim or a `sent` mark and send a message again. `FULL` syncs the log at each
    /// commit (and with it every earlier commit of other connections, which precede it in the
    /// log); on macOS `fullfsync` asks the drive itself to flush, as a plain fsync there does not.
    pub fn make_commits_durable(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA synchronous = FULL;")?;
        if cfg!(target_os = "macos") {
            self.conn
                .execute_batch("PRAGMA fullfsync = ON; PRAGMA checkpoint_fullfsync = ON;")?;
        }
        Ok(())
    }

    /// Whether commits on this connection are synced to disk before they return
    /// (`PRAGMA synchronous` is FULL or EXTRA).
    pub fn commits_are_durable(&self) -> Result<bool> {
        let level: i64 = self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        Ok(level >= 2)
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerDatabase {
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        // SQLite's procedure for changing a table: foreign keys off (they cannot be switched
        // inside a transaction), rebuild, check every reference, commit, on again. With them on,
        // dropping the old table of a rebuild would null or delete the rows that refer to it.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let migrated = self.run_migrations(found);
        self.conn.execute_batch("PRAGMA foreign_keys = ON")?;
        migrated
    }

    fn run_migrations(&mut self, found: i64) -> Result<()> {
        let tx = self.write_tx()?;
        let broken = |tx: &rusqlite::Transaction<'_>| -> Result<i64> {
            Ok(
                tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?,
            )
        };
        // References that were already broken (an old Tend's leftovers) do not stop the upgrade;
        // only ones the migration would break do.
        let before = broken(&tx)?;
        if found == 0 && is_empty(&tx)? {
            tx.execute_batch(SCHEMA)?;
        } else {
            for sql in &MIGRATIONS[found as usize..] {
                tx.execute_batch(sql)?;
            }
        }
        let after = broken(&tx)?;
        if after > before {
            return Err(Error::Internal(format!(
                "the migration would break {} references; nothing was changed",
                after - before
            )));
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Writes a database file as version `version` of Tend left it, using only the first
    /// `version` migrations, so tests can open it and watch the real migration path run.
    #[doc(hidden)]
    pub fn create_at_version_for_test(path: &Path, version: usize) -> Result<()> {
        let conn = Connection::open(path)?;
        let tx = conn.unchecked_transaction()?;
        for sql in &MIGRATIONS[..version] {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", version as i64)?;
        tx.commit()?;
        Ok(())
    }

    /// The schema as SQLite understands it, one line per column, foreign key, index, trigger and
    /// view, so that two databases can be compared. Tables are described by `PRAGMA table_xinfo`
    /// rather than their SQL text, because a migration's `ALTER TABLE` leaves different text than a
    /// `CREATE TABLE` with the same meaning; comments are dropped from the SQL of other objects.
    pub fn schema_dump(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let objects: Vec<(String, String, Option<String>)> = {
            let mut stmt = self.conn.prepare(
                "SELECT type, name, sql FROM sqlite_schema \
                 WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search_%' \
                 ORDER BY type, name",
            )?;
            let rows =
                stmt.query_map([], |r| Ok((r.get("type")?, r.get("name")?, r.get("sql")?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (kind, name, sql) in objects {
            if kind == "table" && !sql.as_deref().unwrap_or("").contains("VIRTUAL") {
                let mut cols = self.conn.prepare(
                    "SELECT name, type, \"notnull\", dflt_value, pk, hidden \
                     FROM pragma_table_xinfo(?1) ORDER BY cid",
                )?;
                let rows = cols.query_map([&name], |r| {
                    Ok(format!(
                        "column {name}.{}: {} notnull={} default={:?} pk={} hidden={}",
                        r.get::<_, String>("name")?,
                        r.get::<_, String>("type")?,
                        r.get::<_, i64>("notnull")?,
                        r.get::<_, Option<String>>("dflt_value")?,
                        r.get::<_, i64>("pk")?,
                        r.get::<_, i64>("hidden")?
                    ))
                })?;
                for row in rows {
                    out.push(row?);
                }
                let mut fks = self.conn.prepare(
                    "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1) \
                     ORDER BY \"from\"",
                )?;
                let rows = fks.query_map([&name], |r| {
                    Ok(format!(
                        "foreign key {name}.{} -> {}.{:?} on delete {}",
                        r.get::<_, String>("from")?,
                        r.get::<_, String>("table")?,
                        r.get::<_, Option<String>>("to")?,
                        r.get::<_, String>("on_delete")?
                    ))
                })?;
                for row in rows {
                    out.push(row?);
                }
                // CHECK constraints live only in the SQL text; keep it, comments removed.
                out.push(format!("table {name}: {}", normalise_sql(sql.as_deref())));
            } else {
                out.push(format!("{kind} {name}: {}", normalise_sql(sql.as_deref())));
            }
        }
        Ok(out)
    }

    /// Starts a transaction that writes. It takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// waiting for another connection (a worker) goes through the busy timeout; a transaction
    /// that read first and then tried to write could instead fail at once with "database is
    /// locked" when another connection had written in between.
    pub(crate) fn write_tx(&mut self) -> rusqlite::Result<rusqlite::Transaction<'_>> {
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
    }

    /// Records what a use case changed, for [`Store::take_effects`].
    pub(crate) fn record(&mut self, effects: crate::db::effects::Effects) {
        self.effects = self.effects.merge(effects);
    }

    /// The effects recorded since the last call, which the caller acts on (wake a worker,
    /// reload the channels, tell the UI).
    pub fn take_effects(&mut self) -> crate::db::effects::Effects {
        std::mem::take(&mut self.effects)
    }

    /// Today's bounds on the local calendar (the store's zone), for the Today view.
    pub fn today_bounds(
        &self,
        now: crate::base::time::UtcMillis,
    ) -> crate::base::calendar::TodayBounds {
        crate::base::calendar::today_bounds(self.zone.as_ref(), now)
    }

    /// Today's local date as templates show it (dd/MM/yyyy).
    pub fn today_text(&self, now: crate::base::time::UtcMillis) -> String {
        crate::base::calendar::local_date_text(self.zone.as_ref(), now)
    }

    /// The time zone of local dates and send windows.
    pub fn zone(&self) -> &dyn crate::base::calendar::Zone {
        self.zone.as_ref()
    }

    /// Uses `zone` for send windows and local dates (tests use a fixed offset).
    pub fn set_zone(&mut self, zone: std::sync::Arc<dyn crate::base::calendar::Zone>) {
        self.zone = zone;
    }

    /// Direct access to the connection, for benchmarks and tests that generate data in bulk.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

fn is_empty(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// SQL text without comments and with runs of white space folded, for comparison. Space next to
/// commas and parentheses is dropped too: `ALTER TABLE … ADD COLUMN` splices the new column in
/// as `… INTEGER\n, new INTEGER)`, which says the same as the table written out in full.
fn normalise_sql(sql: Option<&str>) -> String {
    sql.unwrap_or_default()
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace(" )", ")")
        .replace("( ", "(")
}

/// `tend_words(text)`: the text folded (no diacritics, lower case) as words between single
/// spaces, with a space at each end, so a segment can look for a whole word or phrase in an
/// address ("% hcm %", "% quan 7 %") whatever its accents and punctuation.
fn register_words(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "tend_words",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let Some(text) = ctx.get::<Option<String>>(0)? else {
                return Ok(None);
            };
            Ok(Some(words(&text)))
        },
    )?;
    Ok(())
}

/// See [`register_words`].
pub(crate) fn words(text: &str) -> String {
    let folded = crate::base::fold::fold(text);
    let mut out = String::with_capacity(folded.len() + 2);
    out.push(' ');
    for w in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(w);
        out.push(' ');
    }
    out
}
