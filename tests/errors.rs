//! Error paths of `broadsheet build`: every broken input is reported with its file, line and
//! column in the `--> path:line:col` form, with a hint an editor can act on; the build exits
//! with status 1, never panics, and leaves the previous output exactly as it was.
//!
//! Each test builds a small good site into `OUT` (beside the site, not inside it), then breaks
//! the site, builds again into the same `OUT`, and checks the diagnostics and that `OUT` is
//! byte-identical and no staging folder is left beside it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z: every story below is in the past.
const NOW: &str = "1767225600";

const CONFIG: &str = r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Asia/Dhaka"
"#;

const GOOD_STORY: &str = r#"+++
title = "Alpha"
date = 2025-12-05T10:00:00+06:00
tags = ["Rivers"]
authors = ["Staff Correspondent"]
+++
Alpha's body.
"#;

struct Site {
    _dir: TempDir,
    /// The folder that holds `site/` and `out/`, and nothing else.
    parent: PathBuf,
    root: PathBuf,
    out: PathBuf,
}

impl Site {
    /// A good site: config.toml and one story, content/world/a.md.
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().to_path_buf();
        let root = parent.join("site");
        let out = parent.join("out");
        let site = Site {
            _dir: dir,
            parent,
            root,
            out,
        };
        site.write("config.toml", CONFIG);
        site.write("content/world/a.md", GOOD_STORY);
        site
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn build(&self) -> Run {
        run(&[
            "build",
            "--root",
            self.root.to_str().unwrap(),
            "--output",
            self.out.to_str().unwrap(),
        ])
    }

    /// Builds the good site, applies `files`, builds again and checks that the second build
    /// failed cleanly: status 1, previous output byte-identical, nothing left beside it.
    /// Returns the second build's stderr.
    fn break_with(&self, files: &[(&str, &[u8])]) -> String {
        let first = self.build();
        assert_eq!(
            first.code, 0,
            "the good site must build first; stderr:\n{}",
            first.stderr
        );
        assert!(self.out.join("index.html").is_file());
        let before = snapshot(&self.out);
        assert!(!before.is_empty());

        for (rel, contents) in files {
            self.write(rel, contents);
        }
        let second = self.build();
        assert_eq!(
            second.code, 1,
            "a broken site must fail with status 1; stdout:\n{}\nstderr:\n{}",
            second.stdout, second.stderr
        );
        assert!(
            second.stderr.contains("error"),
            "stderr must hold the diagnostics:\n{}",
            second.stderr
        );
        let after = snapshot(&self.out);
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "the previous output's file list changed"
        );
        for (path, bytes) in &before {
            assert!(
                after.get(path) == Some(bytes),
                "the previous output's {path} changed"
            );
        }
        assert_eq!(
            entries(&self.parent),
            vec!["out".to_string(), "site".to_string()],
            "a failed build left something beside the output folder (a staging folder?)"
        );
        assert!(
            !self.root.join("public").exists(),
            "the build wrote into the site's public/ although --output was given"
        );
        second.stderr
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let (status, stdout, stderr) =
        common::run_env(args, &[("SOURCE_DATE_EPOCH", NOW), ("NO_COLOR", "1")]);
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    };
    assert!(
        !r.stderr.contains("panicked") && !r.stdout.contains("panicked"),
        "broadsheet panicked:\n{}",
        r.stderr
    );
    assert_ne!(
        r.code, 101,
        "broadsheet panicked (status 101):\n{}",
        r.stderr
    );
    r
}

/// Every file (path relative to `dir`, `/`-separated) with its bytes; folders map to `None`.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for e in fs::read_dir(dir).unwrap() {
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

/// Asserts `stderr` contains `needle`, showing the whole stderr otherwise.
#[track_caller]
fn has(stderr: &str, needle: &str) {
    assert!(
        stderr.contains(needle),
        "expected stderr to contain {needle:?}; stderr was:\n{stderr}"
    );
}

