//! Splitting a story file into front matter and body, and reading the front matter.

use serde::Deserialize;

use super::date::DateText;
use crate::config::describe_serde_error;
use crate::diagnostic::Diagnostic;

pub const KEYS: &[&str] = &[
    "title",
    "date",
    "subtitle",
    "updated",
    "section",
    "tags",
    "authors",
    "dateline",
    "sources",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
    "summary",
    "slug",
    "featured",
    "draft",
    "aliases",
    "extra",
    "language",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

impl Format {
    fn delimiter(self) -> &'static str {
        match self {
            Format::Toml => "+++",
            Format::Yaml => "---",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub date: DateText,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub updated: Option<DateText>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub dateline: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub image_caption: Option<String>,
    #[serde(default)]
    pub image_credit: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
    /// The story's language (a BCP 47 tag such as `bn`), when it is not the site's.
    #[serde(default)]
    pub language: Option<String>,
}

impl FrontMatter {
    /// Empty values count as not given, so a template from `new` can leave fields blank.
    pub fn normalize(&mut self) {
        for field in [
            &mut self.subtitle,
            &mut self.section,
            &mut self.dateline,
            &mut self.image,
            &mut self.image_alt,
            &mut self.image_caption,
            &mut self.image_credit,
            &mut self.summary,
            &mut self.slug,
        ] {
            if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *field = None;
            }
        }
        for list in [
            &mut self.tags,
            &mut self.authors,
            &mut self.sources,
            &mut self.aliases,
        ] {
            list.retain(|v| !v.trim().is_empty());
        }
    }
}

/// Where the parts of a story file are.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Finds the front matter block. Errors point into `text`.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = text[start..first_end].trim_end();
    let format = match first {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Err(Diagnostic::error("the story has no front matter")
                .at(text, 1, 1)
                .help("start the file with a line `+++`, then lines like title = \"...\" and date = 2025-12-05T09:00:00+06:00, then `+++` again"));
        }
    };
    let front_offset = (first_end + 1).min(text.len());
    let mut pos = front_offset;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == format.delimiter() {
            return Ok(Split {
                format,
                front: &text[front_offset..pos],
                front_offset,
                body: &text[(end + 1).min(text.len())..],
                body_offset: (end + 1).min(text.len()),
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::error(format!(
        "the front matter opened with `{}` on line 1 is never closed",
        format.delimiter()
    ))
    .at(text, 1, 1)
    .width(3)
    .help(format!(
        "add a line `{}` after the last front matter line, before the story text",
        format.delimiter()
    )))
}

/// Reads the front matter; the diagnostic points into the whole file `text`.
/// Every top-level key the front matter sets that is no field, each at its line with the
/// nearest field's name: reading the fields stops at the first, and an editor wants them all.
pub fn unknown_keys(text: &str, split: &Split) -> Vec<Diagnostic> {
    let keys: Vec<String> = match split.format {
        Format::Toml => toml::from_str::<toml::Table>(split.front)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default(),
        Format::Yaml => serde_yaml_ng::from_str::<serde_yaml_ng::Mapping>(split.front)
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    };
    keys.into_iter()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .map(|key| {
            // The line that sets it, at the start of the line (after its indentation).
            let mut offset = split.front_offset;
            for line in split.front.split_inclusive('\n') {
                let bare = line.trim_start();
                let rest = bare
                    .strip_prefix(key.as_str())
                    .or_else(|| bare.strip_prefix(&format!("\"{key}\"")));
                if rest.is_some_and(|r| r.trim_start().starts_with(['=', ':'])) {
                    offset += line.len() - bare.len();
                    break;
                }
                offset += line.len();
            }
            let d = Diagnostic::error(String::new())
                .at_offset(text, offset.min(text.len()))
                .width(key.chars().count().max(1));
            let mut d = describe_serde_error(
                d,
                &format!("unknown field `{key}`"),
                "in front matter",
                KEYS,
            );
            if split.format == Format::Yaml {
                d.help = d.help.map(|h| h.replace("under [extra]", "under `extra:`"));
            }
            d
        })
        .collect()
}

pub fn parse(text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    match split.format {
        Format::Toml => toml::from_str(split.front).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start) + split.front_offset;
            let width = e.span().map_or(1, |s| s.len().clamp(1, 40));
            explain(text, split, offset, width, e.message())
        }),
        Format::Yaml => serde_yaml_ng::from_str(split.front).map_err(|e| {
            let offset = e.location().map_or(0, |l| l.index()) + split.front_offset;
            let message = e.to_string();
            // serde_yaml appends " at line L column C", which would name the wrong line.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            // ...and puts the key path in front: "tags: invalid type: ...".
            let message = match message.split_once(": ") {
                Some((path, rest)) if !path.contains(' ') && !rest.is_empty() => rest.to_string(),
                _ => message,
            };
            explain(text, split, offset, 1, &message)
        }),
    }
}

