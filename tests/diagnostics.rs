//! Snapshot tests of the exact text of every diagnostic broadsheet prints.
//!
//! Each test makes a small broken site in a temporary folder (one problem per site), runs
//! `build` or `check` on it, and compares stderr with `tests/snapshots/<name>.txt`. Paths in
//! diagnostics are relative to the site, so the text is the same on every machine.
//!
//! To refresh the snapshots after a deliberate change of wording:
//!
//!     UPDATE_SNAPSHOTS=1 cargo test --test diagnostics
//!
//! then read every changed file in `tests/snapshots/` (git diff) before committing: each one is
//! what an editor sees.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

/// 2026-01-01T00:00:00Z: every story below is in the past.
const NOW: &str = "1767225600";

const CONFIG: &str = r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Asia/Dhaka"
"#;

/// A story with nothing wrong, for sites that need one beside the broken file.
const GOOD_STORY: &str = r#"+++
title = "Ferry terminal opens"
date = 2025-12-05T10:00:00+06:00
tags = ["Rivers"]
authors = ["Staff Correspondent"]
+++

The first launch to use the new terminal eased against its berth at 6:12 on Monday evening.

## Why it matters

Forty thousand passengers a day now cross here.
"#;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

struct Site {
    dir: TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Site {
    /// config.toml only.
    fn empty() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("config.toml", CONFIG);
        site
    }

    /// config.toml and content/news/ferry-terminal-opens.md, which builds.
    fn new() -> Site {
        let site = Site::empty();
        site.write("content/news/ferry-terminal-opens.md", GOOD_STORY);
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap();
        all.extend(["--root", root]);
        let mut vars = vec![("SOURCE_DATE_EPOCH", NOW)];
        vars.extend_from_slice(env);
        let (status, stdout, stderr) = common::run_env(&all, &vars);
        let r = Run {
            code: status.code().unwrap_or(-1),
            // Should a message ever name the temporary folder, keep snapshots stable.
            stdout: stdout.replace(root, "$SITE"),
            stderr: stderr.replace(root, "$SITE"),
        };
        assert!(
            !r.stderr.contains("panicked") && !r.stdout.contains("panicked"),
            "broadsheet panicked:\n{}",
            r.stderr
        );
        r
    }

    /// `build` with NO_COLOR, expected to fail; returns stderr.
    fn build_fails(&self) -> String {
        let r = self.run(&["build"], &[("NO_COLOR", "1")]);
        assert_eq!(
            r.code, 1,
            "the build must fail with status 1\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        assert!(
            !self.root().join("public").exists(),
            "a failed build wrote public/"
        );
        r.stderr
    }

    /// `check` with NO_COLOR and extra arguments, expecting exit status `code`.
    fn check(&self, extra: &[&str], code: i32) -> Run {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        let r = self.run(&args, &[("NO_COLOR", "1")]);
        assert_eq!(
            r.code, code,
            "check exited with {} instead of {code}\nstdout:\n{}\nstderr:\n{}",
            r.code, r.stdout, r.stderr
        );
        assert!(!self.root().join("public").exists(), "check wrote public/");
        r
    }
}

fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots")
        .join(format!("{name}.txt"))
}

/// Compares `actual` with `tests/snapshots/<name>.txt`, or writes that file when
/// `UPDATE_SNAPSHOTS=1`.
fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the snapshot {}: {e}\nrun with UPDATE_SNAPSHOTS=1 to create it; the output was:\n{actual}",
            path.display()
        )
    });
    if expected != actual {
        let first_diff = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "stderr differs from the snapshot {} (first difference on line {})\n\
             ---- expected ----\n{expected}\n---- actual ----\n{actual}\n------------------\n\
             if the change is deliberate, run with UPDATE_SNAPSHOTS=1 and read the new file",
            path.display(),
            first_diff + 1
        );
    }
}

/// Runs `build` on the site, expects failure and compares stderr with the snapshot. Then runs
/// `check`, which must report exactly the same (the same rendering for both commands).
fn build_snapshot(site: &Site, name: &str) -> String {
    let stderr = site.build_fails();
    assert_snapshot(name, &stderr);
    let check = site.check(&[], 1);
    assert_eq!(
        check.stderr, stderr,
        "check and build render the same problems differently"
    );
    stderr
}

// ---------------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------------

#[test]
fn unclosed_toml_front_matter() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "unclosed_toml_front_matter");
}

#[test]
fn unclosed_yaml_front_matter() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "---\ntitle: Council approves budget\ndate: 2025-12-04 10:00\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "unclosed_yaml_front_matter");
}

