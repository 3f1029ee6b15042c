//! Behaviour of `broadsheet build` (and `init`) on small sites written from strings: which stories
//! are published, where they land, pagination, archives, the front page, permalinks, aliases,
//! static files, templates, the output folder's safety rules, and the command line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z (06:00 in Dhaka).
const NEW_YEAR_UTC: &str = "1767225600";
/// 2025-12-10T00:00:00Z.
const DEC_10_UTC: &str = "1765324800";

const CONFIG: &str = r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Asia/Dhaka"
"#;

struct Site {
    _dir: TempDir,
    /// Holds `site/` and `out/`.
    parent: PathBuf,
    root: PathBuf,
    out: PathBuf,
}

impl Site {
    /// A site with `config` as config.toml and nothing else.
    fn new(config: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().to_path_buf();
        let site = Site {
            root: parent.join("site"),
            out: parent.join("out"),
            parent,
            _dir: dir,
        };
        site.write("config.toml", config);
        site
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Writes a story with TOML front matter: `fields` are extra front matter lines.
    fn story(&self, rel: &str, title: &str, date: &str, fields: &str, body: &str) {
        self.write(
            rel,
            format!("+++\ntitle = \"{title}\"\ndate = {date}\n{fields}+++\n{body}\n"),
        );
    }

    /// `build --root SITE --output OUT` plus `extra` arguments, with `SOURCE_DATE_EPOCH=now`.
    fn build_at(&self, now: &str, extra: &[&str]) -> Run {
        let mut args = vec![
            "build",
            "--root",
            self.root.to_str().unwrap(),
            "--output",
            self.out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args, now)
    }

    /// Builds at 2026-01-01 and requires success.
    #[track_caller]
    fn build_ok(&self, extra: &[&str]) -> Run {
        let r = self.build_at(NEW_YEAR_UTC, extra);
        r.ok();
        r
    }

    #[track_caller]
    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| {
            panic!(
                "cannot read {rel} in the output: {e}; output has:\n{}",
                self.listing()
            )
        })
    }

    fn listing(&self) -> String {
        snapshot(&self.out)
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[track_caller]
    fn assert_page(&self, rel: &str) {
        assert!(
            self.out.join(rel).is_file(),
            "expected {rel} in the output; output has:\n{}",
            self.listing()
        );
    }

    #[track_caller]
    fn assert_no_page(&self, rel: &str) {
        assert!(
            !self.out.join(rel).exists(),
            "expected no {rel} in the output; output has:\n{}",
            self.listing()
        );
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn ok(&self) {
        assert_eq!(
            self.code, 0,
            "expected success; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
    }
}

fn run(args: &[&str], now: &str) -> Run {
    let (status, stdout, stderr) =
        common::run_env(args, &[("SOURCE_DATE_EPOCH", now), ("NO_COLOR", "1")]);
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    };
    assert!(
        !r.stderr.contains("panicked") && r.code != 101,
        "broadsheet panicked:\n{}",
        r.stderr
    );
    r
}

/// The real time now, as a `SOURCE_DATE_EPOCH` value.
fn real_now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

/// Every file and folder below `dir` (folders end in `/`), with file bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Option<Vec<u8>>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd {
            let e = e.unwrap();
            let path = e.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if e.file_type().unwrap().is_dir() {
                map.insert(format!("{rel}/"), None);
                walk(base, &path, map);
            } else {
                map.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(dir, dir, &mut map);
    map
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[track_caller]
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

#[track_caller]
fn lacks(text: &str, needle: &str) {
    assert!(!text.contains(needle), "expected no {needle:?} in:\n{text}");
}

/// The `href` of the first `<a>` whose `rel` attribute is `rel`.
fn rel_link(html: &str, rel: &str) -> Option<String> {
    let rel_attr = format!("rel=\"{rel}\"");
    html.split("<a ").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>')?];
        if !tag.contains(&rel_attr) {
            return None;
        }
        let start = tag.find("href=\"")? + 6;
        let end = start + tag[start..].find('"')?;
        Some(tag[start..end].to_string())
    })
}

// ---------------------------------------------------------------------------------------------
// Which stories are published
// ---------------------------------------------------------------------------------------------

#[test]
fn drafts_are_left_out_unless_drafts() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/public.md",
        "Public Story",
        "2025-12-05T10:00:00+06:00",
        "",
        "Out.",
    );
    site.story(
        "content/world/secret.md",
        "Secret Draft",
        "2025-12-05T11:00:00+06:00",
        "draft = true\ntags = [\"Hidden\"]\n",
        "Not yet.",
    );

    site.build_ok(&[]);
    site.assert_page("world/2025/12/05/public-story/index.html");
    site.assert_no_page("world/2025/12/05/secret-draft/index.html");
    site.assert_no_page("tags/hidden/index.html");
    for page in [
        "index.html",
        "world/index.html",
        "rss.xml",
        "sitemap.xml",
        "2025/12/05/index.html",
    ] {
        lacks(&site.read(page), "Secret Draft");
        lacks(&site.read(page), "secret-draft");
    }
    has(&site.read("rss.xml"), "Public Story");

    site.build_ok(&["--drafts"]);
    site.assert_page("world/2025/12/05/secret-draft/index.html");
    has(
        &site.read("world/2025/12/05/secret-draft/index.html"),
        "Secret Draft",
    );
    has(&site.read("index.html"), "/world/2025/12/05/secret-draft/");
    site.assert_page("tags/hidden/index.html");
}

