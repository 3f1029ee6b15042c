//! The only code that knows Tera: the engine with the theme and the site's templates, our
//! filters and card cache, and the turning of views into template values and pages into bytes.

mod cards;
mod filters;
pub mod templates;
pub mod value;

use crate::diagnostic::Diagnostic;
use crate::view::{Shared, Views};
use rayon::prelude::*;
use templates::Templates;
use value::{SharedValues, to_context, to_value};

/// Renders views through the site's templates.
pub struct Renderer {
    templates: Templates,
    shared: SharedValues,
    /// Of every template's text and of the engine's settings: part of every fingerprint.
    engine: u64,
}

impl Renderer {
    /// Makes the template value of every shared view once.
    pub fn new(templates: Templates, views: &Views) -> Result<Renderer, Diagnostic> {
        let mut shared = SharedValues::new();
        // Sections, tags and authors first: stories point to them, and `site` to sections.
        for m in &views.sections {
            let v = to_value(&m.view, &shared).map_err(bug)?;
            shared.insert(m.shared.0, v);
        }
        for list in [&views.tags, &views.authors] {
            for m in list {
                let v = to_value(&m.view, &shared).map_err(bug)?;
                shared.insert(m.shared.0, v);
            }
        }
        let stories: Vec<(Shared, Result<tera::Value, value::ValueError>)> = views
            .stories
            .par_iter()
            .map(|m| (m.shared, to_value(&m.view, &shared)))
            .collect();
        for (mark, v) in stories {
            shared.insert(mark.0, v.map_err(bug)?);
        }
        let site = to_value(&views.site.view, &shared).map_err(bug)?;
        shared.insert(views.site.shared.0, site);
        let engine = templates.fingerprint();
        Ok(Renderer {
            templates,
            shared,
            engine,
        })
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// What a page is made from: its template (and every template it may use), its path and
    /// everything it shows. Two pages with equal fingerprints are the same bytes.
    pub fn fingerprint(
        &self,
        template: &str,
        path: &str,
        view: &dyn erased_serde::Serialize,
    ) -> u64 {
        crate::view::fingerprint(self.engine, &(template, path, view))
    }

    /// Renders `view` through `template`; `what` names the page in error messages.
    pub fn render(
        &self,
        template: &str,
        view: &dyn erased_serde::Serialize,
        what: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = to_context(view, &self.shared).map_err(bug)?;
        self.templates.render_bytes(template, &context, what)
    }
}

/// A view that cannot be made into a template value is broadsheet's fault, not the site's.
fn bug(e: value::ValueError) -> Diagnostic {
    Diagnostic::error(format!("internal error while preparing a page: {e}"))
        .help("this is a bug in broadsheet; please report it with the site that shows it")
}
