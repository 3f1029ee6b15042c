//! The only code that knows Tera: the engine with the theme and the site's templates, our
//! filters and card cache, and the turning of views into template values and pages into bytes.

mod cards;
mod filters;
mod shared;
pub mod templates;
pub mod value;

use crate::diagnostic::Diagnostic;
use crate::view::{Slot, Views};
use shared::LazyValues;
use templates::Templates;
use value::to_context;

/// Renders views through the site's templates.
pub struct Renderer<'v> {
    templates: &'v Templates,
    shared: LazyValues<'v>,
}

impl<'v> Renderer<'v> {
    /// Shared views become template values the first time a page shows them.
    pub fn new(templates: &'v Templates, views: &'v Views<'v>) -> Renderer<'v> {
        Renderer {
            templates,
            shared: LazyValues::new(views),
        }
    }

    /// What a page is made from: its template (and every template it may use), its path and
    /// everything it shows. Two pages with equal fingerprints are the same bytes.
    /// The slots of the shared views the page shows are added to `refs`.
    pub fn fingerprint(
        &self,
        template: &str,
        path: &str,
        view: &dyn erased_serde::Serialize,
        refs: &mut Vec<Slot>,
    ) -> u64 {
        let seed = self.templates.fingerprint(template);
        crate::view::fingerprint_with_refs(seed, &(template, path, view), refs)
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
