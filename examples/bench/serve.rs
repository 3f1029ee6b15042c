//! The time from saving a file to `broadsheet serve --watch` serving the rebuilt page, shared by
//! `serve_bench` and `bench --goals`.
//!
//! It starts the binary's `serve --watch` on a free loopback port and measures, `runs` times
//! each: a story edit (a sentence with a new marker appended to one story, until that story's
//! page holds the marker) and a template edit (a `templates/404.html` override with a new
//! marker, which rebuilds everything, until `/404.html` holds it). The clock starts just before
//! the file is written and stops when an HTTP GET returns the new text.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::corpus;

/// What to measure.
pub struct Setup<'a> {
    pub bin: &'a Path,
    pub site: &'a Path,
    /// The story the story edit appends to.
    pub edit_target: &'a Path,
    pub stories: usize,
    pub runs: usize,
    /// Seconds after which no further round starts (each is made at least once).
    pub budget: Option<f64>,
    pub envs: &'a [(&'a str, &'a str)],
    /// The server's TMPDIR: its preview folder goes there, and the server is killed rather
    /// than stopped, so the caller removes it.
    pub scratch: &'a Path,
}

/// Milliseconds per round, from the save to the new text being served.
#[derive(Clone, Debug, Default)]
pub struct Latencies {
    pub story: Vec<f64>,
    pub template: Vec<f64>,
}

/// How long the first build may take before the bench gives up: minutes at 100,000 stories.
fn start_limit(stories: usize) -> Duration {
    Duration::from_secs(120) + Duration::from_millis(5 * stories as u64)
}

/// How long a save may take to be served: a template edit rebuilds everything, so it scales
/// with the first build, which was timed on this machine at this size.
fn serve_limit(first_build: Duration) -> Duration {
    Duration::from_secs(30) + first_build * 10
}

/// Lets the watcher settle between edits, so each is its own rebuild.
const SETTLE: Duration = Duration::from_millis(400);

/// A running server, killed when dropped.
struct Server {
    child: Child,
    /// The server's own time for each rebuild ("Rebuilt in N ms" on its stderr).
    rebuilt: Receiver<u64>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits for the rebuild that served the last edit to finish (its preview folder written
    /// too), then lets the watcher settle and forgets any other rebuild meanwhile.
    fn settle(&self, limit: Duration) -> Option<u64> {
        let ms = self.rebuilt.recv_timeout(limit).ok();
        std::thread::sleep(SETTLE);
        while self.rebuilt.try_recv().is_ok() {}
        ms
    }
}

fn start(s: &Setup, port: u16) -> Result<(Server, ChildStdout), String> {
    fs::create_dir_all(s.scratch).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(s.bin);
    cmd.args(["serve", "--watch", "--port", &port.to_string(), "--root"])
        .arg(s.site)
        .env("TMPDIR", s.scratch)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in s.envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (send, rebuilt) = mpsc::channel();
    // The server's messages pass through, except the rebuild times, which pace the rounds.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            match line
                .strip_prefix("Rebuilt in ")
                .and_then(|r| r.strip_suffix(" ms"))
            {
                Some(ms) => {
                    let _ = send.send(ms.parse().unwrap_or(0));
                }
                None => eprintln!("{line}"),
            }
        }
    });
    Ok((Server { child, rebuilt }, stdout))
}

/// Reads the server's stdout (on a thread, so the wait has a limit) until it names its preview
/// folder, which it does once the first build is served; then keeps draining it.
fn preview_folder(stdout: ChildStdout, limit: Duration) -> Result<PathBuf, String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(p) = line.strip_prefix("Preview files: ") {
                let _ = send.send(PathBuf::from(p));
            }
        }
    });
    receive.recv_timeout(limit).map_err(|e| match e {
        RecvTimeoutError::Timeout => format!("serve did not start within {} s", limit.as_secs()),
        RecvTimeoutError::Disconnected => "serve stopped before it started serving".to_string(),
    })
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

