//! `broadsheet new` end to end (the file it writes builds at once), and `broadsheet check`:
//! the sample site passes, a broken site has every problem reported at once, warnings alone
//! exit 0, drafts are checked only with `--drafts`, and nothing is ever written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

/// 2026-06-01T00:00:00Z: after every date used below.
const NOW: &str = "1780272000";

const HEADLINE: &str = "Council approves budget";
const DATE: &str = "2026-03-04T10:00:00+06:00";

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
    r
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn write(root: &Path, rel: &str, contents: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.insert(path.strip_prefix(base).unwrap().join(""), Vec::new());
                walk(base, &path, out);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.insert(path.strip_prefix(base).unwrap().to_path_buf(), bytes);
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// new
// ---------------------------------------------------------------------------------------------

/// A site made by `broadsheet init`, in `DIR/site`.
fn init_site() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let r = run(&["init", s(&root)]);
    assert_eq!(r.code, 0, "init failed:\n{}", r.stderr);
    (dir, root)
}

fn new_story(root: &Path, headline: &str, extra: &[&str]) -> Run {
    let mut args = vec!["new", headline, "--root", s(root)];
    args.extend_from_slice(extra);
    run(&args)
}

/// The front matter of a story written by `new`, as a TOML table.
fn front_matter(text: &str) -> toml::Table {
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("the story does not start with +++:\n{text}"));
    let end = rest
        .find("\n+++\n")
        .unwrap_or_else(|| panic!("the front matter is not closed:\n{text}"));
    rest[..end + 1]
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("the front matter is not TOML: {e}\n{text}"))
}

/// The path `new` printed, checked to be the file it wrote under `root`.
fn printed_path(root: &Path, r: &Run) -> PathBuf {
    let printed = r.stdout.trim();
    assert_eq!(
        r.stdout.lines().count(),
        1,
        "new must print just the path:\n{}",
        r.stdout
    );
    let path = PathBuf::from(printed);
    assert!(
        path.starts_with(root),
        "printed path {printed} is not under the site {}",
        root.display()
    );
    assert!(path.is_file(), "printed path {printed} is not a file");
    path
}

fn build_drafts(root: &Path) -> Run {
    let r = run(&["build", "--drafts", "--root", s(root)]);
    assert_eq!(
        r.code, 0,
        "build --drafts failed\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    r
}

#[test]
fn new_writes_a_story_that_builds() {
    let (_dir, root) = init_site();
    let r = new_story(&root, HEADLINE, &["--section", "world", "--date", DATE]);
    assert_eq!(r.code, 0, "new failed:\n{}", r.stderr);
    let path = printed_path(&root, &r);
    assert_eq!(
        path.strip_prefix(&root).unwrap(),
        Path::new("content/world/2026-03-04-council-approves-budget.md"),
        "the default new_story_path is :section/:year-:month-:day-:slug.md"
    );

    let text = fs::read_to_string(&path).unwrap();
    let fm = front_matter(&text);
    assert_eq!(fm["title"].as_str(), Some(HEADLINE), "{text}");
    let date = fm["date"].to_string();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&date).ok(),
        chrono::DateTime::parse_from_rfc3339(DATE).ok(),
        "date {date} is not {DATE}"
    );
    assert_eq!(fm["section"].as_str(), Some("world"), "{text}");
    assert_eq!(fm["draft"].as_bool(), Some(true), "{text}");
    for key in ["tags", "authors", "sources"] {
        assert!(
            fm.get(key).is_some_and(|v| v.is_array()),
            "no list `{key}`:\n{text}"
        );
    }
    for key in [
        "subtitle",
        "dateline",
        "image",
        "image_alt",
        "image_caption",
        "image_credit",
    ] {
        assert!(fm.contains_key(key), "no `{key}` field:\n{text}");
    }
    let body = &text[text.rfind("+++\n").unwrap() + 4..];
    assert!(!body.trim().is_empty(), "no body placeholder:\n{text}");

    build_drafts(&root);
    let page = root.join("public/world/2026/03/04/council-approves-budget/index.html");
    assert!(page.is_file(), "no story page at {}", page.display());
    let html = fs::read_to_string(page).unwrap();
    assert!(
        html.contains(HEADLINE),
        "the page does not carry the headline"
    );

    // Without --drafts the new story stays off the site.
    let r = run(&["build", "--root", s(&root)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !root
            .join("public/world/2026/03/04/council-approves-budget")
            .exists(),
        "a draft was published without --drafts"
    );
}

