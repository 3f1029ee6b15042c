//! The memo kept on disk between builds, in an embedded database (redb) in
//! `.broadsheet-cache/`: crash-safe (a build killed part-way leaves the last committed
//! state) and locked while a build runs (a second build of the site waits for the first).
//! A store that cannot be read, or was written by another version, is set aside and the
//! build is a full one; deleting it is always safe.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;
use redb::{Database, DatabaseError, ReadableDatabase, ReadableTable, TableDefinition};

use super::memo::{Body, Memo};
use super::records::{BodyRecord, BodyRef, FileRecord};
use crate::markdown::{Rendered, Texts};
use crate::publish::local::{CACHE_DIR, binary_identity};

const META: TableDefinition<&str, &str> = TableDefinition::new("meta");
const FILES: TableDefinition<&str, &[u8]> = TableDefinition::new("files");
const BODIES: TableDefinition<&str, &[u8]> = TableDefinition::new("bodies");
const IMAGES: TableDefinition<&str, &[u8]> = TableDefinition::new("images");
/// The bulk of each body (its HTML and summary), read only for the stories a build shows.
const TEXTS: TableDefinition<&str, &[u8]> = TableDefinition::new("texts");

/// Bumped whenever a record's layout changes.
const SCHEMA: u32 = 3;

const FILE_NAME: &str = "store.redb";

pub struct Store {
    db: Database,
}

/// Why a store could not be used; the caller carries on without one.
pub enum Unusable {
    /// Set aside: this is the notice to show.
    SetAside(String),
    /// Could not even be made (a read-only folder, say): the build goes on without it.
    Unavailable(String),
}

fn version() -> String {
    format!("{} schema {SCHEMA}", binary_identity())
}

impl Store {
    /// Opens the site's store, waiting while another build holds it; `waiting` is told once
    /// when it has to wait.
    pub fn open(root: &Path, waiting: &mut dyn FnMut()) -> Result<Store, Unusable> {
        let dir = root.join(CACHE_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Unusable::Unavailable(format!("cannot make {}: {e}", dir.display())))?;
        let path = dir.join(FILE_NAME);
        let mut told = false;
        let db = loop {
            // Records are read once per build: a large page cache would only hold copies.
            match Database::builder().set_cache_size(8 << 20).create(&path) {
                Ok(db) => break db,
                Err(DatabaseError::DatabaseAlreadyOpen) => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => return Err(set_aside(&path, &format!("it cannot be read ({e})"))),
            }
        };
        let store = Store { db };
        match store.version() {
            Ok(Some(v)) if v == version() => Ok(store),
            Ok(None) => Ok(store),
            Ok(Some(_)) => {
                drop(store);
                Err(set_aside(
                    &path,
                    "it was written by another version of broadsheet",
                ))
            }
            Err(e) => {
                drop(store);
                Err(set_aside(&path, &format!("it cannot be read ({e})")))
            }
        }
    }

    fn version(&self) -> Result<Option<String>, redb::Error> {
        let txn = self.db.begin_read()?;
        let meta = match txn.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(meta.get("version")?.map(|v| v.value().to_string()))
    }

    /// What the last build remembered; an empty memo if the store is new.
    pub fn memo(&self) -> Result<Memo, String> {
        self.read_memo().map_err(|e| e.to_string())
    }

