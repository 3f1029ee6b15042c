//! A `broadsheet serve --watch` under test, and what it serves compared with a clean build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::compare::{Tree, excerpt};
use super::site::NOW_TEXT;

/// How long a rebuild may take to be reported.
const WAIT: Duration = Duration::from_secs(10);

pub struct Server {
    child: Child,
    pub port: u16,
    pub preview: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    conn: Mutex<Option<BufReader<TcpStream>>>,
}

fn pump(from: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(from);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            into.lock().expect("lock").push_str(&line);
            line.clear();
        }
    });
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let port = super::common::free_port();
        let mut child = Command::new(super::common::bin())
            .args(["serve", "--watch", "--port", &port.to_string(), "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", NOW_TEXT)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start broadsheet serve");
        let (stdout, stderr) = (Arc::default(), Arc::default());
        pump(child.stdout.take().expect("stdout"), Arc::clone(&stdout));
        pump(child.stderr.take().expect("stderr"), Arc::clone(&stderr));
        let mut server = Server {
            child,
            port,
            preview: PathBuf::new(),
            stdout,
            stderr,
            conn: Mutex::new(None),
        };
        let start = Instant::now();
        loop {
            let out = server.stdout.lock().expect("lock").clone();
            if let Some(line) = out.lines().find(|l| l.starts_with("Preview files:")) {
                server.preview = PathBuf::from(line["Preview files:".len()..].trim());
                return server;
            }
            if start.elapsed() > WAIT * 2 || server.child.try_wait().ok().flatten().is_some() {
                panic!(
                    "broadsheet serve did not start:\n{out}\n{}",
                    server.stderr()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    pub fn rebuilds(&self) -> usize {
        let err = self.stderr();
        err.lines().filter(|l| l.starts_with("Rebuilt")).count()
    }

    /// Waits for more than `before` rebuilds; Err with the server's stderr on a timeout.
    pub fn wait_rebuild(&self, before: usize) -> Result<(), String> {
        let start = Instant::now();
        while self.rebuilds() <= before {
            if start.elapsed() > WAIT {
                return Err(format!(
                    "no rebuild within {WAIT:?}; the server's stderr ends:\n{}",
                    tail(&self.stderr(), 15)
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }

    /// Waits until stderr has been quiet for `quiet` (a second rebuild may follow a first).
    pub fn settle(&self, quiet: Duration) {
        let (mut last, mut since, start) = (self.stderr(), Instant::now(), Instant::now());
        while since.elapsed() < quiet && start.elapsed() < WAIT {
            thread::sleep(Duration::from_millis(20));
            let now = self.stderr();
            if now != last {
                (last, since) = (now, Instant::now());
            }
        }
    }

    /// GET `path` on a kept-alive connection (many small requests): the status and body.
    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut conn = self.conn.lock().expect("lock");
        for _ in 0..2 {
            if conn.is_none() {
                let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
                stream.set_read_timeout(Some(WAIT)).expect("timeout");
                *conn = Some(BufReader::new(stream));
            }
            match request(conn.as_mut().expect("connected"), path) {
                Some(answer) => return answer,
                // The server may close a kept-alive connection: open a new one.
                None => *conn = None,
            }
        }
        panic!("no HTTP answer to GET {path}");
    }

    /// How what the server serves, and its preview folder, differ from the clean build.
    pub fn differences(&self, clean: &Tree) -> Option<String> {
        let mut report = String::new();
        let mut excerpts = 0;
        let mut differ = Vec::new();
        for (rel, want) in &clean.files {
            let (status, body) = self.get(&format!("/{rel}"));
            let body = if rel.ends_with(".html") {
                match unscripted(&body) {
                    Some((page, at)) if page == *want && !is_before_body_end(want, at) => {
                        differ.push(format!("{rel} (the script is not before </body>)"));
                        continue;
                    }
                    Some((page, _)) => page,
                    None => {
                        differ.push(format!("{rel} (no live-reload script)"));
                        continue;
                    }
                }
            } else {
                body
            };
            if status != 200 || body != *want {
                differ.push(if status == 200 {
                    rel.clone()
                } else {
                    format!("{rel} (status {status})")
                });
                if excerpts < 2 && status == 200 {
                    excerpts += 1;
                    report.push_str(&excerpt(rel, want, &body, "served"));
                }
            }
        }
        if !differ.is_empty() {
            let n = differ.len();
            differ.truncate(25);
            report.insert_str(
                0,
                &format!("  served differently ({n}): {}\n", differ.join(", ")),
            );
        }
        let preview = super::compare::tree(&self.preview);
        if let Some(d) = super::compare::differences(clean, &preview, "preview folder", 0) {
            report.push_str(&d);
        }
        (!report.is_empty()).then_some(report)
    }
}

/// One request on `conn`; None when the connection is gone.
fn request(conn: &mut BufReader<TcpStream>, path: &str) -> Option<(u16, Vec<u8>)> {
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    conn.get_mut().write_all(head.as_bytes()).ok()?;
    let mut status_line = String::new();
    if conn.read_line(&mut status_line).ok()? == 0 {
        return None;
    }
    let status = status_line.split(' ').nth(1)?.parse().ok()?;
    let mut length = None;
    loop {
        let mut line = String::new();
        conn.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok();
        }
    }
    let mut body = vec![0; length.expect("a Content-Length")];
    conn.read_exact(&mut body).ok()?;
    Some((status, body))
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A served page without its injected live-reload script, and where the script was.
fn unscripted(served: &[u8]) -> Option<(Vec<u8>, usize)> {
    let events = find_last(served, b"/__broadsheet/events")?;
    let start = find_last(&served[..events], b"<script")?;
    let len = served[events..]
        .windows(9)
        .position(|w| w == b"</script>")?;
    let end = events + len + 9;
    Some(([&served[..start], &served[end..]].concat(), start))
}

/// The script goes before the file's last `</body>`, as the serve tests check it.
fn is_before_body_end(file: &[u8], at: usize) -> bool {
    find_last(file, b"</body>").unwrap_or(file.len()) == at
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A killed server cannot remove its own preview folder.
        let ours = self
            .preview
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("broadsheet-serve-"));
        if ours {
            let _ = std::fs::remove_dir_all(&self.preview);
        }
    }
}
