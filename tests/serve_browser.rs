//! `broadsheet serve --watch` end to end in a real headless Chromium, driven over the DevTools
//! protocol: an open story page changes by itself when its file is saved, shows an overlay
//! naming the file and line when the file is broken, and clears it when the file is fixed; a
//! CSS edit is applied without a full reload; and an open page reloads by itself when the
//! server comes back after a restart. The test never navigates or reloads the page after
//! opening it: every change must come from the page's own live-reload script.
//!
//! Needs Debian's chromium at /usr/bin/chromium: `bash .ci/run` installs it.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use chromium::{Chromium, Page};

#[path = "common/chromium.rs"]
mod chromium;
mod common;

/// The bound of every wait.
const WAIT: Duration = Duration::from_secs(15);

/// The URL of `content/world/river.md`.
const RIVER: &str = "/world/2025/06/01/river-rises/";
/// Where the error is: the unclosed string of `BROKEN_RIVER`.
const BROKEN_AT: &str = "content/world/river.md:2";

fn river(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nslug = \"river-rises\"\ndate = 2025-06-01T10:00:00Z\n\
         tags = [\"Rivers\"]\nauthors = [\"Staff Correspondent\"]\n+++\n\n{body}\n"
    )
}

/// The river story with an unclosed string on line 2 of the file.
const BROKEN_RIVER: &str = "+++\ntitle = \"River rises\nslug = \"river-rises\"\n\
    date = 2025-06-01T10:00:00Z\n+++\n\nBroken body.\n";

// ---------------------------------------------------------------------------------------------
// The site and the server
// ---------------------------------------------------------------------------------------------

struct Site {
    _dir: TempDir,
    root: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let (status, out, err) = common::run(&["init", root.to_str().unwrap()]);
        assert!(status.success(), "init failed:\n{out}\n{err}");
        let site = Site { _dir: dir, root };
        site.write(
            "content/world/river.md",
            river("River rises", "The river rose overnight."),
        );
        site
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap()
    }
}

/// A running `broadsheet serve --watch`; dropping it kills the process.
struct Server {
    child: Option<Child>,
    port: u16,
    preview: PathBuf,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts on a free port; another program can take a port between its being found free
    /// and the server binding it, so a port found taken is swapped for another.
    fn start_anywhere(root: &Path) -> Server {
        for _ in 0..5 {
            if let Some(server) = Server::try_start(root, common::free_port()) {
                return server;
            }
        }
        panic!("five free ports in a row were taken before broadsheet serve could bind them");
    }

    fn start(root: &Path, port: u16) -> Server {
        Server::try_start(root, port)
            .unwrap_or_else(|| panic!("port {port} was taken before broadsheet serve bound it"))
    }

