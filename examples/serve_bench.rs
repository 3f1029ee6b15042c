//! The live-preview benchmark of issue 3: the time from saving a file to the rebuilt page
//! being served by `broadsheet serve --watch`.
//!
//!     cargo run --release --example serve_bench -- [--sizes 1000,10000] [--runs 5]
//!
//! For each size it writes the benchmark's synthetic newsroom (see `bench/corpus.rs`), starts
//! the release binary's `serve --watch` on a free loopback port, and measures, `--runs` times
//! each: a story edit (a sentence with a new marker appended to one story, until that story's
//! page holds the marker) and a template edit (a `templates/404.html` override with a new
//! marker, which rebuilds everything, until `/404.html` holds it). The clock starts just
//! before the file is written and stops when an HTTP GET returns the new text.

#[path = "bench/corpus.rs"]
mod corpus;
#[path = "bench/words.rs"]
mod words;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(1111, |a| a.port())
}

/// Polls `path` until it holds `marker`; the time since `start`.
fn wait_for(port: u16, path: &str, marker: &str, start: Instant) -> Result<f64, String> {
    while start.elapsed() < Duration::from_secs(120) {
        if get(port, path).is_some_and(|b| b.contains(marker)) {
            return Ok(start.elapsed().as_secs_f64() * 1000.0);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Err(format!("{path} never showed {marker}"))
}

/// The served path of the page whose `<h1>` is `title`, found in the preview folder.
fn page_of(preview: &Path, title: &str) -> Option<String> {
    let needle = format!(
        ">{}</h1>",
        title
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    );
    let mut stack = vec![preview.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.html")
                && std::fs::read_to_string(&p).is_ok_and(|t| t.contains(&needle))
            {
                let rel = p
                    .parent()?
                    .strip_prefix(preview)
                    .ok()?
                    .to_string_lossy()
                    .into_owned();
                return Some(format!("/{rel}/"));
            }
        }
    }
    None
}

fn title_of(story: &Path) -> Option<String> {
    let text = std::fs::read_to_string(story).ok()?;
    let line = text.lines().find(|l| l.starts_with("title"))?;
    let value = line.split_once(['=', ':'])?.1.trim();
    Some(
        value
            .trim_matches('"')
            .replace("\\\"", "\"")
            .replace("''", "'")
            .trim_matches('\'')
            .to_string(),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn run(sizes: &[usize], runs: usize) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "broadsheet"])
        .current_dir(&repo)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cargo build failed".into());
    }
    let bin = repo.join("target/release/broadsheet");
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
        let port = free_port();
        let mut child = Command::new(&bin)
            .args(["serve", "--watch", "--port", &port.to_string(), "--root"])
            .arg(&site)
            .env("SOURCE_DATE_EPOCH", &epoch)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let server = Server(child);
        let mut preview = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(p) = line.strip_prefix("Preview files: ") {
                preview = Some(PathBuf::from(p));
                break;
            }
        }
        let preview = preview.ok_or("serve did not start")?;
        let title = title_of(&stats.edit_target).ok_or("no title in the edited story")?;
        let page = page_of(&preview, &title).ok_or_else(|| format!("no page for {title}"))?;
        let (mut story, mut template) = (Vec::new(), Vec::new());
        for round in 0..runs {
            // Let the watcher settle between edits, so each is its own rebuild.
            std::thread::sleep(Duration::from_millis(400));
            let edit = 1000 + round;
            let marker = format!("(edit {edit})");
            let start = Instant::now();
            corpus::append_sentence(&stats.edit_target, edit).map_err(|e| e.to_string())?;
            story.push(wait_for(port, &page, &marker, start)?);

            std::thread::sleep(Duration::from_millis(400));
            let marker = format!("template-marker-{n}-{round}");
            std::fs::create_dir_all(site.join("templates")).map_err(|e| e.to_string())?;
            let start = Instant::now();
            std::fs::write(
                site.join("templates/404.html"),
                format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{marker}</h1>{{% endblock %}}"),
            )
            .map_err(|e| e.to_string())?;
            template.push(wait_for(port, "/404.html", &marker, start)?);
            eprintln!(
                "serve_bench: {n} stories, round {}: story {:.0} ms, template {:.0} ms",
                round + 1,
                story[round],
                template[round]
            );
        }
        drop(server);
        let range = |v: &[f64]| {
            let (lo, hi) = v
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
            format!("{:.0} ({lo:.0}–{hi:.0})", median(v.to_vec()))
        };
        table.push(format!(
            "| {n} | {} | {} |",
            range(&story),
            range(&template)
        ));
    }
    println!("{}", table.join("\n"));
    Ok(())
}

fn main() -> ExitCode {
    let mut sizes = vec![1000, 10000];
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--sizes", Some(v)) => {
                sizes = v.split(',').filter_map(|s| s.trim().parse().ok()).collect()
            }
            ("--runs", Some(v)) => runs = v.parse().unwrap_or(5).max(1),
            _ => {
                eprintln!(
                    "usage: cargo run --release --example serve_bench -- [--sizes 1000,10000] [--runs 5]"
                );
                return ExitCode::from(2);
            }
        }
    }
    match run(&sizes, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_bench: {e}");
            ExitCode::FAILURE
        }
    }
}
