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
        let engine = |sources: &BTreeMap<String, String>| {
            let mut tera = Tera::new();
            tera.autoescape_on(vec![".html", ".htm", ".xml"]);
            register_filters(&mut tera, tz);
            tera.register_function("story_card", |_: Kwargs, _: &State| -> TeraResult<Value> {
                Err(tera::Error::message(format!(
                    "`story_card` cannot be called from {CARD_TEMPLATE} itself"
                )))
            });
            tera.add_raw_templates(sources.iter()).map(|()| tera)
        };
        // Cards render from a second engine holding the same templates: a function cannot
        // reach the engine that calls it. The page engine's `story_card` replaces the stub.
        let engines = engine(&templates.sources).and_then(|card_engine| {
            let mut tera = engine(&templates.sources)?;
            tera.register_function("story_card", StoryCards::new(card_engine));
            Ok(tera)
        });
        match engines {
            Ok(tera) => templates.tera = tera,
            Err(e) => problems.push(templates.diagnose(&e, None)),
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

    /// Renders straight to bytes: a page goes to a file, and checking that what Tera wrote is
    /// UTF-8 (it always is) would read every page once more.
    pub fn render_bytes(
        &self,
        name: &str,
        context: &tera::Context,
        what: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| self.diagnose(&e, Some(what)))?;
        Ok(out)
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
    // Tera 2 has no URL encoding; share links and query strings need it.
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| -> String {
        crate::slug::percent_encode(value, b"/-._~")
    });
    tera.register_filter(
        "urlencode_strict",
        |value: &str, _: Kwargs, _: &State| -> String {
            crate::slug::percent_encode(value, b"-._~")
        },
    );
}

/// `{{ story_card(story=s, variant="list", hl=2) }}` renders `partials/story_card.html` with
/// `story` and the other arguments as its only variables, once per story and set of
/// arguments in a build: a story shown on many listings is rendered once, not on each.
struct StoryCards {
    tera: Tera,
    /// Sharded so the rendering threads rarely meet on one lock.
    shards: Vec<std::sync::RwLock<std::collections::HashMap<String, Value>>>,
    /// Bytes of cards kept so far. Past `CARD_CACHE_BYTES` new cards are rendered each time
    /// they are asked for, so the cache cannot dominate memory on a very large site.
    kept: std::sync::atomic::AtomicUsize,
}

/// About 5 KB a story: all of a 50,000-story site's cards.
const CARD_CACHE_BYTES: usize = 256 << 20;

const CARD_TEMPLATE: &str = "partials/story_card.html";

impl StoryCards {
    fn new(tera: Tera) -> StoryCards {
        StoryCards {
            tera,
            shards: (0..16).map(|_| Default::default()).collect(),
            kept: Default::default(),
        }
    }

    fn card(&self, kwargs: Kwargs) -> TeraResult<Value> {
        let story: Value = kwargs.must_get("story")?;
        let url = story
            .get_from_path("url")
            .and_then(|u| u.as_str().map(str::to_string))
            .ok_or_else(|| {
                tera::Error::message("`story_card` needs `story` to be a story (it has no `url`)")
            })?;
        let mut args: Vec<(&str, &Value)> = kwargs
            .iter()
            .filter(|(k, _)| k.as_str() != Some("story"))
            .map(|(k, v)| (k.as_str().unwrap_or(""), v))
            .collect();
        args.sort_by_key(|(k, _)| *k);
        let mut key = url;
        for (k, v) in &args {
            key.push('\0');
            key.push_str(k);
            key.push('=');
            key.push_str(&v.to_string());
        }
        let shard = &self.shards[crate::fingerprint::of_bytes(key.as_bytes()) as usize % 16];
        if let Some(html) = shard.read().ok().as_deref().and_then(|m| m.get(&key)) {
            return Ok(html.clone());
        }
        let mut context = tera::Context::new();
        context.insert_value("story", story);
        for (k, v) in args {
            context.insert_value(k.to_string(), v.clone());
        }
        let html = self
            .tera
            .render(CARD_TEMPLATE, &context)
            .map_err(|e| tera::Error::message(format!("in {CARD_TEMPLATE}: {}", plain(&e))))?;
        let html_len = html.len();
        let html = Value::safe_string(&html);
        let size = key.len() + html_len;
        if self
            .kept
            .fetch_add(size, std::sync::atomic::Ordering::Relaxed)
            + size
            <= CARD_CACHE_BYTES
            && let Ok(mut m) = shard.write()
        {
            m.insert(key, html.clone());
        }
        Ok(html)
    }
}

