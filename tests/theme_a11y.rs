//! The default theme in a real browser: the sample site at the repository root is built once,
//! served from a tiny loopback HTTP server written here, and opened in headless Chromium driven
//! over the DevTools protocol (the approach of tests/serve_browser.rs).
//!
//! - axe-core scans the front page, a story, a day archive and a tag page (and a few more) at
//!   375 px and 1280 px wide, and the front page and stories again in dark mode: no violation
//!   may be "serious" or "critical", and none of the rules behind the theme's promises
//!   (landmarks, one `h1`, headings in order, link and image names) may fail at all.
//! - Every kind of page has exactly one `h1`, and the first Tab press lands on a visible skip
//!   link to `#main`.
//! - Every `img` has `width` and `height`, and every image below the first screen has
//!   `loading="lazy"`; the lead image of the front page and of a story loads at once.
//! - `static/css/site.css` is under 30 KB.
//!
//! Needs Debian's chromium at /usr/bin/chromium and axe-core from npm
//! (`node_modules/axe-core/axe.min.js` under the repository root, or the file named by
//! `AXE_CORE_JS`): `bash .ci/run` installs both. Missing tools make the tests FAIL, never skip.
//!
//! With `BROADSHEET_SCREENSHOTS=DIR` set, the test also writes the README's screenshots (the
//! front page and a story at both widths in light and dark mode) into DIR:
//! `BROADSHEET_SCREENSHOTS=docs/screenshots cargo test --test theme_a11y`.

#[path = "common/chromium.rs"]
mod chromium;
mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use chromium::{Chromium, Page};

/// The bound of every wait.
const WAIT: Duration = Duration::from_secs(20);
/// The build's "now", as `SOURCE_DATE_EPOCH`: 2026-12-01T06:00:00+06:00, the same as
/// tests/sample_site.rs, so that every story of the sample site is published.
const EPOCH: &str = "1796083200";

/// The widths every page is checked at, with the height of the first screen at that width.
const VIEWPORTS: [(u32, u32); 2] = [(375, 812), (1280, 800)];

/// Pages scanned with axe-core at both widths (path, name), and whether they are scanned in
/// dark mode too.
const SCANNED: &[(&str, &str, bool)] = &[
    ("/", "front page", true),
    (STORY, "story", true),
    (BANGLA_STORY, "Bangla story", true),
    ("/2026/11/30/", "day archive", false),
    ("/2026/11/", "month archive", false),
    ("/tags/rivers/", "tag page", false),
];

/// The lead story of the sample site, with a lead image, a table, footnotes and agency credits.
const STORY: &str = "/news/2026/11/30/sadarghat-ferry-terminal-opens/";
const BANGLA_STORY: &str =
    "/culture/2026/11/22/ndiir-paadde-ntun-paatthaagaar-bi-pddte-shishuder-bhidd/";

/// One page of every kind, for the structural checks.
const EVERY_KIND: &[&str] = &[
    "/",
    "/page/2/",
    STORY,
    BANGLA_STORY,
    "/news/",
    "/2026/",
    "/2026/11/",
    "/2026/11/30/",
    "/archive/",
    "/tags/",
    "/tags/rivers/",
    "/authors/",
    "/authors/farhana-akter/",
    "/404.html",
];

/// axe rules that stand for promises of the theme (landmarks, one `h1`, headings in order,
/// names of links and images, the document's language and title): these must not fail at
/// any impact, even the ones axe rates "moderate".
const STRICT_RULES: &[&str] = &[
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "link-name",
    "image-alt",
    "html-has-lang",
    "document-title",
    "color-contrast",
    "skip-link",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// The built site and its server
// ---------------------------------------------------------------------------------------------

struct Site {
    /// The port of the loopback server that serves the build.
    port: u16,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Builds the sample site once into `target/tmp/theme_a11y/` and serves it (the folder is
/// kept, as statics are never dropped, and replaced by the next run).
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("theme_a11y");
        if out.exists() {
            fs::remove_dir_all(&out).unwrap();
        }
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        let root = repo();
        let (status, stdout, stderr) = common::run_env(
            &[
                "build",
                "--root",
                root.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
            ],
            &[("SOURCE_DATE_EPOCH", EPOCH)],
        );
        assert!(
            status.success(),
            "building the sample site failed ({status}):\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        let port = serve(out);
        Site { port }
    })
}

/// Serves `root` over HTTP/1.1 on a free loopback port from a background thread, one short
/// thread per connection; the port.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                let _ = answer(&root, stream);
            });
        }
    });
    port
}