#[track_caller]
fn lacks(stderr: &str, needle: &str) {
    assert!(
        !stderr.contains(needle),
        "expected stderr NOT to contain {needle:?}; stderr was:\n{stderr}"
    );
}

/// Asserts a location line ` --> PATH:LINE:COL` with exactly this location.
#[track_caller]
fn at(stderr: &str, location: &str) {
    let want = format!("--> {location}");
    assert!(
        stderr.lines().any(|l| l.trim() == want),
        "expected a line `{want}` in stderr:\n{stderr}"
    );
}

/// The `= help:` lines of the diagnostics.
fn help(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("= help:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The summary line (`N errors, M warnings`), which must be there.
#[track_caller]
fn summary(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find(|l| l.contains("error") && l.contains("warning"))
        .unwrap_or_else(|| panic!("no summary line like `1 error, 0 warnings` in:\n{stderr}"))
        .trim()
        .to_string()
}

#[track_caller]
fn one_error(stderr: &str) {
    let s = summary(stderr);
    assert!(
        s.starts_with("1 error,") || s.starts_with("1 error "),
        "expected exactly one error in the summary, got {s:?}; stderr:\n{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------------

#[test]
fn unclosed_toml_front_matter() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\n\nThe text starts here.\n",
    )]);
    at(&err, "content/world/b.md:1:1");
    has(&err, "+++");
    has(&err, "never closed");
    // The hint tells the editor which line to add.
    has(&help(&err), "`+++`");
    one_error(&err);
}

#[test]
fn unclosed_yaml_front_matter() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"---\ntitle: Beta\ndate: 2025-12-05T11:00:00+06:00\n\nThe text starts here.\n",
    )]);
    at(&err, "content/world/b.md:1:1");
    has(&err, "never closed");
    has(&help(&err), "`---`");
    one_error(&err);
}

#[test]
fn invalid_toml_syntax_reports_the_files_line() {
    let site = Site::new();
    // `subtitle` is on the 4th line of the block, the 5th line of the file.
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\ntags = [\"Rivers\"]\nsubtitle = Talks on war\n+++\nBody.\n",
    )]);
    at(&err, "content/world/b.md:5:12");
    lacks(&err, "b.md:4:");
    has(&err, "5 | subtitle = Talks on war");
    has(&err, "front matter");
    // A hint about quoting: the value is text without quotes.
    has(&help(&err).to_lowercase(), "quote");
    one_error(&err);
}

#[test]
fn invalid_yaml_syntax_reports_the_files_line() {
    let site = Site::new();
    // `subtitle: a: b` is on the 4th line of the block, the 5th of the file; the second `:` is
    // column 12.
    let err = site.break_with(&[(
        "content/world/b.md",
        b"---\ntitle: Beta\ndate: 2025-12-05T11:00:00+06:00\ntags: [Rivers]\nsubtitle: Talks: war\n---\nBody.\n",
    )]);
    at(&err, "content/world/b.md:5:16");
    lacks(&err, "b.md:4:");
    has(&err, "5 | subtitle: Talks: war");
    has(&err, "front matter");
    assert!(!help(&err).is_empty(), "expected a hint:\n{err}");
    one_error(&err);
}

#[test]
fn missing_title() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ndate = 2025-12-05T11:00:00+06:00\n+++\nBody.\n",
    )]);
    at(&err, "content/world/b.md:1:1");
    has(&err, "missing");
    has(&err, "`title`");
    // The hint shows how to write it, in TOML.
    has(&help(&err), "title = ");
    one_error(&err);
}

#[test]
fn missing_date_in_yaml() {
    let site = Site::new();
    let err = site.break_with(&[("content/world/b.md", b"---\ntitle: Beta\n---\nBody.\n")]);
    at(&err, "content/world/b.md:1:1");
    has(&err, "missing");
    has(&err, "`date`");
    // The hint shows how to write it, in YAML (not TOML), between `---` lines.
    let h = help(&err);
    has(&h, "date: 20");
    lacks(&h, "+++");
    one_error(&err);
}

