//! `broadsheet check`: everything `build` checks, then every link, anchor and image of the
//! rendered site, and a few things an editor would want to know. Writes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::config::{Config, find_key_line};
use crate::content::Selection;
use crate::diagnostic::{Diagnostic, Problems};
use crate::links::{self, BrokenLink, Fault};
use crate::model::{Library, output_path};
use crate::pipeline::{Sources, now, render_site};
use crate::publish::OutputFile;

pub struct Options {
    pub drafts: bool,
    pub future: bool,
}

pub struct Report {
    pub problems: Problems,
    pub stories: usize,
    pub pages: usize,
}

/// Checks the site. `Err` when the site cannot even be rendered; otherwise the report holds
/// any link errors and warnings.
pub fn run(root: &Path, options: &Options) -> Result<Report, Problems> {
    let config = Config::load(root, None)?;
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: now(),
    };
    let crate::pipeline::Built {
        library,
        site,
        warnings,
        ..
    } = render_site(
        root,
        &config,
        selection,
        Sources::Keep,
        crate::pipeline::Earlier::default(),
        &|_| {},
        &crate::publish::Collect,
    )?;
    let mut problems = warnings;
    let reported_images = check_images(&library, &site.files, &mut problems);
    report_links(
        &config,
        &library,
        &reported_images,
        links::check(&config, &site.files),
        &mut problems,
    );
    warn_missing_summaries(&library, &mut problems);
    warn_same_day_slugs(&library, &mut problems);
    Ok(Report {
        problems,
        stories: library.stories.len(),
        pages: site.pages,
    })
}

/// Lead images that are neither in `static/` nor beside the story. Returns the output paths
/// reported, so the page scan does not report them again.
fn check_images(
    library: &Library,
    files: &[OutputFile],
    problems: &mut Problems,
) -> HashSet<String> {
    let exists: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut reported = HashSet::new();
    for story in &library.stories {
        let e = &story.entry;
        // Images on other hosts are not the site's to check.
        let Some((image, Some(site_path))) = story.image.as_ref().map(|i| (i, &i.site_path)) else {
            continue;
        };
        let target = output_path(site_path);
        if !exists.contains(target.as_str()) {
            let written = &image.written;
            let mut d = Diagnostic::error(format!("the lead image {written} does not exist"))
                .in_file(&e.file);
            if let Some(line) = find_key_line(&e.text, "image") {
                d = d.at_value(&e.text, line);
            }
            problems.push(d.help(
                "put the file in static/ and write its path from there (static/images/a.jpg is \"/images/a.jpg\"), or put it beside the story and give its file name",
            ));
            reported.insert(target);
        }
    }
    reported
}

/// What is wrong with a link, naming the story an anchor was looked for in.
fn describe(link: &BrokenLink, library: &Library, pages: &HashMap<String, usize>) -> String {
    match &link.fault {
        Fault::Missing if link.target.starts_with("(outside") => {
            format!("link outside the site's base URL: {}", link.href)
        }
        Fault::Missing if link.image => format!("the image {} does not exist", link.href),
        Fault::Missing => format!("link to a page that does not exist: {}", link.href),
        Fault::Anchor(id) => match pages.get(&link.target) {
            Some(&i) => format!(
                "no heading \"#{id}\" in {}",
                library.stories[i].entry.file.display()
            ),
            None => format!(
                "no \"#{id}\" on the page {}",
                link.href.split('#').next().unwrap_or("")
            ),
        },
    }
}

fn report_links(
    config: &Config,
    library: &Library,
    reported_images: &HashSet<String>,
    broken: Vec<BrokenLink>,
    problems: &mut Problems,
) {
    // A link written in a story is reported once, at its line, whichever pages show it
    // (the story, listings with its summary); the rest come from templates.
    let mut written_in: HashMap<String, usize> = HashMap::new();
    for (i, story) in library.stories.iter().enumerate() {
        let html = story.body.html();
        for href in
            links::attribute_values(html, "href").chain(links::attribute_values(html, "src"))
        {
            written_in.entry(href).or_insert(i);
        }
    }
    let pages: HashMap<String, usize> = library
        .stories
        .iter()
        .enumerate()
        .map(|(i, s)| (output_path(&s.entry.path), i))
        .collect();
    let mut reported: HashSet<(usize, String)> = HashSet::new();
    let mut from_templates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in broken {
        if reported_images.contains(&link.target) {
            continue;
        }
        if let Some(&i) = written_in.get(&link.href) {
            if reported.insert((i, link.href.clone())) {
                problems.push(at_link(config, library, &pages, i, &link));
            }
            continue;
        }
        from_templates
            .entry(describe(&link, library, &pages))
            .or_default()
            .push(format!("/{}", link.page));
    }
    for (message, pages) in from_templates {
        let shown: Vec<&str> = pages
            .iter()
            .take(3)
            .map(|p| p.trim_end_matches("index.html"))
            .collect();
        let more = if pages.len() > 3 {
            format!(" and {} more", pages.len() - 3)
        } else {
            String::new()
        };
        problems.push(
            Diagnostic::error(message)
                .note(format!(
                    "on {} page{}: {}{more}",
                    pages.len(),
                    if pages.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                ))
                .help("the link comes from a template: check the links in templates/"),
        );
    }
}

