//! `broadsheet serve` against the real server over loopback HTTP: content types, HEAD, folder
//! URLs and redirects, the site's 404 page, path traversal, concurrency, a port in use, the
//! local base URL, the injected live-reload script, Ctrl-C; and with `--watch`: edits,
//! new/deleted/renamed stories and folders, the atomic saves of common editors, editor
//! leftovers, bursts of saves, template/config/static changes, a broken story and its fix, and
//! that the preview folder always equals a clean `build` of the same site.
//!
//! Every test starts its own server on its own free port, on its own site in a temporary
//! folder, and the `Server` guard stops it (and removes its preview folder) even on panic.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

mod common;

/// How long a change may take to show up.
const WAIT: Duration = Duration::from_secs(10);
/// How long the server may take to start.
const START: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// The fixture site
// ---------------------------------------------------------------------------------------------

/// The URL of `content/world/river.md`.
const RIVER: &str = "/world/2025/06/01/river-rises/";
/// The URL of `content/world/bridge.md`.
const BRIDGE: &str = "/world/2025/06/02/bridge-reopens/";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A story; its section comes from its folder, its URL from `date` and `slug`.
fn story(title: &str, slug: &str, day: u32, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\ndate = 2025-06-{day:02}T10:00:00Z\n\
         tags = [\"Rivers\"]\nauthors = [\"Staff Correspondent\"]\n+++\n\n{body}\n"
    )
}

fn river(title: &str, body: &str) -> String {
    story(title, "river-rises", 1, body)
}

/// The river story with an unclosed string on line 2 of the file.
const BROKEN_RIVER: &str = "+++\ntitle = \"River rises\nslug = \"river-rises\"\n\
    date = 2025-06-01T10:00:00Z\n+++\n\nBroken body.\n";

struct Site {
    dir: TempDir,
    root: PathBuf,
}

impl Site {
    /// `broadsheet init`, plus two stories in `content/world/` and a few static files.
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let (status, out, err) = common::run(&["init", root.to_str().unwrap()]);
        assert!(status.success(), "init failed:\n{out}\n{err}");
        let site = Site { dir, root };
        // The folders these tests add stories to are sections of the site.
        let config = site.read("config.toml");
        site.write(
            "config.toml",
            format!("{config}\n[sections.sport]\nweight = 4\n\n[sections.business]\nweight = 5\n"),
        );
        site.write(
            "content/world/river.md",
            river("River rises", "The river rose by two metres overnight."),
        );
        site.write(
            "content/world/bridge.md",
            story(
                "Bridge reopens",
                "bridge-reopens",
                2,
                "The old bridge is open again.",
            ),
        );
        site.write("static/img/dot.png", PNG);
        site.write("static/fonts/body.woff2", b"wOF2\0\x01\0\0fake font bytes");
        site.write("static/js/app.js", "console.log('app');\n");
        site.write("static/files/annual report.pdf", b"%PDF-1.4\n%%EOF\n");
        site
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        let to = self.path(to);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::rename(self.path(from), to).unwrap();
    }

    /// A folder beside the site (same file system), for outputs and editors' temp files.
    fn outside(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn serve(&self, extra: &[&str]) -> Server {
        Server::start(&self.root, common::free_port(), extra)
    }

    fn watch(&self) -> Server {
        self.serve(&["--watch"])
    }
}

// ---------------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------------

type Shared = Arc<Mutex<String>>;

/// A running `broadsheet serve`; dropping it kills the process and removes its preview folder.
struct Server {
    child: Option<Child>,
    port: u16,
    preview: PathBuf,
    stdout: Shared,
    stderr: Shared,
}

