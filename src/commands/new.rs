//! `broadsheet new "HEADLINE"`: a story file with its front matter laid out, ready to write.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Timelike};

use crate::config::{Config, Unlisted};
use crate::content::{self, date};
use crate::diagnostic::{Diagnostic, Problems};
use crate::slug::slugify;

pub struct Options {
    pub headline: String,
    pub section: Option<String>,
    pub date: Option<String>,
}

/// Writes the story and returns its path relative to the site root.
pub fn run(root: &Path, options: &Options) -> Result<PathBuf, Problems> {
    let config = Config::load(root, None)?;
    let headline = options.headline.trim();
    if headline.is_empty() {
        return Err(Diagnostic::error("the headline is empty")
            .help("broadsheet new \"Council approves river bridge\"")
            .into());
    }
    let when: DateTime<FixedOffset> = match &options.date {
        // An offset the editor typed is kept as typed.
        Some(text) if DateTime::parse_from_rfc3339(text.trim()).is_ok() => {
            DateTime::parse_from_rfc3339(text.trim())
                .map_err(|e| Problems::from(Diagnostic::error(e.to_string())))?
        }
        Some(text) => date::parse(text, config.timezone).map_err(|msg| {
            Diagnostic::error(format!("cannot read --date: {msg}"))
                .help("write it like --date 2025-12-05T09:30:00+06:00")
        })?,
        None => {
            let now = crate::pipeline::now().with_timezone(&config.timezone);
            now.with_second(0)
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(now)
                .fixed_offset()
        }
    };
    let section = match &options.section {
        Some(s) => slugify(s, config.slugify),
        None => config.default_section.clone(),
    };
    if section.is_empty() {
        return Err(
            Diagnostic::error("the section name has no letters or digits")
                .help("for example --section world")
                .into(),
        );
    }
    // A story in a section config.toml does not list would not build: say so now.
    if let Some(unlisted) = config.unlisted_section(&section) {
        let help = match unlisted {
            Unlisted::Near(near) => format!("did you mean --section {near}?"),
            Unlisted::Far(help) => help,
        };
        return Err(Diagnostic::error(format!(
            "the section `{section}` is not one of the sections config.toml lists"
        ))
        .help(help)
        .into());
    }
    let slug = match slugify(headline, config.slugify) {
        s if s.is_empty() => "story".to_string(),
        s => s,
    };
    let local = date::local_date(&when, config.timezone);
    let rel = PathBuf::from(content::DIR).join(config.new_story_path.path(&section, local, &slug));
    let path = root.join(&rel);
    if path.exists() {
        return Err(
            Diagnostic::error(format!("{} already exists", rel.display()))
                .help(
                    "new never overwrites a story: change the headline, or edit the existing file",
                )
                .into(),
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Problems::from(Diagnostic::error(format!(
                "cannot create {}: {e}",
                parent.display()
            )))
        })?;
    }
    let text = story_text(headline, &when, &section);
    // create_new: a file appearing meanwhile is not overwritten either.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| {
            Problems::from(Diagnostic::error(format!(
                "cannot write {}: {e}",
                rel.display()
            )))
        })?;
    Ok(rel)
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn story_text(headline: &str, when: &DateTime<FixedOffset>, section: &str) -> String {
    let dateline = when.format("%b %d").to_string();
    format!(
        r#"+++
title = {title}
subtitle = ""
date = {date}
section = {section}
tags = []
authors = []
dateline = {dateline}
sources = []
image = ""
image_alt = ""
image_caption = ""
image_credit = ""
featured = false
draft = true
+++

Write the first paragraph here. It is the story's summary on the front page and in feeds,
unless you set `summary` above.

Then the rest of the story. Set `draft = false` when it is ready to publish.
"#,
        title = quoted(headline),
        date = when.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        section = quoted(section),
        dateline = quoted(&format!("CITY, {dateline}")),
    )
}