/// Polls `path` until it holds `marker`: the milliseconds since `start`.
fn wait_for(
    port: u16,
    path: &str,
    marker: &str,
    start: Instant,
    limit: Duration,
) -> Result<f64, String> {
    while start.elapsed() < limit {
        if get(port, path).is_some_and(|b| b.contains(marker)) {
            return Ok(start.elapsed().as_secs_f64() * 1000.0);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Err(format!(
        "{path} did not show {marker} within {} s",
        limit.as_secs()
    ))
}

/// A front-matter value of a story (`key = "v"` or `key: v`).
fn field(text: &str, key: &str) -> Option<String> {
    let line = text.lines().find(|l| {
        l.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(['=', ':']))
    })?;
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

/// The served path of the story's page, found in the preview folder by its `<h1>`. Folders
/// named like the story's file or slug are read first: reading every page at 100,000 stories
/// takes long.
fn page_of(preview: &Path, story: &Path) -> Result<String, String> {
    let text = fs::read_to_string(story).map_err(|e| e.to_string())?;
    let title = field(&text, "title").ok_or("no title in the edited story")?;
    let hints: Vec<String> = [
        story.file_stem().map(|s| s.to_string_lossy().into_owned()),
        field(&text, "slug"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let needle = format!(
        ">{}</h1>",
        title
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    );
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(preview)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() == "index.html")
        .map(|e| e.into_path())
        .collect();
    let hinted = |p: &PathBuf| {
        p.parent()
            .and_then(Path::file_name)
            .is_some_and(|d| hints.iter().any(|h| d == h.as_str()))
    };
    pages.sort_by_key(|p| !hinted(p));
    let page = pages
        .iter()
        .find(|p| fs::read_to_string(p).is_ok_and(|t| t.contains(&needle)))
        .ok_or_else(|| format!("no page for {title}"))?;
    let rel = page
        .parent()
        .and_then(|d| d.strip_prefix(preview).ok())
        .ok_or("page outside the preview folder")?;
    Ok(format!("/{}/", rel.to_string_lossy()))
}

/// Measures `s.runs` rounds of a story edit and a template edit; `log` gets the progress.
pub fn measure(s: &Setup, log: &dyn Fn(String)) -> Result<Latencies, String> {
    let port = free_port();
    let started = Instant::now();
    let (server, stdout) = start(s, port)?;
    let preview = preview_folder(stdout, start_limit(s.stories))?;
    let first_build = started.elapsed();
    let page = page_of(&preview, s.edit_target)?;
    log(format!(
        "serve --watch: first build served after {:.1} s; edited page {page}",
        first_build.as_secs_f64()
    ));
    let templates = s.site.join("templates");
    let result = rounds(s, &server, port, &page, serve_limit(first_build), log);
    drop(server);
    // Leave the site as it was written, even after a failure: the override is the bench's.
    let _ = fs::remove_file(templates.join("404.html"));
    let _ = fs::remove_dir(&templates);
    result
}

fn rounds(
    s: &Setup,
    server: &Server,
    port: u16,
    page: &str,
    limit: Duration,
    log: &dyn Fn(String),
) -> Result<Latencies, String> {
    let templates = s.site.join("templates");
    let override_404 = templates.join("404.html");
    let mut result = Latencies::default();
    let rounds = Instant::now();
    std::thread::sleep(SETTLE);
    for round in 0..s.runs {
        let spent = rounds.elapsed().as_secs_f64();
        if round > 0
            && let Some(budget) = s.budget
            && spent + spent / round as f64 > budget
        {
            log(format!(
                "(no more serve rounds: {round} took {spent:.0} s; another would end past the budget of {budget:.0} s)"
            ));
            break;
        }
        let edit = 1000 + round;
        let marker = format!("(edit {edit})");
        let start = Instant::now();
        corpus::append_sentence(s.edit_target, edit).map_err(|e| e.to_string())?;
        result
            .story
            .push(wait_for(port, page, &marker, start, limit)?);
        let story_rebuild = server.settle(limit);

        let marker = format!("template-marker-{}-{round}", s.stories);
        fs::create_dir_all(&templates).map_err(|e| e.to_string())?;
        let start = Instant::now();
        fs::write(
            &override_404,
            format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{marker}</h1>{{% endblock %}}"),
        )
        .map_err(|e| e.to_string())?;
        result
            .template
            .push(wait_for(port, "/404.html", &marker, start, limit)?);
        let template_rebuild = server.settle(limit);
        let ms = |v: Option<u64>| v.map_or("?".into(), |v| v.to_string());
        log(format!(
            "serve round {}: story edit served in {:.0} ms, template edit in {:.0} ms (the server's own rebuilds: {} ms, {} ms)",
            round + 1,
            result.story[round],
            result.template[round],
            ms(story_rebuild),
            ms(template_rebuild)
        ));
    }
    Ok(result)
}

/// `median (min–max)` of the values with `decimals` places and `unit` after the median; just
/// the median for one value.
pub fn spread(values: &[f64], decimals: usize, unit: &str) -> String {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let (Some(lo), Some(hi)) = (v.first(), v.last()) else {
        return "n/a".into();
    };
    let mid = v.len() / 2;
    let median = if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    };
    if v.len() == 1 {
        return format!("{median:.decimals$}{unit}");
    }
    format!("{median:.decimals$}{unit} ({lo:.decimals$}–{hi:.decimals$})")
}