#[test]
fn wrong_type_toml() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\ntags = \"Rivers\"\n+++\nBody.\n",
    )]);
    // Points at the value.
    at(&err, "content/world/b.md:4:8");
    has(&err, "`tags`");
    has(&err, "wrong type");
    // The hint shows a list.
    has(&help(&err), "tags = [");
    one_error(&err);
}

#[test]
fn wrong_type_yaml() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"---\ntitle: Beta\ndate: 2025-12-05T11:00:00+06:00\ntags: 5\n---\nBody.\n",
    )]);
    at(&err, "content/world/b.md:4:7");
    has(&err, "`tags`");
    has(&err, "wrong type");
    let h = help(&err);
    assert!(
        h.contains("list"),
        "hint should say a list is expected:\n{err}"
    );
    // YAML syntax in the YAML file's hint.
    lacks(&h, "tags = [");
    one_error(&err);
}

#[test]
fn unparseable_date() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = \"yesterday\"\n+++\nBody.\n",
    )]);
    // The key (column 1) or the value (column 8) of line 3.
    assert!(
        err.contains(" --> content/world/b.md:3:1\n")
            || err.contains(" --> content/world/b.md:3:8\n"),
        "expected the date's line 3 (column 1 or 8):\n{err}"
    );
    has(&err, "yesterday");
    // The hint shows a date that can be read, and mentions the site's time zone.
    let h = help(&err);
    has(&h, "2025-12-05");
    has(&h, "Asia/Dhaka");
    one_error(&err);
}

#[test]
fn unknown_front_matter_key_suggests_nearest() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\nautors = [\"Staff\"]\n+++\nBody.\n",
    )]);
    has(&err, "unknown key `autors`");
    at(&err, "content/world/b.md:4:1");
    has(&err, "4 | autors = [\"Staff\"]");
    has(&err, "^^^^^^");
    has(&help(&err), "did you mean `authors`?");
    one_error(&err);
}

#[test]
fn non_utf8_story() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\n+++\nCaf\xe9 \xff society\n",
    )]);
    has(&err, "UTF-8");
    // The first bad byte: line 5, column 4.
    at(&err, "content/world/b.md:5:4");
    has(&help(&err), "UTF-8");
    one_error(&err);
}

#[test]
fn two_stories_with_one_url_name_both_files() {
    let site = Site::new();
    // Same section, same day, same title as content/world/a.md.
    let err = site.break_with(&[(
        "content/world/a-copy.md",
        b"+++\ntitle = \"Alpha\"\ndate = 2025-12-05T18:00:00+06:00\n+++\nAgain.\n",
    )]);
    has(&err, "content/world/a.md");
    has(&err, "content/world/a-copy.md");
    has(&err, "/world/2025/12/05/alpha/");
    assert!(
        err.contains(" --> content/world/a-copy.md:") || err.contains(" --> content/world/a.md:"),
        "expected a --> location in one of the files:\n{err}"
    );
    has(&help(&err), "slug");
    one_error(&err);
}

#[test]
fn static_file_colliding_with_generated_pages() {
    let site = Site::new();
    let err = site.break_with(&[
        ("static/world/index.html", b"<p>mine</p>\n"),
        ("static/rss.xml", b"<rss/>\n"),
        ("static/notes.txt", b"harmless\n"),
    ]);
    has(&err, "static/world/index.html");
    has(&err, "/world/index.html");
    has(&err, "static/rss.xml");
    has(&err, "/rss.xml");
    lacks(&err, "notes.txt");
    assert!(!help(&err).is_empty(), "expected a hint:\n{err}");
    let s = summary(&err);
    assert!(
        s.starts_with("2 errors"),
        "both collisions in one run, got {s:?}:\n{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

#[test]
fn template_syntax_error_names_template_and_line() {
    let site = Site::new();
    let err = site.break_with(&[(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ story.title }</h1>\n{% endblock content %}\n",
    )]);
    // The lone `}` is at column 20 of line 3.
    at(&err, "templates/article.html:3:20");
    has(&err, "3 | <h1>{{ story.title }</h1>");
    has(&err.to_lowercase(), "syntax");
    one_error(&err);
}

#[test]
fn template_unknown_variable_names_template_and_line() {
    let site = Site::new();
    let err = site.break_with(&[(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ story.title }}</h1>\n<p>{{ bogus_var }}</p>\n{% endblock content %}\n",
    )]);
    at(&err, "templates/article.html:4:7");
    has(&err, "`bogus_var`");
    has(&err, "not defined");
    // Which page it was rendering.
    has(&err, "content/world/a.md");
    one_error(&err);
}

