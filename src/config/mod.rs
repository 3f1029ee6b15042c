//! `config.toml`: read, checked and turned into the settings every later stage uses.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Problems, suggest};
use crate::permalink::Permalink;
use crate::slug::{SlugMode, slugify};

mod explain;

pub use explain::{describe_serde_error, find_key_line, key_of_line};

pub const FILE_NAME: &str = "config.toml";

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "timezone",
    "date_format",
    "permalink",
    "paginate",
    "feed_limit",
    "slugify",
    "default_section",
    "new_story_path",
    "sections",
    "extra",
];
const SECTION_KEYS: &[&str] = &["name", "weight"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_date_format")]
    date_format: String,
    #[serde(default = "default_permalink")]
    permalink: String,
    #[serde(default = "default_paginate")]
    paginate: i64,
    #[serde(default = "default_feed_limit")]
    feed_limit: i64,
    #[serde(default)]
    slugify: SlugMode,
    #[serde(default = "default_section")]
    default_section: String,
    #[serde(default = "default_new_story_path")]
    new_story_path: String,
    #[serde(default)]
    sections: BTreeMap<String, RawSection>,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    image: String,
    #[serde(default)]
    image_alt: String,
    #[serde(default)]
    logo: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    name: Option<String>,
    #[serde(default)]
    weight: i64,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_date_format() -> String {
    "%B %d, %Y".into()
}
fn default_permalink() -> String {
    "/:section/:year/:month/:day/:slug/".into()
}
fn default_new_story_path() -> String {
    ":section/:year-:month-:day-:slug.md".into()
}
fn default_paginate() -> i64 {
    20
}
fn default_feed_limit() -> i64 {
    50
}
fn default_section() -> String {
    "news".into()
}

/// A section named in `config.toml`.
#[derive(Debug, Clone)]
pub struct SectionConfig {
    pub slug: String,
    pub name: String,
    pub weight: i64,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, always ending in `/`.
    pub base_path: String,
    pub description: String,
    pub language: String,
    pub timezone: Tz,
    pub date_format: String,
    pub permalink: Permalink,
    pub paginate: usize,
    pub feed_limit: usize,
    pub slugify: SlugMode,
    pub default_section: String,
    /// Where `new` puts a story, relative to `content/`.
    pub new_story_path: Permalink,
    pub sections: Vec<SectionConfig>,
    pub extra: toml::Table,
    /// The social image of pages without one of their own (a site path or a URL), and its text.
    pub image: String,
    pub image_alt: String,
    /// The publisher's logo (a site path or a URL).
    pub logo: String,
    /// Of the file's text and any `--base-url`: pages change when it does.
    pub fingerprint: u64,
}

/// A section config.toml does not list, where it lists some.
pub enum Unlisted<'a> {
    /// The listed section nearest in spelling.
    Near(&'a str),
    /// None is near: the help to give, naming the listed ones.
    Far(String),
}

impl Config {
    /// Reads `config.toml` under `root`; `base_url` replaces the configured one when given.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Problems> {
        let path = root.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                format!("there is no {FILE_NAME} in {}", root.display())
            } else {
                format!("cannot read {FILE_NAME} in {}: {e}", root.display())
            };
            Diagnostic::error(message).help("is this the site's folder? Pass it with --root, or make a new site with `broadsheet init DIR`")
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let off = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::error(format!("{FILE_NAME} is not valid UTF-8 text"))
                .in_file(FILE_NAME)
                .at_offset(&text, off)
                .help("save the file with UTF-8 encoding")
        })?;
        Config::parse(&text, base_url)
    }

    pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Problems> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
        let mut problems = Problems::new();
        let err = |msg: String, key: &str, help: &str| {
            let d = Diagnostic::error(msg).in_file(FILE_NAME).help(help);
            match find_key_line(text, key) {
                Some(line) => d.at_value(text, line),
                None => d,
            }
        };

        let base_url_text = base_url.unwrap_or(&raw.base_url).trim_end_matches('/');
        let (base_url, base_path) = match split_base_url(base_url_text) {
            Some(parts) => parts,
            None => {
                problems.push(err(
                    format!("`base_url` must be an absolute http(s) URL, found `{base_url_text}`"),
                    "base_url",
                    "write it like base_url = \"https://news.example.com\"",
                ));
                (String::new(), "/".to_string())
            }
        };
        let timezone = Tz::from_str(&raw.timezone).unwrap_or_else(|_| {
            problems.push(err(
                format!("unknown time zone `{}`", raw.timezone),
                "timezone",
                &match nearest_timezone(&raw.timezone) {
                    Some(near) => format!("did you mean \"{near}\"? Time zones are IANA names like \"Asia/Dhaka\" or \"UTC\""),
                    None => "use an IANA time zone name such as \"Asia/Dhaka\", \"Europe/London\" or \"UTC\"".to_string(),
                },
            ));
            Tz::UTC
        });
        let permalink = Permalink::parse(&raw.permalink).unwrap_or_else(|msg| {
            problems.push(err(
                format!("invalid permalink `{}`: {msg}", raw.permalink),
                "permalink",
                "the default is \"/:section/:year/:month/:day/:slug/\"",
            ));
            Permalink::default()
        });
        let new_story_path = Permalink::parse_pattern(&raw.new_story_path)
            .and_then(|p| {
                let ok = raw.new_story_path.ends_with(".md")
                    && !raw.new_story_path.starts_with('/')
                    && !raw.new_story_path.contains("..");
                if ok {
                    Ok(p)
                } else {
                    Err("it must be a path inside content/ ending in `.md`".into())
                }
            })
            .unwrap_or_else(|msg| {
                problems.push(err(
                    format!("invalid new_story_path `{}`: {msg}", raw.new_story_path),
                    "new_story_path",
                    "the default is \":section/:year-:month-:day-:slug.md\"",
                ));
                Permalink::parse_pattern(&default_new_story_path()).expect("default is valid")
            });
        if chrono::format::StrftimeItems::new(&raw.date_format)
            .any(|i| matches!(i, chrono::format::Item::Error))
        {
            problems.push(err(
                format!("invalid `date_format` `{}`", raw.date_format),
                "date_format",
                "use chrono format codes, like \"%B %d, %Y\" for \"December 05, 2025\"",
            ));
        }
        let positive = |v: i64, key: &str, problems: &mut Problems| -> usize {
            if v < 1 {
                problems.push(err(
                    format!("`{key}` must be at least 1, found {v}"),
                    key,
                    "use a whole number like 20",
                ));
                1
            } else {
                v as usize
            }
        };
        let paginate = positive(raw.paginate, "paginate", &mut problems);
        let feed_limit = positive(raw.feed_limit, "feed_limit", &mut problems);

        let default_section = slugify(&raw.default_section, raw.slugify);
        if default_section.is_empty() {
            problems.push(err(
                "`default_section` must not be empty".into(),
                "default_section",
                "for example default_section = \"news\"",
            ));
        }
        let mut sections: Vec<SectionConfig> = raw
            .sections
            .into_iter()
            .map(|(key, s)| {
                let slug = slugify(&key, raw.slugify);
                SectionConfig {
                    name: s.name.unwrap_or_else(|| display_name(&key)),
                    slug,
                    weight: s.weight,
                }
            })
            .collect();
        sections.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

        let fingerprint = {
            let mut f = crate::fingerprint::Fingerprint::new(9);
            f.add_str(text);
            f.add_str(&base_url);
            f.finish()
        };
        problems.into_result(Config {
            title: raw.title,
            base_url,
            base_path,
            description: raw.description,
            language: raw.language,
            timezone,
            date_format: raw.date_format,
            permalink,
            paginate,
            feed_limit,
            slugify: raw.slugify,
            default_section,
            new_story_path,
            sections,
            extra: raw.extra,
            image: raw.image,
            image_alt: raw.image_alt,
            logo: raw.logo,
            fingerprint,
        })
    }

    /// Absolute URL of a site path that starts with `/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Why a story may not be in the section `slug`: config.toml lists sections and not this
    /// one. `None` when it may.
    pub fn unlisted_section(&self, slug: &str) -> Option<Unlisted<'_>> {
        if self.sections.is_empty() || self.sections.iter().any(|s| s.slug == slug) {
            return None;
        }
        let listed: Vec<&str> = self.sections.iter().map(|s| s.slug.as_str()).collect();
        Some(match crate::diagnostic::suggest(slug, &listed) {
            Some(near) => Unlisted::Near(near),
            None => Unlisted::Far(format!(
                "use one of {}, or add [sections.{slug}] to config.toml",
                listed.join(", ")
            )),
        })
    }

    /// An absolute URL for a setting that is a site path (`/images/x.png`) or already a URL.
    pub fn absolute_or_url(&self, value: &str) -> String {
        if value.starts_with('/') {
            self.absolute(value)
        } else {
            value.to_string()
        }
    }

    /// Host-relative URL (with the base path) of a site path that starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path.trim_end_matches('/'), path)
    }
}

