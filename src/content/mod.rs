//! Stories on disk: found under `content/`, split, read and checked. Nothing here renders.

pub mod date;
pub mod front_matter;
mod load;
mod stamp;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::config::{Config, Unlisted, find_key_line};
use crate::diagnostic::{Diagnostic, Problems};
use crate::slug::slugify;
pub use front_matter::{Format, FrontMatter};
pub use load::{Loaded, Parsed, Source, Unpublished, load, select};
pub use stamp::Stamp;

pub const DIR: &str = "content";

/// Which stories a build takes.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    /// Stories dated after this are scheduled.
    pub now: DateTime<FixedOffset>,
}

/// One story file, read and checked, with its place on the site worked out.
#[derive(Debug)]
pub struct Entry {
    /// Relative to the site root, e.g. `content/world/talks.md`.
    pub file: PathBuf,
    /// Relative to `content/` with `/` separators, as `@/` links name it.
    pub content_path: String,
    /// The file's text. A build drops it once the Markdown is rendered (see `source_hash`).
    pub text: String,
    /// A fingerprint of `text`, which outlives it.
    pub source_hash: u64,
    pub body_offset: usize,
    pub front: FrontMatter,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub local_date: NaiveDate,
    pub section: String,
    pub slug: String,
    /// Site path such as `/world/2025/12/05/talks/`.
    pub path: String,
}

impl Entry {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// A minimal story, for tests of later stages.
    #[cfg(test)]
    pub fn for_tests() -> Entry {
        let text = "+++\ntitle = \"T\"\ndate = 2025-01-01\n+++\n".to_string();
        let split = front_matter::split(&text).expect("valid");
        let front = front_matter::parse(&text, &split).expect("valid");
        let date = date::parse("2025-01-01", chrono_tz::UTC).expect("valid");
        Entry {
            file: PathBuf::from("content/t.md"),
            content_path: "t.md".into(),
            body_offset: split.body_offset,
            front,
            date,
            updated: None,
            local_date: date.date_naive(),
            section: "news".into(),
            slug: "t".into(),
            path: "/news/t/".into(),
            source_hash: crate::fingerprint::of_bytes(text.as_bytes()),
            text,
        }
    }
}

