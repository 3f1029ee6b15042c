//! Settings text (config.toml, front matter) explained to an editor: where a key is set, and
//! serde's and the parsers' errors put in plain words with a fix built from the line.

use super::config_example;
use crate::diagnostic::{Diagnostic, suggest};

/// The line on which `key` is set at the start of a line (TOML `key =` or YAML `key:`).
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map(|i| i + 1)
}

/// The key a `key = value` or `key: value` line sets.
pub fn key_of_line(line: &str) -> Option<String> {
    let key = line
        .split(['=', ':'])
        .next()?
        .trim()
        .trim_start_matches("- ")
        .trim_matches('"');
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

/// Serde's type names in an editor's words: `string "ten"` -> `text "ten"`, `i64` -> `a whole number`.
pub(super) fn plain_type(t: &str) -> String {
    let t = t.trim();
    let bare = t
        .strip_prefix("a ")
        .or_else(|| t.strip_prefix("an "))
        .unwrap_or(t);
    let word = bare.split(' ').next().unwrap_or(bare);
    let value = bare.find(['`', '"']).map(|i| bare[i..].replace('`', ""));
    let kind = match word {
        "string" | "str" | "char" => "text",
        "integer" | "i64" | "u64" | "i32" | "u32" | "usize" | "isize" | "u8" | "u16" => {
            "a whole number"
        }
        "floating" | "f64" | "f32" => "a number",
        "boolean" | "bool" => "true or false",
        "sequence" => "a list",
        "map" | "struct" => "a table",
        "unit" | "null" => "nothing",
        _ => return t.to_string(),
    };
    match value {
        Some(v) if kind == "true or false" => v,
        Some(v) => format!("{kind} {v}"),
        None => kind.to_string(),
    }
}

/// Turns a serde error message into a message and a hint an editor can act on.
pub fn describe_serde_error(
    mut d: Diagnostic,
    message: &str,
    place: &str,
    known: &[&str],
) -> Diagnostic {
    let quoted = |m: &str| -> Option<String> {
        let start = m.find('`')? + 1;
        let end = m[start..].find('`')? + start;
        Some(m[start..end].to_string())
    };
    if let Some(rest) = message.strip_prefix("unknown field") {
        let key = quoted(rest).unwrap_or_default();
        d.message = format!("unknown key `{key}` {place}");
        d.width = key.chars().count().max(1);
        d.help = Some(match suggest(&key, known) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "known keys are: {}; your own fields go under [extra]",
                known.join(", ")
            ),
        });
    } else if let Some(rest) = message.strip_prefix("missing field") {
        let key = quoted(rest).unwrap_or_default();
        d.message = format!("missing required field `{key}` {place}");
        // The whole file lacks it: no line to show.
        d.line = None;
        d.column = None;
        d.source_line = None;
        d.help = Some(match key.as_str() {
            "title" => "add a line like title = \"The Daily Example\"".to_string(),
            "base_url" => "add a line like base_url = \"https://news.example.com\"".to_string(),
            _ => format!("add a line setting `{key}`"),
        });
    } else if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let key = d
            .source_line
            .as_deref()
            .and_then(key_of_line)
            .filter(|k| known.contains(&k.as_str()));
        // Underline the whole value, not one character of it.
        if let (Some(src), Some(col)) = (&d.source_line, d.column) {
            let rest: String = src.chars().skip(col - 1).collect();
            d.width = rest.trim_end().chars().count().max(1);
        }
        let whole = expected.starts_with("struct ");
        d.message = match (&key, whole) {
            (_, true) => format!(
                "{place} must be a set of `key = value` settings, but it is {}",
                plain_type(found)
            ),
            (Some(k), false) => format!(
                "wrong type for `{k}` {place}: found {}, expected {}",
                plain_type(found),
                plain_type(expected)
            ),
            (None, false) => format!(
                "wrong type {place}: found {}, expected {}",
                plain_type(found),
                plain_type(expected)
            ),
        }
        .trim_start()
        .to_string();
        d.help = Some(match key.as_deref().and_then(config_example) {
            Some(example) => format!("write it like {example}"),
            None => {
                "text goes in quotes, lists in [ ], numbers and true/false without quotes".into()
            }
        });
    } else {
        let line = d.source_line.clone().unwrap_or_default();
        let (message, help) = plain_syntax(message, &line, place);
        // "front matter: text must be in quotes", so the editor knows which part is meant.
        d.message = match message.strip_prefix("invalid syntax") {
            Some(_) => message,
            None if message.contains(place) => message,
            None => format!("{}: {message}", place.trim_start_matches("in ")),
        };
        d.help = Some(help);
    }
    d
}

/// A TOML or YAML syntax error in an editor's words, with a fix built from the line itself.
fn plain_syntax(message: &str, line: &str, place: &str) -> (String, String) {
    let yaml = !line.contains('=') && line.contains(':');
    let sep = if yaml { ": " } else { " = " };
    let (key, value) = match line.split_once(if yaml { ':' } else { '=' }) {
        Some((k, v)) => (k.trim(), v.trim().trim_matches('"')),
        None => ("key", line.trim()),
    };
    if message.contains("string values must be quoted") {
        (
            "text must be in quotes".into(),
            format!("put the text in quotes: {key}{sep}\"{value}\""),
        )
    } else if message.contains("invalid basic string") || message.contains("invalid literal string")
    {
        (
            "the text has no closing quote".into(),
            format!("add \" at the end: {key}{sep}\"{value}\""),
        )
    } else if message.contains("duplicate key") {
        (
            format!("`{key}` is set twice {place}"),
            "keep one of the two lines".into(),
        )
    } else if message.contains("invalid date")
        || message.contains("invalid time")
        || message.contains("invalid offset")
    {
        let detail = message
            .split(", expected ")
            .nth(1)
            .map(|e| format!(" (expected {e})"))
            .unwrap_or_default();
        (
            format!("{value} is not a real date or time{detail}"),
            format!("write it like {key}{sep}2025-12-05T09:30:00+06:00"),
        )
    } else if message.contains("mapping values are not allowed") {
        (
            "a `:` inside the value".into(),
            format!("put the value in quotes: {key}{sep}\"{value}\""),
        )
    } else if yaml {
        (
            format!("invalid syntax {place}: {message}"),
            "check the indentation, the quotes and the `:` after each key on this line".into(),
        )
    } else {
        (
            format!("invalid syntax {place}: {message}"),
            "check the quotes, brackets and `=` signs on this line".into(),
        )
    }
}