/// A Tera error's message and where it is, on one line.
fn plain(e: &tera::Error) -> String {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            format!("line {}: {}", r.span().start_line, r.message())
        }
        _ => e.to_string(),
    }
}

impl tera::Function<TeraResult<Value>> for StoryCards {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        self.card(kwargs)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Escapes for XML even text already marked safe (HTML bodies in feeds), exactly once.
struct XmlEscape;

impl tera::Filter<&str, String> for XmlEscape {
    fn call(&self, value: &str, _: Kwargs, _: &State) -> String {
        super::discovery::escape(value)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in templates {
            let path = dir.path().join(DIR).join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn render(t: &Templates, name: &str, c: &tera::Context) -> Result<String, Diagnostic> {
        t.render_bytes(name, c, "a page")
            .map(|b| String::from_utf8(b).expect("UTF-8"))
    }

    fn story(url: &str, title: &str) -> Value {
        crate::render::views::Obj::new()
            .set("url", url)
            .set("title", title)
            .build()
    }

    #[test]
    fn story_card_renders_each_story_and_argument_set_once() {
        let dir = site_with(&[
            (
                "partials/story_card.html",
                "[{{ hl }} {{ story.title }}{% if lazy is defined %} lazy={{ lazy }}{% endif %}]",
            ),
            (
                "cards.html",
                "{% for s in list %}{{ story_card(story=s, hl=2) }}{{ story_card(story=s, hl=3, lazy=true) }}{% endfor %}",
            ),
        ]);
        let t = Templates::load(dir.path(), chrono_tz::UTC).expect("templates load");
        let mut c = tera::Context::new();
        let list = vec![
            story("/a/", "A & B"),
            story("/b/", "C"),
            story("/a/", "A & B"),
        ];
        c.insert_value("list", Value::from(list));
        let out = render(&t, "cards.html", &c).expect("renders");
        assert_eq!(
            out,
            "[2 A &amp; B][3 A &amp; B lazy=true][2 C][3 C lazy=true][2 A &amp; B][3 A &amp; B lazy=true]"
        );
    }

    #[test]
    fn an_error_inside_the_card_names_the_card_template() {
        let dir = site_with(&[
            ("partials/story_card.html", "{{ story.nope }}"),
            ("cards.html", "{{ story_card(story=s) }}"),
        ]);
        let t = Templates::load(dir.path(), chrono_tz::UTC).expect("templates load");
        let mut c = tera::Context::new();
        c.insert_value("s", story("/a/", "A"));
        let d = render(&t, "cards.html", &c).expect_err("fails");
        assert!(d.message.contains(CARD_TEMPLATE), "{}", d.message);
        assert!(d.message.contains("nope"), "{}", d.message);
    }

    #[test]
    fn urlencode_filters_keep_only_what_is_safe() {
        let dir = site_with(&[(
            "u.html",
            "{{ u | urlencode }} {{ u | urlencode_strict }} {{ t | urlencode_strict }}",
        )]);
        let t = Templates::load(dir.path(), chrono_tz::UTC).expect("templates load");
        let mut c = tera::Context::new();
        c.insert("u", "https://x.test/a b/?q=1&r=2");
        c.insert("t", "Rain & \"sun\" ~ café");
        let out = render(&t, "u.html", &c).expect("renders");
        assert_eq!(
            out,
            "https%3A//x.test/a%20b/%3Fq%3D1%26r%3D2 https%3A%2F%2Fx.test%2Fa%20b%2F%3Fq%3D1%26r%3D2 Rain%20%26%20%22sun%22%20~%20caf%C3%A9"
        );
    }
}