/// Answers one request (GET or HEAD) and closes the connection.
fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(WAIT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." {
            file = root.join("missing");
            break;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body, file) = match fs::read(&file) {
        Ok(body) => ("200 OK", body, file),
        Err(_) => {
            let page = root.join("404.html");
            ("404 Not Found", fs::read(&page).unwrap_or_default(), page)
        }
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Chromium over the DevTools protocol
// ---------------------------------------------------------------------------------------------

impl Page {
    /// The value of a JavaScript expression (awaited when it is a promise); panics when it
    /// throws.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
            )
            .unwrap();
        if let Some(e) = r.get("exceptionDetails") {
            panic!(
                "evaluating {:?} threw: {e}",
                expression.chars().take(200).collect::<String>()
            );
        }
        r["result"]["value"].clone()
    }

    /// Sets the viewport (CSS pixels) and the colour scheme.
    fn emulate(&mut self, width: u32, height: u32, dark: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1,
                    "mobile": width < 600 }),
        )
        .unwrap();
        let scheme = if dark { "dark" } else { "light" };
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "media": "", "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .unwrap();
    }

    /// Opens `url` and waits until the document and its stylesheet are loaded.
    fn open(&mut self, url: &str) {
        let r = self.call("Page.navigate", json!({ "url": url })).unwrap();
        assert!(r.get("errorText").is_none(), "navigating to {url}: {r}");
        let started = Instant::now();
        let ready = format!(
            "document.readyState === 'complete' && location.href === {} \
             && document.styleSheets.length > 0",
            json!(url)
        );
        while self.eval(&ready) != json!(true) {
            assert!(started.elapsed() < WAIT, "{url} did not load in {WAIT:?}");
            thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until every image on the screen has loaded (for screenshots).
    fn wait_for_images(&mut self) {
        let started = Instant::now();
        const DONE: &str = "[...document.images].filter(i => i.getBoundingClientRect().top < \
            innerHeight).every(i => i.complete && i.naturalWidth > 0)";
        while self.eval(DONE) != json!(true) {
            if started.elapsed() > WAIT {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// axe-core
// ---------------------------------------------------------------------------------------------

/// The source of axe-core, read once.
fn axe_source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = std::env::var_os("AXE_CORE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("node_modules/axe-core/axe.min.js"));
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read axe-core at {} ({e}): run `bash .ci/run` (it installs it with \
                 `npm install --no-save --no-package-lock axe-core@4`), or set AXE_CORE_JS to \
                 the path of axe.min.js",
                path.display()
            )
        })
    })
}

/// Runs axe-core on the open page; its violations.
fn axe_violations(page: &mut Page) -> Vec<Value> {
    if page.eval("typeof window.axe") != json!("object") {
        page.eval(&format!("{};void 0", axe_source()));
    }
    let result = page.eval(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => ({ \
            passed: r.passes.length, \
            violations: r.violations.map(v => ({ \
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, \
                nodes: v.nodes.map(n => ({ target: n.target.join(' '), impact: n.impact, \
                    html: n.html, summary: n.failureSummary })) })) }))",
    );
    // A scan that checked nothing would pass anything.
    assert!(
        result["passed"].as_u64().unwrap_or(0) >= 10,
        "axe-core ran but hardly any rule applied: {result}"
    );
    result["violations"].as_array().cloned().unwrap_or_default()
}

/// The violations laid out for a person: rule, impact, help, then each node.
fn describe(where_: &str, violations: &[&Value]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!(
            "\n[{}] {} ({}): {}\n  {}\n",
            where_,
            v["id"].as_str().unwrap_or(""),
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["helpUrl"].as_str().unwrap_or(""),
        ));
        for n in v["nodes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    - {}\n      {}\n      {}\n",
                n["target"].as_str().unwrap_or(""),
                n["html"].as_str().unwrap_or(""),
                n["summary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n      ")
            ));
        }
    }
    out
}

/// A Chromium of its own for one test, ended when the test ends (never kept in a static:
/// statics are not dropped, and the browser would outlive the test binary).
struct Browser {
    page: Page,
    _chromium: Chromium,
}

