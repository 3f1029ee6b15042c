//! The random fixture: stories over the folders, with tags, authors, decks, summaries,
//! aliases and `@/` links, some linked by several others.

use std::path::Path;

use super::site::{FOLDERS, Link, NOW, Site, Story};
use super::text::{self, Rng};

/// A new story in `folder`, dated `date`, linking to up to two published stories.
pub fn new_story(rng: &mut Rng, site: &Site, folder: &str, date: i64) -> Story {
    let file = format!("{folder}/s{:03}.md", site.next_file);
    let title = site.fresh_headline(rng, None);
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let t = rng.pick(text::TAGS);
        if !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            tags.push(text::recase(rng, t, ""));
        }
    }
    let mut authors = vec![rng.pick(text::AUTHORS).to_string()];
    if rng.chance(20) {
        let other = rng.pick(text::AUTHORS).to_string();
        if other != authors[0] {
            authors.push(other);
        }
    }
    let slug = rng
        .chance(15)
        .then(|| format!("{}-{}", text::slugify(&title), site.next_file));
    let stem = format!("s{:03}", site.next_file);
    let targets = site.link_targets(None);
    let mut links = Vec::new();
    for _ in 0..rng.below(3) {
        if targets.is_empty() {
            break;
        }
        // Early stories are linked most, so some are linked by several.
        let among = if rng.chance(50) { 6 } else { targets.len() };
        let t = targets[rng.below(targets.len().min(among))];
        let target = site.stories[t].file.clone();
        if !links.iter().any(|l: &Link| l.target == target) {
            links.push(Link {
                text: rng.pick(text::LINK_TEXTS).to_string(),
                target,
            });
        }
    }
    Story {
        file,
        title,
        slug,
        subtitle: rng.chance(50).then(|| text::deck(rng)),
        summary: rng.chance(20).then(|| text::summary(rng)),
        date,
        date_form: rng.below(3) as u8,
        section: None,
        tags,
        authors,
        featured: rng.chance(12),
        draft: false,
        aliases: if rng.chance(10) {
            vec![format!("/old/{stem}/")]
        } else {
            Vec::new()
        },
        paras: (0..1 + rng.below(3))
            .map(|_| text::paragraph(rng))
            .collect(),
        links,
    }
}

/// A random story date: half within the last ten days, half over the last four months.
pub fn random_date(rng: &mut Rng) -> i64 {
    let back = if rng.chance(50) {
        rng.range(3_600, 10 * 86_400)
    } else {
        rng.range(3_600, 120 * 86_400)
    };
    // Whole minutes.
    (NOW - back) / 60 * 60
}

/// The fixture: `n` stories over the folders, a few drafts, written to `root`.
pub fn fixture(rng: &mut Rng, root: &Path, n: usize) -> Site {
    let mut site = Site::new(root);
    for k in 0..n {
        let folder = FOLDERS[k % FOLDERS.len()];
        let date = random_date(rng);
        let mut story = new_story(rng, &site, folder, date);
        // Drafts are never linked to: a link to a draft fails the build by design.
        story.draft = k > 30 && rng.chance(30);
        if rng.chance(10) {
            story.section = Some(rng.pick(FOLDERS).to_string());
        }
        site.stories.push(story);
        site.next_file += 1;
    }
    site.write_all();
    site
}