fn pump(from: impl Read + Send + 'static, into: Shared) {
    thread::spawn(move || {
        let mut reader = BufReader::new(from);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
}

impl Server {
    fn start(root: &Path, port: u16, extra: &[&str]) -> Server {
        let child = Command::new(common::bin())
            .arg("serve")
            .args(extra)
            .args(["--port", &port.to_string(), "--root"])
            .arg(root)
            .current_dir(root.parent().unwrap())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start broadsheet serve");
        let mut server = Server {
            child: Some(child),
            port,
            preview: PathBuf::new(),
            stdout: Arc::default(),
            stderr: Arc::default(),
        };
        let child = server.child.as_mut().unwrap();
        pump(child.stdout.take().unwrap(), server.stdout.clone());
        pump(child.stderr.take().unwrap(), server.stderr.clone());
        let started = Instant::now();
        loop {
            let out = server.stdout();
            if let Some(line) = out.lines().find(|l| l.starts_with("Preview files:")) {
                server.preview = PathBuf::from(line["Preview files:".len()..].trim());
                let serving = out.lines().find(|l| l.starts_with("Serving")).unwrap_or("");
                assert!(
                    serving.contains(&format!("http://127.0.0.1:{port}/")),
                    "the Serving line does not give the address:\n{out}"
                );
                assert!(
                    server.preview.is_dir(),
                    "the preview folder {} does not exist",
                    server.preview.display()
                );
                return server;
            }
            if let Ok(Some(status)) = server.child.as_mut().unwrap().try_wait() {
                thread::sleep(Duration::from_millis(100));
                panic!(
                    "broadsheet serve exited with {status} before serving\nstdout:\n{}\nstderr:\n{}",
                    server.stdout(),
                    server.stderr()
                );
            }
            if started.elapsed() > START {
                panic!(
                    "broadsheet serve did not print its Preview files line in {START:?}\n\
                     stdout:\n{}\nstderr:\n{}",
                    server.stdout(),
                    server.stderr()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many `Rebuilt` lines stderr has so far.
    fn rebuilds(&self) -> usize {
        self.stderr()
            .lines()
            .filter(|l| l.starts_with("Rebuilt"))
            .count()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    fn head(&self, path: &str) -> Response {
        request(self.port, "HEAD", path)
    }

    /// Polls `f` every 50 ms until it gives a value; panics with the server's stderr after
    /// `WAIT`.
    fn wait_for<T>(&self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = f() {
                return v;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for {what}\nserver stderr:\n{}",
                    self.stderr()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until GET `path` answers `status` with a body containing `text`.
    fn wait_page(&self, path: &str, status: u16, text: &str) -> Response {
        self.wait_for(&format!("{path} to answer {status} with {text:?}"), || {
            let r = self.get(path);
            (r.status == status && r.text().contains(text)).then_some(r)
        })
    }

    /// Waits until GET `path` answers `status`.
    fn wait_status(&self, path: &str, status: u16) -> Response {
        self.wait_for(&format!("{path} to answer {status}"), || {
            let r = self.get(path);
            (r.status == status).then_some(r)
        })
    }

    /// Waits until more than `before` rebuilds were reported.
    fn wait_rebuild_after(&self, before: usize) {
        self.wait_for(&format!("rebuild number {}", before + 1), || {
            (self.rebuilds() > before).then_some(())
        })
    }

    /// Waits until stderr has not changed for `quiet`, and returns it.
    fn settle(&self, quiet: Duration) -> String {
        let mut last = self.stderr();
        let mut since = Instant::now();
        let start = Instant::now();
        loop {
            thread::sleep(Duration::from_millis(50));
            let now = self.stderr();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return last;
            }
            assert!(
                start.elapsed() < WAIT * 2,
                "the server never went quiet:\n{last}"
            );
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.pid().to_string()])
            .status()
            .expect("cannot run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits up to `timeout` for the process to end.
    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.as_mut().unwrap().try_wait() {
                return Some(status);
            }
            if start.elapsed() > timeout {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // A killed server cannot clean up after itself.
        let name = self
            .preview
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with("broadsheet-serve-")) && self.preview.is_dir() {
            let _ = fs::remove_dir_all(&self.preview);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client: raw request targets, so traversal attempts reach the server as written
// ---------------------------------------------------------------------------------------------

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    /// The bytes after the headers, de-chunked when the response was chunked.
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn request(port: u16, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("cannot connect to port {port}: {e}"));
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("reading the answer to {method} {target}: {e}"));
    parse_response(&raw).unwrap_or_else(|| {
        panic!(
            "no HTTP answer to {method} {target}: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Some(Response {
        status,
        headers,
        body,
    })
}

/// As much of a chunked body as has arrived.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&raw[..eol]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
        else {
            return out;
        };
        if size == 0 {
            return out;
        }
        let start = eol + 2;
        let end = (start + size).min(raw.len());
        out.extend_from_slice(&raw[start..end]);
        if start + size + 2 > raw.len() {
            return out;
        }
        raw = &raw[start + size + 2..];
    }
}

/// An open `/__broadsheet/events` stream, read in the background.
struct Events {
    raw: Arc<Mutex<Vec<u8>>>,
    stream: TcpStream,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__broadsheet/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Accept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let raw: Arc<Mutex<Vec<u8>>> = Arc::default();
        let (mut reader, into) = (stream.try_clone().unwrap(), raw.clone());
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Events { raw, stream }
    }

    fn response(&self) -> Option<Response> {
        parse_response(&self.raw.lock().unwrap())
    }

    /// Every complete event so far, as (event name, data).
    fn events(&self) -> Vec<(String, String)> {
        let Some(r) = self.response() else {
            return Vec::new();
        };
        let text = r.text().replace("\r\n", "\n");
        let mut out = Vec::new();
        let blocks: Vec<&str> = text.split("\n\n").collect();
        // The last piece is an event still arriving (or empty).
        for block in &blocks[..blocks.len().saturating_sub(1)] {
            let mut name = String::from("message");
            let mut data: Vec<&str> = Vec::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim_start().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if !data.is_empty() || name != "message" {
                out.push((name, data.join("\n")));
            }
        }
        out
    }

    fn names(&self) -> Vec<String> {
        self.events().into_iter().map(|(n, _)| n).collect()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

// ---------------------------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------------------------

/// Every file under `dir` with its bytes, by relative path, without the build's marker file.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (rel, is_dir) in entries(dir) {
        if !is_dir && rel != ".broadsheet-output" {
            out.insert(rel.clone(), fs::read(dir.join(&rel)).unwrap());
        }
    }
    out
}

/// Every folder under `dir`, by relative path.
fn folders(dir: &Path) -> BTreeSet<String> {
    entries(dir)
        .into_iter()
        .filter(|(_, d)| *d)
        .map(|(r, _)| r)
        .collect()
}

fn entries(dir: &Path) -> Vec<(String, bool)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, bool)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.push((rel, true));
                walk(base, &path, out);
            } else {
                out.push((rel, false));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// Checks that a served HTML page is `file` with the live-reload script put before `</body>`.
fn assert_served_is_file_plus_script(served: &str, file: &str, what: &str) {
    let at = file
        .rfind("</body>")
        .unwrap_or_else(|| panic!("{what}: no </body> in the file"));
    let (before, after) = file.split_at(at);
    assert!(
        served.starts_with(before) && served.ends_with(after),
        "{what}: the served page is not the built file with a script before </body>"
    );
    let injected = &served[before.len()..served.len() - after.len()];
    assert!(
        injected.contains("__broadsheet/events") && injected.trim_start().starts_with("<script"),
        "{what}: what was put before </body> is not the live-reload script: {injected:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Serving
// ---------------------------------------------------------------------------------------------

#[test]
fn content_types_and_no_store() {
    let site = Site::new();
    let server = site.serve(&[]);
    let cases: &[(&str, &[&str])] = &[
        ("/", &["text/html; charset=utf-8"]),
        (RIVER, &["text/html; charset=utf-8"]),
        ("/css/site.css", &["text/css"]),
        (
            "/rss.xml",
            &["application/rss+xml", "application/xml", "text/xml"],
        ),
        (
            "/world/rss.xml",
            &["application/rss+xml", "application/xml", "text/xml"],
        ),
        ("/sitemap.xml", &["application/xml", "text/xml"]),
        ("/robots.txt", &["text/plain"]),
        ("/img/dot.png", &["image/png"]),
        ("/favicon.svg", &["image/svg+xml"]),
        ("/fonts/body.woff2", &["font/woff2"]),
        ("/js/app.js", &["text/javascript", "application/javascript"]),
        // The stylesheet swap of the live-reload script asks for it with a query string.
        ("/css/site.css?v=1764557000000", &["text/css"]),
        ("/files/annual%20report.pdf", &["application/pdf"]),
    ];
    for (path, types) in cases {
        let r = server.get(path);
        assert_eq!(r.status, 200, "GET {path}");
        let ct = r.content_type();
        let essence = ct.split(';').next().unwrap().trim();
        assert!(
            types.iter().any(|t| ct == *t || essence == *t),
            "GET {path}: content type {ct:?}, expected one of {types:?}"
        );
        if essence.starts_with("text/") || essence.ends_with("xml") && essence != "image/svg+xml" {
            assert!(
                ct.to_ascii_lowercase().contains("charset=utf-8"),
                "GET {path}: text without a charset: {ct:?}"
            );
        }
        assert_eq!(
            r.header("cache-control"),
            Some("no-store"),
            "GET {path}: Cache-Control"
        );
        let length: usize = r
            .header("content-length")
            .unwrap_or("x")
            .parse()
            .unwrap_or(usize::MAX);
        assert_eq!(length, r.body.len(), "GET {path}: Content-Length");
    }
    assert_eq!(
        server.get("/img/dot.png").body,
        PNG,
        "the PNG is served byte for byte"
    );
    assert_eq!(
        server.get("/css/site.css").body,
        fs::read(site.path("static/css/site.css")).unwrap()
    );
    for path in ["/no/such/page/", "/world"] {
        assert_eq!(
            server.get(path).header("cache-control"),
            Some("no-store"),
            "GET {path}"
        );
    }
    let events = Events::open(server.port);
    let r = server.wait_for("the event stream's headers", || events.response());
    assert_eq!(r.status, 200);
    assert!(
        r.content_type().starts_with("text/event-stream"),
        "{}",
        r.content_type()
    );
    assert_eq!(
        r.header("cache-control"),
        Some("no-store"),
        "event stream Cache-Control"
    );
}

#[test]
fn head_gives_headers_without_a_body() {
    let site = Site::new();
    let server = site.serve(&[]);
    for path in ["/", RIVER, "/css/site.css", "/img/dot.png", "/rss.xml"] {
        let get = server.get(path);
        let head = server.head(path);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert_eq!(
            head.content_type(),
            get.content_type(),
            "HEAD {path}: content type"
        );
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "HEAD {path}: Content-Length must be the GET body's"
        );
        assert!(
            head.body.is_empty(),
            "HEAD {path} sent a body of {} bytes",
            head.body.len()
        );
    }
    let head = server.head("/no/such/page/");
    assert_eq!(head.status, 404);
    assert!(head.body.is_empty(), "HEAD of a missing page sent a body");
    let head = server.head("/world");
    assert_eq!(head.status, 301);
    assert_eq!(head.header("location"), Some("/world/"));
}

#[test]
fn folder_urls_serve_index_html_and_redirect_without_slash() {
    let site = Site::new();
    let server = site.serve(&[]);
    let preview = &server.preview;
    for (url, file) in [
        ("/", "index.html"),
        ("/world/", "world/index.html"),
        (RIVER, "world/2025/06/01/river-rises/index.html"),
        ("/world/index.html", "world/index.html"),
        ("/2025/06/", "2025/06/index.html"),
    ] {
        let r = server.get(url);
        assert_eq!(r.status, 200, "GET {url}");
        let built = fs::read_to_string(preview.join(file)).unwrap();
        assert_served_is_file_plus_script(&r.text(), &built, url);
    }
    for (url, to) in [
        ("/world", "/world/"),
        ("/2025/06", "/2025/06/"),
        ("/world/2025/06/01/river-rises", RIVER),
        ("/world?page=2", "/world/?page=2"),
    ] {
        let r = server.get(url);
        assert_eq!(r.status, 301, "GET {url}");
        assert_eq!(r.header("location"), Some(to), "GET {url}: Location");
    }
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let site = Site::new();
    let server = site.serve(&[]);
    let page_404 = fs::read_to_string(server.preview.join("404.html")).unwrap();
    assert!(
        page_404.contains("Page not found"),
        "the fixture's 404 page"
    );
    for path in [
        "/no/such/page/",
        "/no-such-file.css",
        "/world/2025/06/01/no-such-story/",
        "/img/nope.png",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "GET {path}");
        assert!(
            r.content_type().starts_with("text/html"),
            "GET {path}: {}",
            r.content_type()
        );
        assert_served_is_file_plus_script(&r.text(), &page_404, path);
    }
}

#[test]
fn no_path_traversal_by_any_encoding() {
    let site = Site::new();
    // Secrets at every level a traversal might reach: beside the site, in it, and in the folder
    // the server runs in.
    let secret = "TOP-SECRET-7c1f";
    fs::write(site.outside("secret.txt"), secret).unwrap();
    site.write("secret.txt", secret);
    let server = site.serve(&[]);
    let paths = [
        "/../secret.txt",
        "/../../secret.txt",
        "/../site/secret.txt",
        "/css/../../secret.txt",
        "/css/../../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/css/..%2f..%2f..%2fsecret.txt",
        "/%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/css/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/%25252e%25252e/secret.txt",
        "/..%252fsecret.txt",
        "/..%255csecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/..%00/secret.txt",
        "/secret.txt%00.html",
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/../content/world/river.md",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../../../../../etc/passwd",
        "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/secret.txt",
        "/config.toml",
        "/content/world/river.md",
        "/templates/base.html",
    ];
    for path in paths {
        let r = server.get(path);
        let body = r.text();
        assert_eq!(r.status, 404, "GET {path} must be 404");
        for leak in [
            secret,
            "root:x:0",
            "base_url",
            "River rises\nslug",
            "{% block",
        ] {
            assert!(!body.contains(leak), "GET {path} leaked {leak:?}");
        }
    }
}

#[test]
fn hundreds_of_concurrent_requests_all_succeed() {
    let site = Site::new();
    let server = site.serve(&[]);
    let paths = [
        "/",
        "/css/site.css",
        "/rss.xml",
        "/world/",
        RIVER,
        "/img/dot.png",
    ];
    let expected: Vec<usize> = paths.iter().map(|p| server.get(p).body.len()).collect();
    let (port, threads, each) = (server.port, 30, 10);
    let barrier = Arc::new(Barrier::new(threads));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (barrier, expected) = (barrier.clone(), expected.clone());
            thread::spawn(move || {
                barrier.wait();
                let mut failures = Vec::new();
                for i in 0..each {
                    let k = (t + i) % paths.len();
                    let r = request(port, "GET", paths[k]);
                    if r.status != 200 || r.body.len() != expected[k] {
                        failures.push(format!(
                            "{} -> {} ({} bytes)",
                            paths[k],
                            r.status,
                            r.body.len()
                        ));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 300 requests failed: {failures:?}",
        failures.len()
    );
    assert!(
        started.elapsed() < WAIT,
        "300 requests took {:?}",
        started.elapsed()
    );
    assert_eq!(server.get("/").status, 200, "still serving afterwards");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(common::bin())
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&site.root)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve on a port in use did not exit within {WAIT:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(
        status.code(),
        Some(1),
        "exit status\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "it panicked:\n{stderr}");
    assert!(
        stderr.contains(&port.to_string()),
        "the message does not name port {port}:\n{stderr}"
    );
    let lower = stderr.to_lowercase();
    assert!(
        lower.contains("in use") || lower.contains("another program"),
        "the message does not say the port is in use:\n{stderr}"
    );
    assert!(
        !stdout.contains("Serving"),
        "it claimed to serve:\n{stdout}"
    );
    drop(taken);
}

#[test]
fn the_base_url_is_the_local_address() {
    let site = Site::new();
    let server = site.serve(&[]);
    let base = server.base();
    let page = server.get(RIVER).text();
    assert!(
        page.contains(&format!("<link rel=\"canonical\" href=\"{base}{RIVER}\">")),
        "the story's canonical link is not on {base}"
    );
    assert!(
        page.contains(&format!("href=\"{base}/rss.xml\"")),
        "the page's feed link is not on {base}"
    );
    let feed = server.get("/rss.xml").text();
    assert!(
        feed.contains(&format!("<link>{base}/</link>")),
        "the feed's channel link:\n{feed}"
    );
    assert!(
        feed.contains(&format!("<link>{base}{RIVER}</link>")),
        "the feed's item link"
    );
    assert!(
        server
            .get("/sitemap.xml")
            .text()
            .contains(&format!("<loc>{base}{RIVER}</loc>"))
    );
    // Nothing anywhere still points at the configured address.
    for (rel, bytes) in files(&server.preview) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("news.example.com"),
            "{rel} still names the configured base_url"
        );
    }
}

#[test]
fn the_script_is_injected_by_serve_only() {
    let site = Site::new();
    let server = site.serve(&[]);
    for path in ["/", RIVER, "/world/", "/tags/", "/no/such/page/"] {
        let text = server.get(path).text();
        assert_eq!(
            text.matches("/__broadsheet/events").count(),
            1,
            "GET {path}: the live-reload script must be there exactly once"
        );
        let script = text.find("/__broadsheet/events").unwrap();
        let body_end = text.rfind("</body>").expect("no </body>");
        assert!(
            script < body_end,
            "GET {path}: the script is not before </body>"
        );
    }
    for path in ["/css/site.css", "/rss.xml", "/sitemap.xml", "/js/app.js"] {
        assert!(
            !server.get(path).text().contains("__broadsheet"),
            "GET {path} has the script"
        );
    }
    // Neither the preview folder nor a real build has it.
    let out = site.outside("out");
    let (status, stdout, stderr) = common::run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(status.success(), "{stdout}{stderr}");
    for dir in [&out, &server.preview] {
        for (rel, bytes) in files(dir) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__broadsheet"),
                "{} has __broadsheet in it",
                dir.join(rel).display()
            );
        }
    }
}

fn assert_stops_on(signal: &str) {
    let site = Site::new();
    let mut server = site.watch();
    let preview = server.preview.clone();
    assert!(
        preview.join("index.html").is_file(),
        "the preview folder holds the build"
    );
    // An open page's event stream must not hold the server up.
    let events = Events::open(server.port);
    server.wait_for("the hello event", || {
        events.names().contains(&"hello".into()).then_some(())
    });
    let sent = Instant::now();
    server.signal(signal);
    let status = server.wait_exit(Duration::from_millis(2500));
    let took = sent.elapsed();
    let status = status.unwrap_or_else(|| panic!("SIG{signal} did not stop the server in 2.5 s"));
    assert!(
        took < Duration::from_secs(2),
        "SIG{signal} took {took:?} to stop the server"
    );
    assert_eq!(
        status.code(),
        Some(0),
        "exit status after SIG{signal}: {status}\n{}",
        server.stderr()
    );
    assert!(
        !preview.exists(),
        "the preview folder {} is left behind",
        preview.display()
    );
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "the port still answers"
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn sigint_stops_promptly_and_removes_the_preview_folder() {
    assert_stops_on("INT");
}

#[test]
fn sigterm_stops_promptly_and_removes_the_preview_folder() {
    assert_stops_on("TERM");
}

#[test]
fn the_served_output_never_goes_into_public() {
    let site = Site::new();
    let public = site.path("public");
    let top_before: BTreeSet<String> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!public.exists());
    {
        let server = site.watch();
        assert!(
            !server.preview.starts_with(&site.root),
            "the preview folder is inside the site"
        );
        server.wait_page(RIVER, 200, "River rises");
        site.write(
            "content/world/river.md",
            river("River rises higher", "Edited."),
        );
        server.wait_page(RIVER, 200, "River rises higher");
    }
    assert!(!public.exists(), "serve wrote into public/");
    assert!(
        !site.outside("public").exists(),
        "serve wrote into public/ of its working folder"
    );
    let top_after: BTreeSet<String> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        top_before, top_after,
        "serve left new files in the site folder"
    );

    // An existing public/ from a real build stays exactly as it was.
    let (status, stdout, stderr) = common::run(&["build", "--root", site.root.to_str().unwrap()]);
    assert!(status.success(), "{stdout}{stderr}");
    let before = files(&public);
    {
        let server = site.watch();
        site.write(
            "content/world/river.md",
            river("River rises again", "Edited again."),
        );
        server.wait_page(RIVER, 200, "River rises again");
    }
    assert_eq!(files(&public), before, "serve changed public/");
}

// ---------------------------------------------------------------------------------------------
// Watching
// ---------------------------------------------------------------------------------------------

#[test]
fn editing_a_story_updates_it_and_every_page_that_lists_it() {
    let site = Site::new();
    let server = site.watch();
    server.wait_page(RIVER, 200, "The river rose by two metres overnight.");
    site.write(
        "content/world/river.md",
        river("Floodwaters reach the city", "Sandbags everywhere."),
    );
    let page = server.wait_page(RIVER, 200, "Sandbags everywhere.");
    assert!(page.text().contains("Floodwaters reach the city"));
    assert!(
        !page.text().contains("two metres overnight"),
        "the old body is still there"
    );
    for path in [
        "/",
        "/world/",
        "/2025/06/",
        "/tags/rivers/",
        "/authors/staff-correspondent/",
        "/rss.xml",
    ] {
        let text = server.get(path).text();
        assert!(
            text.contains("Floodwaters reach the city"),
            "{path} does not list the new title"
        );
        assert!(
            !text.contains("River rises"),
            "{path} still lists the old title"
        );
    }
    assert!(server.rebuilds() >= 1);
}

#[test]
fn a_new_story_appears_and_a_deleted_one_goes() {
    let site = Site::new();
    let server = site.watch();
    let url = "/world/2025/06/03/dam-holds/";
    assert_eq!(server.get(url).status, 404);
    site.write(
        "content/world/dam.md",
        story("Dam holds", "dam-holds", 3, "The dam held."),
    );
    server.wait_page(url, 200, "The dam held.");
    assert!(
        server.get("/world/").text().contains("Dam holds"),
        "the section lists the new story"
    );
    assert!(
        server.get("/").text().contains("Dam holds"),
        "the front page lists the new story"
    );

    site.remove("content/world/bridge.md");
    let r = server.wait_status(BRIDGE, 404);
    assert!(
        r.text().contains("Page not found"),
        "the 404 page is the site's"
    );
    for path in ["/", "/world/", "/rss.xml", "/tags/rivers/"] {
        assert!(
            !server.get(path).text().contains("Bridge reopens"),
            "{path} still lists a deleted story"
        );
    }
}

#[test]
fn renaming_and_moving_story_files() {
    let site = Site::new();
    let server = site.watch();
    // Renamed in its folder: same URL, still served after the rebuild.
    let before = server.rebuilds();
    site.rename("content/world/river.md", "content/world/river-2025.md");
    server.wait_rebuild_after(before);
    server.settle(Duration::from_millis(300));
    let r = server.get(RIVER);
    assert_eq!(
        r.status,
        200,
        "a story renamed in its folder is gone:\n{}",
        server.stderr()
    );
    assert!(r.text().contains("River rises"));

    // Moved into a new folder: a new section, so a new URL; the old one is gone.
    let moved = "/business/2025/06/01/river-rises/";
    site.rename("content/world/river-2025.md", "content/business/river.md");
    server.wait_page(moved, 200, "River rises");
    server.wait_status(RIVER, 404);
    server.wait_status("/business/", 200);
    assert!(!server.get("/world/").text().contains("River rises"));
}

#[test]
fn a_new_folder_under_content_is_watched() {
    let site = Site::new();
    let server = site.watch();
    fs::create_dir_all(site.path("content/sport/football")).unwrap();
    site.write(
        "content/sport/football/final.md",
        story("Cup final tonight", "cup-final", 4, "Kick-off at eight."),
    );
    server.wait_page("/sport/2025/06/04/cup-final/", 200, "Kick-off at eight.");
    server.wait_page("/sport/", 200, "Cup final tonight");
    // And a later edit inside the new folder is seen too.
    site.write(
        "content/sport/football/final.md",
        story("Cup final postponed", "cup-final", 4, "Rain."),
    );
    server.wait_page("/sport/2025/06/04/cup-final/", 200, "Cup final postponed");
}

#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let site = Site::new();
    fs::remove_dir_all(site.path("templates")).unwrap();
    let server = site.watch();
    fs::create_dir_all(site.path("templates")).unwrap();
    let page = |text: &str| {
        format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{text}</h1>{{% endblock %}}")
    };
    site.write("templates/404.html", page("First override"));
    server.wait_page("/404.html", 200, "First override");
    // A second edit inside the folder that did not exist at the start is seen too.
    site.write("templates/404.html", page("Second override"));
    server.wait_page("/404.html", 200, "Second override");
}

#[test]
fn vim_saves_are_seen() {
    let site = Site::new();
    let server = site.watch();
    let dir = site.path("content/world");
    // vim with 'backupcopy=auto': swap file, a 4913 probe, rename the original to a backup,
    // write the new file, delete the backup.
    fs::write(dir.join(".river.md.swp"), b"swap").unwrap();
    fs::write(dir.join("4913"), b"").unwrap();
    fs::remove_file(dir.join("4913")).unwrap();
    fs::rename(dir.join("river.md"), dir.join("river.md~")).unwrap();
    fs::write(
        dir.join("river.md"),
        river("River rises (vim)", "Saved from vim."),
    )
    .unwrap();
    fs::remove_file(dir.join("river.md~")).unwrap();
    server.wait_page(RIVER, 200, "Saved from vim.");
    // A second save by renaming a temporary file over the target.
    fs::write(dir.join("4913"), b"").unwrap();
    fs::remove_file(dir.join("4913")).unwrap();
    fs::write(dir.join(".river.md.swx"), b"swap").unwrap();
    fs::write(
        dir.join("river.md.tmp"),
        river("River rises (vim 2)", "Saved from vim again."),
    )
    .unwrap();
    fs::rename(dir.join("river.md.tmp"), dir.join("river.md")).unwrap();
    fs::remove_file(dir.join(".river.md.swp")).unwrap();
    fs::remove_file(dir.join(".river.md.swx")).unwrap();
    server.wait_page(RIVER, 200, "Saved from vim again.");
}

#[test]
fn jetbrains_and_vscode_safe_writes_are_seen() {
    let site = Site::new();
    let server = site.watch();
    let dir = site.path("content/world");
    // JetBrains "safe write": write x___jb_tmp___, move x to x___jb_old___, move the temp file
    // to x, delete the old one.
    fs::write(
        dir.join("river.md___jb_tmp___"),
        river("River rises (IDE)", "Saved from the IDE."),
    )
    .unwrap();
    fs::rename(dir.join("river.md"), dir.join("river.md___jb_old___")).unwrap();
    fs::rename(dir.join("river.md___jb_tmp___"), dir.join("river.md")).unwrap();
    fs::remove_file(dir.join("river.md___jb_old___")).unwrap();
    server.wait_page(RIVER, 200, "Saved from the IDE.");
    // VS Code: an in-place write through a truncating open, then an atomic one via a temp file.
    fs::write(
        dir.join("river.md"),
        river("River rises (Code)", "Saved from Code."),
    )
    .unwrap();
    server.wait_page(RIVER, 200, "Saved from Code.");
    fs::write(
        dir.join(".river.md.vscode-tmp"),
        river("River rises (Code 2)", "Saved from Code again."),
    )
    .unwrap();
    fs::rename(dir.join(".river.md.vscode-tmp"), dir.join("river.md")).unwrap();
    server.wait_page(RIVER, 200, "Saved from Code again.");
}

#[test]
fn ia_writer_saves_are_seen() {
    let site = Site::new();
    let server = site.watch();
    let dir = site.path("content/world");
    // A temporary file written elsewhere, then moved over the story.
    let elsewhere = site.outside("ia-tmp");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(
        elsewhere.join("river.md"),
        river("River rises (iA)", "Saved from iA Writer."),
    )
    .unwrap();
    fs::rename(elsewhere.join("river.md"), dir.join("river.md")).unwrap();
    server.wait_page(RIVER, 200, "Saved from iA Writer.");
    // And a hidden temporary file beside it, then renamed over it.
    fs::write(
        dir.join(".river.md.sb-a1b2c3"),
        river("River rises (iA 2)", "Saved from iA again."),
    )
    .unwrap();
    fs::rename(dir.join(".river.md.sb-a1b2c3"), dir.join("river.md")).unwrap();
    server.wait_page(RIVER, 200, "Saved from iA again.");
}

#[test]
fn editor_leftovers_alone_trigger_no_rebuild() {
    let site = Site::new();
    let server = site.watch();
    server.settle(Duration::from_millis(300));
    assert_eq!(server.rebuilds(), 0);
    let leftovers = [
        "content/world/.river.md.swp",
        "content/world/.river.md.swx",
        "content/world/river.md~",
        "content/world/.#river.md",
        "content/world/#river.md#",
        "content/world/4913",
        "content/world/.DS_Store",
        "content/world/river.md___jb_tmp___",
        "templates/.article.html.swp",
        "templates/article.html~",
        "static/css/.site.css.swp",
        "static/css/site.css~",
        "static/4913",
        ".config.toml.swp",
        "config.toml~",
    ];
    for rel in leftovers {
        site.write(rel, "leftover");
    }
    thread::sleep(Duration::from_millis(200));
    for rel in leftovers {
        site.write(rel, "leftover, written again");
    }
    thread::sleep(Duration::from_millis(200));
    for rel in leftovers {
        site.remove(rel);
    }
    let stderr = server.settle(Duration::from_millis(1200));
    assert_eq!(
        server.rebuilds(),
        0,
        "editor temp and backup files alone caused rebuilds:\n{stderr}"
    );
    // The watcher is alive: a real save is seen.
    site.write(
        "content/world/river.md",
        river("River rises still", "Still rising."),
    );
    server.wait_page(RIVER, 200, "Still rising.");
    let stderr = server.settle(Duration::from_millis(500));
    assert_eq!(server.rebuilds(), 1, "one save, one rebuild:\n{stderr}");
}

#[test]
fn a_burst_of_saves_gives_one_rebuild() {
    let site = Site::new();
    let server = site.watch();
    server.settle(Duration::from_millis(300));
    assert_eq!(server.rebuilds(), 0);
    let started = Instant::now();
    for i in 0..10 {
        site.write(
            "content/world/river.md",
            river("River rises", &format!("Version {i} of the story.")),
        );
        thread::sleep(Duration::from_millis(5));
    }
    let took = started.elapsed();
    server.wait_page(RIVER, 200, "Version 9 of the story.");
    let stderr = server.settle(Duration::from_millis(1000));
    assert_eq!(
        server.rebuilds(),
        1,
        "10 saves in {took:?} gave {} rebuilds:\n{stderr}",
        server.rebuilds()
    );
    assert!(server.get(RIVER).text().contains("Version 9 of the story."));
}

#[test]
fn template_and_config_changes_rebuild() {
    let site = Site::new();
    let server = site.watch();
    let base = server.base();
    let article = site.read("templates/article.html");
    assert!(article.contains("<article class=\"story\""));
    site.write(
        "templates/article.html",
        article.replace(
            "<article class=\"story\"",
            "<p class=\"template-marker\">Template marker 42</p>\n<article class=\"story\"",
        ),
    );
    server.wait_page(RIVER, 200, "Template marker 42");
    assert!(
        server.get(BRIDGE).text().contains("Template marker 42"),
        "every story is re-rendered"
    );

    let config = site.read("config.toml");
    site.write(
        "config.toml",
        config
            .replace(
                "title = \"My Newsroom\"",
                "title = \"The Riverside Courier\"",
            )
            .replace("https://news.example.com", "https://courier.example.org"),
    );
    let home = server.wait_page("/", 200, "The Riverside Courier");
    // A new base_url in config.toml does not leak into the preview.
    assert!(
        home.text().contains(&format!("href=\"{base}/\"")),
        "canonical is no longer local"
    );
    assert!(
        !home.text().contains("courier.example.org"),
        "the preview uses the configured base_url"
    );
    assert!(server.get(RIVER).text().contains("The Riverside Courier"));
}

#[test]
fn static_changes_are_served() {
    let site = Site::new();
    let server = site.watch();
    let css = site.read("static/css/site.css");
    site.write(
        "static/css/site.css",
        format!("{css}\n.css-marker {{ color: rgb(1, 2, 3); }}\n"),
    );
    server.wait_page("/css/site.css", 200, ".css-marker");
    site.write("static/img/new.png", PNG);
    let r = server.wait_status("/img/new.png", 200);
    assert_eq!(r.body, PNG);
    assert_eq!(r.content_type(), "image/png");
    let before = server.rebuilds();
    site.remove("static/js/app.js");
    server.wait_status("/js/app.js", 404);
    server.wait_rebuild_after(before);
    server.settle(Duration::from_millis(300));
    assert!(
        !server.preview.join("js/app.js").exists(),
        "a deleted static file is left in the preview folder"
    );
    assert!(
        server.preview.join("img/new.png").exists(),
        "a new static file is not in the preview folder"
    );
}

#[test]
fn events_say_hello_then_reload_or_css() {
    let site = Site::new();
    let server = site.watch();
    let events = Events::open(server.port);
    let hello = server.wait_for("the hello event", || {
        events.events().into_iter().find(|(n, _)| n == "hello")
    });
    let first: u64 = hello
        .1
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("hello data: {:?}", hello.1));
    site.write("content/world/river.md", river("River rises", "Reload me."));
    server.wait_for("a reload event", || {
        events.names().contains(&"reload".into()).then_some(())
    });
    let css = site.read("static/css/site.css");
    site.write(
        "static/css/site.css",
        format!("{css}\nbody {{ margin: 1px; }}\n"),
    );
    server.wait_for("a css event", || {
        events.names().contains(&"css".into()).then_some(())
    });
    let names = events.names();
    assert_eq!(
        names.iter().filter(|n| *n == "reload").count(),
        1,
        "a CSS change reloaded pages: {names:?}"
    );
    // A page loaded now knows the newest build: its hello differs from the first.
    let again = Events::open(server.port);
    let hello = server.wait_for("a second hello", || {
        again.events().into_iter().find(|(n, _)| n == "hello")
    });
    assert_ne!(
        hello.1.trim().parse::<u64>().unwrap(),
        first,
        "the build id did not change"
    );
}

#[test]
fn a_broken_story_keeps_the_last_good_page_and_shows_the_error() {
    let site = Site::new();
    let server = site.watch();
    site.write(
        "content/world/river.md",
        river("River rises", "Last good version."),
    );
    server.wait_page(RIVER, 200, "Last good version.");
    let events = Events::open(server.port);
    server.wait_for("the hello event", || {
        events.names().contains(&"hello".into()).then_some(())
    });

    site.write("content/world/river.md", BROKEN_RIVER);
    let at = "content/world/river.md:2";
    server.wait_for("stderr to name the broken file and line", || {
        server.stderr().contains(at).then_some(())
    });
    let (_, data) = server.wait_for("an error event", || {
        events.events().into_iter().find(|(n, _)| n == "error")
    });
    assert!(
        data.contains(at),
        "the error event does not name {at}: {data:?}"
    );

    // The last good page is still served, and carries the error for the overlay.
    let page = server.get(RIVER);
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Last good version."),
        "the last good page is gone"
    );
    assert!(!page.text().contains("Broken body."));
    assert!(
        page.text().contains(at),
        "the served page does not carry the error"
    );
    assert!(
        server.get("/").text().contains(at),
        "other pages do not carry the error"
    );
    // A page opened now is told about the error straight away.
    let late = Events::open(server.port);
    let (_, data) = server.wait_for("an error event for a late page", || {
        late.events().into_iter().find(|(n, _)| n == "error")
    });
    assert!(data.contains(at), "{data:?}");

    site.write(
        "content/world/river.md",
        river("River rises", "Fixed version."),
    );
    let page = server.wait_page(RIVER, 200, "Fixed version.");
    assert!(
        !page.text().contains(at),
        "the fixed page still carries the error"
    );
    server.wait_for("a reload event after the fix", || {
        let names = events.names();
        let error = names.iter().position(|n| n == "error")?;
        names[error..].contains(&"reload".into()).then_some(())
    });
    let fresh = Events::open(server.port);
    server.wait_for("a hello for a fresh page", || {
        fresh.names().contains(&"hello".into()).then_some(())
    });
    thread::sleep(Duration::from_millis(200));
    assert!(
        !fresh.names().contains(&"error".into()),
        "the error is still announced after the fix"
    );
}

#[test]
fn a_failed_static_change_keeps_the_last_good_build() {
    let site = Site::new();
    let server = site.watch();
    server.wait_page(RIVER, 200, "River rises");
    // A static file that collides with a generated page is an error.
    site.write(
        "static/world/index.html",
        "<p>collides with the World section</p>",
    );
    server.wait_for("the collision on stderr", || {
        server.stderr().contains("world/index.html").then_some(())
    });
    thread::sleep(Duration::from_millis(200));
    for path in [RIVER, "/", "/world/"] {
        let r = server.get(path);
        assert_eq!(
            r.status, 200,
            "GET {path}: the last good build is no longer served after a failed static change"
        );
    }
    site.remove("static/world/index.html");
    server.wait_page("/world/", 200, "River rises");
}

#[test]
fn every_problem_of_a_failed_rebuild_is_reported() {
    let site = Site::new();
    let server = site.watch();
    let events = Events::open(server.port);
    server.wait_for("the hello event", || {
        events.names().contains(&"hello".into()).then_some(())
    });
    site.write("content/world/river.md", BROKEN_RIVER);
    site.write(
        "content/world/bridge.md",
        story("Bridge reopens", "bridge-reopens", 2, "Body.")
            .replace("date = 2025-06-02T10:00:00Z", "date = \"next tuesday\""),
    );
    let (river_at, bridge_at) = ("content/world/river.md:2", "content/world/bridge.md:4");
    server.wait_for("stderr to name both broken files", || {
        let e = server.stderr();
        (e.contains(river_at) && e.contains(bridge_at)).then_some(())
    });
    server.wait_for("an error event naming both broken files", || {
        events
            .events()
            .into_iter()
            .rev()
            .find(|(n, d)| n == "error" && d.contains(river_at) && d.contains(bridge_at))
    });
    let page = server.get(RIVER);
    assert_eq!(page.status, 200, "the last good page is gone");
    assert!(page.text().contains(river_at) && page.text().contains(bridge_at));
}

#[test]
fn drafts_and_future_stories_only_with_their_flags() {
    let site = Site::new();
    let draft = "/world/2025/06/05/draft-story/";
    let future = "/world/2099/06/06/future-story/";
    site.write(
        "content/world/draft.md",
        story("Draft story", "draft-story", 5, "Not yet.")
            .replace("+++\n\n", "draft = true\n+++\n\n"),
    );
    site.write(
        "content/world/future.md",
        story("Future story", "future-story", 6, "Later.").replace("2025-06-06", "2099-06-06"),
    );
    {
        let server = site.serve(&[]);
        assert_eq!(
            server.get(draft).status,
            404,
            "a draft is served without --drafts"
        );
        assert_eq!(
            server.get(future).status,
            404,
            "a future story is served without --future"
        );
        assert_eq!(server.get(RIVER).status, 200);
    }
    let server = site.serve(&["--drafts", "--future"]);
    assert_eq!(
        server.get(draft).status,
        200,
        "a draft is not served with --drafts"
    );
    assert_eq!(
        server.get(future).status,
        200,
        "a future story is not served with --future"
    );
}

#[test]
fn a_site_broken_at_start_is_served_once_fixed() {
    let site = Site::new();
    site.write("content/world/river.md", BROKEN_RIVER);
    let server = site.watch();
    let at = "content/world/river.md:2";
    server.wait_for("the first build's errors on stderr", || {
        server.stderr().contains(at).then_some(())
    });
    let home = server.get("/");
    assert!(
        home.text().contains(at),
        "the page shown does not name the problem"
    );
    site.write(
        "content/world/river.md",
        river("River rises", "Fixed at last."),
    );
    let page = server.wait_page(RIVER, 200, "Fixed at last.");
    assert!(!page.text().contains(at));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn the_preview_folder_equals_a_clean_build_after_edits_deletions_and_renames() {
    let site = Site::new();
    let server = site.watch();
    let step = |what: &str, f: &dyn Fn()| {
        let before = server.rebuilds();
        f();
        server.wait_for(&format!("a rebuild after {what}"), || {
            (server.rebuilds() > before).then_some(())
        });
    };
    step("an edit", &|| {
        site.write(
            "content/world/river.md",
            river("River rises again", "Edited."),
        )
    });
    server.wait_page(RIVER, 200, "Edited.");
    step("a new story", &|| {
        site.write(
            "content/world/dam.md",
            story("Dam holds", "dam-holds", 3, "The dam held."),
        )
    });
    server.wait_status("/world/2025/06/03/dam-holds/", 200);
    step("a deletion", &|| site.remove("content/world/bridge.md"));
    server.wait_status(BRIDGE, 404);
    step("a rename into a new folder", &|| {
        site.rename("content/world/river.md", "content/business/river.md")
    });
    server.wait_status("/business/2025/06/01/river-rises/", 200);
    step("a rename in place", &|| {
        site.rename("content/world/dam.md", "content/world/the-dam.md")
    });
    step("a new tag", &|| {
        site.write(
            "content/world/the-dam.md",
            story("Dam holds", "dam-holds", 3, "The dam held.")
                .replace("[\"Rivers\"]", "[\"Dams\", \"Rivers\"]"),
        )
    });
    server.wait_status("/tags/dams/", 200);
    step("a removed section", &|| {
        fs::remove_dir_all(site.path("content/opinion")).unwrap()
    });
    step("a static edit", &|| {
        let css = site.read("static/css/site.css");
        site.write(
            "static/css/site.css",
            format!("{css}\n.x {{ color: red; }}\n"),
        );
    });
    step("a static file added", &|| {
        site.write("static/img/new.png", PNG)
    });
    step("a static file deleted", &|| site.remove("static/js/app.js"));
    step("a template edit", &|| {
        let t = site.read("templates/article.html");
        site.write(
            "templates/article.html",
            t.replace(
                "<article class=\"story\"",
                "<!-- edited -->\n<article class=\"story\"",
            ),
        );
    });
    step("a story deleted again", &|| {
        site.remove("content/business/river.md")
    });
    server.wait_status("/business/2025/06/01/river-rises/", 404);
    server.settle(Duration::from_millis(800));

    let clean = site.outside("clean");
    let (status, stdout, stderr) = common::run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--base-url",
        &server.base(),
        "--output",
        clean.to_str().unwrap(),
    ]);
    assert!(status.success(), "{stdout}{stderr}");
    let (preview, built) = (files(&server.preview), files(&clean));
    let only_preview: Vec<&String> = preview.keys().filter(|k| !built.contains_key(*k)).collect();
    let only_built: Vec<&String> = built.keys().filter(|k| !preview.contains_key(*k)).collect();
    let differ: Vec<&String> = preview
        .iter()
        .filter(|(k, v)| built.get(*k).is_some_and(|b| b != *v))
        .map(|(k, _)| k)
        .collect();
    let (preview_dirs, built_dirs) = (folders(&server.preview), folders(&clean));
    let stale: Vec<&String> = preview_dirs.difference(&built_dirs).collect();
    let missing: Vec<&String> = built_dirs.difference(&preview_dirs).collect();
    assert!(
        only_preview.is_empty()
            && only_built.is_empty()
            && differ.is_empty()
            && stale.is_empty()
            && missing.is_empty(),
        "the preview folder differs from a clean build:\n only in the preview: {only_preview:?}\n \
         only in the clean build: {only_built:?}\n different contents: {differ:?}\n \
         folders left over in the preview: {stale:?}\n folders missing from the preview: {missing:?}"
    );
    // And what is served is the preview folder.
    for path in ["", "world/", "tags/dams/"] {
        let served = server.get(&format!("/{path}")).text();
        let file = String::from_utf8(built[&format!("{path}index.html")].clone()).unwrap();
        assert_served_is_file_plus_script(&served, &file, path);
    }
}