#[test]
fn future_stories_are_left_out_unless_future() {
    let site = Site::new(CONFIG);
    // Now is 2025-12-10T00:00:00Z = 06:00 in Dhaka.
    site.story(
        "content/world/past.md",
        "Past Story",
        "2025-12-09T23:59:00Z",
        "",
        "Done.",
    );
    site.story(
        "content/world/soon.md",
        "Scheduled Story",
        "2025-12-10T00:01:00Z",
        "",
        "Embargoed.",
    );
    site.story(
        "content/world/later.md",
        "Much Later",
        "2026-03-01",
        "",
        "Far away.",
    );

    site.build_at(DEC_10_UTC, &[]).ok();
    site.assert_page("world/2025/12/10/past-story/index.html");
    site.assert_no_page("world/2025/12/10/scheduled-story/index.html");
    site.assert_no_page("world/2026/03/01/much-later/index.html");
    site.assert_no_page("2026/index.html");
    for page in ["index.html", "rss.xml", "sitemap.xml", "world/index.html"] {
        lacks(&site.read(page), "Scheduled Story");
        lacks(&site.read(page), "scheduled-story");
        lacks(&site.read(page), "much-later");
    }

    site.build_at(DEC_10_UTC, &["--future"]).ok();
    site.assert_page("world/2025/12/10/scheduled-story/index.html");
    site.assert_page("world/2026/03/01/much-later/index.html");
    site.assert_page("2026/03/01/index.html");
    has(&site.read("rss.xml"), "Scheduled Story");

    // Once "now" has passed, the scheduled story is published without --future.
    site.build_at(NEW_YEAR_UTC, &[]).ok();
    site.assert_page("world/2025/12/10/scheduled-story/index.html");
    site.assert_no_page("world/2026/03/01/much-later/index.html");
}

// ---------------------------------------------------------------------------------------------
// Dates and time zones
// ---------------------------------------------------------------------------------------------

#[test]
fn stories_are_bucketed_by_the_sites_time_zone() {
    let site = Site::new(CONFIG);
    // 2025-12-31T23:30-05:00 = 2026-01-01T04:30Z = 2026-01-01T10:30+06:00 in Dhaka.
    site.story(
        "content/world/nye.md",
        "New Year Story",
        "2025-12-31T23:30:00-05:00",
        "",
        "Fireworks.",
    );
    site.story(
        "content/world/old.md",
        "Old Story",
        "2025-12-30T12:00:00+06:00",
        "",
        "Before.",
    );

    site.build_at(NEW_YEAR_UTC, &["--future"]).ok();
    site.assert_page("world/2026/01/01/new-year-story/index.html");
    site.assert_no_page("world/2025/12/31/new-year-story/index.html");
    for page in [
        "2026/01/01/index.html",
        "2026/01/index.html",
        "2026/index.html",
    ] {
        site.assert_page(page);
        has(&site.read(page), "New Year Story");
    }
    site.assert_no_page("2025/12/31/index.html");
    lacks(&site.read("2025/index.html"), "New Year Story");
    lacks(&site.read("2025/12/index.html"), "New Year Story");
    // Shown in the site's zone.
    has(
        &site.read("world/2026/01/01/new-year-story/index.html"),
        "datetime=\"2026-01-01T10:30:00+06:00\"",
    );
    has(&site.read("rss.xml"), "Thu, 1 Jan 2026 10:30:00 +0600");
}

#[test]
fn dates_without_offset_are_read_in_the_sites_time_zone() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/local.md",
        "Local Time",
        "2025-11-20T09:15:00",
        "",
        "TOML local date-time.",
    );
    site.story(
        "content/world/day.md",
        "Just A Day",
        "2025-11-21",
        "",
        "TOML local date.",
    );
    site.write(
        "content/sport/yaml.md",
        "---\ntitle: Yaml Local\ndate: 2025-11-22 18:45\n---\nYAML without offset.\n",
    );

    site.build_ok(&[]);
    has(
        &site.read("world/2025/11/20/local-time/index.html"),
        "datetime=\"2025-11-20T09:15:00+06:00\"",
    );
    has(
        &site.read("world/2025/11/21/just-a-day/index.html"),
        "datetime=\"2025-11-21T00:00:00+06:00\"",
    );
    has(
        &site.read("sport/2025/11/22/yaml-local/index.html"),
        "datetime=\"2025-11-22T18:45:00+06:00\"",
    );
    let rss = site.read("rss.xml");
    has(&rss, "Thu, 20 Nov 2025 09:15:00 +0600");
    has(&rss, "Fri, 21 Nov 2025 00:00:00 +0600");
    has(&rss, "Sat, 22 Nov 2025 18:45:00 +0600");
    lacks(&rss, "+0000");
}

// ---------------------------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------------------------