    /// `None` when the port turns out to be taken.
    fn try_start(root: &Path, port: u16) -> Option<Server> {
        let mut child = Command::new(common::bin())
            .args(["serve", "--watch", "--port", &port.to_string(), "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start broadsheet serve");
        let stdout: Arc<Mutex<String>> = Arc::default();
        let stderr: Arc<Mutex<String>> = Arc::default();
        for (from, into) in [
            (
                Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
                stdout.clone(),
            ),
            (Box::new(child.stderr.take().unwrap()), stderr.clone()),
        ] {
            thread::spawn(move || {
                let mut reader = BufReader::new(from);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    into.lock().unwrap().push_str(&line);
                    line.clear();
                }
            });
        }
        let mut server = Server {
            child: Some(child),
            port,
            preview: PathBuf::new(),
            stderr,
        };
        let started = Instant::now();
        loop {
            let out = stdout.lock().unwrap().clone();
            if let Some(line) = out.lines().find(|l| l.starts_with("Preview files:")) {
                server.preview = PathBuf::from(line["Preview files:".len()..].trim());
                return Some(server);
            }
            let exited = server.child.as_mut().unwrap().try_wait().ok().flatten();
            if exited.is_some() || started.elapsed() > WAIT {
                thread::sleep(Duration::from_millis(100));
                if exited.is_some() && server.stderr().contains("Address already in use") {
                    return None;
                }
                panic!(
                    "broadsheet serve did not start ({exited:?})\nstdout:\n{out}\nstderr:\n{}",
                    server.stderr()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// SIGTERM, and waits for the process to end.
    fn stop(&mut self) {
        let mut child = self.child.take().unwrap();
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = Instant::now();
        while child.try_wait().ok().flatten().is_none() {
            if started.elapsed() > WAIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server did not stop on SIGTERM");
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
        let name = self
            .preview
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with("broadsheet-serve-")) && self.preview.is_dir() {
            let _ = fs::remove_dir_all(&self.preview);
        }
    }
}

impl Page {
    fn navigate(&mut self, url: &str) {
        let r = self.call("Page.navigate", json!({ "url": url })).unwrap();
        assert!(r.get("errorText").is_none(), "navigating to {url}: {r}");
    }

    /// The value of a JavaScript expression, or None while the page is between documents or
    /// the expression throws.
    fn eval(&mut self, expression: &str) -> Option<Value> {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true }),
            )
            .ok()?;
        if r.get("exceptionDetails").is_some() {
            return None;
        }
        Some(r["result"]["value"].clone())
    }

    /// Polls `expression` until `ok` accepts its value; panics after `WAIT` with the last value
    /// and the server's stderr.
    fn wait_until(
        &mut self,
        what: &str,
        server: &Server,
        expression: &str,
        ok: impl Fn(&Value) -> bool,
    ) -> Value {
        let started = Instant::now();
        let mut last = None;
        loop {
            if let Some(v) = self.eval(expression) {
                if ok(&v) {
                    return v;
                }
                last = Some(v);
            }
            if started.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for {what}; last value: {last:?}\n\
                     server stderr:\n{}",
                    server.stderr()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the page is loaded and its headline is `title`.
    fn wait_headline(&mut self, server: &Server, title: &str) {
        self.wait_until(&format!("the headline {title:?}"), server, HEADLINE, |v| {
            v.as_str() == Some(title)
        });
    }
}

/// The story's headline once the document is loaded, else null.
const HEADLINE: &str = "document.readyState === 'complete' && document.querySelector('h1') \
    ? document.querySelector('h1').textContent.trim() : null";
/// The overlay's text, or null when there is none.
const OVERLAY: &str = "(function(){ var o = document.getElementById('broadsheet-error'); \
    return o ? o.textContent : null; })()";

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn an_open_page_follows_edits_shows_the_error_overlay_and_clears_it() {
    let site = Site::new();
    let server = Server::start_anywhere(&site.root);
    let chromium = Chromium::launch(WAIT);
    let mut page = Page::connect(&chromium, WAIT);
    page.navigate(&server.url(RIVER));
    page.wait_headline(&server, "River rises");
    assert_eq!(
        page.eval(OVERLAY),
        Some(Value::Null),
        "an overlay on a good page"
    );

    // 1. A saved change shows by itself.
    site.write(
        "content/world/river.md",
        river("River rises by itself", "Edited in the editor."),
    );
    page.wait_headline(&server, "River rises by itself");
    let body = page.eval("document.body.innerText").unwrap();
    assert!(
        body.as_str().unwrap().contains("Edited in the editor."),
        "{body}"
    );

    // 2. A broken save: the overlay names the file and line, over the last good page.
    site.write("content/world/river.md", BROKEN_RIVER);
    let text = page.wait_until(
        "the error overlay naming the file and line",
        &server,
        OVERLAY,
        |v| v.as_str().is_some_and(|t| t.contains(BROKEN_AT)),
    );
    assert!(text.as_str().unwrap().contains(BROKEN_AT));
    assert_eq!(
        page.eval(HEADLINE)
            .and_then(|v| v.as_str().map(String::from))
            .as_deref(),
        Some("River rises by itself"),
        "the last good page is not underneath the overlay"
    );

    // 3. The fix: the overlay goes and the fixed story shows, by itself.
    site.write(
        "content/world/river.md",
        river("River rises, fixed", "Fixed in the editor."),
    );
    page.wait_until(
        "the overlay to go and the fixed headline to show",
        &server,
        &format!("({OVERLAY}) === null && ({HEADLINE})"),
        |v| v.as_str() == Some("River rises, fixed"),
    );
}

#[test]
fn a_css_edit_is_applied_without_a_full_reload() {
    let site = Site::new();
    let server = Server::start_anywhere(&site.root);
    let chromium = Chromium::launch(WAIT);
    let mut page = Page::connect(&chromium, WAIT);
    page.navigate(&server.url(RIVER));
    page.wait_headline(&server, "River rises");
    const COLOUR: &str = "getComputedStyle(document.querySelector('h1')).color";
    let before = page.eval(COLOUR).unwrap();
    assert_ne!(before, json!("rgb(1, 2, 3)"));
    page.eval("window.__marker = 1").unwrap();

    let css = site.read("static/css/site.css");
    site.write(
        "static/css/site.css",
        format!("{css}\nh1.story-headline {{ color: rgb(1, 2, 3) !important; }}\n"),
    );
    page.wait_until("the new stylesheet to apply", &server, COLOUR, |v| {
        v.as_str() == Some("rgb(1, 2, 3)")
    });
    assert_eq!(
        page.eval("window.__marker === 1"),
        Some(json!(true)),
        "the page was reloaded for a CSS change"
    );
    assert_eq!(page.eval(OVERLAY), Some(Value::Null));
}

#[test]
fn an_open_page_reloads_by_itself_after_the_server_restarts() {
    let site = Site::new();
    let port = common::free_port();
    let mut server = Server::start(&site.root, port);
    let chromium = Chromium::launch(WAIT);
    let mut page = Page::connect(&chromium, WAIT);
    page.navigate(&server.url(RIVER));
    page.wait_headline(&server, "River rises");

    server.stop();
    site.write(
        "content/world/river.md",
        river("River rises while stopped", "Edited while stopped."),
    );
    let server = Server::start(&site.root, port);
    page.wait_headline(&server, "River rises while stopped");
}
