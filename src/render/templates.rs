//! The Tera engine with the built-in theme, the site's own templates over it, and our filters.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::cards::{CARD_TEMPLATE, StoryCards};

use crate::diagnostic::{Diagnostic, Problems};
use crate::theme;

pub const DIR: &str = "templates";

pub struct Templates {
    pub tera: Tera,
    /// Names that came from the site's `templates/` rather than the built-in theme.
    site_names: Vec<String>,
    /// Every template's text, for showing the line an error is on.
    sources: BTreeMap<String, String>,
    /// The card cache of the engine, emptied between builds.
    cards: Option<StoryCards>,
    /// Each template's fingerprint: of its text, of every template it may use, and of the
    /// engine's settings.
    fingerprints: HashMap<String, u64>,
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
            cards: None,
            fingerprints: HashMap::new(),
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
            super::filters::register(&mut tera, tz);
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
            let cards = StoryCards::new(card_engine);
            templates.cards = Some(cards.clone());
            tera.register_function("story_card", cards);
            Ok(tera)
        });
        templates.fingerprints = fingerprints(&templates.sources, tz);
        match engines {
            Ok(tera) => templates.tera = tera,
            Err(e) => problems.push(templates.diagnose(&e, None)),
        }
        problems.into_result(templates)
    }

    /// The fingerprint of `name`: of its text, the texts of every template it may use, and the
    /// engine's settings. A page drawn with it changes only when one of those does.
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or(0)
    }

    /// A fingerprint of every template and the engine's settings.
    pub fn fingerprint_all(&self) -> u64 {
        let mut all: Vec<(&String, &u64)> = self.fingerprints.iter().collect();
        all.sort();
        crate::view::fingerprint(5, &all)
    }

    /// Readies the templates for another build over the same engine: cards made for the last
    /// one are forgotten, as the stories they show may have changed.
    pub fn new_build(&self) {
        if let Some(cards) = &self.cards {
            cards.clear();
        }
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

/// Each template's fingerprint over the templates it may use: those it names in quotes
/// (`extends`, `include`, `import`), and theirs in turn; the card template where it calls
/// `story_card`; and any template defining components, which every template may call.
/// Naming too many only costs a re-render; a name cannot be missed, as Tera takes only
/// quoted names.
fn fingerprints(sources: &BTreeMap<String, String>, tz: Tz) -> HashMap<String, u64> {
    let names: Vec<&str> = sources.keys().map(String::as_str).collect();
    let everywhere: Vec<&str> = (sources.iter())
        .filter(|(_, text)| text.contains("{% component") || text.contains("{%- component"))
        .map(|(n, _)| n.as_str())
        .collect();
    let direct: HashMap<&str, Vec<&str>> = (sources.iter())
        .map(|(name, text)| {
            let mut uses: Vec<&str> = (names.iter().copied())
                .filter(|n| {
                    ['"', '\'', '`']
                        .iter()
                        .any(|q| text.contains(&format!("{q}{n}{q}")))
                })
                .collect();
            if text.contains("story_card") {
                uses.push(CARD_TEMPLATE);
            }
            uses.extend(&everywhere);
            (name.as_str(), uses)
        })
        .collect();
    (names.iter())
        .map(|&name| {
            let mut seen = BTreeSet::from([name]);
            let mut todo = vec![name];
            while let Some(n) = todo.pop() {
                for &u in direct.get(n).into_iter().flatten() {
                    if seen.insert(u) {
                        todo.push(u);
                    }
                }
            }
            let mut f = crate::fingerprint::Fingerprint::new(5);
            f.add_str(tz.name());
            for n in seen {
                f.add_str(n);
                f.add_str(sources.get(n).map_or("", String::as_str));
            }
            (name.to_string(), f.finish())
        })
        .collect()
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
        Value::from_serializable(&serde_json::json!({"url": url, "title": title}))
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
    fn a_template_s_fingerprint_covers_what_it_uses_and_nothing_else() {
        let site = |base: &str, partial: &str| {
            site_with(&[
                ("frame.html", base),
                (
                    "page.html",
                    "{% extends \"frame.html\" %}{% block b %}{% include 'partials/p.html' %}{% endblock %}",
                ),
                ("partials/p.html", partial),
                ("other.html", "plain"),
            ])
        };
        let load =
            |d: &tempfile::TempDir| Templates::load(d.path(), chrono_tz::UTC).expect("loads");
        let a = load(&site("A {% block b %}{% endblock %}", "p"));
        let b = load(&site("B {% block b %}{% endblock %}", "p"));
        let c = load(&site("A {% block b %}{% endblock %}", "q"));
        assert_ne!(a.fingerprint("page.html"), b.fingerprint("page.html"));
        assert_ne!(a.fingerprint("page.html"), c.fingerprint("page.html"));
        assert_eq!(a.fingerprint("other.html"), b.fingerprint("other.html"));
        assert_eq!(a.fingerprint("other.html"), c.fingerprint("other.html"));
        assert_eq!(a.fingerprint("frame.html"), c.fingerprint("frame.html"));
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