#[test]
fn pagination_follows_config() {
    let site = Site::new(&format!("{CONFIG}paginate = 2\n"));
    for i in 1..=5 {
        site.story(
            &format!("content/world/s{i}.md"),
            &format!("Story Number {i}"),
            &format!("2025-12-0{i}T10:00:00+06:00"),
            "tags = [\"Rivers\"]\n",
            "Body.",
        );
    }
    site.build_ok(&[]);

    for base in ["", "world/", "tags/rivers/", "2025/", "2025/12/"] {
        site.assert_page(&format!("{base}index.html"));
        site.assert_page(&format!("{base}page/2/index.html"));
        site.assert_page(&format!("{base}page/3/index.html"));
        site.assert_no_page(&format!("{base}page/4/index.html"));
    }
    // Newest first: page 1 has 5 and 4, page 3 only the oldest.
    for base in ["world/", "tags/rivers/"] {
        let p1 = site.read(&format!("{base}index.html"));
        let p2 = site.read(&format!("{base}page/2/index.html"));
        let p3 = site.read(&format!("{base}page/3/index.html"));
        has(&p1, "/world/2025/12/05/story-number-5/");
        has(&p1, "/world/2025/12/04/story-number-4/");
        lacks(&p1, "/world/2025/12/01/story-number-1/");
        has(&p2, "/world/2025/12/03/story-number-3/");
        has(&p2, "/world/2025/12/02/story-number-2/");
        lacks(&p2, "/world/2025/12/01/story-number-1/");
        has(&p3, "/world/2025/12/01/story-number-1/");
        lacks(&p3, "/world/2025/12/05/story-number-5/");
        // Page 2 links to its neighbours.
        assert_eq!(
            rel_link(&p2, "next").as_deref(),
            Some(format!("/{base}page/3/").as_str())
        );
        assert!(
            rel_link(&p2, "prev")
                .is_some_and(|u| u == format!("/{base}") || u == format!("/{base}page/1/")),
            "page 2 of /{base} should link back to page 1:\n{p2}"
        );
    }
}

#[test]
fn archive_days_link_to_neighbouring_non_empty_days() {
    let site = Site::new(CONFIG);
    for (name, date) in [
        ("nov", "2025-11-10T10:00:00+06:00"),
        ("dec-a", "2025-12-01T10:00:00+06:00"),
        ("dec-b", "2025-12-03T10:00:00+06:00"),
        ("dec-c", "2025-12-07T10:00:00+06:00"),
        ("feb", "2026-02-02T10:00:00+06:00"),
    ] {
        site.story(
            &format!("content/world/{name}.md"),
            &format!("Story {name}"),
            date,
            "",
            "x",
        );
    }
    site.build_at(NEW_YEAR_UTC, &["--future"]).ok();

    site.assert_no_page("2025/12/02/index.html");
    site.assert_no_page("2026/01/index.html");

    let day = |p: &str| site.read(p);
    let d3 = day("2025/12/03/index.html");
    has(&d3, "Story dec-b");
    assert_eq!(
        rel_link(&d3, "prev").as_deref(),
        Some("/2025/12/01/"),
        "{d3}"
    );
    assert_eq!(
        rel_link(&d3, "next").as_deref(),
        Some("/2025/12/07/"),
        "{d3}"
    );
    lacks(&d3, "href=\"/2025/12/02/\"");

    // Across months and years.
    let d1 = day("2025/12/01/index.html");
    assert_eq!(rel_link(&d1, "prev").as_deref(), Some("/2025/11/10/"));
    let d7 = day("2025/12/07/index.html");
    assert_eq!(rel_link(&d7, "next").as_deref(), Some("/2026/02/02/"));

    // The first and the last day have only one neighbour.
    let first = day("2025/11/10/index.html");
    assert_eq!(rel_link(&first, "prev"), None, "{first}");
    assert_eq!(rel_link(&first, "next").as_deref(), Some("/2025/12/01/"));
    let last = day("2026/02/02/index.html");
    assert_eq!(rel_link(&last, "next"), None, "{last}");
    assert_eq!(rel_link(&last, "prev").as_deref(), Some("/2025/12/07/"));

    // Months skip the empty January; years link to each other.
    let dec = day("2025/12/index.html");
    assert_eq!(rel_link(&dec, "prev").as_deref(), Some("/2025/11/"));
    assert_eq!(rel_link(&dec, "next").as_deref(), Some("/2026/02/"));
    assert_eq!(
        rel_link(&day("2025/index.html"), "next").as_deref(),
        Some("/2026/")
    );
    assert_eq!(
        rel_link(&day("2026/index.html"), "prev").as_deref(),
        Some("/2025/")
    );
}

#[test]
fn front_page_lists_featured_stories_first() {
    let site = Site::new(&format!("{CONFIG}paginate = 2\n"));
    // A bare index.html that prints the slugs of `stories` on each page.
    site.write(
        "templates/index.html",
        "STORIES:{% for s in stories %}[{{ s.slug }}]{% endfor %}\n",
    );
    for i in 1..=5 {
        let featured = if i == 2 { "featured = true\n" } else { "" };
        site.story(
            &format!("content/world/s{i}.md"),
            &format!("S{i}"),
            &format!("2025-12-0{i}T10:00:00+06:00"),
            featured,
            "x",
        );
    }
    site.build_ok(&[]);
    assert_eq!(site.read("index.html").trim(), "STORIES:[s2][s5]");
    assert_eq!(site.read("page/2/index.html").trim(), "STORIES:[s4][s3]");
    assert_eq!(site.read("page/3/index.html").trim(), "STORIES:[s1]");
}