#[test]
fn invalid_toml_syntax() {
    // The most common slip: text without quotes.
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
subtitle = Spending on roads doubles
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "invalid_toml_syntax");
}

#[test]
fn invalid_toml_unclosed_quote() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "invalid_toml_unclosed_quote");
}

#[test]
fn invalid_yaml_syntax() {
    // A colon inside an unquoted headline.
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "---\ntitle: Budget: council approves spending\ndate: 2025-12-04 10:00\n---\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "invalid_yaml_syntax");
}

#[test]
fn missing_title() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
date = 2025-12-04T10:00:00+06:00
tags = ["Budget"]
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "missing_title");
}

#[test]
fn missing_date() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "---\ntitle: Council approves budget\ntags: [Budget]\n---\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "missing_date");
}

#[test]
fn wrong_type_toml() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
tags = "Budget"
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "wrong_type_toml");
}

#[test]
fn wrong_type_yaml() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "---\ntitle: Council approves budget\ndate: 2025-12-04 10:00\nfeatured: yes please\n---\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "wrong_type_yaml");
}

#[test]
fn unparseable_date() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = "December 4, 2025"
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "unparseable_date");
}

#[test]
fn unknown_front_matter_key() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
autors = ["Farhana Akter"]
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "unknown_front_matter_key");
}

#[test]
fn non_utf8_story() {
    // "café" saved as Latin-1: the é is the single byte 0xE9, on line 6, column 16.
    let site = Site::new();
    let mut bytes = b"+++\ntitle = \"Council approves budget\"\ndate = 2025-12-04T10:00:00+06:00\n+++\n\nThe council caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b" reopened on Thursday.\n");
    site.write("content/news/budget.md", bytes);
    build_snapshot(&site, "non_utf8_story");
}

#[test]
fn invalid_yaml_unclosed_quote() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "---\ntitle: \"Council approves budget\ndate: 2025-12-04 10:00\n---\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "invalid_yaml_unclosed_quote");
}

#[test]
fn toml_duplicate_key() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
title = "Council passes budget"
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "toml_duplicate_key");
}

#[test]
fn impossible_date() {
    // A TOML date, so the TOML reader rejects it before broadsheet sees it.
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-02-30
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "impossible_date");
}

#[test]
fn unknown_front_matter_key_without_suggestion() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
location = "Town hall"
+++

The council approved the budget on Thursday.
"#,
    );
    build_snapshot(&site, "unknown_front_matter_key_without_suggestion");
}

#[test]
fn no_front_matter() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "Council approves budget\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "no_front_matter");
}

#[test]
fn empty_title() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        "+++\ntitle = \"\"\ndate = 2025-12-04T10:00:00+06:00\n+++\n\nThe council approved the budget on Thursday.\n",
    );
    build_snapshot(&site, "empty_title");
}

// ---------------------------------------------------------------------------------------------
// The site as a whole
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_url() {
    let site = Site::new();
    let story = r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.
"#;
    site.write("content/news/budget.md", story);
    site.write("content/news/budget-copy.md", story);
    build_snapshot(&site, "duplicate_url");
}

#[test]
fn static_file_collides_with_page() {
    let site = Site::new();
    site.write("static/robots.txt", "User-agent: *\nDisallow:\n");
    build_snapshot(&site, "static_file_collides_with_page");
}

#[test]
fn template_syntax_error() {
    let site = Site::new();
    site.write(
        "templates/article.html",
        r#"{% extends "base.html" %}
{% block content %}
<article>
  <h1>{{ story.title }}</h1>
  {% if story.subtitle %}<p class="deck">{{ story.subtitle }}</p>
  {{ story.content }}
</article>
{% endblock content %}
"#,
    );
    build_snapshot(&site, "template_syntax_error");
}

#[test]
fn template_unknown_variable() {
    let site = Site::new();
    site.write(
        "templates/article.html",
        r#"{% extends "base.html" %}
{% block content %}
<article>
  <h1>{{ story.title }}</h1>
  <p class="byline">{{ story.byline }}</p>
  {{ story.content }}
</article>
{% endblock content %}
"#,
    );
    let stderr = build_snapshot(&site, "template_unknown_variable");
    // The brief: the template, the line and the story being rendered.
    assert!(stderr.contains("templates/article.html:5:"), "{stderr}");
    assert!(
        stderr.contains("content/news/ferry-terminal-opens.md"),
        "{stderr}"
    );
}