/// Every story file under `content/`, sorted by path.
pub fn find(root: &Path) -> Vec<PathBuf> {
    let dir = root.join(DIR);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_not_a_story(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

/// Files and folders under `content/` that are not stories: hidden files and editor
/// leftovers, notes for the newsroom (`README.md`, any case), and anything whose name starts
/// with `_` (`_notes.md`, a `_drafts/` folder of unfinished pieces).
pub fn is_not_a_story(name: &std::ffi::OsStr) -> bool {
    let text = name.to_string_lossy();
    is_ignored(name) || text.starts_with('_') || text.eq_ignore_ascii_case("README.md")
}

/// Hidden files and editor leftovers.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// `content/world/a.md` -> `world/a.md`, as `@/` links name a story.
pub(crate) fn content_path(file: &Path) -> String {
    file.strip_prefix(DIR)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one story file and works out its place on the site, whether or not this build
/// publishes it.
pub fn read_entry(root: &Path, path: &Path, config: &Config) -> Result<Entry, Problems> {
    let file = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read the story: {e}")).in_file(&file))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::error("the story is not UTF-8 text")
            .in_file(&file)
            .at_offset(&lossy, offset)
            .help("save the file as UTF-8 (in most editors: File > Save with Encoding > UTF-8)")
    })?;
    let in_file = |d: Diagnostic| d.in_file(&file);
    let split = front_matter::split(&text).map_err(in_file)?;
    let unknown = front_matter::unknown_keys(&text, &split);
    if !unknown.is_empty() {
        return Err(Problems(unknown.into_iter().map(in_file).collect()));
    }
    let mut front = front_matter::parse(&text, &split).map_err(in_file)?;
    front.normalize();
    let (front_offset, body_offset, format) = (split.front_offset, split.body_offset, split.format);

    let mut problems = Problems::new();
    // Errors about one key point at the line that sets it.
    let key_line = |key: &str| {
        find_key_line(&text[front_offset..body_offset], key)
            .map(|line| line + text[..front_offset].matches('\n').count())
    };
    let at_key = |d: Diagnostic, key: &str| {
        let d = d.in_file(&file);
        match key_line(key) {
            Some(line) => d.at(&text, line, 1).width(key.len()),
            None => d,
        }
    };
    let at_value = |d: Diagnostic, key: &str| {
        let d = d.in_file(&file);
        match key_line(key) {
            Some(line) => d.at_value(&text, line),
            None => d,
        }
    };
    let tz = config.timezone;
    let date_help = |key: &str| {
        format!(
            "write it like {}; a date without an offset, like 2025-12-05 09:30 or 2025-12-05, is read in {}",
            front_matter::example(key, format),
            tz
        )
    };
    let date = match date::parse(&front.date.0, tz) {
        Ok(d) => Some(d),
        Err(msg) => {
            problems.push(
                at_value(
                    Diagnostic::error(format!("cannot read `date`: {msg}")),
                    "date",
                )
                .help(date_help("date")),
            );
            None
        }
    };
    let updated = match &front.updated {
        None => None,
        Some(u) => match date::parse(&u.0, tz) {
            Ok(d) => Some(d),
            Err(msg) => {
                problems.push(
                    at_value(
                        Diagnostic::error(format!("cannot read `updated`: {msg}")),
                        "updated",
                    )
                    .help(date_help("updated")),
                );
                None
            }
        },
    };
    if let Some(lang) = &front.language
        && !is_language_tag(lang)
    {
        problems.push(
            at_value(
                Diagnostic::error(format!("`{lang}` is not a language tag")),
                "language",
            )
            .help("give a language tag such as `en`, `bn` or `pt-BR`, or leave `language` out for the site's"),
        );
    }
    if front.title.trim().is_empty() {
        problems.push(
            at_key(Diagnostic::error("the `title` is empty"), "title")
                .help("give the story a headline"),
        );
    }
    if let Some(extra) = &front.extra
        && !extra.is_object()
    {
        problems.push(
            at_key(
                Diagnostic::error("`extra` must be a table of your own fields"),
                "extra",
            )
            .help(front_matter::example("extra", format)),
        );
    }
    for alias in &front.aliases {
        if !alias.starts_with('/') || alias.contains("..") {
            problems.push(
                at_key(
                    Diagnostic::error(format!(
                        "alias `{alias}` must be a site path starting with `/`"
                    )),
                    "aliases",
                )
                .help("write it like aliases = [\"/2024/old-story/\"]"),
            );
        }
    }
    let Some(date) = date else {
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    let content_path = content_path(&file);
    let section = match &front.section {
        Some(s) => slugify(s, config.slugify),
        None => match content_path.split_once('/') {
            Some((folder, _)) => slugify(folder, config.slugify),
            None => config.default_section.clone(),
        },
    };
    let section = if section.is_empty() {
        config.default_section.clone()
    } else {
        section
    };
    // Where config.toml lists the sections, a story in another is a typo, not a new section.
    if let Some(unlisted) = config.unlisted_section(&section) {
        let d = match &front.section {
            Some(_) => at_value(
                Diagnostic::error(format!(
                    "the section `{section}` is not one of the sections config.toml lists"
                )),
                "section",
            ),
            None => Diagnostic::error(format!(
                "the story's folder puts it in the section `{section}`, which config.toml does not list"
            ))
            .in_file(&file),
        };
        let fix = match (unlisted, &front.section) {
            (Unlisted::Near(near), Some(_)) => format!("did you mean `{near}`?"),
            (Unlisted::Near(near), None) => format!(
                "did you mean `{near}`? move the file into content/{near}/, or set `section`"
            ),
            (Unlisted::Far(help), _) => help,
        };
        return Err(Problems::from(d.help(fix)));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = [
        front.slug.as_deref(),
        Some(front.title.as_str()),
        Some(stem.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(|s| slugify(s, config.slugify))
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "story".to_string());
    let local_date = date::local_date(&date, tz);
    let path_on_site = config.permalink.path(&section, local_date, &slug);
    Ok(Entry {
        file,
        content_path,
        body_offset,
        front,
        date,
        updated,
        local_date,
        section,
        slug,
        path: path_on_site,
        source_hash: crate::fingerprint::of_bytes(text.as_bytes()),
        text,
    })
}

/// A BCP 47 language tag in its common shape: a 2–3 letter language, then subtags of 1–8
/// letters or digits (`en`, `bn`, `pt-BR`, `zh-Hant-TW`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}