    fn read_memo(&self) -> Result<Memo, Box<dyn std::error::Error>> {
        let mut memo = Memo::default();
        let txn = self.db.begin_read()?;
        let meta = match txn.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(memo),
            Err(e) => return Err(e.into()),
        };
        memo.config = match meta.get("config")? {
            Some(c) => c.value().parse()?,
            None => return Ok(memo),
        };
        // Copied out of the database, then decoded on every core.
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for row in txn.open_table(FILES)?.iter()? {
            let (file, bytes) = row?;
            files.push((file.value().to_string(), bytes.value().to_vec()));
        }
        let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
        for row in txn.open_table(BODIES)?.iter()? {
            let (file, bytes) = row?;
            bodies.push((file.value().to_string(), bytes.value().to_vec()));
        }
        // Kept apart from the stories' settings: an image's size does not depend on them.
        match txn.open_table(IMAGES) {
            Ok(table) => {
                for row in table.iter()? {
                    let (file, bytes) = row?;
                    let size = postcard::from_bytes(bytes.value())?;
                    memo.images.insert(PathBuf::from(file.value()), size);
                }
            }
            Err(redb::TableError::TableDoesNotExist(_)) => {}
            Err(e) => return Err(e.into()),
        }
        type Decoded<T> = Result<Vec<(PathBuf, T)>, String>;
        let (files, bodies): (Decoded<_>, Decoded<_>) = rayon::join(
            || {
                files
                    .into_par_iter()
                    .map(|(file, bytes)| {
                        let record: FileRecord =
                            postcard::from_bytes(&bytes).map_err(|e| e.to_string())?;
                        let file = PathBuf::from(file);
                        let stamp = record.stamp;
                        let entry = record
                            .entry(file.clone())
                            .ok_or("a story's record does not read back")?;
                        Ok((file, (stamp, Ok(Arc::new(entry)))))
                    })
                    .collect()
            },
            || {
                bodies
                    .into_par_iter()
                    .map(|(file, bytes)| {
                        let record: BodyRecord =
                            postcard::from_bytes(&bytes).map_err(|e| e.to_string())?;
                        Ok((PathBuf::from(file), Arc::new(record.body())))
                    })
                    .collect()
            },
        );
        memo.files = files?.into_iter().collect();
        memo.bodies = bodies?.into_iter().collect();
        Ok(memo)
    }

    /// Reads the texts of `bodies` (each with its file, relative to the site) into them.
    pub fn fill(&self, bodies: &[(&Path, &Rendered)]) -> Result<(), String> {
        self.read_texts(bodies).map_err(|e| e.to_string())
    }

    fn read_texts(&self, bodies: &[(&Path, &Rendered)]) -> Result<(), Box<dyn std::error::Error>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(TEXTS)?;
        let mut rows = Vec::with_capacity(bodies.len());
        for (file, rendered) in bodies {
            let key = file.to_string_lossy();
            let row = table
                .get(key.as_ref())?
                .ok_or_else(|| format!("no text is kept for {key}"))?;
            rows.push((row.value().to_vec(), *rendered));
        }
        rows.into_par_iter().try_for_each(|(bytes, rendered)| {
            let texts: Texts = postcard::from_bytes(&bytes).map_err(|e| e.to_string())?;
            rendered.fill(texts);
            Ok::<(), String>(())
        })?;
        Ok(())
    }

    /// Records `memo`, writing only what differs from `before` (what was read at the start).
    pub fn save(&self, before: &Memo, memo: &Memo) -> Result<(), String> {
        self.write(before, memo).map_err(|e| e.to_string())
    }

    fn write(&self, before: &Memo, memo: &Memo) -> Result<(), Box<dyn std::error::Error>> {
        let same_config = before.config == memo.config;
        // What changed, in key order (a B-tree takes rows in order far faster than scattered),
        // then encoded a slice at a time on every core, so the encoded copies never add up to
        // a second copy of every story.
        let mut files: Vec<(String, Option<&FileRow>)> = (memo.files.iter())
            .filter(|(file, (stamp, parsed))| {
                let old = before.files.get(*file).filter(|_| same_config);
                !old.is_some_and(|(s, p)| {
                    s == stamp && matches!((p, parsed), (Ok(o), Ok(e)) if Arc::ptr_eq(o, e))
                })
            })
            .map(|(file, row)| (file.to_string_lossy().into_owned(), Some(row)))
            .chain(
                (before.files.keys())
                    .filter(|f| !memo.files.contains_key(*f))
                    .map(|f| (f.to_string_lossy().into_owned(), None)),
            )
            .collect();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut bodies: Vec<(String, Option<&Arc<Body>>)> = (memo.bodies.iter())
            .filter(|(file, body)| {
                let old = before.bodies.get(*file).filter(|_| same_config);
                !old.is_some_and(|o| Arc::ptr_eq(o, body))
            })
            .map(|(file, body)| (file.to_string_lossy().into_owned(), Some(body)))
            .chain(
                (before.bodies.keys())
                    .filter(|f| !memo.bodies.contains_key(*f))
                    .map(|f| (f.to_string_lossy().into_owned(), None)),
            )
            .collect();
        bodies.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut images: Vec<(String, Option<&ImageRow>)> = (memo.images.iter())
            .filter(|(file, row)| before.images.get(*file) != Some(row))
            .map(|(file, row)| (file.to_string_lossy().into_owned(), Some(row)))
            .chain(
                (before.images.keys())
                    .filter(|f| !memo.images.contains_key(*f))
                    .map(|f| (f.to_string_lossy().into_owned(), None)),
            )
            .collect();
        images.sort_unstable_by(|a, b| a.0.cmp(&b.0));

        let txn = self.db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert("version", version().as_str())?;
            meta.insert("config", memo.config.to_string().as_str())?;
            let mut table = txn.open_table(FILES)?;
            if !same_config {
                table.retain(|_, _| false)?;
            }
            // A file with errors is not kept: it is read again next time, as its messages
            // point into it.
            write_rows(&mut table, &files, |(stamp, parsed)| {
                let e = parsed.as_ref().ok()?;
                postcard::to_stdvec(&FileRecord::new(*stamp, e)).ok()
            })?;
            let mut table = txn.open_table(BODIES)?;
            if !same_config {
                table.retain(|_, _| false)?;
            }
            write_rows(&mut table, &bodies, |body| {
                postcard::to_stdvec(&BodyRef::new(body)).ok()
            })?;
            let mut table = txn.open_table(TEXTS)?;
            if !same_config {
                table.retain(|_, _| false)?;
            }
            // A body without its texts here came from the store and was not changed: its row
            // stays as it is.
            let texts: Vec<(String, Option<&Arc<Body>>)> = (bodies.iter())
                .filter(|(_, b)| b.is_none_or(|b| b.rendered.texts_here().is_some()))
                .map(|(k, b)| (k.clone(), *b))
                .collect();
            write_rows(&mut table, &texts, |body| {
                postcard::to_stdvec(body.rendered.texts_here()?).ok()
            })?;
            let mut table = txn.open_table(IMAGES)?;
            write_rows(&mut table, &images, |row| postcard::to_stdvec(row).ok())?;
        }
        txn.commit()?;
        Ok(())
    }
}