#[test]
fn template_syntax_error_unclosed_variable() {
    let site = Site::new();
    site.write(
        "templates/partials/story_card.html",
        "<article class=\"card\">\n  <h2><a href=\"{{ story.url }}\">{{ story.title </a></h2>\n</article>\n",
    );
    build_snapshot(&site, "template_syntax_error_unclosed_variable");
}

#[test]
fn template_unknown_variable_in_listing() {
    let site = Site::new();
    site.write(
        "templates/index.html",
        r#"{% extends "base.html" %}
{% block content %}
{% for story in stories %}
  <h2>{{ story.headline }}</h2>
{% endfor %}
{% endblock content %}
"#,
    );
    build_snapshot(&site, "template_unknown_variable_in_listing");
}

// ---------------------------------------------------------------------------------------------
// config.toml
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_config_key() {
    let site = Site::new();
    site.write(
        "config.toml",
        r#"title = "The Test Gazette"
base_url = "https://example.com"
time_zone = "Asia/Dhaka"
"#,
    );
    build_snapshot(&site, "unknown_config_key");
}

#[test]
fn config_wrong_type() {
    let site = Site::new();
    site.write(
        "config.toml",
        r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Asia/Dhaka"
paginate = "twenty"
"#,
    );
    build_snapshot(&site, "config_wrong_type");
}

#[test]
fn bad_timezone() {
    let site = Site::new();
    site.write(
        "config.toml",
        r#"title = "The Test Gazette"
base_url = "https://example.com"
timezone = "Dhaka"
"#,
    );
    build_snapshot(&site, "bad_timezone");
}

#[test]
fn config_missing_title() {
    let site = Site::new();
    site.write(
        "config.toml",
        "base_url = \"https://example.com\"\ntimezone = \"Asia/Dhaka\"\n",
    );
    build_snapshot(&site, "config_missing_title");
}

#[test]
fn config_invalid_syntax() {
    let site = Site::new();
    site.write(
        "config.toml",
        "title = The Test Gazette\nbase_url = \"https://example.com\"\n",
    );
    build_snapshot(&site, "config_invalid_syntax");
}

#[test]
fn config_bad_base_url() {
    let site = Site::new();
    site.write(
        "config.toml",
        "title = \"The Test Gazette\"\nbase_url = \"news.example.com\"\n",
    );
    build_snapshot(&site, "config_bad_base_url");
}

#[test]
fn missing_config() {
    let site = Site::new();
    fs::remove_file(site.root().join("config.toml")).unwrap();
    build_snapshot(&site, "missing_config");
}

// ---------------------------------------------------------------------------------------------
// Links between stories
// ---------------------------------------------------------------------------------------------

#[test]
fn link_to_missing_story() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.

It follows [last week's vote](@/news/budget-vote.md) on the river bridge.
"#,
    );
    build_snapshot(&site, "link_to_missing_story");
}

#[test]
fn link_to_draft() {
    let site = Site::new();
    site.write(
        "content/news/budget-vote.md",
        "+++\ntitle = \"Budget vote\"\ndate = 2025-12-03T10:00:00+06:00\ndraft = true\n+++\n\nThe vote is on Thursday.\n",
    );
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.

It follows [last week's vote](@/news/budget-vote.md) on the river bridge.
"#,
    );
    build_snapshot(&site, "link_to_draft");
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

/// Runs `check` on the site, expecting `code`, compares stderr with the snapshot.
fn check_snapshot(site: &Site, name: &str, code: i32) -> Run {
    let r = site.check(&[], code);
    assert_snapshot(name, &r.stderr);
    r
}

#[test]
fn check_broken_link() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.

Read [our earlier report](/news/2025/11/20/bridge-vote/) on the bridge.
"#,
    );
    check_snapshot(&site, "check_broken_link", 1);
    // A broken link is not a build error: build still succeeds.
    let r = site.run(&["build"], &[("NO_COLOR", "1")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn check_broken_anchor() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.

The ferry terminal [matters too](@/news/ferry-terminal-opens.md#nope).
"#,
    );
    check_snapshot(&site, "check_broken_anchor", 1);
}

#[test]
fn check_missing_lead_image() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
image = "/images/council.jpg"
image_alt = "Councillors vote"
+++

The council approved the budget on Thursday.
"#,
    );
    check_snapshot(&site, "check_missing_lead_image", 1);
}

#[test]
fn check_story_without_summary() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

## Budget at a glance

