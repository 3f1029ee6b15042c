//! Incremental builds: a build over an earlier one writes only the files whose bytes change,
//! and its output always equals a clean build of the same site.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const NOW: &str = "1767225600"; // 2026-01-01T00:00:00Z

fn build(root: &Path, out: &Path) -> String {
    build_at(root, out, NOW, &[])
}

/// Every file under `dir` (but the marker) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel != ".broadsheet-output" {
            files.insert(rel, fs::read(&e).unwrap());
        }
    }
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Empty folders too: a clean build has none.
fn folders(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            out.extend(
                folders(&p)
                    .into_iter()
                    .map(|f| format!("{}/{f}", p.file_name().unwrap().to_string_lossy())),
            );
        }
    }
    out.sort();
    out
}

fn assert_equals_clean(site: &Path, incremental: &Path, step: &str) {
    let clean = tempfile::tempdir().unwrap();
    let clean_out = clean.path().join("out");
    build(site, &clean_out);
    let (a, b) = (tree(incremental), tree(&clean_out));
    let only_inc: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_clean: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let differ: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_inc.is_empty() && only_clean.is_empty() && differ.is_empty(),
        "after {step}: only in the incremental output {only_inc:?}, only in the clean one {only_clean:?}, different {differ:?}"
    );
    assert_eq!(
        folders(incremental),
        folders(&clean_out),
        "after {step}: folders differ"
    );
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn story(title: &str, date: &str, tags: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [{tags}]\nauthors = [\"Desk\"]\n+++\n{body}\n"
    )
}

/// A site of one story, "Alpha", published at `date`, and where its output goes.
fn one_story_site(date: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = dir.path().join("out");
    write(
        &site,
        "config.toml",
        "title = \"T\"\nbase_url = \"https://e.com\"\n",
    );
    write(
        &site,
        "content/world/a.md",
        &story("Alpha", date, "", "Alpha."),
    );
    (dir, site, out)
}

/// One edit of the site.
type Change = dyn Fn(&Path);

