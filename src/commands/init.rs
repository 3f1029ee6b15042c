//! `broadsheet init DIR`: a new site that builds as it is.

use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Problems};
use crate::theme;

const CONFIG: &str = r#"title = "My Newsroom"
base_url = "https://news.example.com"
description = "Local news, written here"
language = "en"
timezone = "UTC"
date_format = "%B %d, %Y"
permalink = "/:section/:year/:month/:day/:slug/"
paginate = 20
feed_limit = 50
slugify = "ascii"
default_section = "news"

[sections.news]
name = "News"
weight = 1

[sections.world]
name = "World"
weight = 2

[sections.opinion]
name = "Opinion"
weight = 3

[extra]
"#;

const FIRST_STORY: &str = r#"+++
title = "Welcome to your new newsroom"
date = {first_date}
subtitle = "This story shows the front matter a story can carry"
section = "news"
tags = ["Getting started"]
authors = ["The Editors"]
dateline = "NEWSROOM, {dateline}"
featured = true
+++

This is a story. Edit it in `content/news/welcome.md`, or write a new Markdown file beside it,
then run `broadsheet build` to publish the site into `public/`.

## What to try next

- Change the site's name and address in `config.toml`.
- Add sections under `[sections]` and give each a folder in `content/`.
- Copy a template from `templates/` and change it to restyle the site.
"#;

const SECOND_STORY: &str = r#"---
title: "Opinion pieces live in their own section"
date: {second_date}
section: opinion
tags: ["Getting started"]
authors: ["The Editors"]
---

Stories in `content/opinion/` belong to the Opinion section and are listed on `/opinion/`.
This one uses YAML front matter between `---` lines; TOML between `+++` lines works the same.
"#;

pub fn run(dir: &Path) -> Result<(), Problems> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::error(format!(
            "{} already exists and is not empty",
            dir.display()
        ))
        .help("choose a new folder name; init never writes over existing files")
        .into());
    }
    // The sample stories are dated just before now, so they are published at once.
    let now = crate::pipeline::now().with_timezone(&chrono::Utc);
    let first = now - chrono::Duration::hours(1);
    let second = now - chrono::Duration::days(1);
    let first_story = FIRST_STORY
        .replace(
            "{first_date}",
            &first.format("%Y-%m-%dT%H:%M:00Z").to_string(),
        )
        .replace("{dateline}", &first.format("%b %d").to_string());
    let second_story = SECOND_STORY.replace(
        "{second_date}",
        &second.format("%Y-%m-%d %H:%M").to_string(),
    );
    let mut files: Vec<(String, &[u8])> = vec![
        ("config.toml".into(), CONFIG.as_bytes()),
        ("content/news/welcome.md".into(), first_story.as_bytes()),
        (
            "content/opinion/own-section.md".into(),
            second_story.as_bytes(),
        ),
    ];
    files.extend(
        theme::templates()
            .iter()
            .map(|(n, t)| (format!("templates/{n}"), t.as_bytes())),
    );
    files.extend(
        theme::static_files()
            .iter()
            .map(|(n, b)| (format!("static/{n}"), *b)),
    );
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Problems::from(Diagnostic::error(format!(
                    "cannot create {}: {e}",
                    parent.display()
                )))
            })?;
        }
        fs::write(&path, bytes).map_err(|e| {
            Problems::from(Diagnostic::error(format!(
                "cannot write {}: {e}",
                path.display()
            )))
        })?;
    }
    Ok(())
}