fn browser() -> Browser {
    let chromium = Chromium::launch(WAIT);
    let mut page = Page::connect(&chromium, WAIT * 2);
    page.call("Page.enable", json!({})).unwrap();
    Browser {
        page,
        _chromium: chromium,
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn axe_finds_no_serious_or_critical_violations_at_both_widths_and_in_dark_mode() {
    let site = site();
    let mut browser = browser();
    let page = &mut browser.page;
    let mut failures = String::new();
    let mut notes = String::new();
    let mut scans = 0;
    for &(path, name, dark_too) in SCANNED {
        for (width, height) in VIEWPORTS {
            for dark in [false, true] {
                if dark && !dark_too {
                    continue;
                }
                page.emulate(width, height, dark);
                page.open(&site.url(path));
                let violations = axe_violations(page);
                scans += 1;
                let where_ = format!(
                    "{name} {path} at {width}px, {} mode",
                    if dark { "dark" } else { "light" }
                );
                let (bad, rest): (Vec<&Value>, Vec<&Value>) = violations.iter().partition(|v| {
                    matches!(v["impact"].as_str(), Some("serious" | "critical"))
                        || STRICT_RULES.contains(&v["id"].as_str().unwrap_or(""))
                });
                failures.push_str(&describe(&where_, &bad));
                notes.push_str(&describe(&where_, &rest));
            }
        }
    }
    if !notes.is_empty() {
        eprintln!("axe-core's minor and moderate findings (not failures):{notes}");
    }
    assert!(
        failures.is_empty(),
        "axe-core found violations in {scans} scans:{failures}"
    );
    assert_eq!(scans, 18);
}

/// What the structural check reads from a page, as JSON.
const STRUCTURE: &str = r#"(() => {
  const fold = window.innerHeight;
  const images = [...document.images].map(img => {
    const r = img.getBoundingClientRect();
    return {
      src: img.getAttribute('src'),
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
      loading: img.getAttribute('loading'),
      top: r.top + window.scrollY,
      shown: r.width > 0 && r.height > 0,
      ratio: img.naturalWidth && r.width && r.height
        ? (img.naturalWidth / img.naturalHeight) / (r.width / r.height) : null,
      fit: getComputedStyle(img).objectFit,
    };
  });
  const main = document.querySelector('main');
  const lead = main && main.querySelector('img');
  return {
    fold,
    h1: document.querySelectorAll('h1').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    images,
    lead: lead ? lead.getAttribute('src') : null,
  };
})()"#;

/// After one Tab press from the top of the page: the focused element and whether it shows.
const FIRST_TAB: &str = r#"(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const r = a.getBoundingClientRect();
  const target = (a.getAttribute('href') || '').startsWith('#')
    ? document.getElementById(a.getAttribute('href').slice(1)) : null;
  return {
    tag: a.tagName.toLowerCase(),
    href: a.getAttribute('href'),
    text: a.textContent.trim(),
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight
      && r.right > 0 && r.left < window.innerWidth,
    outline: getComputedStyle(a).outlineStyle,
    target: target ? target.tagName.toLowerCase() : null,
  };
})()"#;