/// "world-affairs" -> "World Affairs".
pub fn display_name(slug: &str) -> String {
    slug.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some((url.to_string(), format!("{}/", path.trim_end_matches('/'))))
}

fn toml_problem(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let d = Diagnostic::error(String::new()).in_file(FILE_NAME);
    let d = match e.span() {
        Some(span) => d.at_offset(text, span.start).width(span.len().clamp(1, 40)),
        None => d,
    };
    describe_serde_error(
        d,
        &message,
        "in config.toml",
        &[KEYS, SECTION_KEYS].concat(),
    )
}

/// A time zone name close to what was written: `Dhaka` -> `Asia/Dhaka`.
fn nearest_timezone(written: &str) -> Option<&'static str> {
    let names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()).collect();
    let city = written.trim().to_lowercase().replace(' ', "_");
    names
        .iter()
        .find(|n| n.to_lowercase().rsplit('/').next() == Some(city.as_str()))
        .copied()
        .or_else(|| suggest(written, &names))
}

/// An example line for a config key, for type errors.
pub(super) fn config_example(key: &str) -> Option<&'static str> {
    Some(match key {
        "paginate" => "paginate = 20",
        "feed_limit" => "feed_limit = 50",
        "title" => "title = \"The Daily Example\"",
        "base_url" => "base_url = \"https://news.example.com\"",
        "timezone" => "timezone = \"Asia/Dhaka\"",
        "slugify" => "slugify = \"ascii\"",
        "weight" => "weight = 1",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = "title = \"T\"\nbase_url = \"https://example.com/news/\"\n";

    #[test]
    fn base_path_from_base_url() {
        let c = Config::parse(MIN, None).unwrap();
        assert_eq!(c.base_url, "https://example.com/news");
        assert_eq!(c.base_path, "/news/");
        assert_eq!(c.url("/world/"), "/news/world/");
        let c = Config::parse(MIN, Some("http://127.0.0.1:1111/")).unwrap();
        assert_eq!(c.base_path, "/");
        assert_eq!(c.absolute("/rss.xml"), "http://127.0.0.1:1111/rss.xml");
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let text = format!("{MIN}timezon = \"UTC\"\n");
        let p = Config::parse(&text, None).err().unwrap();
        let d = &p.0[0];
        assert_eq!(d.message, "unknown key `timezon` in config.toml");
        assert_eq!(d.line, Some(3));
        assert_eq!(d.help.as_deref(), Some("did you mean `timezone`?"));
    }

    #[test]
    fn wrong_types_in_plain_words() {
        let text = format!("{MIN}paginate = \"ten\"\n");
        let d = &Config::parse(&text, None).err().unwrap().0[0];
        assert_eq!(
            d.message,
            "wrong type for `paginate` in config.toml: found text \"ten\", expected a whole number"
        );
        assert_eq!(explain::plain_type("a sequence"), "a list");
        assert_eq!(explain::plain_type("boolean `true`"), "true");
    }

    #[test]
    fn bad_values_reported_together() {
        let text = format!("{MIN}timezone = \"Mars/Base\"\npaginate = 0\n");
        let p = Config::parse(&text, None).err().unwrap();
        assert_eq!(p.error_count(), 2);
        assert_eq!(p.0[0].line, Some(3));
        assert_eq!(p.0[1].line, Some(4));
    }
}