#[test]
fn front_page_default_theme_leads_with_the_featured_story() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/old.md",
        "Older Lead",
        "2025-12-01T10:00:00+06:00",
        "featured = true\n",
        "x",
    );
    for i in 2..=6 {
        site.story(
            &format!("content/world/n{i}.md"),
            &format!("Newer {i}"),
            &format!("2025-12-0{i}T10:00:00+06:00"),
            "",
            "x",
        );
    }
    site.build_ok(&[]);
    let html = site.read("index.html");
    let main = &html[html.find("<main").expect("a <main> element")..];
    let lead = main
        .find("/world/2025/12/01/older-lead/")
        .expect("the featured story on the front page");
    let newest = main
        .find("/world/2025/12/06/newer-6/")
        .expect("the newest story on the front page");
    assert!(
        lead < newest,
        "the featured story should come before the newest one:\n{main}"
    );
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

#[test]
fn permalink_pattern_from_config() {
    let site = Site::new(&format!("{CONFIG}permalink = \"/stories/:slug/\"\n"));
    site.story(
        "content/world/a.md",
        "Rivers Rise",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    site.story(
        "content/sport/b.md",
        "Match Report",
        "2025-12-04T10:00:00+06:00",
        "slug = \"final-whistle\"\n",
        "x",
    );
    site.build_ok(&[]);
    site.assert_page("stories/rivers-rise/index.html");
    site.assert_page("stories/final-whistle/index.html");
    site.assert_no_page("world/2025/12/05/rivers-rise/index.html");
    has(&site.read("stories/rivers-rise/index.html"), "Rivers Rise");
    has(
        &site.read("stories/rivers-rise/index.html"),
        "<link rel=\"canonical\" href=\"https://example.com/stories/rivers-rise/\">",
    );
    has(
        &site.read("world/index.html"),
        "href=\"/stories/rivers-rise/\"",
    );
    has(
        &site.read("sitemap.xml"),
        "https://example.com/stories/final-whistle/",
    );
    has(
        &site.read("rss.xml"),
        "https://example.com/stories/rivers-rise/",
    );
}

#[test]
fn aliases_redirect_to_the_absolute_url() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Moved Story",
        "2025-12-05T10:00:00+06:00",
        "aliases = [\"/old/url/\", \"/2019/legacy.html\"]\n",
        "x",
    );
    site.build_ok(&[]);
    let target = "https://example.com/world/2025/12/05/moved-story/";
    for page in ["old/url/index.html", "2019/legacy.html"] {
        let html = site.read(page);
        has(
            &html,
            &format!("http-equiv=\"refresh\" content=\"0; url={target}\""),
        );
        has(
            &html,
            &format!("<link rel=\"canonical\" href=\"{target}\">"),
        );
        has(&html, &format!("href=\"{target}\""));
    }
    // An alias is not a story: not in the sitemap.
    lacks(&site.read("sitemap.xml"), "/old/url/");
}

#[test]
fn base_url_flag_changes_absolute_urls() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "aliases = [\"/old/\"]\n",
        "x",
    );
    site.build_ok(&["--base-url", "https://mirror.example.org/news"]);

    let story = site.read("world/2025/12/05/alpha/index.html");
    has(
        &story,
        "<link rel=\"canonical\" href=\"https://mirror.example.org/news/world/2025/12/05/alpha/\">",
    );
    has(
        &story,
        "og:url\" content=\"https://mirror.example.org/news/world/2025/12/05/alpha/\"",
    );
    has(&story, "href=\"/news/css/site.css\"");
    has(
        &site.read("world/index.html"),
        "href=\"/news/world/2025/12/05/alpha/\"",
    );
    has(
        &site.read("rss.xml"),
        "https://mirror.example.org/news/world/2025/12/05/alpha/",
    );
    has(
        &site.read("sitemap.xml"),
        "https://mirror.example.org/news/world/2025/12/05/alpha/",
    );
    has(
        &site.read("robots.txt"),
        "https://mirror.example.org/news/sitemap.xml",
    );
    has(
        &site.read("old/index.html"),
        "url=https://mirror.example.org/news/world/2025/12/05/alpha/",
    );
    // Nothing still points at config.toml's base_url.
    for (path, bytes) in snapshot(&site.out) {
        if let Some(bytes) = bytes {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("https://example.com"),
                "{path} still uses the base_url of config.toml"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Static files and templates
// ---------------------------------------------------------------------------------------------

#[test]
fn static_files_are_copied_to_the_output_root() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    let png: Vec<u8> = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0xff, 0x10,
    ];
    site.write("static/images/photo.png", &png);
    site.write("static/ads.txt", "example.com, pub-0000, DIRECT\n");
    site.write("static/css/extra.css", "body { color: red }\n");
    site.build_ok(&[]);
    assert_eq!(fs::read(site.out.join("images/photo.png")).unwrap(), png);
    assert_eq!(site.read("ads.txt"), "example.com, pub-0000, DIRECT\n");
    assert_eq!(site.read("css/extra.css"), "body { color: red }\n");
    site.assert_no_page("static/ads.txt");
}

