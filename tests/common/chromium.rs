//! A headless Chromium driven over the DevTools protocol, for the end-to-end tests
//! (`serve_browser.rs`, `theme_a11y.rs`). Each test adds the page methods it needs.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;
use tungstenite::{Message, WebSocket};

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// GET over plain HTTP/1.1; the body. Reads up to Content-Length, as Chromium's DevTools
/// server keeps the connection open.
fn http_get(port: u16, path: &str, wait: Duration) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(wait))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok());
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                return Ok(body.to_string());
            }
        } else if n == 0 {
            return Err(std::io::Error::other(format!(
                "not an HTTP answer: {text:?}"
            )));
        }
    }
}

/// A headless Chromium with one blank page; dropping it kills its whole process group.
pub struct Chromium {
    child: Child,
    profile: TempDir,
    /// The DevTools websocket of the blank page.
    page_ws: String,
    /// The bound of each wait for Chromium to start.
    wait: Duration,
}

impl Chromium {
    /// Starts Chromium; `wait` bounds each step of its start.
    pub fn launch(wait: Duration) -> Chromium {
        assert!(
            Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: this test needs Debian's chromium. Run `bash .ci/run` \
             (it installs it), or `apt-get update && apt-get install -y chromium`."
        );
        let profile = tempfile::tempdir().unwrap();
        let data = profile.path().join("data");
        let log = fs::File::create(profile.path().join("chromium.log")).unwrap();
        let child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", data.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            // Its own process group, so that Drop ends every process it started.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
        let mut chromium = Chromium {
            child,
            profile,
            page_ws: String::new(),
            wait,
        };
        let port_file = data.join("DevToolsActivePort");
        let port: u16 = chromium.wait_for("DevToolsActivePort", || {
            let text = fs::read_to_string(&port_file).ok()?;
            text.lines().next()?.trim().parse().ok()
        });
        chromium.page_ws = chromium.wait_for("a page in /json/list", || {
            let list: Value =
                serde_json::from_str(&http_get(port, "/json/list", wait).ok()?).ok()?;
            list.as_array()?
                .iter()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                .map(String::from)
        });
        chromium
    }

    fn log(&self) -> String {
        fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default()
    }

    fn wait_for<T>(&mut self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(v) = f() {
                return v;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "chromium exited with {status} while waiting for {what}:\n{}",
                    self.log()
                );
            }
            if started.elapsed() > self.wait {
                panic!("timed out waiting for chromium's {what}:\n{}", self.log());
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One DevTools session on one page.
pub struct Page {
    ws: WebSocket<TcpStream>,
    next_id: u64,
}

impl Page {
    /// `read_timeout` bounds the wait for each answer.
    pub fn connect(chromium: &Chromium, read_timeout: Duration) -> Page {
        let url = &chromium.page_ws;
        let host = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected DevTools URL {url}"));
        let stream = TcpStream::connect(host).unwrap();
        stream.set_read_timeout(Some(read_timeout)).unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream)
            .unwrap_or_else(|e| panic!("cannot open the DevTools websocket {url}: {e}"));
        Page { ws, next_id: 0 }
    }

    /// Sends one command and waits for its answer (events in between are dropped).
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({ "id": id, "method": method, "params": params });
        self.ws
            .send(Message::text(message.to_string()))
            .map_err(|e| format!("{method}: {e}"))?;
        loop {
            let text = match self.ws.read().map_err(|e| format!("{method}: {e}"))? {
                Message::Text(t) => t.as_str().to_string(),
                _ => continue,
            };
            let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if v["id"] == id {
                return match v.get("error") {
                    Some(e) => Err(format!("{method}: {e}")),
                    None => Ok(v["result"].clone()),
                };
            }
        }
    }
}