type FileRow = (crate::content::Stamp, crate::content::Parsed);
type ImageRow = (crate::content::Stamp, Option<(u32, u32)>);

/// Writes rows in order: `Some` encoded by `encode` (removed when it gives nothing), `None`
/// removed.
fn write_rows<T: Sync>(
    table: &mut redb::Table<&str, &[u8]>,
    rows: &[(String, Option<&T>)],
    encode: impl Fn(&T) -> Option<Vec<u8>> + Sync,
) -> Result<(), redb::Error> {
    for slice in rows.chunks(512) {
        let encoded: Vec<Option<Vec<u8>>> = slice
            .par_iter()
            .map(|(_, row)| row.and_then(&encode))
            .collect();
        for ((key, _), bytes) in slice.iter().zip(encoded) {
            match bytes {
                Some(bytes) => table.insert(key.as_str(), bytes.as_slice())?,
                None => table.remove(key.as_str())?,
            };
        }
    }
    Ok(())
}

/// Moves a store that cannot be used out of the way (replacing one set aside before), and
/// says so in one line.
fn set_aside(path: &Path, why: &str) -> Unusable {
    let aside = path.with_extension("redb.set-aside");
    let moved = std::fs::rename(path, &aside).is_ok() || std::fs::remove_file(path).is_ok();
    let what = if moved {
        format!("set aside as {}", aside.display())
    } else {
        "left alone".to_string()
    };
    Unusable::SetAside(format!(
        "note: the build cache {} was not used: {why}; {what}, and this build is a full one",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_of_another_version_is_set_aside_and_a_new_one_made() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &mut || {})
            .ok()
            .expect("a new store");
        let mut memo = Memo {
            config: 7,
            ..Memo::default()
        };
        store.save(&Memo::default(), &memo).unwrap();
        assert_eq!(store.memo().unwrap().config, 7);
        {
            let txn = store.db.begin_write().unwrap();
            txn.open_table(META)
                .unwrap()
                .insert("version", "broadsheet 0.0.1 schema 0")
                .unwrap();
            txn.commit().unwrap();
        }
        drop(store);
        match Store::open(dir.path(), &mut || {}) {
            Err(Unusable::SetAside(notice)) => {
                assert!(notice.contains("another version"), "{notice}")
            }
            _ => panic!("a store of another version was used"),
        }
        let store = Store::open(dir.path(), &mut || {})
            .ok()
            .expect("a new store");
        assert_eq!(store.memo().unwrap().config, 0, "the new store is empty");
        memo.config = 8;
        store.save(&Memo::default(), &memo).unwrap();
        assert!(
            dir.path()
                .join(CACHE_DIR)
                .join("store.redb.set-aside")
                .exists()
        );
    }

    #[test]
    fn bodies_come_back_without_their_texts_until_filled() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &mut || {}).ok().expect("a store");
        let links = crate::markdown::Links {
            page_url: "/a/",
            resolve: &|_| None,
        };
        let (rendered, _) = crate::markdown::render("Rain on the *quay*.", None, &links);
        let file = PathBuf::from("content/a.md");
        let mut memo = Memo {
            config: 3,
            ..Memo::default()
        };
        let body = Body {
            source_hash: 11,
            page_url: "/a/".into(),
            resolved: Vec::new(),
            rendered: Arc::new(rendered.clone()),
        };
        memo.bodies.insert(file.clone(), Arc::new(body));
        store.save(&Memo::default(), &memo).unwrap();

        let back = store.memo().unwrap();
        let kept = &back.bodies[&file].rendered;
        assert!(kept.texts_here().is_none(), "texts were read with the memo");
        assert_eq!(kept.word_count, rendered.word_count);
        store.fill(&[(file.as_path(), kept)]).unwrap();
        assert_eq!(kept.texts_here(), rendered.texts_here());
        assert!(kept.html().contains("<em>quay</em>"));
        // Saving what came back unchanged keeps the texts as they are.
        store.save(&back, &back).unwrap();
        let again = store.memo().unwrap();
        let r = &again.bodies[&file].rendered;
        store.fill(&[(file.as_path(), r)]).unwrap();
        assert_eq!(r.texts_here(), rendered.texts_here());
        let missing = Rendered::default();
        assert!(
            store
                .fill(&[(Path::new("content/none.md"), &missing)])
                .is_err()
        );
    }
}