/// A broken link of story `i`, pointing at the line that writes it.
fn at_link(
    config: &Config,
    library: &Library,
    pages: &HashMap<String, usize>,
    i: usize,
    link: &BrokenLink,
) -> Diagnostic {
    let e = &library.stories[i].entry;
    let body = &e.text[e.body_offset..];
    let base = config.base_path.trim_end_matches('/');
    let plain = link.href.strip_prefix(base).unwrap_or(&link.href);
    let fragment = link.href.find('#').map(|f| &link.href[f..]);
    let page_url = &library.stories[i].address.url;
    let beside = link.href.strip_prefix(page_url.as_str());
    // Links are rewritten, so look for what the editor wrote: the path, the file name beside
    // the story, or the #anchor of an `@/` link.
    let found = [Some(link.href.as_str()), Some(plain), beside, fragment]
        .into_iter()
        .flatten()
        .find_map(|needle| body.find(needle).map(|o| (o, needle.chars().count())));
    let mut d = Diagnostic::error(describe(link, library, pages)).in_file(&e.file);
    if let Some((offset, width)) = found {
        d = d.at_offset(&e.text, e.body_offset + offset).width(width);
    }
    let help = match (&link.fault, pages.get(&link.target)) {
        (Fault::Anchor(_), Some(&t)) => {
            let ids = &library.stories[t].body.heading_ids;
            if ids.is_empty() {
                "that story has no headings to link to".to_string()
            } else {
                format!("that story's headings are: {}", ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", "))
            }
        }
        (Fault::Anchor(_), None) => "check the part after # against the ids on that page".to_string(),
        (Fault::Missing, _) if link.image => {
            "put the image in static/ and write its path from there (static/images/a.jpg is /images/a.jpg), or put it beside the story and give its file name".to_string()
        }
        (Fault::Missing, _) => {
            "link to stories by file, like [text](@/world/some-story.md), so the link follows the story; files beside the story are linked by name".to_string()
        }
    };
    d.help(help)
}

fn warn_missing_summaries(library: &Library, problems: &mut Problems) {
    for story in &library.stories {
        if story.summary_text().is_empty() {
            let e = &story.entry;
            problems.push(
                Diagnostic::warning("the story has no paragraph to use as its summary")
                    .in_file(&e.file)
                    .at_offset(&e.text, first_text(&e.text, e.body_offset))
                    .help("start the story with a paragraph of text, or set `summary` in the front matter"),
            );
        }
    }
}

/// The offset of the first non-blank character from `from` on.
fn first_text(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !c.is_whitespace())
        .map_or(from, |i| from + i)
}

fn warn_same_day_slugs(library: &Library, problems: &mut Problems) {
    let mut seen: HashMap<(chrono::NaiveDate, &str), usize> = HashMap::new();
    for (i, story) in library.stories.iter().enumerate() {
        let e = &story.entry;
        if let Some(&first) = seen.get(&(e.local_date, e.slug.as_str())) {
            let other = &library.stories[first].entry;
            let mut d = Diagnostic::warning(format!(
                "two stories of {} share the slug `{}`: {} and {}",
                e.local_date,
                e.slug,
                other.file.display(),
                e.file.display()
            ))
            .in_file(&e.file);
            if let Some(line) =
                find_key_line(&e.text, "slug").or_else(|| find_key_line(&e.text, "title"))
            {
                d = d.at(&e.text, line, 1);
            }
            problems.push(
                d.help("readers and search engines confuse them; give one a different `slug`"),
            );
        } else {
            seen.insert((e.local_date, &e.slug), i);
        }
    }
}