#[test]
fn new_without_date_is_now_and_builds_at_once() {
    let (_dir, root) = init_site();
    let r = new_story(&root, "Ferry strike ends", &[]);
    assert_eq!(r.code, 0, "new failed:\n{}", r.stderr);
    let path = printed_path(&root, &r);
    // NOW is 2026-06-01T00:00:00Z; init's site is in UTC; the default section is news.
    assert_eq!(
        path.strip_prefix(&root).unwrap(),
        Path::new("content/news/2026-06-01-ferry-strike-ends.md")
    );
    build_drafts(&root);
    assert!(
        root.join("public/news/2026/06/01/ferry-strike-ends/index.html")
            .is_file()
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let (_dir, root) = init_site();
    let r = new_story(&root, HEADLINE, &["--section", "world", "--date", DATE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = printed_path(&root, &r);
    // The editor has started writing.
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("\nThe council met until midnight.\n");
    fs::write(&path, &text).unwrap();

    let again = new_story(&root, HEADLINE, &["--section", "world", "--date", DATE]);
    assert_eq!(
        again.code, 1,
        "new overwrote or accepted an existing story\nstdout:\n{}\nstderr:\n{}",
        again.stdout, again.stderr
    );
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("content/world/2026-03-04-council-approves-budget.md"),
        "the error must name the file:\n{}",
        again.stderr
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text,
        "the existing story changed"
    );
}

#[test]
fn new_with_bangla_headline() {
    let (_dir, root) = init_site();
    let headline = "ঢাকায় নতুন সেতু চালু";
    let r = new_story(&root, headline, &["--date", DATE]);
    assert_eq!(r.code, 0, "new failed:\n{}", r.stderr);
    let path = printed_path(&root, &r);
    let name = path.file_name().unwrap().to_str().unwrap();
    let stem = name.strip_suffix(".md").expect("the file name ends in .md");
    assert!(
        stem.starts_with("2026-03-04-") && stem.len() > "2026-03-04-".len() + 3,
        "the file name should be the date and a readable slug: {name}"
    );
    assert!(
        stem.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "the file name must be Latin letters, digits and dashes: {name}"
    );
    assert!(!stem.contains("--") && !stem.ends_with('-'), "{name}");
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(front_matter(&text)["title"].as_str(), Some(headline));

    build_drafts(&root);
    // The story's page is at the slug of its file name.
    let slug = &stem["2026-03-04-".len()..];
    let page = root.join(format!("public/news/2026/03/04/{slug}/index.html"));
    assert!(page.is_file(), "no story page at {}", page.display());
    assert!(fs::read_to_string(page).unwrap().contains(headline));
}

#[test]
fn new_honours_new_story_path() {
    let (_dir, root) = init_site();
    let config = fs::read_to_string(root.join("config.toml")).unwrap();
    // Top-level keys must come before the first [table].
    let config = format!("new_story_path = \":section/:slug.md\"\n{config}");
    fs::write(root.join("config.toml"), config).unwrap();

    let r = new_story(&root, HEADLINE, &["--section", "world", "--date", DATE]);
    assert_eq!(r.code, 0, "new failed:\n{}", r.stderr);
    let path = printed_path(&root, &r);
    assert_eq!(
        path.strip_prefix(&root).unwrap(),
        Path::new("content/world/council-approves-budget.md")
    );
    build_drafts(&root);
    assert!(
        root.join("public/world/2026/03/04/council-approves-budget/index.html")
            .is_file()
    );
}

#[test]
fn new_rejects_a_bad_date() {
    let (_dir, root) = init_site();
    let before = tree(&root);
    let r = new_story(&root, HEADLINE, &["--date", "next tuesday"]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("--date"), "{}", r.stderr);
    assert!(r.stderr.contains("next tuesday"), "{}", r.stderr);
    assert!(r.stdout.trim().is_empty(), "{}", r.stdout);
    assert_eq!(tree(&root), before, "a failed new changed the site");
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

fn check(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--root", s(root)];
    args.extend_from_slice(extra);
    run(&args)
}

/// Copies the sample site of the repository (config, content, templates, static) into a
/// temporary folder, so that nothing can touch the repository.
fn sample_site() -> TempDir {
    fn copy(src: &Path, dst: &Path) {
        if src.is_dir() {
            fs::create_dir_all(dst).unwrap();
            for e in fs::read_dir(src).unwrap() {
                let e = e.unwrap();
                copy(&e.path(), &dst.join(e.file_name()));
            }
        } else {
            fs::copy(src, dst).unwrap();
        }
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for name in ["config.toml", "content", "templates", "static"] {
        copy(&repo.join(name), &dir.path().join(name));
    }
    dir
}

#[test]
fn check_passes_on_the_sample_site() {
    let site = sample_site();
    let before = tree(site.path());
    for extra in [&[][..], &["--drafts", "--future"][..]] {
        let r = check(site.path(), extra);
        assert_eq!(
            r.code, 0,
            "check {extra:?} failed on the sample site\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        assert!(r.stdout.contains("no errors"), "stdout:\n{}", r.stdout);
        // Warnings may come: this test's clock is months before the sample's newest stories.
        assert!(!r.stderr.contains("error:"), "stderr:\n{}", r.stderr);
    }
    assert_eq!(tree(site.path()), before, "check changed the sample site");
}

const CONFIG: &str = r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Asia/Dhaka"
"#;

const GOOD: &str = r#"+++
title = "Ferry terminal opens"
date = 2025-12-05T10:00:00+06:00
+++

The first launch eased against its berth at 6:12 on Monday evening.

## Why it matters

Forty thousand passengers a day now cross here.
"#;

fn site_with(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.toml", CONFIG);
    write(dir.path(), "content/news/ferry.md", GOOD);
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// One story with each link and image problem, one warning of each kind.
fn site_with_every_problem() -> TempDir {
    site_with(&[
        (
            "content/news/links.md",
            "+++\ntitle = \"Budget passes\"\ndate = 2025-12-04T10:00:00+06:00\nimage = \"/images/council.jpg\"\n+++\n\nThe budget passed.\n\nSee [the vote](/news/2025/11/20/vote/).\n\nAnd [why](@/news/ferry.md#nope).\n\n![Chart](/images/chart.png)\n",
        ),
        (
            "content/news/list.md",
            "+++\ntitle = \"Numbers\"\ndate = 2025-12-03T10:00:00+06:00\n+++\n\n- one\n- two\n",
        ),
        (
            "content/news/rain.md",
            "+++\ntitle = \"Rain\"\ndate = 2025-12-02T09:00:00+06:00\n+++\n\nIt rained.\n",
        ),
        (
            "content/world/rain.md",
            "+++\ntitle = \"Rain\"\ndate = 2025-12-02T20:00:00+06:00\n+++\n\nIt rained abroad.\n",
        ),
    ])
}

#[test]
fn check_reports_every_problem_at_once() {
    let site = site_with_every_problem();
    let before = tree(site.path());
    let r = check(site.path(), &[]);
    assert_eq!(r.code, 1, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    let err = &r.stderr;
    let expect = [
        // (message part, location)
        ("/news/2025/11/20/vote/", "content/news/links.md:9:"),
        ("nope", "content/news/links.md:11:"),
        ("/images/council.jpg", "content/news/links.md:4:"),
        ("/images/chart.png", "content/news/links.md:13:"),
        ("summary", "content/news/list.md:"),
    ];
    for (what, at) in expect {
        assert!(err.contains(what), "`{what}` is not reported:\n{err}");
        assert!(
            err.contains(&format!("--> {at}")),
            "nothing points at {at}:\n{err}"
        );
    }
    // The same-day slug warning names both files and points at one of them.
    assert!(
        err.contains("share the slug `rain`")
            && (err.contains("content/news/rain.md and content/world/rain.md")
                || err.contains("content/world/rain.md and content/news/rain.md")),
        "{err}"
    );
    assert!(
        err.contains("--> content/news/rain.md:") || err.contains("--> content/world/rain.md:"),
        "{err}"
    );
    for n in 1..=6 {
        assert!(
            err.contains(&format!("({n} of 6)")),
            "not numbered ({n} of 6):\n{err}"
        );
    }
    assert!(
        err.trim_end().ends_with("4 errors, 2 warnings"),
        "summary line:\n{err}"
    );
    assert_eq!(
        err.matches("\nwarning: ").count() + usize::from(err.starts_with("warning: ")),
        2,
        "{err}"
    );
    assert_eq!(tree(site.path()), before, "check wrote or changed files");
}

#[test]
fn check_with_only_warnings_exits_zero() {
    let site = site_with(&[
        (
            "content/news/list.md",
            "+++\ntitle = \"Numbers\"\ndate = 2025-12-03T10:00:00+06:00\n+++\n\n- one\n- two\n",
        ),
        (
            "content/news/rain.md",
            "+++\ntitle = \"Rain\"\ndate = 2025-12-02T09:00:00+06:00\n+++\n\nIt rained.\n",
        ),
        (
            "content/world/rain.md",
            "+++\ntitle = \"Rain\"\ndate = 2025-12-02T20:00:00+06:00\n+++\n\nIt rained abroad.\n",
        ),
    ]);
    let r = check(site.path(), &[]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no errors"), "{}", r.stdout);
    assert!(
        r.stderr.contains("warning: the story has no paragraph"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/news/list.md:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("share the slug `rain`"), "{}", r.stderr);
    assert!(
        r.stderr.trim_end().ends_with("0 errors, 2 warnings"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
}

#[test]
fn check_writes_nothing() {
    // A good site, a broken one, and a site that has been built before.
    for site in [site_with(&[]), site_with_every_problem()] {
        let before = tree(site.path());
        let _ = check(site.path(), &[]);
        let _ = check(site.path(), &["--drafts", "--future"]);
        assert!(
            !site.path().join("public").exists(),
            "check created public/"
        );
        assert_eq!(tree(site.path()), before, "check changed the site's files");
    }
    let site = site_with(&[]);
    let r = run(&["build", "--root", s(site.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    write(
        site.path(),
        "content/news/new.md",
        "+++\ntitle = \"New\"\ndate = 2025-12-06T10:00:00+06:00\n+++\n\nNews.\n",
    );
    let before = tree(site.path());
    let r = check(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        tree(site.path()),
        before,
        "check changed public/ or the site"
    );
}

#[test]
fn check_drafts_only_with_flag() {
    let site = site_with(&[(
        "content/news/draft.md",
        "+++\ntitle = \"Unfinished\"\ndate = 2025-12-04T10:00:00+06:00\ndraft = true\n+++\n\nSee [the vote](/news/2025/11/20/vote/).\n",
    )]);
    let r = check(site.path(), &[]);
    assert_eq!(
        r.code, 0,
        "a draft was checked without --drafts:\n{}",
        r.stderr
    );
    assert!(r.stdout.contains("no errors"), "{}", r.stdout);

    let r = check(site.path(), &["--drafts"]);
    assert_eq!(
        r.code, 1,
        "the draft's broken link was not found:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/news/draft.md:7:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("/news/2025/11/20/vote/"), "{}", r.stderr);
}

#[test]
fn check_future_only_with_flag() {
    // Dated after NOW: scheduled.
    let site = site_with(&[(
        "content/news/later.md",
        "+++\ntitle = \"Later\"\ndate = 2026-09-01T10:00:00+06:00\n+++\n\nSee [the vote](/news/2025/11/20/vote/).\n",
    )]);
    let r = check(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = check(site.path(), &["--future"]);
    assert_eq!(
        r.code, 1,
        "the scheduled story's broken link was not found:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--> content/news/later.md:6:"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_passes_on_a_new_site_and_a_new_story() {
    let (_dir, root) = init_site();
    let r = new_story(&root, HEADLINE, &["--section", "world", "--date", DATE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = check(&root, &["--drafts"]);
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no errors"), "{}", r.stdout);
}

#[test]
fn check_accepts_a_lead_image_beside_the_story() {
    // The help of the missing-image error says: "or put it beside the story and give its
    // file name". Doing so must pass check, and the pages must show the image.
    let site = site_with(&[(
        "content/news/budget.md",
        "+++\ntitle = \"Budget\"\ndate = 2025-12-04T10:00:00+06:00\nimage = \"council.jpg\"\nimage_alt = \"Councillors vote\"\n+++\n\nThe budget passed.\n",
    )]);
    // A real JPEG, so the image size can be read.
    let jpeg = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/images/ferry-terminal.jpg");
    fs::copy(jpeg, site.path().join("content/news/council.jpg")).unwrap();
    let r = check(site.path(), &[]);
    assert_eq!(
        r.code, 0,
        "an image beside the story is reported\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
}

#[test]
fn new_refuses_a_section_config_does_not_list_and_names_the_nearest() {
    let (_dir, root) = init_site();
    let r = run(&[
        "new",
        "Cup final",
        "--section",
        "Opinon",
        "--root",
        s(&root),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the section `opinon` is not one of the sections config.toml lists"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean --section opinion?"),
        "{}",
        r.stderr
    );
    assert!(
        !root.join("content/opinon").exists(),
        "new wrote into a section that does not exist"
    );
}
