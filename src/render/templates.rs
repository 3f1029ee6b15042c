//! The Tera engine with the built-in theme, the site's own templates over it, and our filters.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostic::{Diagnostic, Problems};
use crate::theme;

pub const DIR: &str = "templates";

/// Every template a build renders.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "article.html",
    "section.html",
    "archive.html",
    "archive_index.html",
    "tag.html",
    "tags.html",
    "author.html",
    "authors.html",
    "404.html",
    "rss.xml",
];

pub struct Templates {
    pub tera: Tera,
    /// Names that came from the site's `templates/` rather than the built-in theme.
    site_names: Vec<String>,
    /// Every template's text, for showing the line an error is on.
    sources: BTreeMap<String, String>,
}

impl Templates {
    pub fn load(root: &Path, tz: Tz) -> Result<Templates, Problems> {
        let mut sources: BTreeMap<String, String> = theme::templates()
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut site_names = Vec::new();
        let mut problems = Problems::new();
        let dir = root.join(DIR);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !entry.file_type().is_file() || crate::content::is_ignored(entry.file_name()) {
                    continue;
                }
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                match std::fs::read(entry.path()).map(String::from_utf8) {
                    Ok(Ok(text)) => {
                        site_names.push(name.clone());
                        sources.insert(name, text);
                    }
                    Ok(Err(_)) => problems.push(
                        Diagnostic::error("the template is not UTF-8 text")
                            .in_file(Path::new(DIR).join(rel))
                            .help("save the file as UTF-8"),
                    ),
                    Err(e) => problems.push(
                        Diagnostic::error(format!("cannot read the template: {e}"))
                            .in_file(Path::new(DIR).join(rel)),
                    ),
                }
            }
        }
        let mut templates = Templates {
            tera: Tera::new(),
            site_names,
            sources: BTreeMap::new(),
        };
        // Parse one by one first, so every broken template is reported, not just the first.
        templates.sources = sources;
        for (name, text) in &templates.sources {
            let mut scratch = Tera::new();
            if let Err(e) = scratch.add_raw_template(name, text)
                && let tera::ErrorKind::SyntaxError(_) = e.kind()
            {
                problems.push(templates.diagnose(&e, None));
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        templates.tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        register_filters(&mut templates.tera, tz);
        if let Err(e) = templates.tera.add_raw_templates(templates.sources.iter()) {
            problems.push(templates.diagnose(&e, None));
        }
        problems.into_result(templates)
    }

    /// A fingerprint of every template's name and text.
    pub fn fingerprint(&self) -> u64 {
        let mut f = crate::fingerprint::Fingerprint::new(5);
        for (name, text) in &self.sources {
            f.add_str(name);
            f.add_str(text);
        }
        f.finish()
    }

    /// Where a template lives, as an editor would look for it.
    pub fn file_of(&self, name: &str) -> String {
        if self.site_names.iter().any(|n| n == name) {
            format!("{DIR}/{name}")
        } else {
            format!("{DIR}/{name} (built-in theme)")
        }
    }

    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        what: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnose(&e, Some(what)))
    }

    /// A Tera error as a diagnostic naming the template file and line.
    pub fn diagnose(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let report = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut d = match report {
            Some(r) => {
                let kind = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                let source = self.source_of(r.filename()).unwrap_or_default();
                let span = r.span();
                let d = Diagnostic::error(format!("{kind}: {}", r.message()))
                    .in_file(self.file_of(r.filename()));
                if source.is_empty() {
                    d
                } else {
                    let width = if span.start_line == span.end_line {
                        span.end_col.saturating_sub(span.start_col)
                    } else {
                        1
                    };
                    d.at(&source, span.start_line, span.start_col + 1)
                        .width(width)
                }
            }
            None => Diagnostic::error(format!("template error: {e}")),
        };
        if let Some(what) = rendering {
            d = d.note(format!("while rendering {what}"));
        }
        // "Field `x` is not defined. Available fields: a, b": the list is a note, and a near
        // name a suggestion.
        let split = ["Available fields: ", "Available variables: "]
            .iter()
            .find_map(|marker| {
                d.message
                    .split_once(marker)
                    .map(|(m, l)| (m.trim().to_string(), l.to_string()))
            });
        if let Some((message, list)) = split {
            let names: Vec<&str> = list.split(", ").map(str::trim).collect();
            let missing = message.split('`').nth(1).unwrap_or("").to_string();
            d.message = message.trim_end_matches('.').to_string();
            d.notes
                .insert(0, format!("available here: {}", names.join(", ")));
            d.help = Some(match crate::diagnostic::suggest(&missing, &names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "check the name against the template reference (docs/templates.md), or guard it with {% if ... %}".into(),
            });
        } else if d.message.contains("not defined") || d.message.contains("undefined") {
            d = d.help("check the name against the template reference (docs/templates.md), or guard it with {% if ... %}");
        } else if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
            let unclosed_output =
                d.message.contains("expected }}") || d.message.contains("expected `}}`");
            d = d.help(if unclosed_output {
                "close every {{ with }}, like {{ story.title }}"
            } else {
                "check that every {% if %}, {% for %} and {% block %} above this line is closed with {% endif %}, {% endfor %} or {% endblock %}, and that every {{ has its }}"
            });
        }
        d
    }

    fn source_of(&self, name: &str) -> Option<String> {
        self.sources.get(name).cloned()
    }
}

/// Formats RFC 3339 text in the site's zone, for `{{ story.date | date(format="%H:%M") }}`.
fn register_filters(tera: &mut Tera, tz: Tz) {
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format: Option<&str> = kwargs.get("format")?;
            let dt = DateTime::parse_from_rfc3339(value).map_err(|_| {
                tera::Error::message(format!("`date` filter: `{value}` is not an RFC 3339 date"))
            })?;
            Ok(dt
                .with_timezone(&tz)
                .format(format.unwrap_or("%B %d, %Y"))
                .to_string())
        },
    );
    tera.register_filter("escape_xml", XmlEscape);
}

/// Escapes for XML even text already marked safe (HTML bodies in feeds), exactly once.
struct XmlEscape;

impl tera::Filter<&str, Value> for XmlEscape {
    fn call(&self, value: &str, _: Kwargs, _: &State) -> Value {
        let mut out = String::with_capacity(value.len() + value.len() / 8);
        for c in value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                _ => out.push(c),
            }
        }
        Value::safe_string(&out)
    }

    fn is_safe(&self) -> bool {
        true
    }
}