#[test]
fn template_unknown_story_field_names_template_and_line() {
    let site = Site::new();
    let err = site.break_with(&[(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ story.title }}</h1>\n\n<p>{{ story.byline }}</p>\n{% endblock content %}\n",
    )]);
    at(&err, "templates/article.html:5:13");
    has(&err, "`byline`");
    one_error(&err);
}

// ---------------------------------------------------------------------------------------------
// config.toml
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_config_key_suggests_nearest() {
    let site = Site::new();
    let config = format!("{CONFIG}paginte = 5\n");
    let err = site.break_with(&[("config.toml", config.as_bytes())]);
    has(&err, "unknown key `paginte`");
    at(&err, "config.toml:4:1");
    has(&help(&err), "did you mean `paginate`?");
    one_error(&err);
}

#[test]
fn unknown_time_zone_in_config() {
    let site = Site::new();
    let err = site.break_with(&[(
        "config.toml",
        b"title = \"The Test Gazette\"\nbase_url = \"https://example.com\"\ntimezone = \"Asia/Dhakka\"\n",
    )]);
    has(&err, "Asia/Dhakka");
    has(&err, " --> config.toml:3:");
    has(&help(&err), "Asia/Dhaka");
    one_error(&err);
}

#[test]
fn missing_base_url_in_config() {
    let site = Site::new();
    let err = site.break_with(&[("config.toml", b"title = \"The Test Gazette\"\n")]);
    has(&err, "`base_url`");
    has(&err, "missing");
    // The whole file lacks the key: it names the file without pointing at a line.
    has(&err, " --> config.toml\n");
    one_error(&err);
}

// ---------------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------------

#[test]
fn link_to_missing_story() {
    let site = Site::new();
    // The link is on the file's line 7 (body line 3); its target starts at column 16.
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\n+++\nFirst paragraph, see [Alpha](@/world/a.md).\n\nSee [the plan](@/world/no-such-story.md) for more.\n",
    )]);
    has(&err, "@/world/no-such-story.md");
    at(&err, "content/world/b.md:7:16");
    lacks(&err, "@/world/a.md");
    assert!(!help(&err).is_empty(), "expected a hint:\n{err}");
    one_error(&err);
}

// ---------------------------------------------------------------------------------------------
// All at once
// ---------------------------------------------------------------------------------------------

#[test]
fn all_problems_are_reported_together() {
    let site = Site::new();
    let err = site.break_with(&[
        (
            "content/world/x.md",
            b"+++\ndate = 2025-12-05T11:00:00+06:00\n+++\nNo title.\n",
        ),
        (
            "content/sport/y.md",
            b"+++\ntitle = \"Why\"\ndate = 2025-12-05T11:00:00+06:00\nautors = [\"A\"]\n+++\nTypo.\n",
        ),
        (
            "content/business/z.md",
            b"---\ntitle: Zed\ndate: next tuesday\n---\nBad date.\n",
        ),
    ]);
    at(&err, "content/world/x.md:1:1");
    at(&err, "content/sport/y.md:4:1");
    has(&err, " --> content/business/z.md:3:");
    has(&err, "`title`");
    has(&err, "did you mean `authors`?");
    has(&err, "next tuesday");
    let s = summary(&err);
    assert!(
        s.starts_with("3 errors"),
        "expected `3 errors`, got {s:?}:\n{err}"
    );
}

