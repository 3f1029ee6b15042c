//! The live-preview benchmark of issue 3: the time from saving a file to the rebuilt page
//! being served by `broadsheet serve --watch`.
//!
//!     cargo run --release --example serve_bench -- [--sizes 1000,10000,100000] [--runs 5]
//!         [--bin PATH]
//!
//! It builds the release binary first unless `--bin` names one. For each size it writes the
//! benchmark's synthetic newsroom (see `bench/corpus.rs`), starts `serve --watch` on a free
//! loopback port, and measures, `--runs` times each: a story edit (a sentence with a new
//! marker appended to one story, until that story's page holds the marker) and a template edit
//! (a `templates/404.html` override with a new marker, which rebuilds everything, until
//! `/404.html` holds it). The clock starts just before the file is written and stops when an
//! HTTP GET returns the new text. The measuring is `bench/serve.rs`, which `bench --goals`
//! uses too; its time limits grow with the size, so 100,000 stories (a first build of minutes
//! on a slow machine) work as well as 1,000.

#[path = "bench/corpus.rs"]
mod corpus;
#[path = "bench/serve.rs"]
mod serve;
#[path = "bench/words.rs"]
mod words;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// Builds the release binary of this checkout, so the bench never times a stale one.
fn build_broadsheet(repo: &std::path::Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "broadsheet"])
        .current_dir(repo)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    Ok(target.join("release/broadsheet"))
}

fn run(sizes: &[usize], runs: usize, bin: Option<PathBuf>) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = match bin {
        Some(b) => b,
        None => build_broadsheet(&repo)?,
    };
    let bin = std::fs::canonicalize(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let epoch = corpus::now().timestamp().to_string();
    let mut table = vec![
        "| stories | story edit: median (min–max) ms | template edit: median (min–max) ms |"
            .to_string(),
        "|---:|---:|---:|".to_string(),
    ];
    for &n in sizes {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let site = dir.path().join("site");
        eprintln!("serve_bench: writing {n} stories");
        let stats = corpus::write_sites(n, 1, &repo, &site, None).map_err(|e| e.to_string())?;
        let setup = serve::Setup {
            bin: &bin,
            site: &site,
            edit_target: &stats.edit_target,
            stories: n,
            runs,
            budget: None,
            envs: &[("SOURCE_DATE_EPOCH", &epoch)],
            scratch: &dir.path().join("tmp"),
        };
        let r = serve::measure(&setup, &|line| {
            eprintln!("serve_bench: {n} stories: {line}")
        })?;
        table.push(format!(
            "| {n} | {} | {} |",
            serve::spread(&r.story, 0, ""),
            serve::spread(&r.template, 0, "")
        ));
    }
    println!("{}", table.join("\n"));
    Ok(())
}

fn main() -> ExitCode {
    let mut sizes = vec![1000, 10000];
    let mut runs = 5;
    let mut bin = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--sizes", Some(v)) => {
                sizes = v
                    .split(',')
                    .filter_map(|s| s.trim().replace('_', "").parse().ok())
                    .collect()
            }
            ("--runs", Some(v)) => runs = v.parse().unwrap_or(5).max(1),
            ("--bin", Some(v)) => bin = Some(PathBuf::from(v)),
            _ => {
                eprintln!(
                    "usage: cargo run --release --example serve_bench -- [--sizes 1000,10000,100000] [--runs 5] [--bin PATH]"
                );
                return ExitCode::from(2);
            }
        }
    }
    match run(&sizes, runs, bin) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_bench: {e}");
            ExitCode::FAILURE
        }
    }
}