#[test]
fn site_without_templates_uses_the_built_in_theme() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Head of council meets envoy",
        "2025-12-05T10:00:00+06:00",
        "subtitle = \"Talks high on agenda\"\nauthors = [\"Staff Correspondent\"]\n",
        "The *council* met.",
    );
    assert!(!site.root.join("templates").exists());
    site.build_ok(&[]);
    let html = site.read("world/2025/12/05/head-of-council-meets-envoy/index.html");
    has(&html, "<!DOCTYPE html>");
    has(&html, "Head of council meets envoy");
    has(&html, "Talks high on agenda");
    has(&html, "<em>council</em>");
    has(&html, "Staff Correspondent");
    has(
        &html,
        "<link rel=\"canonical\" href=\"https://example.com/world/2025/12/05/head-of-council-meets-envoy/\">",
    );
    has(&html, "property=\"og:title\"");
    has(&html, "name=\"twitter:card\"");
    has(&html, "application/ld+json");
    has(&html, "\"NewsArticle\"");
    for page in [
        "index.html",
        "world/index.html",
        "tags/index.html",
        "authors/index.html",
        "archive/index.html",
        "404.html",
    ] {
        has(&site.read(page), "<link rel=\"canonical\"");
    }
    has(&site.read("rss.xml"), "<rss");
    // The built-in stylesheet comes along.
    site.assert_page("css/site.css");
}

#[test]
fn article_template_override_is_used() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha & Omega",
        "2025-12-05T10:00:00+06:00",
        "",
        "Body <b>bold</b>.",
    );
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1 class=\"my-own-article\">{{ story.title }}</h1>\n<div class=\"my-body\">{{ story.content }}</div>{% endblock content %}\n",
    );
    site.build_ok(&[]);
    let html = site.read("world/2025/12/05/alpha-omega/index.html");
    has(&html, "<h1 class=\"my-own-article\">Alpha &amp; Omega</h1>");
    has(&html, "<b>bold</b>");
    // base.html still comes from the built-in theme.
    has(&html, "<link rel=\"canonical\"");
    // Other pages keep the built-in templates.
    lacks(&site.read("index.html"), "my-own-article");
    has(&site.read("index.html"), "Alpha &amp; Omega");
}

// ---------------------------------------------------------------------------------------------
// The output folder
// ---------------------------------------------------------------------------------------------

#[test]
fn rebuilding_replaces_own_output_and_is_reproducible() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    site.story(
        "content/world/b.md",
        "Beta",
        "2025-12-06T10:00:00+06:00",
        "",
        "x",
    );
    site.build_ok(&[]);
    let first = snapshot(&site.out);
    site.build_ok(&[]);
    assert!(
        first == snapshot(&site.out),
        "rebuilding unchanged content changed the output"
    );

    fs::remove_file(site.root.join("content/world/b.md")).unwrap();
    site.build_ok(&[]);
    site.assert_no_page("world/2025/12/06/beta/index.html");
    site.assert_page("world/2025/12/05/alpha/index.html");
    assert_eq!(
        entries(&site.parent),
        vec!["out", "site"],
        "staging folder left behind"
    );
}

#[test]
fn foreign_non_empty_output_is_refused_unless_force() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    fs::create_dir_all(site.out.join("photos")).unwrap();
    fs::write(site.out.join("thesis.docx"), b"my only copy").unwrap();
    fs::write(site.out.join("photos/cat.jpg"), b"\xff\xd8\xff").unwrap();
    let before = snapshot(&site.out);

    let r = site.build_at(NEW_YEAR_UTC, &[]);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    has(&r.stderr, "--force");
    has(&r.stderr, "not made by broadsheet");
    assert!(
        before == snapshot(&site.out),
        "the refused folder was changed"
    );
    assert_eq!(entries(&site.parent), vec!["out", "site"]);

    site.build_ok(&["--force"]);
    site.assert_page("index.html");
    site.assert_page("world/2025/12/05/alpha/index.html");

    // An empty folder is fine without --force.
    fs::remove_dir_all(&site.out).unwrap();
    fs::create_dir(&site.out).unwrap();
    site.build_ok(&[]);
    site.assert_page("index.html");
}

#[test]
fn output_into_the_site_itself_is_refused() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    site.write("static/logo.txt", "logo");
    let before = snapshot(&site.root);
    for target in [
        site.root.clone(),
        site.root.join("content"),
        site.root.join("static/out"),
        // The folder holding the site: replacing it would delete the site.
        site.parent.clone(),
    ] {
        for extra in [&[][..], &["--force"][..]] {
            let mut args = vec![
                "build",
                "--root",
                site.root.to_str().unwrap(),
                "--output",
                target.to_str().unwrap(),
            ];
            args.extend_from_slice(extra);
            let r = run(&args, NEW_YEAR_UTC);
            assert_eq!(
                r.code,
                1,
                "--output {} {extra:?}: stderr:\n{}",
                target.display(),
                r.stderr
            );
            has(&r.stderr, "error");
            assert!(
                before == snapshot(&site.root),
                "the site was changed by --output {}",
                target.display()
            );
        }
    }
    assert_eq!(entries(&site.parent), vec!["site"]);
}

