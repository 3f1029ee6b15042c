//! Differential test: an incremental `broadsheet build` into the same output folder, and
//! every rebuild of `broadsheet serve --watch`, must give exactly the bytes of a clean build
//! of the same inputs.
//!
//! A seeded RNG writes a site of 40 stories and then a script of the edits editors make:
//! headlines, decks, bodies, dates, sections, tags and authors (and their case), drafts,
//! featured, summaries, deleted, added and moved stories, links between stories, pagination,
//! template overrides and static files. Every write gets a later file time of its own, so
//! the build's size-and-time check sees even same-size edits. After every edit the output is
//! compared with a clean build file by file, folders too.
//!
//! - `random_edits_build_*`: 60 edits each, built incrementally with the configured base URL.
//! - `random_edits_build_and_serve_*`: 45 edits each on a site that `serve --watch` serves;
//!   after each edit both the incremental build (with the server's base URL) and what the
//!   server serves (and its preview folder) are compared with one clean build.
//! - `scripted_*`: known-hard cases, built and served.
//!
//! On a failure the message gives the seed, the edit script so far and what differs.
//! - `DIFF_SEED=N cargo test --test differential` reruns seed N (built, and built and served);
//! - `DIFF_EDITS=N` sets the number of edits per seed, for longer runs;
//! - `DIFF_KEEP_GOING=1` carries on after a failing edit (from a fresh build and server) and
//!   lists every failing edit at the end.

mod common;
#[path = "differential/compare.rs"]
mod compare;
#[path = "differential/edits.rs"]
mod edits;
#[path = "differential/fixture.rs"]
mod fixture;
#[path = "differential/server.rs"]
mod server;
#[path = "differential/site.rs"]
mod site;
#[path = "differential/text.rs"]
mod text;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use compare::Tree;
use server::Server;
use site::{Link, Site, Story};
use text::Rng;

/// Seeds of the four random tests: two built only, two built and served.
const SEEDS: [u64; 4] = [101, 202, 303, 404];
const BUILD_EDITS: usize = 60;
const SERVE_EDITS: usize = 45;
const STORIES: usize = 40;

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
    )
}

fn keep_going() -> bool {
    std::env::var_os("DIFF_KEEP_GOING").is_some_and(|v| v != "0")
}

/// A site under test, built incrementally (and served, when serving), with its edit log.
struct Harness {
    dir: tempfile::TempDir,
    site: Site,
    /// Where incremental builds go.
    out: PathBuf,
    server: Option<Server>,
    test: &'static str,
    /// None for scripted sequences.
    seed: Option<u64>,
    log: Vec<String>,
    failures: Vec<String>,
}

