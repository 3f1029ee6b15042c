//! Output trees, clean builds, and a readable account of how two trees differ.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::site::NOW_TEXT;

/// Every file (but the build's marker) with its bytes, and every folder.
#[derive(Default)]
pub struct Tree {
    pub files: BTreeMap<String, Vec<u8>>,
    pub dirs: BTreeSet<String>,
}

pub fn tree(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, t: &mut Tree) {
        for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let p = e.expect("a folder entry").path();
            let rel = p
                .strip_prefix(base)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                t.dirs.insert(rel);
                walk(base, &p, t);
            } else if rel != ".broadsheet-output" {
                t.files
                    .insert(rel, fs::read(&p).expect("read an output file"));
            }
        }
    }
    let mut t = Tree::default();
    walk(dir, dir, &mut t);
    t
}

/// Runs `broadsheet build` at the fixed time; Err(stderr) when it fails.
pub fn build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<String, String> {
    let flags: Vec<&str> = base_url.map(|u| vec!["--base-url", u]).unwrap_or_default();
    let (status, stdout, stderr) = super::common::build_at(root, out, NOW_TEXT, &flags);
    if status.success() {
        Ok(stdout)
    } else {
        Err(format!("{stdout}{stderr}"))
    }
}

/// A clean build of `root`'s current inputs into `out`, a folder that does not exist yet.
///
/// The cache in `SITE/.broadsheet-cache/` is kept per output folder (by its absolute path),
/// and both the early stop and the reuse of earlier files also need the output folder's
/// `.broadsheet-output` marker. A folder that does not exist yet has no marker and no cache
/// entry of its own, so building into a fresh one renders and writes every file: a true
/// clean build, which the summary's "N of N files changed" confirms.
pub fn clean_build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<Tree, String> {
    assert!(!out.exists(), "{} is not a fresh folder", out.display());
    let summary = build(root, out, base_url)?;
    let t = tree(out);
    let expect = format!("({n} of {n} files changed)", n = t.files.len());
    assert!(
        summary.contains(&expect),
        "the clean build was not a full one: {summary}"
    );
    Ok(t)
}

/// How `actual` differs from the clean build `clean`, with an excerpt of up to `excerpts`
/// differing files; None when it does not differ.
pub fn differences(clean: &Tree, actual: &Tree, name: &str, excerpts: usize) -> Option<String> {
    let only_clean: Vec<&String> = clean
        .files
        .keys()
        .filter(|k| !actual.files.contains_key(*k))
        .collect();
    let only_actual: Vec<&String> = actual
        .files
        .keys()
        .filter(|k| !clean.files.contains_key(*k))
        .collect();
    let differ: Vec<&String> = clean
        .files
        .iter()
        .filter(|(k, v)| actual.files.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    let dirs_clean: Vec<&String> = clean.dirs.difference(&actual.dirs).collect();
    let dirs_actual: Vec<&String> = actual.dirs.difference(&clean.dirs).collect();
    let mut report = String::new();
    let mut part = |what: &str, xs: &[&String]| {
        if !xs.is_empty() {
            report.push_str(&format!("  {what} ({}): {}\n", xs.len(), short_list(xs)));
        }
    };
    part(&format!("different bytes in the {name} output"), &differ);
    part(&format!("only in the {name} output"), &only_actual);
    part("only in the clean build", &only_clean);
    part(&format!("folders only in the {name} output"), &dirs_actual);
    part("folders only in the clean build", &dirs_clean);
    if report.is_empty() {
        return None;
    }
    for path in differ.iter().take(excerpts) {
        report.push_str(&excerpt(
            path,
            &clean.files[*path],
            &actual.files[*path],
            name,
        ));
    }
    Some(report)
}

fn short_list(xs: &[&String]) -> String {
    let mut s: Vec<&str> = xs.iter().take(25).map(|x| x.as_str()).collect();
    if xs.len() > 25 {
        s.push("...");
    }
    s.join(", ")
}

/// The first differing line of `path` in both versions, with the line before it, cut to
/// a window around the first differing character.
pub fn excerpt(path: &str, clean: &[u8], actual: &[u8], name: &str) -> String {
    let (a, b) = (
        String::from_utf8_lossy(clean),
        String::from_utf8_lossy(actual),
    );
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let n = (0..la.len().max(lb.len()))
        .find(|&i| la.get(i) != lb.get(i))
        .unwrap_or(0);
    let (x, y) = (
        la.get(n).copied().unwrap_or("<end of file>"),
        lb.get(n).copied().unwrap_or("<end of file>"),
    );
    let col = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
    let start = col.saturating_sub(100);
    let cut = |l: &str| -> String {
        let mut s: String = l.chars().skip(start).take(220).collect();
        if start > 0 {
            s.insert_str(0, "...");
        }
        if l.chars().count() > start + 220 {
            s.push_str("...");
        }
        s
    };
    let mut s = format!("  first difference in {path}, line {}:\n", n + 1);
    s.push_str(&format!("    --- clean build\n    +++ {name}\n"));
    if n > 0 && start == 0 {
        s.push_str(&format!("       {}\n", cut(la[n - 1])));
    }
    s.push_str(&format!("    -  {}\n    +  {}\n", cut(x), cut(y)));
    s
}