#[test]
fn default_output_is_public_in_the_site() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    let r = run(
        &["build", "--root", site.root.to_str().unwrap()],
        NEW_YEAR_UTC,
    );
    r.ok();
    assert!(
        site.root
            .join("public/world/2025/12/05/alpha/index.html")
            .is_file()
    );
    // Beside the output only the build cache, which README documents.
    assert_eq!(
        entries(&site.root),
        vec![".broadsheet-cache", "config.toml", "content", "public"]
    );
}

// ---------------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let new_site = dir.path().join("paper");
    // The sample stories must be published when a user builds them, so use the real clock.
    let now = real_now();
    let r = run(&["init", new_site.to_str().unwrap()], &now);
    r.ok();
    assert!(new_site.join("config.toml").is_file());
    let stories = snapshot(&new_site.join("content"))
        .keys()
        .filter(|k| k.ends_with(".md"))
        .count();
    assert_eq!(stories, 2, "init writes two sample stories");

    let out = dir.path().join("out");
    let r = run(
        &[
            "build",
            "--root",
            new_site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        &now,
    );
    r.ok();
    has(&r.stdout, "2 articles");
    assert!(out.join("index.html").is_file());
    assert!(out.join("rss.xml").is_file());
    assert!(
        r.stderr.trim().is_empty(),
        "a fresh site builds without warnings:\n{}",
        r.stderr
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("taken");
    fs::create_dir_all(target.join("content")).unwrap();
    fs::write(target.join("config.toml"), "title = \"Mine\"\n").unwrap();
    fs::write(target.join("content/keep.md"), "precious").unwrap();
    let before = snapshot(&target);
    let r = run(&["init", target.to_str().unwrap()], NEW_YEAR_UTC);
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    has(&r.stderr, "not empty");
    assert!(
        before == snapshot(&target),
        "init changed a non-empty folder"
    );
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn build_prints_one_summary_line() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "tags = [\"X\"]\n",
        "x",
    );
    site.story(
        "content/sport/b.md",
        "Beta",
        "2025-12-04T10:00:00+06:00",
        "",
        "x",
    );
    site.story(
        "content/sport/c.md",
        "Gamma",
        "2025-12-03T10:00:00+06:00",
        "",
        "x",
    );
    let r = site.build_ok(&[]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one summary line on stdout, got:\n{}",
        r.stdout
    );
    let line = lines[0];
    has(line, "3 articles");
    has(line, "pages");
    // Site feed, two section feeds, one tag feed.
    has(line, "4 feeds");
    assert!(
        line.contains('s') && line.chars().any(|c| c.is_ascii_digit()),
        "{line}"
    );
    assert!(
        r.stderr.trim().is_empty(),
        "no diagnostics on a good site:\n{}",
        r.stderr
    );
}

#[test]
fn bad_usage_exits_2() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Alpha",
        "2025-12-05T10:00:00+06:00",
        "",
        "x",
    );
    let root = site.root.to_str().unwrap();
    for args in [
        vec!["build", "--root", root, "--no-such-flag"],
        vec!["frobnicate"],
        vec!["init"],
        vec!["build", "--root", root, "--output"],
    ] {
        let r = run(&args, NEW_YEAR_UTC);
        assert_eq!(r.code, 2, "{args:?}: stderr:\n{}", r.stderr);
        assert!(
            !r.stderr.trim().is_empty(),
            "{args:?} should explain the usage error"
        );
    }
    assert!(
        !site.root.join("public").exists(),
        "bad usage must not build"
    );
}

// ---------------------------------------------------------------------------------------------
// Social cards and sitemaps, as their validators read them (SPEC "More about output")
// ---------------------------------------------------------------------------------------------