impl Harness {
    /// Writes the site with `make`, starts serving it if `serve`, and checks it once.
    fn new(
        test: &'static str,
        seed: Option<u64>,
        serve: bool,
        make: impl FnOnce(&Path) -> Site,
    ) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = make(&dir.path().join("site"));
        let stories = site.stories.len();
        let mut h = Harness {
            out: dir.path().join("out"),
            dir,
            site,
            server: None,
            test,
            seed,
            log: vec![format!("  0. a new site of {stories} stories")],
            failures: Vec::new(),
        };
        if serve {
            h.server = Some(Server::start(&h.site.root));
        }
        h.check(None);
        h
    }

    /// Applies `edit`, which returns its log line, and compares the result with a clean build.
    fn edit(&mut self, edit: impl FnOnce(&mut Site) -> String) -> Tree {
        let before = self.server.as_ref().map(Server::rebuilds);
        let line = edit(&mut self.site);
        self.log.push(format!("{:3}. {line}", self.log.len()));
        self.check(before)
    }

    /// Builds into the same output folder as before (with the server's base URL when
    /// serving, so one clean build is the reference for both), and compares the output and,
    /// once it has rebuilt, what the server serves with a clean build.
    fn check(&mut self, rebuilds_before: Option<usize>) -> Tree {
        let root = self.site.root.clone();
        let base = self.server.as_ref().map(Server::base);
        let mut report = String::new();
        // The server rebuilds meanwhile.
        let built = compare::build(&root, &self.out, base.as_deref());
        if let Err(e) = &built {
            report.push_str(&format!("  the incremental build failed:\n{e}\n"));
        }
        let mut rebuilt = true;
        if let (Some(server), Some(before)) = (&self.server, rebuilds_before)
            && let Err(e) = server.wait_rebuild(before)
        {
            report.push_str(&format!("  serve --watch: the save gave no rebuild: {e}\n"));
            rebuilt = false;
        }
        // Clean builds are kept until the end: deleting thousands of files as we go makes
        // creating new ones much slower on some file systems.
        let out = self.dir.path().join(format!("clean-{}", self.log.len()));
        let clean = compare::clean_build(&root, &out, base.as_deref()).unwrap_or_else(|e| {
            panic!(
                "the clean build failed, so the edit script made an invalid site (a bug in \
                 this test):\n{e}\n{}",
                self.script()
            )
        });
        if built.is_ok()
            && let Some(d) =
                compare::differences(&clean, &compare::tree(&self.out), "incremental", 2)
        {
            report.push_str(&format!("  the incremental build:\n{d}"));
        }
        if let Some(server) = self.server.as_ref().filter(|_| rebuilt) {
            let mut served = server.differences(&clean);
            // A rebuild may still be under way (a save seen in two parts, or a slow machine):
            // look again once the server has been quiet for a while.
            for quiet in [300, 1500] {
                if served.is_some() {
                    server.settle(Duration::from_millis(quiet));
                    served = server.differences(&clean);
                }
            }
            if let Some(d) = served {
                report.push_str(&format!("  serve --watch:\n{d}"));
            }
        }
        if !report.is_empty() {
            self.fail(report);
        }
        clean
    }

    fn script(&self) -> String {
        format!("edit script{}:\n{}", self.of_seed(), self.log.join("\n"))
    }

    fn of_seed(&self) -> String {
        self.seed
            .map(|s| format!(" of seed {s}"))
            .unwrap_or_default()
    }

    fn fail(&mut self, report: String) {
        let edit = self.log.last().map_or("", |l| l.trim_start());
        if keep_going() {
            eprintln!("[{}{}] FAILED after {edit}", self.test, self.of_seed());
            self.failures.push(format!("{edit}\n{report}"));
            self.resync();
            return;
        }
        let env = self
            .seed
            .map(|s| format!("DIFF_SEED={s} "))
            .unwrap_or_default();
        panic!(
            "after edit {}{}, the output differs from a clean build of the same inputs\n\
             rerun: {env}cargo test --test differential {}\n{}\nhow it differs:\n{report}",
            self.log.len() - 1,
            self.of_seed(),
            self.test,
            self.script()
        );
    }

    /// Starts again from a full build and a new server, so the next edit is judged alone.
    fn resync(&mut self) {
        if self.server.take().is_some() {
            self.server = Some(Server::start(&self.site.root));
        }
        let _ = fs::remove_dir_all(&self.out);
        let _ = fs::remove_dir_all(self.site.root.join(".broadsheet-cache"));
        let base = self.server.as_ref().map(Server::base);
        compare::build(&self.site.root, &self.out, base.as_deref()).expect("a full build");
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} edits{} left output different from a clean build:\n{}\n\n{}",
            self.failures.len(),
            self.log.len() - 1,
            self.of_seed(),
            self.failures.join("\n"),
            self.script()
        );
        drop(self.dir);
    }
}

/// `count` random edits of a random site, each checked.
fn random_run(test: &'static str, seed: u64, serve: bool, count: usize) {
    let count = env_number("DIFF_EDITS").map_or(count, |n| n as usize);
    let mut rng = Rng::new(seed);
    let mut h = Harness::new(test, Some(seed), serve, |root| {
        fixture::fixture(&mut rng, root, STORIES)
    });
    for _ in 0..count {
        h.edit(|site| edits::random_edit(site, &mut rng));
    }
    h.finish();
}

/// The seed of test `k`: `SEEDS[k]`, or with `DIFF_SEED` that seed in test 0 alone.
fn seed(k: usize) -> Option<u64> {
    match env_number("DIFF_SEED") {
        Some(seed) => (k == 0).then_some(seed),
        None => Some(SEEDS[k]),
    }
}

#[test]
fn random_edits_build_1() {
    if let Some(seed) = seed(0) {
        random_run("random_edits_build_1", seed, false, BUILD_EDITS);
    }
}

#[test]
fn random_edits_build_2() {
    if let Some(seed) = seed(1) {
        random_run("random_edits_build_2", seed, false, BUILD_EDITS);
    }
}

#[test]
fn random_edits_build_and_serve_1() {
    let seed = env_number("DIFF_SEED").or(seed(2));
    if let Some(seed) = seed {
        random_run("random_edits_build_and_serve_1", seed, true, SERVE_EDITS);
    }
}

#[test]
fn random_edits_build_and_serve_2() {
    if let Some(seed) = seed(3) {
        random_run("random_edits_build_and_serve_2", seed, true, SERVE_EDITS);
    }
}

#[path = "differential/scripted.rs"]
mod scripted;