fn explain(text: &str, split: &Split, offset: usize, width: usize, message: &str) -> Diagnostic {
    let message = message.trim();
    let base = Diagnostic::error(String::new());
    if message.starts_with("missing field") {
        // Point at the opening delimiter: the field is missing from the whole block.
        let d = describe_serde_error(
            base.at(text, 1, 1).width(3),
            message,
            "in front matter",
            KEYS,
        );
        let key = d.message.split('`').nth(1).unwrap_or("").to_string();
        let example = example(&key, split.format);
        // The field is missing from the whole block: point at where the block starts.
        return d.at(text, 1, 1).width(3).help(format!(
            "add `{example}` between the `{0}` lines",
            split.format.delimiter()
        ));
    }
    let mut d = describe_serde_error(
        base.at_offset(text, offset).width(width),
        message,
        "in front matter",
        KEYS,
    );
    if d.message.starts_with("in front matter must be") {
        d.message = d.message.replacen("in front matter", "front matter", 1);
    }
    if let Some(key) = d.message.split('`').nth(1).filter(|k| KEYS.contains(k))
        && d.message.starts_with("wrong type")
    {
        d.help = Some(format!(
            "`{key}` expects {}, like {}",
            expects(key),
            example(key, split.format)
        ));
    } else if d.message.starts_with("front matter must be") {
        d.message = d
            .message
            .replace("`key = value` settings", "`key: value` lines");
        d.help = Some(format!(
            "write one field a line, like {}",
            example("title", split.format)
        ));
    } else if d.message.contains("is set twice")
        && let Some(key) = d.message.split('`').nth(1)
        && let Some(first) = crate::config::find_key_line(split.front, key)
    {
        let first = first + text[..split.front_offset].matches('\n').count();
        d.notes.push(format!("first set on line {first}"));
    } else if message.contains("end of stream")
        && let Some((line, col)) = unclosed_quote(text, split)
    {
        let value = d.source_line.clone().unwrap_or_default();
        d = d.at(text, line, col);
        let written = d.source_line.clone().unwrap_or(value);
        d.message = "the quote opened here is never closed".into();
        d.help = Some(format!(
            "add \" at the end of the value: {}\"",
            written.trim_end()
        ));
    }
    if split.format == Format::Yaml {
        // The shared help speaks TOML; YAML sets a key with `:`.
        d.help = d.help.map(|h| {
            h.replace(
                "brackets and `=` signs",
                "brackets and the `:` after each key",
            )
        });
        // YAML indents with spaces only, and its own message does not say "tab".
        if let Some(line) = d.source_line.clone()
            && line.trim_end().starts_with(char::is_whitespace)
            && line.contains('\t')
        {
            let fixed = line.replace('\t', "  ");
            d.message = "a tab indents this line: YAML indents with spaces only".into();
            d.width = 1;
            d.help = Some(format!(
                "indent with spaces instead: `{}`",
                fixed.trim_end()
            ));
        }
    }
    // Quotes pasted from a word processor: TOML reads only straight ones.
    let curly = ['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];
    if split.format == Format::Toml
        && let Some(line) = d.source_line.clone()
        && let Some((key, value)) = line.split_once('=')
        && value.trim_start().starts_with(curly)
    {
        let straight = value
            .trim()
            .trim_matches(|c| curly.contains(&c) || c == '"');
        d.message = format!(
            "the value of `{}` is in curly quotes, which TOML does not read",
            key.trim()
        );
        d.help = Some(format!(
            "use straight quotes (\") rather than the curly ones a word processor puts in: {} = \"{straight}\"",
            key.trim()
        ));
        // Under the value as it shows: a curly quote is one column, though three bytes.
        d.width = value.trim().chars().count().max(1);
    }
    d
}

/// The first front matter line with an odd number of double quotes, and the column of its
/// first quote.
fn unclosed_quote(text: &str, split: &Split) -> Option<(usize, usize)> {
    let first_line = text[..split.front_offset].matches('\n').count() + 1;
    split.front.lines().enumerate().find_map(|(i, l)| {
        let quotes = l.matches('"').count() - l.matches("\\\"").count();
        (quotes % 2 == 1).then(|| {
            (
                first_line + i,
                l.chars().take_while(|&c| c != '"').count() + 1,
            )
        })
    })
}

fn expects(key: &str) -> &'static str {
    match key {
        "tags" | "authors" | "sources" | "aliases" => "a list of text",
        "featured" | "draft" => "true or false",
        "date" | "updated" => "a date",
        "extra" => "a table of your own fields",
        _ => "text",
    }
}