#[test]
fn social_cards_carry_the_headline_alone_the_article_s_times_and_the_site_s_image() {
    let site = Site::new(&format!(
        "{CONFIG}image = \"/images/share.png\"\nimage_alt = \"The Gazette's masthead\"\nlogo = \"/images/logo.png\"\n"
    ));
    site.story(
        "content/world/ferry.md",
        "Ferry returns to the island",
        "2025-12-01T09:30:00+06:00",
        "updated = 2025-12-02T08:00:00+06:00\ntags = [\"Boats\", \"Islands\"]\n",
        "The morning ferry ran again.",
    );
    site.build_ok(&[]);
    let story = site.read("world/2025/12/01/ferry-returns-to-the-island/index.html");
    has(
        &story,
        "<title>Ferry returns to the island | The Test Gazette</title>",
    );
    has(
        &story,
        r#"<meta property="og:title" content="Ferry returns to the island">"#,
    );
    has(
        &story,
        r#"<meta name="twitter:title" content="Ferry returns to the island">"#,
    );
    has(
        &story,
        r#"<meta property="og:site_name" content="The Test Gazette">"#,
    );
    has(
        &story,
        r#"<meta property="article:published_time" content="2025-12-01T09:30:00+06:00">"#,
    );
    has(
        &story,
        r#"<meta property="article:modified_time" content="2025-12-02T08:00:00+06:00">"#,
    );
    has(
        &story,
        r#"<meta property="article:section" content="World">"#,
    );
    has(&story, r#"<meta property="article:tag" content="Boats">"#);
    has(&story, r#"<meta property="article:tag" content="Islands">"#);
    // No lead image of its own: the site's, as an absolute URL, with its text.
    has(
        &story,
        r#"<meta property="og:image" content="https://example.com/images/share.png">"#,
    );
    has(
        &story,
        r#"<meta property="og:image:alt" content="The Gazette&#39;s masthead">"#,
    );
    // The publisher's logo, in the story's structured data.
    has(
        &story,
        r#""logo": {
      "@type": "ImageObject",
      "url": "https://example.com/images/logo.png"
    },"#,
    );
    let tag = site.read("tags/boats/index.html");
    has(&tag, r#"<meta property="og:title" content="Boats">"#);
    has(
        &tag,
        r#"<meta property="og:image" content="https://example.com/images/share.png">"#,
    );
    lacks(&tag, "article:published_time");
}

#[test]
fn a_listing_s_lastmod_is_its_newest_story_even_behind_a_featured_one() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/old.md",
        "An old feature",
        "2025-11-01T09:00:00+06:00",
        "featured = true\n",
        "Old.",
    );
    site.story(
        "content/world/new.md",
        "A new report",
        "2025-12-03T07:00:00+06:00",
        "",
        "New.",
    );
    site.build_ok(&[]);
    let sitemap = site.read("sitemap.xml");
    has(
        &sitemap,
        "<url><loc>https://example.com/</loc><lastmod>2025-12-03T07:00:00+06:00</lastmod></url>",
    );
}

#[test]
fn a_story_without_a_byline_is_the_publisher_s_and_a_co_written_one_names_all_in_its_feed() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/notice.md",
        "Office notice",
        "2025-12-01T09:30:00+06:00",
        "",
        "Closed.",
    );
    site.story(
        "content/world/joint.md",
        "Joint report",
        "2025-12-02T09:30:00+06:00",
        "authors = [\"Rina Akter\", \"Tomas Ara\", \"Mira Sen\"]\n",
        "Together.",
    );
    site.build_ok(&[]);
    let notice = site.read("world/2025/12/01/office-notice/index.html");
    has(
        &notice,
        r#""author": [
    {
      "@type": "NewsMediaOrganization",
      "name": "The Test Gazette",
      "url": "https://example.com/"
    }
  ],"#,
    );
    let feed = site.read("rss.xml");
    has(
        &feed,
        "<dc:creator>Rina Akter, Tomas Ara and Mira Sen</dc:creator>",
    );
    assert_eq!(feed.matches("<dc:creator>").count(), 1, "{feed}");
}

#[test]
fn feed_items_hold_only_absolute_urls() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "First",
        "2025-12-01T09:30:00+06:00",
        "",
        "Plain.",
    );
    site.story(
        "content/world/b.md",
        "Second",
        "2025-12-02T09:30:00+06:00",
        "",
        "See [the first](@/world/a.md) and ![a boat](boat.png).[^1]\n\n[^1]: A note.",
    );
    site.write("content/world/boat.png", b"not really a png");
    site.build_ok(&[]);
    let feed = site.read("rss.xml");
    let encoded = feed.split("<content:encoded>").nth(1).unwrap();
    has(
        encoded,
        "href=&quot;https://example.com/world/2025/12/01/first/&quot;",
    );
    has(
        encoded,
        "src=&quot;https://example.com/world/2025/12/02/second/boat.png&quot;",
    );
    has(
        encoded,
        "href=&quot;https://example.com/world/2025/12/02/second/#1&quot;",
    );
    lacks(encoded, "href=&quot;/");
    lacks(encoded, "href=&quot;#");
    lacks(encoded, "src=&quot;/");
}