#[test]
fn config_error_and_story_errors_do_not_panic_together() {
    // Garbage of every kind in one site: no panic (checked by `run`), status 1.
    let site = Site::new();
    let err = site.break_with(&[
        ("content/world/empty.md", b""),
        ("content/world/only-open.md", b"+++"),
        ("content/world/bom.md", b"\xef\xbb\xbf+++\ntitle = \"Bom\"\ndate = 2025-12-05\n+++\nx\n"),
        ("content/world/crlf.md", b"+++\r\ntitle = \"CR\"\r\ndate = 2025-12-05T11:00:00+06:00\r\n+++\r\nx\r\n"),
        ("content/world/binary.md", &[0u8, 159, 146, 150, 0xff, 0xfe, b'\n', 0]),
        ("content/world/yaml-list.md", b"---\n- a\n- b\n---\nx\n"),
        ("content/world/deep.md", b"+++\ntitle = \"D\"\ndate = 2025-12-05T11:00:00+06:00\n[extra]\nx = { y = { z = [1, [2, [3]]] } }\n+++\n[x](@/)\n[y](@/../../etc/passwd)\n"),
    ]);
    has(&err, "content/world/binary.md");
    has(&err, "content/world/only-open.md");
}

#[test]
fn broken_link_is_reported_alongside_front_matter_errors() {
    // "all problems of a build are reported together": a bad link in a good story must not
    // wait until another story's front matter is fixed.
    let site = Site::new();
    let err = site.break_with(&[
        (
            "content/world/b.md",
            b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\n+++\nSee [the plan](@/world/no-such-story.md).\n",
        ),
        ("content/world/c.md", b"+++\ntitle = \"Gamma\"\n+++\nNo date.\n"),
    ]);
    at(&err, "content/world/c.md:1:1");
    has(&err, "`date`");
    has(&err, " --> content/world/b.md:5:");
    has(&err, "@/world/no-such-story.md");
    let s = summary(&err);
    assert!(
        s.starts_with("2 errors"),
        "expected `2 errors`, got {s:?}:\n{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Messages for editors, not programmers
// ---------------------------------------------------------------------------------------------

/// Words from the program's insides that an editor cannot act on.
#[track_caller]
fn plain_words(stderr: &str) {
    for word in [
        "struct",
        "FrontMatter",
        "i64",
        "u64",
        "usize",
        "enum",
        "Option<",
        "Vec<",
    ] {
        lacks(stderr, word);
    }
}

#[test]
fn yaml_front_matter_that_is_a_list_gets_a_plain_message() {
    let site = Site::new();
    let err = site.break_with(&[("content/world/b.md", b"---\n- a\n- b\n---\nBody.\n")]);
    at(&err, "content/world/b.md:2:1");
    plain_words(&err);
    one_error(&err);
}

#[test]
fn config_wrong_type_gets_a_plain_message() {
    let site = Site::new();
    let config = format!("{CONFIG}paginate = \"ten\"\n");
    let err = site.break_with(&[("config.toml", config.as_bytes())]);
    at(&err, "config.toml:4:12");
    has(&err, "paginate");
    plain_words(&err);
    one_error(&err);
}

#[test]
fn extra_that_is_not_a_table_gets_a_useful_hint() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/b.md",
        b"+++\ntitle = \"Beta\"\ndate = 2025-12-05T11:00:00+06:00\nextra = 5\n+++\nBody.\n",
    )]);
    has(&err, " --> content/world/b.md:4:");
    has(&err, "`extra`");
    // Custom fields go under an `[extra]` table; the hint must show that, not `extra = "..."`.
    has(&help(&err), "[extra]");
    one_error(&err);
}

#[test]
fn failed_first_build_writes_nothing() {
    let site = Site::new();
    site.write(
        "content/world/b.md",
        "+++\ntitle = \"Beta\"\n+++\nNo date.\n",
    );
    let r = site.build();
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    at(&r.stderr, "content/world/b.md:1:1");
    assert_eq!(
        entries(&site.parent),
        vec!["site".to_string()],
        "a failed build left files"
    );
    assert_eq!(
        entries(&site.root),
        vec!["config.toml".to_string(), "content".to_string()]
    );
    assert!(
        r.stdout.trim().is_empty(),
        "no summary line for a failed build:\n{}",
        r.stdout
    );
}