- Roads: 40 crore
- Schools: 25 crore
"#,
    );
    let r = check_snapshot(&site, "check_story_without_summary", 0);
    assert!(r.stdout.contains("no errors"), "{}", r.stdout);
}

#[test]
fn check_same_day_slugs() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The city council approved the budget on Thursday.
"#,
    );
    site.write(
        "content/business/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T18:00:00+06:00
+++

Traders welcomed the council's budget.
"#,
    );
    let r = check_snapshot(&site, "check_same_day_slugs", 0);
    assert!(r.stdout.contains("no errors"), "{}", r.stdout);
}

#[test]
fn check_missing_markdown_image() {
    let site = Site::new();
    site.write(
        "content/news/budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
+++

The council approved the budget on Thursday.

![Where the money goes](/images/budget-chart.png)
"#,
    );
    check_snapshot(&site, "check_missing_markdown_image", 1);
}

#[test]
fn check_broken_link_in_template() {
    let site = Site::new();
    site.write(
        "templates/index.html",
        r#"{% extends "base.html" %}
{% block content %}
<p><a href="/about/">About us</a></p>
{% for story in stories %}<h2><a href="{{ story.url }}">{{ story.title }}</a></h2>{% endfor %}
{% endblock content %}
"#,
    );
    check_snapshot(&site, "check_broken_link_in_template", 1);
}

// ---------------------------------------------------------------------------------------------
// new
// ---------------------------------------------------------------------------------------------

#[test]
fn new_bad_date() {
    let site = Site::new();
    let r = site.run(
        &["new", "Council approves budget", "--date", "next tuesday"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_snapshot("new_bad_date", &r.stderr);
}

#[test]
fn new_story_exists() {
    let site = Site::new();
    let args = [
        "new",
        "Council approves budget",
        "--section",
        "world",
        "--date",
        "2025-12-04T10:00:00+06:00",
    ];
    let r = site.run(&args, &[("NO_COLOR", "1")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.run(&args, &[("NO_COLOR", "1")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_snapshot("new_story_exists", &r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Several problems at once; colour
// ---------------------------------------------------------------------------------------------

/// Three stories, each with one problem: all are reported, numbered, then counted.
fn three_problem_site() -> Site {
    let site = Site::new();
    site.write(
        "content/news/a-budget.md",
        r#"+++
title = "Council approves budget"
date = 2025-12-04T10:00:00+06:00
autors = ["Farhana Akter"]
+++

The council approved the budget on Thursday.
"#,
    );
    site.write(
        "content/news/b-bridge.md",
        r#"+++
title = "Bridge opens"
date = "yesterday"
+++

The bridge opened.
"#,
    );
    site.write(
        "content/world/c-summit.md",
        "---\ndate: 2025-12-03\n---\n\nLeaders met.\n",
    );
    site
}

#[test]
fn multiple_problems_are_numbered() {
    let site = three_problem_site();
    let stderr = build_snapshot(&site, "multiple_problems");
    assert!(stderr.contains("(1 of 3)"), "{stderr}");
    assert!(stderr.contains("(2 of 3)"), "{stderr}");
    assert!(stderr.contains("(3 of 3)"), "{stderr}");
    assert!(
        stderr.trim_end().ends_with("3 errors, 0 warnings"),
        "{stderr}"
    );
}

#[test]
fn no_colour_when_piped() {
    // NO_COLOR unset, stderr is a pipe: no escape codes.
    let site = three_problem_site();
    let (status, _stdout, stderr) = common::run_env(
        &["build", "--root", site.root().to_str().unwrap()],
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(status.code(), Some(1));
    assert!(
        !stderr.contains('\x1b'),
        "escape codes in piped output:\n{stderr:?}"
    );
    assert!(stderr.contains("(1 of 3)"), "{stderr}");

    let (status, _stdout, stderr) = common::run_env(
        &["check", "--root", site.root().to_str().unwrap()],
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(status.code(), Some(1));
    assert!(
        !stderr.contains('\x1b'),
        "escape codes in piped output:\n{stderr:?}"
    );

    // Warnings only (check exits 0) are plain too.
    let site = Site::new();
    site.write(
        "content/news/list.md",
        "+++\ntitle = \"List\"\ndate = 2025-12-04\n+++\n\n- one\n- two\n",
    );
    let (status, _stdout, stderr) = common::run_env(
        &["check", "--root", site.root().to_str().unwrap()],
        &[("SOURCE_DATE_EPOCH", NOW)],
    );
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(
        !stderr.contains('\x1b'),
        "escape codes in piped output:\n{stderr:?}"
    );
}