fn changed(stdout: &str) -> usize {
    let at = stdout.find('(').expect("summary counts changed files");
    stdout[at + 1..].split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn edits_give_the_same_output_as_a_clean_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = dir.path().join("out");
    write(
        &site,
        "config.toml",
        "title = \"T\"\nbase_url = \"https://e.com\"\ntimezone = \"Asia/Dhaka\"\npaginate = 2\n",
    );
    write(
        &site,
        "content/world/a.md",
        &story(
            "Alpha",
            "2025-12-01T10:00:00+06:00",
            "\"Rivers\"",
            "Alpha text.",
        ),
    );
    write(
        &site,
        "content/world/b.md",
        &story(
            "Beta",
            "2025-12-02T10:00:00+06:00",
            "\"Rivers\", \"Roads\"",
            "Beta text.",
        ),
    );
    write(
        &site,
        "content/news/c.md",
        &story(
            "Gamma",
            "2025-12-03T10:00:00+06:00",
            "\"Roads\"",
            "Gamma text.",
        ),
    );
    write(&site, "static/logo.txt", "logo");
    let first = build(&site, &out);
    assert!(changed(&first) > 10, "{first}");

    // Nothing changed: nothing written, file times untouched.
    let before: Vec<_> = walk(&out)
        .iter()
        .map(|p| (p.clone(), fs::metadata(p).unwrap().modified().unwrap()))
        .collect();
    let again = build(&site, &out);
    assert_eq!(changed(&again), 0, "{again}");
    for (p, t) in before {
        assert_eq!(
            fs::metadata(&p).unwrap().modified().unwrap(),
            t,
            "{} was rewritten",
            p.display()
        );
    }

    // A body edit rewrites the story page and the feeds that carry its full text; its
    // summary, and so every listing, is unchanged.
    let times = |out: &Path| -> BTreeMap<String, std::time::SystemTime> {
        walk(out)
            .iter()
            .map(|p| {
                (
                    p.strip_prefix(out).unwrap().to_string_lossy().into_owned(),
                    fs::metadata(p).unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = times(&out);
    write(
        &site,
        "content/world/a.md",
        &story(
            "Alpha",
            "2025-12-01T10:00:00+06:00",
            "\"Rivers\"",
            "Alpha text.\n\nA second paragraph.",
        ),
    );
    let edit = build(&site, &out);
    let after = times(&out);
    let rewritten: Vec<&String> = after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        rewritten,
        [
            "rss.xml",
            "tags/rivers/rss.xml",
            "world/2025/12/01/alpha/index.html",
            "world/rss.xml"
        ],
        "{edit}"
    );
    assert_eq!(changed(&edit), 4, "{edit}");
    assert_equals_clean(&site, &out, "a body edit");

    let steps: &[(&str, &Change)] = &[
        ("a headline edit", &|s| {
            write(
                s,
                "content/world/a.md",
                &story(
                    "Alpha renamed",
                    "2025-12-01T10:00:00+06:00",
                    "\"Rivers\"",
                    "Alpha text.",
                ),
            )
        }),
        ("a new story", &|s| {
            write(
                s,
                "content/news/d.md",
                &story(
                    "Delta",
                    "2025-12-04T09:00:00+06:00",
                    "\"Rivers\"",
                    "Delta text.",
                ),
            )
        }),
        ("a date change across months", &|s| {
            write(
                s,
                "content/world/b.md",
                &story(
                    "Beta",
                    "2025-11-20T10:00:00+06:00",
                    "\"Roads\"",
                    "Beta text.",
                ),
            )
        }),
        ("a deleted story", &|s| {
            fs::remove_file(s.join("content/news/c.md")).unwrap()
        }),
        ("a renamed file", &|s| {
            fs::rename(s.join("content/news/d.md"), s.join("content/world/d.md")).unwrap()
        }),
        ("a static change", &|s| {
            write(s, "static/logo.txt", "new logo")
        }),
        ("a removed static file", &|s| {
            fs::remove_file(s.join("static/logo.txt")).unwrap()
        }),
        ("a template override", &|s| {
            write(
                s,
                "templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock %}",
            )
        }),
        ("a config change", &|s| {
            write(
                s,
                "config.toml",
                "title = \"T2\"\nbase_url = \"https://e.com\"\ntimezone = \"Asia/Dhaka\"\npaginate = 1\n",
            )
        }),
    ];
    for (step, change) in steps {
        change(&site);
        build(&site, &out);
        assert_equals_clean(&site, &out, step);
    }
}

#[test]
fn a_failed_build_over_an_incremental_one_leaves_it_untouched() {
    let (dir, site, out) = one_story_site("2025-12-01T10:00:00Z");
    build(&site, &out);
    write(
        &site,
        "content/world/a.md",
        &story("Alpha edited", "2025-12-01T10:00:00Z", "", "Alpha."),
    );
    write(&site, "content/world/b.md", "+++\ntitle = \"Broken\"\n");
    let before = tree(&out);
    let (status, _, stderr) = common::run_env(
        &[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(
        tree(&out),
        before,
        "the output changed although the build failed"
    );
    let beside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside.len(), 2, "a staging folder was left: {beside:?}");
}

#[test]
fn deleting_the_cache_gives_a_full_build() {
    let (_dir, site, out) = one_story_site("2025-12-01T10:00:00Z");
    build(&site, &out);
    assert!(site.join(".broadsheet-cache").is_dir());
    fs::remove_dir_all(site.join(".broadsheet-cache")).unwrap();
    let full = build(&site, &out);
    assert!(changed(&full) > 5, "{full}");
    assert_equals_clean(&site, &out, "deleting the cache");
}

fn build_at(root: &Path, out: &Path, now: &str, extra: &[&str]) -> String {
    let (status, stdout, stderr) = common::build_at(root, out, now, extra);
    assert!(status.success(), "build failed:\n{stderr}");
    stdout
}

/// Dates every file of the site a minute back, as if no editor had just saved one: files
/// saved moments before a build are never trusted by their times alone.
fn age(root: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for f in walk(root) {
        if f.components().any(|c| c.as_os_str() == ".broadsheet-cache") {
            continue;
        }
        let file = fs::File::options().write(true).open(&f).unwrap();
        file.set_modified(then).unwrap();
    }
}

fn write_aged(root: &Path, rel: &str, text: &str) {
    write(root, rel, text);
    age(root);
}

fn out_file(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_default()
}

#[test]
fn a_build_with_nothing_changed_stops_early_but_notices_what_matters() {
    let (_dir, site, out) = one_story_site("2025-12-31T10:00:00Z");
    let jan1 = "1767225600"; // 2026-01-01T00:00:00Z
    write(
        &site,
        "content/world/b.md",
        &story("Bravo", "2026-01-02T06:00:00Z", "", "Bravo is scheduled."),
    );
    write(
        &site,
        "content/world/c.md",
        "+++\ntitle = \"Charlie\"\ndate = 2025-12-30\ndraft = true\n+++\nA draft.\n",
    );
    age(&site);
    build_at(&site, &out, jan1, &[]);
    let again = build_at(&site, &out, jan1, &[]);
    assert_eq!(changed(&again), 0, "{again}");
    assert!(
        fs::read_dir(site.join(".broadsheet-cache"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("inputs-")),
        "the inputs were recorded"
    );

    // The early stop trusts sizes and times: a same-size edit with its time put back is
    // not seen. That it is not seen shows the stop happened.
    let a = site.join("content/world/a.md");
    let before = fs::metadata(&a).unwrap().modified().unwrap();
    fs::write(&a, story("Alphx", "2025-12-31T10:00:00Z", "", "Alpha.")).unwrap();
    fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(before)
        .unwrap();
    build_at(&site, &out, jan1, &[]);
    assert!(out_file(&out, "index.html").contains("Alpha<"));
    // Saves Alpha's file with an old time, then builds.
    let save_alpha = |title: &str, body: &str| {
        write_aged(
            &site,
            "content/world/a.md",
            &story(title, "2025-12-31T10:00:00Z", "", body),
        );
        build_at(&site, &out, jan1, &[]);
    };
    // Put it right again, with a time of its own.
    save_alpha("Alpha", "Alpha.");

    // A file removed from the output comes back.
    fs::remove_file(out.join("world/index.html")).unwrap();
    let restored = build_at(&site, &out, jan1, &[]);
    assert_eq!(changed(&restored), 1, "{restored}");
    assert!(out_file(&out, "world/index.html").contains("Alpha"));

    // A file edited, even with an old time, is seen by its size.
    save_alpha("Alpha edited", "Alpha, longer.");
    assert!(out_file(&out, "index.html").contains("Alpha edited"));

    // Other options are another build.
    build_at(&site, &out, jan1, &["--drafts"]);
    assert!(out_file(&out, "index.html").contains("Charlie"));
    build_at(&site, &out, jan1, &[]);
    assert!(!out_file(&out, "index.html").contains("Charlie"));

    // The clock alone: the scheduled story comes out, and the news sitemap moves on.
    assert!(!out_file(&out, "index.html").contains("Bravo"));
    assert!(out_file(&out, "news-sitemap.xml").contains("Alpha"));
    let jan2_noon = "1767355200"; // 2026-01-02T12:00:00Z
    build_at(&site, &out, jan2_noon, &[]);
    assert!(out_file(&out, "index.html").contains("Bravo"));
    let jan3_noon = "1767441600"; // 2026-01-03T12:00:00Z, more than two days after Alpha
    build_at(&site, &out, jan3_noon, &[]);
    let news = out_file(&out, "news-sitemap.xml");
    assert!(!news.contains("Alpha") && news.contains("Bravo"), "{news}");
}