#[test]
fn every_unknown_key_of_a_file_is_reported_with_hints_in_its_own_format() {
    let site = Site::new();
    let err = site.break_with(&[
        (
            "content/sport/y.md",
            b"+++\ntitle = \"Why\"\ndate = 2025-12-05T11:00:00+06:00\nautors = [\"A\"]\ntages = [\"B\"]\n+++\nTypos.\n",
        ),
        (
            "content/world/z.md",
            b"---\ntitle: Zed\ndate: 2025-12-05\nvenue: Town hall\n---\nMine.\n",
        ),
    ]);
    at(&err, "content/sport/y.md:4:1");
    at(&err, "content/sport/y.md:5:1");
    has(&err, "did you mean `authors`?");
    has(&err, "did you mean `tags`?");
    at(&err, "content/world/z.md:4:1");
    has(&err, "your own fields go under `extra:`");
    let s = summary(&err);
    assert!(
        s.starts_with("3 errors"),
        "expected `3 errors`, got {s:?}:\n{err}"
    );
}

#[test]
fn a_misspelt_section_is_an_error_where_config_lists_the_sections() {
    let site = Site::new();
    site.write(
        "config.toml",
        format!("{CONFIG}\n[sections.world]\n\n[sections.opinion]\n\n[sections.sport]\n"),
    );
    let err = site.break_with(&[
        (
            "content/world/x.md",
            b"+++\ntitle = \"Letters\"\ndate = 2025-12-05T11:00:00+06:00\nsection = \"Opinon\"\n+++\nText.\n",
        ),
        (
            "content/sprot/y.md",
            b"+++\ntitle = \"Final\"\ndate = 2025-12-05T11:00:00+06:00\n+++\nText.\n",
        ),
    ]);
    at(&err, "content/world/x.md:4:11");
    has(
        &err,
        "the section `opinon` is not one of the sections config.toml lists",
    );
    has(&err, "did you mean `opinion`?");
    has(&err, "content/sprot/y.md");
    has(
        &err,
        "did you mean `sport`? move the file into content/sport/",
    );
}

#[test]
fn curly_quotes_pasted_into_toml_are_named_and_the_fix_works() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/x.md",
        "+++\ntitle = \u{201c}Council approves budget\u{201d}\ndate = 2025-12-05T11:00:00+06:00\n+++\nText.\n".as_bytes(),
    )]);
    at(&err, "content/world/x.md:2:9");
    has(
        &err,
        "the value of `title` is in curly quotes, which TOML does not read",
    );
    has(&err, "title = \"Council approves budget\"");
    // The caret runs under the value as it shows, one column a quote.
    has(&err, &format!("  |         {}\n", "^".repeat(25)));
    // Followed, the fix builds.
    site.write(
        "content/world/x.md",
        "+++\ntitle = \"Council approves budget\"\ndate = 2025-12-05T11:00:00+06:00\n+++\nText.\n",
    );
    let fixed = site.build();
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
}

#[test]
fn a_tab_in_yaml_front_matter_is_named_as_a_tab_and_the_fix_works() {
    let site = Site::new();
    let err = site.break_with(&[(
        "content/world/x.md",
        b"---\ntitle: Tides\ndate: 2025-12-05T11:00:00+06:00\ntags:\n\t- Rivers\n---\nText.\n",
    )]);
    at(&err, "content/world/x.md:5:1");
    has(
        &err,
        "a tab indents this line: YAML indents with spaces only",
    );
    has(&err, "indent with spaces instead: `  - Rivers`");
    lacks(&err, "`=`");
    site.write(
        "content/world/x.md",
        "---\ntitle: Tides\ndate: 2025-12-05T11:00:00+06:00\ntags:\n  - Rivers\n---\nText.\n",
    );
    let fixed = site.build();
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
}
