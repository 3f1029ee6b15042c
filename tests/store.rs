//! The build store in `.broadsheet-cache/`: builds that reuse it equal clean builds; a
//! damaged store is set aside with a notice and the build is a full, correct one; after a
//! build killed part-way the next build is correct; two builds of one site at once both
//! finish with a correct site.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

const NOW: &str = "1767225600"; // 2026-01-01T00:00:00Z

fn write(root: &Path, rel: &str, text: &str) {
    write_bytes(root, rel, text.as_bytes());
}

fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

/// The head of a PNG file of `width` × `height`: all that is read of it for its size.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(width.to_be_bytes());
    b.extend(height.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b
}

/// Dates every site file a minute back: files saved moments before a build are read again
/// whatever their stamps say, and these tests are about the store being used.
fn age(root: &Path) {
    let then = SystemTime::now() - Duration::from_secs(60);
    for f in files(root).keys() {
        if !f.starts_with(".broadsheet-cache") {
            let file = fs::File::options().write(true).open(root.join(f)).unwrap();
            file.set_modified(then).unwrap();
        }
    }
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                if rel != ".broadsheet-output" {
                    out.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
    }
    out
}

/// A site of `n` stories in three sections, linking to each other with `@/` links.
fn site(n: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");
    write(
        &root,
        "config.toml",
        "title = \"The Harbour Bell\"\nbase_url = \"https://bell.example\"\ntimezone = \"Asia/Dhaka\"\npaginate = 5\n",
    );
    for i in 0..n {
        write(
            &root,
            &story_path(i),
            &story(i, &format!("Story number {i}")),
        );
    }
    age(&root);
    (dir, root, out)
}

fn story_path(i: usize) -> String {
    let section = ["harbour", "council", "schools"][i % 3];
    format!("content/{section}/s{i}.md")
}

fn story(i: usize, title: &str) -> String {
    let link = if i > 0 {
        format!(
            " See also [the earlier one](@/{}).",
            &story_path(i - 1)["content/".len()..]
        )
    } else {
        String::new()
    };
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2025-{:02}-{:02}T09:00:00+06:00\ntags = [\"Tides\", \"Week {}\"]\nauthors = [\"Desk {}\"]\n+++\nThe ferry schedule changed again on the quay.{link}\n\nA second paragraph about the tides.\n",
        1 + i % 12,
        1 + i % 28,
        i % 5,
        i % 4,
    )
}

fn build(root: &Path, out: &Path) -> (String, String) {
    let (status, stdout, stderr) = common::build_at(root, out, NOW, &[]);
    assert!(status.success(), "build failed:\n{stderr}");
    (stdout, stderr)
}

/// Builds a copy of the site with no cache into a new folder and compares.
fn assert_equals_clean(root: &Path, out: &Path, step: &str) {
    let clean = tempfile::tempdir().unwrap();
    let (croot, cout) = (clean.path().join("site"), clean.path().join("out"));
    for (rel, bytes) in files(root) {
        if !rel.starts_with(".broadsheet-cache") {
            write_bytes(&croot, &rel, &bytes);
        }
    }
    build(&croot, &cout);
    let (a, b) = (files(out), files(&cout));
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "after {step}: differs from a clean build: {differ:?}"
    );
}

fn store_file(root: &Path) -> PathBuf {
    root.join(".broadsheet-cache/store.redb")
}

#[test]
fn builds_from_the_store_equal_clean_builds() {
    let (_dir, root, out) = site(30);
    build(&root, &out);
    assert!(store_file(&root).is_file(), "the first build made no store");
    // A retitled story others link to: its linkers come from the store but must follow it.
    write(&root, &story_path(7), &story(7, "A new headline for seven"));
    age(&root);
    let (_, stderr) = build(&root, &out);
    assert!(!stderr.contains("note:"), "unexpected notice:\n{stderr}");
    assert_equals_clean(&root, &out, "retitling a linked story");
    fs::remove_file(root.join(story_path(12))).unwrap();
    let unlinked =
        story(13, "Story number 13").replace(" See also [the earlier one](@/harbour/s12.md).", "");
    write(&root, &story_path(13), &unlinked);
    age(&root);
    build(&root, &out);
    assert_equals_clean(&root, &out, "deleting a story");
}