#[test]
fn the_front_page_describes_the_site_and_its_publisher() {
    let site = Site::new(&format!(
        "{CONFIG}paginate = 1\nlogo = \"/images/logo.png\"\n"
    ));
    site.story(
        "content/world/a.md",
        "First",
        "2025-12-01T09:30:00+06:00",
        "",
        "One.",
    );
    site.story(
        "content/world/b.md",
        "Second",
        "2025-12-02T09:30:00+06:00",
        "",
        "Two.",
    );
    site.build_ok(&[]);
    let front = site.read("index.html");
    let ld = front
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the front page's JSON-LD");
    has(ld, r#""@type": "WebSite""#);
    has(ld, r#""url": "https://example.com/""#);
    has(ld, r#""@type": "NewsMediaOrganization""#);
    has(ld, r#""url": "https://example.com/images/logo.png""#);
    has(ld, r#""name": "The Test Gazette""#);
    lacks(&site.read("page/2/index.html"), "application/ld+json");
}

#[test]
fn a_news_sitemap_with_no_recent_story_still_lists_an_address() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Old news",
        "2025-06-01T09:30:00+06:00",
        "",
        "Old.",
    );
    site.build_ok(&[]);
    let news = site.read("news-sitemap.xml");
    // The schema wants at least one <url>: the front page, with no news of its own.
    assert_eq!(news.matches("<url>").count(), 1, "{news}");
    has(&news, "<loc>https://example.com/</loc>");
    lacks(&news, "<news:news>");
    lacks(&news, "Old news");
}

#[test]
fn a_story_in_another_language_says_so_everywhere_it_is_shown() {
    let site = Site::new(CONFIG);
    site.story(
        "content/culture/library.md",
        "নদীর পাড়ে পাঠাগার",
        "2025-12-31T09:30:00+06:00",
        "slug = \"river-library\"\nlanguage = \"bn\"\n",
        "শিশুদের ভিড়।",
    );
    site.story(
        "content/culture/fair.md",
        "Book fair opens",
        "2025-12-30T09:30:00+06:00",
        "",
        "Books.",
    );
    site.build_ok(&[]);
    let page = site.read("culture/2025/12/31/river-library/index.html");
    has(
        &page,
        r#"<h1 id="story-headline" class="story-headline" lang="bn">"#,
    );
    has(&page, r#""inLanguage": "bn""#);
    let section = site.read("culture/index.html");
    has(&section, r#"class="card-title" lang="bn""#);
    // Only the story's own words are marked, not the section name or "By" around them.
    lacks(&section, r#"<article class="card card--list" lang"#);
    let fair = site.read("culture/2025/12/30/book-fair-opens/index.html");
    has(&fair, r#""inLanguage": "en""#);
    lacks(&fair, r#"lang="bn""#);
    let feed = site.read("rss.xml");
    assert_eq!(
        feed.matches("<dc:language>bn</dc:language>").count(),
        1,
        "{feed}"
    );
    // Built on 2026-01-01: both are in the news sitemap, each in its own language.
    let news = site.read("news-sitemap.xml");
    has(&news, "<news:language>bn</news:language>");
    has(&news, "<news:language>en</news:language>");
}

#[test]
fn a_language_that_is_no_language_tag_is_an_error_at_its_line() {
    let site = Site::new(CONFIG);
    site.story(
        "content/culture/x.md",
        "Odd",
        "2025-12-31T09:30:00+06:00",
        "language = \"Bangla please\"\n",
        "Text.",
    );
    let r = site.build_at(NEW_YEAR_UTC, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    has(&r.stderr, "`Bangla please` is not a language tag");
    has(&r.stderr, "content/culture/x.md:4:");
}

#[test]
fn notes_under_content_are_not_stories() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "A story",
        "2025-12-01T09:30:00+06:00",
        "",
        "Text.",
    );
    site.write(
        "content/README.md",
        "# How we file stories\n\nNo front matter here.\n",
    );
    site.write("content/world/readme.md", "Notes for the world desk.\n");
    site.write("content/_style.md", "House style, for us only.\n");
    site.write(
        "content/_drafts/half.md",
        "+++\ntitle = \"Half\"\n+++\nNot ready.\n",
    );
    let r = site.build_ok(&[]);
    has(&r.stdout, "Built 1 articles");
    lacks(&site.listing(), "half");
}

#[test]
fn the_summary_says_which_stories_were_left_out_and_how_to_see_them() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Out now",
        "2025-12-01T09:30:00+06:00",
        "",
        "Text.",
    );
    site.story(
        "content/world/b.md",
        "Not yet",
        "2025-12-02T09:30:00+06:00",
        "draft = true\n",
        "Draft.",
    );
    site.story(
        "content/world/c.md",
        "Later",
        "2026-03-01T09:30:00+06:00",
        "",
        "Soon.",
    );
    site.story(
        "content/world/d.md",
        "Much later",
        "2026-04-01T09:30:00+06:00",
        "",
        "Soon.",
    );
    let line = "Left out: 1 draft (--drafts shows it), 2 stories scheduled for later (--future shows them)";
    let r = site.build_ok(&[]);
    has(&r.stdout, line);
    // A build that stops early, with nothing changed, says the same.
    let again = site.build_ok(&[]);
    has(&again.stdout, "(0 of ");
    has(&again.stdout, line);
    let all = site.build_ok(&["--drafts", "--future"]);
    lacks(&all.stdout, "Left out");
}

#[test]
fn a_story_dated_far_ahead_is_a_warning_asking_about_the_year() {
    let site = Site::new(CONFIG);
    site.story(
        "content/world/a.md",
        "Out now",
        "2025-12-01T09:30:00+06:00",
        "",
        "Text.",
    );
    site.story(
        "content/world/b.md",
        "Typo year",
        "2062-12-01T09:30:00+06:00",
        "",
        "Text.",
    );
    site.story(
        "content/world/c.md",
        "Next week",
        "2026-01-08T09:30:00+06:00",
        "",
        "Text.",
    );
    let r = site.build_ok(&[]);
    has(
        &r.stderr,
        "this story is dated 2062-12-01, more than 30 days from now: is the year right?",
    );
    has(&r.stderr, "content/world/b.md:3:");
    lacks(&r.stderr, "content/world/c.md");
    has(&r.stdout, "Left out: 2 stories scheduled for later");
}