#[test]
fn every_kind_of_page_has_one_h1_a_skip_link_first_and_sized_lazy_images() {
    let site = site();
    let mut browser = browser();
    let page = &mut browser.page;
    let mut problems = Vec::new();
    // Images seen below the first screen: the lazy-loading check must have had work to do.
    let mut below_fold = 0;
    for (width, height) in VIEWPORTS {
        page.emulate(width, height, false);
        for &path in EVERY_KIND {
            page.open(&site.url(path));
            let at = format!("{path} at {width}px");
            let s = page.eval(STRUCTURE);
            let h1 = s["h1"].as_u64().unwrap();
            if h1 != 1 {
                problems.push(format!("{at}: {h1} h1 elements, not exactly one"));
            }
            let overflow = s["overflow"].as_i64().unwrap_or(0);
            if overflow > 0 {
                problems.push(format!(
                    "{at}: the page is {overflow}px wider than the screen (sideways scrolling)"
                ));
            }
            let fold = s["fold"].as_f64().unwrap();
            for img in s["images"].as_array().unwrap() {
                let src = img["src"].as_str().unwrap_or("?");
                if img["width"].is_null() || img["height"].is_null() {
                    problems.push(format!(
                        "{at}: <img src={src:?}> lacks width or height (layout shift)"
                    ));
                }
                let below = img["top"].as_f64().expect("an image's position") >= fold;
                below_fold += usize::from(below);
                if below && img["loading"].as_str() != Some("lazy") {
                    problems.push(format!(
                        "{at}: <img src={src:?}> is below the first screen (top {}px, fold \
                         {fold}px) without loading=\"lazy\"",
                        img["top"]
                    ));
                }
                // A shown image that is not cropped on purpose keeps its proportions.
                if let Some(ratio) = img["ratio"].as_f64()
                    && img["shown"] == json!(true)
                    && img["fit"].as_str() != Some("cover")
                    && !(0.97..=1.03).contains(&ratio)
                {
                    problems.push(format!("{at}: <img src={src:?}> is distorted ({ratio:.2})"));
                }
            }
            // The lead image of the front page and of a story is the largest thing on the
            // first screen: it must not wait for the lazy loader.
            if (path == "/" || path == STORY)
                && let Some(lead) = s["lead"].as_str()
            {
                let img = s["images"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["src"].as_str() == Some(lead))
                    .unwrap();
                if img["loading"].as_str() == Some("lazy") {
                    problems.push(format!("{at}: the lead image {lead} loads lazily"));
                }
            }

            // The first Tab lands on a visible skip link to the main content.
            page.eval(
                "window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()",
            );
            page.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": "Tab", "code": "Tab",
                        "windowsVirtualKeyCode": 9 }),
            )
            .unwrap();
            page.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": "Tab", "code": "Tab",
                        "windowsVirtualKeyCode": 9 }),
            )
            .unwrap();
            let focused = page.eval(FIRST_TAB);
            let ok = focused["tag"] == json!("a")
                && focused["href"] == json!("#main")
                && focused["text"]
                    .as_str()
                    .is_some_and(|t| t.to_lowercase().contains("skip"))
                && focused["target"] == json!("main")
                && focused["visible"] == json!(true)
                && focused["outline"] != json!("none");
            if !ok {
                problems.push(format!(
                    "{at}: the first Tab does not land on a visible skip link to <main id=main> \
                     with a focus outline: {focused}"
                ));
            }
        }
    }
    assert!(
        below_fold > 0,
        "no image below the first screen on any page checked"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_stylesheet_is_under_30_kb() {
    let css = repo().join("static/css/site.css");
    let size = fs::metadata(&css)
        .unwrap_or_else(|e| panic!("{}: {e}", css.display()))
        .len();
    assert!(
        size < 30 * 1024,
        "{} is {size} bytes, over 30 KB",
        css.display()
    );
}

/// Writes the README's screenshots when `BROADSHEET_SCREENSHOTS` names a folder: the front
/// page and a story at 375 px and 1280 px wide, light and dark, each at most 2,400 px tall.
#[test]
fn screenshots_when_asked() {
    let Some(dir) = std::env::var_os("BROADSHEET_SCREENSHOTS").map(PathBuf::from) else {
        return;
    };
    const MAX_HEIGHT: u32 = 2400;
    fs::create_dir_all(&dir).unwrap();
    let site = site();
    let mut browser = browser();
    let page = &mut browser.page;
    let mut written = BTreeMap::new();
    for (name, path) in [("front", "/"), ("story", STORY)] {
        for (width, height) in VIEWPORTS {
            for dark in [false, true] {
                page.emulate(width, height, dark);
                page.open(&site.url(path));
                // Lay the page out at its full height so that lazy images load, then cut.
                let full = page
                    .eval("document.documentElement.scrollHeight")
                    .as_u64()
                    .unwrap() as u32;
                let shot_height = full.min(MAX_HEIGHT);
                page.emulate(width, shot_height, dark);
                page.eval("window.scrollTo(0, 0)");
                page.wait_for_images();
                thread::sleep(Duration::from_millis(200));
                let shot = page
                    .call(
                        "Page.captureScreenshot",
                        json!({ "format": "png", "clip": { "x": 0, "y": 0, "width": width,
                                "height": shot_height, "scale": 1 } }),
                    )
                    .unwrap();
                let png = base64_decode(shot["data"].as_str().unwrap());
                let file = dir.join(format!(
                    "{name}-{width}-{}.png",
                    if dark { "dark" } else { "light" }
                ));
                fs::write(&file, &png).unwrap();
                written.insert(file.display().to_string(), png.len());
            }
        }
    }
    eprintln!("screenshots written: {written:#?}");
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}