#[test]
fn a_lead_image_replaced_by_one_of_another_size_is_measured_again() {
    let (_dir, root, out) = site(6);
    let with_image = story(3, "Story number 3").replacen("+++\n", "+++\nimage = \"quay.png\"\n", 1);
    write(&root, &story_path(3), &with_image);
    let image = root.join(story_path(3)).with_file_name("quay.png");
    fs::write(&image, png(640, 360)).unwrap();
    age(&root);
    build(&root, &out);
    let page = |out: &Path| {
        let found = files(out)
            .into_iter()
            .find(|(rel, bytes)| {
                rel.ends_with("index.html")
                    && String::from_utf8_lossy(bytes).contains("<h1")
                    && String::from_utf8_lossy(bytes).contains("Story number 3</h1>")
            })
            .expect("story 3's page");
        String::from_utf8(found.1).unwrap()
    };
    assert!(page(&out).contains("width=\"640\""), "{}", page(&out));
    // Same name, new size, and a different time: the size is read again, not taken from the store.
    fs::write(&image, png(1200, 900)).unwrap();
    let file = fs::File::options().write(true).open(&image).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(30))
        .unwrap();
    build(&root, &out);
    assert!(page(&out).contains("width=\"1200\""), "{}", page(&out));
    assert_equals_clean(&root, &out, "replacing a lead image");
}

#[test]
fn a_damaged_store_is_set_aside_with_a_notice() {
    for damage in ["truncated", "garbage", "empty"] {
        let (_dir, root, out) = site(12);
        build(&root, &out);
        let store = store_file(&root);
        let bytes = fs::read(&store).unwrap();
        let damaged: Vec<u8> = match damage {
            "truncated" => bytes[..bytes.len() / 3].to_vec(),
            "garbage" => (0..bytes.len()).map(|i| (i * 7919 % 251) as u8).collect(),
            _ => Vec::new(),
        };
        fs::write(&store, damaged).unwrap();
        write(&root, &story_path(3), &story(3, "Three, edited"));
        age(&root);
        let (_, stderr) = build(&root, &out);
        if damage != "empty" {
            assert!(
                stderr.contains("note: the build cache") && stderr.lines().count() == 1,
                "{damage}: expected a one-line notice, got:\n{stderr}"
            );
        }
        assert_equals_clean(&root, &out, damage);
        // The store made anew is used by the next build, quietly.
        write(&root, &story_path(4), &story(4, "Four, edited"));
        age(&root);
        let (_, stderr) = build(&root, &out);
        assert!(stderr.is_empty(), "{damage}: second build said:\n{stderr}");
        assert_equals_clean(&root, &out, &format!("{damage}, then an edit"));
    }
}

#[test]
fn after_a_build_killed_part_way_the_next_build_is_correct() {
    let (_dir, root, out) = site(600);
    build(&root, &out);
    for (round, wait_ms) in [30u64, 150, 300].into_iter().enumerate() {
        for i in 0..600 {
            if i % 50 == round {
                write(
                    &root,
                    &story_path(i),
                    &story(i, &format!("Round {round} story {i}")),
                );
            }
        }
        age(&root);
        let mut child = Command::new(common::bin())
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", NOW)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        let _ = child.kill();
        child.wait().unwrap();
        // Whatever the moment, the output is still a site broadsheet owns and the store
        // still opens: the next build neither refuses the folder nor sets the store aside.
        assert!(out.join(".broadsheet-output").is_file(), "round {round}");
        let (_, stderr) = build(&root, &out);
        assert!(!stderr.contains("note:"), "round {round}: {stderr}");
        assert_equals_clean(&root, &out, &format!("a build killed after {wait_ms} ms"));
    }
}

#[test]
fn two_builds_at_once_both_finish_with_a_correct_site() {
    let (_dir, root, out) = site(300);
    build(&root, &out);
    write(&root, &story_path(5), &story(5, "Five, edited twice over"));
    age(&root);
    let start = |out: &Path| {
        Command::new(common::bin())
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(out)
            .env("SOURCE_DATE_EPOCH", NOW)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    let (a, b) = (start(&out), start(&out));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(started.elapsed() < Duration::from_secs(60));
    for o in [&a, &b] {
        assert!(
            o.status.success(),
            "a build failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_equals_clean(&root, &out, "two builds at once");
    // And the store they shared still serves a later build.
    let (_, stderr) = build(&root, &out);
    assert!(
        !stderr.contains("note:"),
        "the store was damaged:\n{stderr}"
    );
}