/// An example line for a key, in the story's own front matter format.
pub fn example(key: &str, format: Format) -> String {
    let value = match key {
        "tags" => r#"["Dhaka", "Rivers"]"#,
        "authors" => r#"["Staff Correspondent"]"#,
        "sources" => r#"["Delta Wire"]"#,
        "aliases" => r#"["/old/url/"]"#,
        "featured" | "draft" => "true",
        "date" | "updated" => "2025-12-05T09:30:00+06:00",
        "title" => "\"Your headline\"",
        "extra" => {
            return match format {
                Format::Toml => {
                    "[extra] on a line of its own at the end, then lines like color = \"red\""
                        .into()
                }
                Format::Yaml => {
                    "extra: on a line of its own, then indented lines like `  color: red`".into()
                }
            };
        }
        _ => "\"...\"",
    };
    match format {
        Format::Toml => format!("{key} = {value}"),
        Format::Yaml => format!("{key}: {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let t = "+++\ntitle = \"a\"\n+++\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(s.body, "body\n");
        let y = "---\r\ntitle: a\r\n---\r\n";
        let s = split(y).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_is_an_error() {
        let d = split("+++\ntitle = \"a\"\nbody\n").unwrap_err();
        assert!(d.message.contains("never closed"), "{}", d.message);
        assert!(split("no front matter").is_err());
    }

    #[test]
    fn errors_point_at_file_lines() {
        let t = "+++\ntitle = \"a\"\ndate = 2025-12-05\ntagz = [\"x\"]\n+++\n";
        let s = split(t).unwrap();
        let d = parse(t, &s).unwrap_err();
        assert_eq!(d.line, Some(4));
        assert_eq!(d.help.as_deref(), Some("did you mean `tags`?"));

        let y = "---\ntitle: a\ndate: 2025-12-05\ntags: 5\n---\n";
        let s = split(y).unwrap();
        let d = parse(y, &s).unwrap_err();
        assert_eq!(d.line, Some(4), "{d}");
        assert!(d.message.contains("wrong type for `tags`"), "{}", d.message);
    }

    #[test]
    fn missing_title() {
        let t = "+++\ndate = 2025-12-05\n+++\n";
        let s = split(t).unwrap();
        let d = parse(t, &s).unwrap_err();
        assert!(
            d.message.contains("missing required field `title`"),
            "{}",
            d.message
        );
        assert_eq!(d.line, Some(1));
    }
}
